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
from crawler.failures import decided
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

    def _drop(self, kind: str, adapter: ItemAdapter, detail: str, reason: str = "") -> DropItem:
        """Count and record the decision (``crawler.failures.decided``); the drop logs it."""
        url, source = str(adapter.get("url")), adapter.get("source_name")
        decided(self.crawler, kind, url, detail, source=source, reason=reason)
        return DropItem(f"{detail}: {url}", log_level="INFO")

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if is_older(adapter.get("published"), self.cutoff):
            raise self._drop("skipped/too_old", adapter, f"published {adapter['published']}")
        name = adapter.get("source_name")
        source = self.sources.get(name)
        language = adapter.get("language")
        if source is not None and source.language and language != source.language:
            # Its language will not change: remembered like a non-article, never fetched again.
            self.store.mark_not_article(str(adapter["canonical_url"]))
            detail = f"language {language}, not {source.language} of {name}"
            raise self._drop("skipped/language", adapter, detail, str(language or ""))
        written = self.store.written
        if self.max_articles and written.total() >= self.max_articles:
            detail = f"limit of {self.max_articles} reached"
            raise self._drop("skipped/limit", adapter, detail, "limit")
        if source is not None and source.max_articles and written[name] >= source.max_articles:
            detail = f"max_articles of {name} ({source.max_articles})"
            raise self._drop("skipped/limit", adapter, detail, "max_articles")
        return item
