"""The last pipeline: hand each selected article to the article store, which decides and writes.

One step per article (``crawler.store.articles.ArticleStore.add``): a repeated URL, a
repeated or similar text, or a claim lost to another worker is counted and dropped; anything
else becomes ``NNN_<id>.txt`` plus its manifest line. When the disk refuses the write, the store
logs it once and stops the crawl; the article is dropped quietly (issue 17).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.failures import decided
from crawler.store.articles import article_store
from crawler.store.faults import StorageError

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.store.articles import ArticleStore

MANIFEST_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "source",
    "domain",
    "title",
    "authors",
    "published",
    "language",
    "language_probability",
    "fetched_at",
    "words",
    "text_sha1",
    "source_name",
)
"""The manifest line's keys after ``file``, in order (README "Output")."""


class StorePipeline:
    """Write new articles through the article store; count and drop the ones it has."""

    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, article_store(crawler))

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = str(adapter["url"])
        # Computed by the extraction worker (an ArticleItem from ExtractionPipeline); never
        # exported: an unset field is not in the item's keys.
        fingerprint = getattr(item, "fingerprint", None)
        if fingerprint is not None:
            del item.fingerprint
        candidate = self.store.candidate(
            url,
            str(adapter["canonical_url"]),
            str(adapter["title"]),
            adapter["paragraphs"],
            fingerprint,
        )
        adapter["text_sha1"] = candidate.sha1  # the store's key, exported with the item
        fields = {key: adapter.get(key) for key in MANIFEST_FIELDS}
        source = adapter.get("source_name")
        try:
            outcome = await self.store.add_async(candidate, str(adapter["id"]), fields, source)
        except StorageError:
            # The store said so once and is stopping the crawl; no traceback per article.
            raise DropItem(
                f"not written (the disk refused a write): {url}", log_level="DEBUG"
            ) from None
        if isinstance(outcome, str):
            adapter["file"] = outcome
            decided(self.crawler, "written", url, source=source, file=outcome)
            return item
        decided(
            self.crawler,
            f"skipped/{outcome.kind}",
            url,
            outcome.describe(),
            source=source,
            reason=outcome.basis,
            file=outcome.file or None,
            similarity=outcome.similarity,
        )
        raise DropItem(f"{outcome.describe()}: {url}", log_level="INFO")
