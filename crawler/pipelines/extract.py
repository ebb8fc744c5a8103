"""Extraction pipelines: fetched pages become articles; languages not kept are dropped."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from crawler.extraction.article import ExtractedArticle, ExtractionOptions
from crawler.failures import decided, report
from crawler.items import ArticleItem
from crawler.pipelines.continued import join_pages
from crawler.pipelines.workers import ExtractionFailed, ExtractionRunner, make_runner, worker_count
from crawler.store.articles import article_store
from crawler.urls import strip_credentials, url_id

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def _stats(crawler: Crawler) -> StatsCollector:
    assert crawler.stats is not None
    return crawler.stats


def article_item(article: ExtractedArticle, page: ItemAdapter) -> ArticleItem:
    """The exported item for an extracted article and the page it came from."""
    published = article.published or page.get("published_hint")
    return ArticleItem(
        url=strip_credentials(article.url),
        canonical_url=article.canonical_url,
        id=url_id(article.canonical_url),
        title=article.title,
        text=article.text,
        paragraphs=list(article.paragraphs),
        source=article.source,
        domain=article.domain,
        authors=list(article.authors),
        published=published,
        language=article.language,
        language_probability=article.language_probability,
        fetched_at=page.get("fetched_at") or "",
        words=article.words,
        source_name=page.get("source_name"),
    )


class ExtractionPipeline:
    """Turn fetched pages into articles; pages with no article are counted and dropped.

    The work runs in NEWS_EXTRACT_WORKERS processes (0: in the crawl process), so fetching
    goes on while pages are parsed.
    """

    def __init__(
        self,
        crawler: Crawler,
        options: ExtractionOptions,
        workers: int,
        timeout: float,
        function: str,
    ) -> None:
        self.crawler = crawler
        self.options = options
        self.workers = workers
        self.timeout = timeout
        self.function = function
        self.runner: ExtractionRunner | None = None
        self.permutations = 0
        """Near-duplicate signature size the workers compute (0: the index is off)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        options = ExtractionOptions.from_settings(s)  # every NEWS_ extraction setting
        return cls(
            crawler,
            options,
            worker_count(s.get("NEWS_EXTRACT_WORKERS")),
            s.getfloat("NEWS_EXTRACT_TIMEOUT"),
            s.get("NEWS_EXTRACT_FUNCTION") or "",
        )

    def open_spider(self) -> None:
        near = article_store(self.crawler).near  # the signature the store's index needs
        self.permutations = near.permutations if near.enabled else 0
        self.runner = make_runner(
            self.options,
            self.workers,
            self.timeout,
            self.function,
            self.permutations,
            stats=_stats(self.crawler),
        )

    def close_spider(self) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None

    async def process_item(self, item: Any) -> Any:
        page = ItemAdapter(item)
        if "body" not in page:
            return item  # already an article
        if self.runner is None:
            self.open_spider()
        assert self.runner is not None
        url = str(page["url"])
        if article_store(self.crawler).failed is not None:  # the disk refused a write
            raise DropItem(f"not extracted, the crawl is stopping: {url}", log_level="DEBUG")
        stats = _stats(self.crawler)
        source = page.get("source_name")
        try:
            extracted = await self.runner.prepare(page["body"], url, page.get("content_type"))
        except ExtractionFailed as exc:  # a page must never stop the crawl
            report(self.crawler, "errors/extract/exception", url, str(exc), source=source)
            raise DropItem(
                f"extraction error on {strip_credentials(url)}", log_level="DEBUG"
            ) from exc
        if page.get("continuation") and extracted.extraction.article is not None:
            extracted, missing = await join_pages(
                self.runner,
                extracted,
                page["continuation"],
                self.options,
                permutations=self.permutations,
            )
            stats.inc_value("news/continuation/joined")
            if missing:
                stats.inc_value("news/continuation/no_text", missing)
                logger.info("%d later page(s) of %s gave no text", missing, strip_credentials(url))
        result = extracted.extraction
        if result.problem:
            report(self.crawler, f"errors/{result.problem}", url, result.detail, source=source)
            raise DropItem(f"{result.problem}: {strip_credentials(url)}", log_level="DEBUG")
        article = result.article
        if article is None:
            kind = result.page_type
            # One line names the URL and why: "skipped not_article: <url> (listing: …)".
            report(
                self.crawler,
                "skipped/not_article",
                url,
                f"{kind.kind}: {kind.reason}" if kind else "",
                source=source,
                reason=kind.kind if kind else "",
            )
            if kind is not None:
                stats.inc_value(f"news/page_type/{kind.kind}")
            article_store(self.crawler).mark_not_article(url)
            raise DropItem(f"not an article: {strip_credentials(url)}", log_level="DEBUG")
        stats.inc_value("news/extracted")
        item = article_item(article, page)
        if extracted.fingerprint is not None:
            item.fingerprint = extracted.fingerprint
            item.text_sha1 = extracted.fingerprint.sha1
        return item


class LanguageFilterPipeline:
    """Keep only the languages in NEWS_LANGUAGES (off when the list is empty)."""

    def __init__(self, crawler: Crawler, languages: set[str]) -> None:
        self.crawler = crawler
        self.languages = languages

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        languages = {x.strip().lower() for x in crawler.settings.getlist("NEWS_LANGUAGES")}
        languages.discard("")
        if not languages:
            # Keeping every language is the default, not a problem: no message, so Scrapy
            # disables the pipeline without a warning.
            raise NotConfigured
        return cls(crawler, languages)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        language = adapter.get("language")
        if language not in self.languages:
            detail = f"language {language} not kept"
            decided(
                self.crawler,
                "skipped/language",
                str(adapter["url"]),
                detail,
                source=adapter.get("source_name"),
                reason=str(language or ""),
            )
            article_store(self.crawler).mark_not_article(str(adapter["canonical_url"]))
            raise DropItem(f"{detail}: {adapter['url']}", log_level="INFO")
        return item
