"""``scrapy demo``: the whole job on the bundled mock news site, offline, on any machine.

A newcomer's first command must work without network and without choosing a site: this one
serves ``fixtures/site`` on 127.0.0.1, crawls it with the ``news`` spider exactly as
``scrapy crawl news -a sites=…`` would, and says what came out and where. Its start URL is
on loopback, and the start URLs' own address and port are the only private ones the
request-safety rules let through, so nothing else on the machine can be reached.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy.exceptions import UsageError

from crawler.commands.crawl import Command as CrawlCommand
from crawler.commands.runstatus import EXIT_OK
from crawler.extensions.summary import summarise, summary_line
from crawler.localsite.render import DEMO_SITE, render_site
from crawler.localsite.server import SiteServer
from crawler.store.seedformat import parse_file_name

if TYPE_CHECKING:
    import argparse

# Remembers the port of the last demo run, so the next run asks for the same URLs and finds
# them known (an incremental run), when that port is still free.
_PORT_FILE = ".demo-port"


class Command(CrawlCommand):
    """Serve the mock news site on loopback and crawl it into ``demo-output/``."""

    # Set at the project's priority, over crawler/settings.py (Scrapy's ``default_settings``
    # would lose to it) and under -s, which still wins.
    demo_settings: ClassVar[dict[str, Any]] = {
        "NEWS_OUTPUT_DIR": "demo-output",  # not output/: a demo never mixes with a real corpus
        "DOWNLOAD_DELAY": 0,  # our own loopback server: no politeness delay needed
        "AUTOTHROTTLE_ENABLED": False,  # nor any adaptive delay: the demo takes seconds
        "LOG_LEVEL": "WARNING",  # the two lines printed at the end say what happened
    }

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Crawl the bundled mock news site (offline) into demo-output/"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        self.settings.setdict(self.demo_settings, priority="project")
        super().process_options(args, opts)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("scrapy demo takes no spider name (it always runs `news`)")
        assert self.settings is not None
        out = Path(self.settings.get("NEWS_OUTPUT_DIR")).resolve()
        with tempfile.TemporaryDirectory(prefix="newscrawler-demo-") as tmp:
            server = _server(Path(tmp), out / _PORT_FILE)
            try:
                base = server.start().base
                render_site(DEMO_SITE, Path(tmp), base)
                stats = self.run_spider("news", {**opts.spargs, "sites": base})
            finally:
                server.close()
        if self.exitcode != EXIT_OK:
            return
        with contextlib.suppress(OSError):  # the next run then simply gets a new port
            (out / _PORT_FILE).write_text(f"{server.server_address[1]}\n", encoding="utf-8")
        files = [p for p in out.iterdir() if parse_file_name(p.name)]
        manifest = self.settings.get("NEWS_MANIFEST_NAME")
        print(summary_line(summarise(stats), str(stats.get("finish_reason") or "")))
        print(f"{len(files)} articles and {manifest} in {out}")


def _server(root: Path, port_file: Path) -> SiteServer:
    """A loopback server for ``root``: on the last run's port if it is free, else a free one."""
    try:
        port = int(port_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        port = 0
    if 1024 <= port <= 65535:
        with contextlib.suppress(OSError):  # taken by now: any free port will do
            return SiteServer(root, port=port)
    return SiteServer(root)
