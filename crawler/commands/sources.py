"""``scrapy sources FILE``: check a sources file before a night of cron runs relies on it.

Each source's feeds, sitemaps, sections and sites are read once and up to two of their
articles fetched and extracted (``crawler.commands.sourcecheck``); a table says what each URL
answered and gave, and a verdict per source (``crawler.discovery.check``). Exit status 0 when
every source yields an article a crawl would keep, 1 otherwise, 2 for a sources file that
cannot be used (the crawl's own message, with file and line).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.runstatus import EXIT_OK, EXIT_USAGE
from crawler.commands.sourcecheck import SourceCheckSpider
from crawler.discovery.check import SourceCheck, exit_status, table
from crawler.discovery.sources import SourcesFileError, load_sources

if TYPE_CHECKING:
    import argparse

logger = logging.getLogger(__name__)


class Command(ScrapyCommand):
    """Check every source of a sources file; print a table and a verdict per source."""

    requires_project = True

    def syntax(self) -> str:
        return "FILE"

    def short_desc(self) -> str:
        return "Check a sources file: each source's URLs and two sample articles"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        # The table is the output: the log says only what went wrong (-s LOG_LEVEL= still wins).
        self.settings.set("LOG_LEVEL", "WARNING", priority="project")
        super().process_options(args, opts)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one sources file: scrapy sources sources.toml")
        try:
            sources = load_sources(args[0])
        except SourcesFileError as exc:
            logger.error("%s", exc)
            self.exitcode = EXIT_USAGE
            return
        checks = [SourceCheck(source) for source in sources]
        assert self.crawler_process is not None
        self.crawler_process.crawl(SourceCheckSpider, checks=checks)
        self.crawler_process.start()
        print(table(checks))
        self.exitcode = exit_status(checks)
        if self.exitcode == EXIT_OK and self.crawler_process.bootstrap_failed:
            self.exitcode = 1
