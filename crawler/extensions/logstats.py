"""Scrapy's periodic progress line, with the archives' progress when a run reads archives.

A month of CC-NEWS is hours of reading: the line says how far it is (files done of the
files known, records per second, bytes read), where ``pages/min`` says nothing because
an archive is a single response.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.extensions.logstats import LogStats

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from scrapy import Spider

logger = logging.getLogger(__name__)


def archive_progress(stats: Mapping[str, Any]) -> dict[str, int]:
    """Files done, files known, records and bytes read so far (all 0 without archives)."""
    done = sum(
        int(stats.get(key) or 0)
        for key in (
            "news/warc/files_read",
            "news/warc/files_unchanged",
            "news/errors/warc/unreadable",
        )
    )
    return {
        "done": done,
        "files": int(stats.get("news/warc/files") or 0),
        "records": int(stats.get("news/warc/records") or 0),
        "bytes": int(stats.get("news/warc/bytes") or 0),
    }


class ArchiveLogStats(LogStats):
    """``LogStats`` whose line also carries archive progress (replaces Scrapy's in EXTENSIONS)."""

    def log(self, spider: Spider) -> None:
        progress = archive_progress(self.stats.get_stats())
        if not progress["files"]:
            super().log(spider)
            return
        self.calculate_stats()
        previous = getattr(self, "_records_before", 0)
        self._records_before = progress["records"]
        logger.info(
            "Read %(done)d of %(files)d archives, %(records)d records (at %(rate).0f records/s),"
            " %(megabytes).1f MB; scraped %(items)d items (at %(itemrate)d items/min)",
            {
                **progress,
                "rate": (progress["records"] - previous) / self.interval,
                "megabytes": progress["bytes"] / 1e6,
                "items": self.items,
                "itemrate": self.irate,
            },
            extra={"spider": spider},
        )
