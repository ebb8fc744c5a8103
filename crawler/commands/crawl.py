"""``scrapy crawl`` that exits with a status cron can act on (see ``crawler.commands.runstatus``).

Scrapy's own ``crawl`` exits 1 on any start-up error, with a traceback, and 0 otherwise.
This override runs the same crawl, keeps the crawler to read its stats, and turns a locked
output folder, a bad argument, an unreachable set of sources or an interruption into one clear
log line and a distinct exit status. SIGINT and SIGTERM belong to
:class:`crawler.extensions.shutdown.GracefulShutdown` (the reactor starts without Scrapy's
handlers, whose forced stop waited for the very close it was meant to cut short).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred

from crawler.commands.runstatus import EXIT_OK, exit_status, explained
from crawler.extensions.shutdown import GracefulShutdown

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


class Command(ScrapyCrawlCommand):
    """Run a spider of the project; exit 0, 1, 2, 69, 75, 130 or 143 (``runstatus``)."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        self.run_spider(args[0], opts.spargs)

    def run_spider(self, name: str, spargs: dict[str, str]) -> dict[str, Any]:
        """Crawl with spider ``name``; set ``self.exitcode``, log why it failed; return the stats."""
        assert self.crawler_process is not None
        crawler = self._create_crawler(name)
        errors: list[BaseException] = []

        def task_done(task: asyncio.Task[Any]) -> None:
            exc = None if task.cancelled() else task.exception()
            if exc is not None:
                errors.append(exc)

        def deferred_failed(failure: Failure) -> None:
            if failure.value is not None:
                errors.append(failure.value)

        running = self.crawler_process.crawl(crawler, **spargs)
        if isinstance(running, asyncio.Task):
            running.add_done_callback(task_done)
        elif isinstance(running, Deferred):
            running.addErrback(deferred_failed)
        self.crawler_process.start(install_signal_handlers=False)
        shutdown = _shutdown(crawler)
        if shutdown is not None:
            shutdown.finish()
        # ``_stats``: ``crawler.stats`` raises when the crawl failed before it was created.
        collector = crawler._stats
        stats = collector.get_stats() if collector is not None else {}
        error = errors[0] if errors else None
        signum = shutdown.signum if shutdown is not None else None
        self.exitcode, message = exit_status(stats, error, signum)
        if message and signum is not None and not explained(error):
            logger.warning("%s", message)
        elif message:
            logger.error("%s", message, exc_info=None if explained(error) else error)
        elif self.exitcode == EXIT_OK and self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        return stats


def _shutdown(crawler: Crawler) -> GracefulShutdown | None:
    """The crawl's shutdown extension (None when the crawl failed before extensions existed)."""
    try:
        return crawler.get_extension(GracefulShutdown)
    except RuntimeError:
        return None
