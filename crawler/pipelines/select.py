"""Which extracted articles a run keeps: age cut-off, a source's language, per-source and total caps.

Runs after de-duplication and before the writer, so every article it lets through is
written: its counts are the written counts (issue 3: ``since``, ``max_age_days``, ``limit``
and a source's ``language`` and ``max_articles``).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.discovery.dates import cutoff, is_older
from crawler.discovery.sources import Source, load_sources
from crawler.store.resources import crawl_resources

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class SelectionPipeline:
    """Drop articles older than the cut-off, in another language than their source, or over a cap."""

    def __init__(
        self,
        crawler: Crawler,
        limit: datetime | None,
        max_articles: int,
        sources: tuple[Source, ...],
    ) -> None:
        self.crawler = crawler
        self.cutoff = limit
        self.max_articles = max_articles
        self.sources = {s.name: s for s in sources}
        self.kept: Counter[str | None] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        sources_file = s.get("NEWS_SOURCES") or ""
        return cls(
            crawler,
            cutoff(s.get("NEWS_SINCE") or None, s.getint("NEWS_MAX_AGE_DAYS"), datetime.now(UTC)),
            s.getint("NEWS_MAX_ARTICLES"),
            load_sources(sources_file) if sources_file else (),
        )

    def _drop(self, key: str, reason: str) -> DropItem:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
        return DropItem(reason, log_level="INFO")

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        if is_older(adapter.get("published"), self.cutoff):
            raise self._drop("news/skipped/too_old", f"published {adapter['published']}: {url}")
        name = adapter.get("source_name")
        source = self.sources.get(name)
        if source is not None and source.language and adapter.get("language") != source.language:
            # Its language will not change: remembered like a non-article, never fetched again.
            crawl_resources(self.crawler).state.mark_not_article(str(adapter["canonical_url"]))
            raise self._drop(
                "news/skipped/language",
                f"language {adapter.get('language')}, not {source.language} of {name}: {url}",
            )
        if self.max_articles and self.kept.total() >= self.max_articles:
            raise self._drop("news/skipped/limit", f"limit of {self.max_articles} reached: {url}")
        if source is not None and source.max_articles and self.kept[name] >= source.max_articles:
            raise self._drop(
                "news/skipped/limit", f"max_articles of {name} ({source.max_articles}): {url}"
            )
        self.kept[name] += 1
        return item
