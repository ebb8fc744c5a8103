"""The one-line summary at the end of a crawl, from its stats (issue 3)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler.extensions.logstats import archive_progress

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Summary field -> the stats it adds up.
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "discovered": ("news/discovered",),
    "fetched": ("news/fetched",),
    "written": ("news/written",),
    "known": ("news/skipped/known",),
    "duplicates": ("news/skipped/duplicate", "news/skipped/near_duplicate"),
    "not_articles": ("news/skipped/not_article",),
    "other_languages": ("news/skipped/language",),
    "too_old": ("news/skipped/too_old",),
}
# Top-level error counters only (``news/errors/fetch``, not ``news/errors/fetch/http_404``).
_ERROR_RE = re.compile(r"^news/errors/[^/]+$")


def summarise(stats: Mapping[str, Any]) -> dict[str, int]:
    """The summary counts of a crawl's stats."""
    counts = {
        name: sum(int(stats.get(key) or 0) for key in keys) for name, keys in SUMMARY_FIELDS.items()
    }
    counts["errors"] = sum(int(v or 0) for k, v in stats.items() if _ERROR_RE.match(k))
    return counts


def summary_line(
    counts: Mapping[str, int], reason: str, stats: Mapping[str, Any] | None = None
) -> str:
    fields = " ".join(f"{name}={value}" for name, value in counts.items())
    progress = archive_progress(stats or {})
    if progress["files"]:
        fields += (
            f" archives={progress['done']}/{progress['files']} records={progress['records']}"
            f" archive_bytes={progress['bytes']}"
        )
        if seconds := float((stats or {}).get("elapsed_time_seconds") or 0):
            fields += f" records_per_s={progress['records'] / seconds:.0f}"
    return f"summary: {fields} (finish reason: {reason})"


class CrawlSummary:
    """Log the summary line when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        logger.info(summary_line(summarise(stats), reason, stats))
