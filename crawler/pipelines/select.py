"""Which extracted articles a run keeps: age cut-off, a source's language, per-source and total caps.

Runs just before the store pipeline. Its caps (issue 3: ``limit`` and a source's
``max_articles``) count the articles the store has written, not the ones let through, so a
duplicate the store drops does not use up the limit. This pipeline is synchronous and the store
claims and counts an article before its first suspension (its file is then written on a thread),
so no other article runs between this check and the count: the limit is exact.
The cut-off and the sources come from the spider's plan, parsed once per crawl
(``crawler.discovery.plan``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.discovery.dates import is_older
from crawler.store.articles import article_store

if TYPE_CHECKING:
    from datetime import datetime
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.discovery.plan import CrawlPlan
    from crawler.discovery.sources import Source
    from crawler.store.articles import ArticleStore


class SelectionPipeline:
    """Drop articles older than the cut-off, in another language than their source, or over a cap."""

    def __init__(
        self,
        crawler: Crawler,
        store: ArticleStore,
        max_articles: int,
        plan: CrawlPlan | None,
    ) -> None:
        self.crawler = crawler
        self.store = store
        self.max_articles = max_articles
        self.cutoff: datetime | None = plan.cutoff if plan is not None else None
        self.sources: dict[str | None, Source] = (
            {s.name: s for s in plan.sources} if plan is not None else {}
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        # The news spider's plan; another spider (or none, in tests) selects by the limit only.
        plan: CrawlPlan | None = getattr(crawler.spider, "plan", None)
        return cls(
            crawler, article_store(crawler), crawler.settings.getint("NEWS_MAX_ARTICLES"), plan
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
            self.store.mark_not_article(str(adapter["canonical_url"]))
            raise self._drop(
                "news/skipped/language",
                f"language {adapter.get('language')}, not {source.language} of {name}: {url}",
            )
        written = self.store.written
        if self.max_articles and written.total() >= self.max_articles:
            raise self._drop("news/skipped/limit", f"limit of {self.max_articles} reached: {url}")
        if source is not None and source.max_articles and written[name] >= source.max_articles:
            raise self._drop(
                "news/skipped/limit", f"max_articles of {name} ({source.max_articles}): {url}"
            )
        return item
