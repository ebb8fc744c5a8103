"""``scrapy report OUTPUT_DIR [--ledger ledger.csv]``: the corpus report page, and the ledger.

Thin: the page is ``crawler.report`` (pure); this reads the folder's settings (manifest name,
state path) and says where the page went. It takes no lock: the report reads a running
crawl's folder as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.report.build import write_report
from crawler.report.queries import export_csv

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCommand):
    """Write OUTPUT_DIR/report.html; with --ledger, also export every URL's fate as CSV."""

    requires_project = True
    default_settings = {"LOG_ENABLED": False}  # noqa: RUF012 - Scrapy's own class attribute

    def syntax(self) -> str:
        return "OUTPUT_DIR [--ledger FILE.csv]"

    def short_desc(self) -> str:
        return "Write OUTPUT_DIR/report.html (and the ledger as CSV with --ledger)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--ledger", metavar="FILE", help="also write the ledger (one row per URL and run)"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give the output folder: scrapy report OUTPUT_DIR")
        assert self.settings is not None
        folder = Path(args[0])
        if not folder.is_dir():
            raise UsageError(f"{folder} is not a folder")
        state = self.settings.get("NEWS_STATE_PATH") or None
        state_path = Path(state) if state else None
        page = write_report(
            folder, manifest_name=self.settings.get("NEWS_MANIFEST_NAME"), state=state_path
        )
        print(f"report: {page}")
        if opts.ledger:
            rows = export_csv(folder, Path(opts.ledger), state=state_path)
            print(f"ledger: {rows} rows in {opts.ledger}")
