"""Item pipelines: thin glue between Scrapy and the pure extraction, state and output modules."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from crawler.extraction.article import ExtractedArticle, ExtractionOptions
from crawler.failures import report
from crawler.items import ArticleItem
from crawler.pipelines.workers import ExtractionFailed, ExtractionRunner, make_runner, worker_count
from crawler.store.resources import CrawlResources, crawl_resources
from crawler.store.seedformat import file_name, render, text_sha1
from crawler.urls import canonical_url, strip_credentials, url_id

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
        source=article.source,
        domain=article.domain,
        authors=list(article.authors),
        published=published,
        language=article.language,
        language_probability=article.language_probability,
        fetched_at=page.get("fetched_at") or "",
        words=article.words,
        text_sha1=text_sha1(article.paragraphs),
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

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        options = ExtractionOptions(
            min_words=s.getint("NEWS_MIN_WORDS"),
            include_tables=s.getbool("NEWS_INCLUDE_TABLES"),
            language_sample_chars=s.getint("NEWS_LANGUAGE_SAMPLE_CHARS"),
            max_elements=s.getint("NEWS_MAX_ELEMENTS"),
            fallback_max_elements=s.getint("NEWS_FALLBACK_MAX_ELEMENTS"),
            max_text_chars=s.getint("NEWS_MAX_TEXT_CHARS"),
        )
        return cls(
            crawler,
            options,
            worker_count(s.get("NEWS_EXTRACT_WORKERS")),
            s.getfloat("NEWS_EXTRACT_TIMEOUT"),
            s.get("NEWS_EXTRACT_FUNCTION") or "",
        )

    def open_spider(self) -> None:
        self.runner = make_runner(self.options, self.workers, self.timeout, self.function)

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
        stats = _stats(self.crawler)
        try:
            result = await self.runner.extract(page["body"], url, page.get("content_type"))
        except ExtractionFailed as exc:  # a page must never stop the crawl
            report(stats, "errors/extract/exception", url, str(exc))
            raise DropItem(
                f"extraction error on {strip_credentials(url)}", log_level="DEBUG"
            ) from exc
        if result.problem:
            report(stats, f"errors/{result.problem}", url, result.detail)
            raise DropItem(f"{result.problem}: {strip_credentials(url)}", log_level="DEBUG")
        article = result.article
        if article is None:
            stats.inc_value("news/skipped/not_article")
            crawl_resources(self.crawler).state.mark_not_article(canonical_url(url))
            raise DropItem(f"not an article: {strip_credentials(url)}", log_level="INFO")
        stats.inc_value("news/extracted")
        return article_item(article, page)


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
            raise NotConfigured("NEWS_LANGUAGES is empty: every language is kept")
        return cls(crawler, languages)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter.get("language") not in self.languages:
            _stats(self.crawler).inc_value("news/skipped/language")
            crawl_resources(self.crawler).state.mark_not_article(str(adapter["canonical_url"]))
            raise DropItem(
                f"language {adapter.get('language')} not kept: {adapter['url']}", log_level="INFO"
            )
        return item


class DedupPipeline:
    """Drop articles already written to this output folder: same URL, same or similar text."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        resources = crawl_resources(self.crawler)
        stats = _stats(self.crawler)
        for key in {str(adapter["canonical_url"]), canonical_url(str(adapter["url"]))}:
            if resources.state.url_status(key) == "written":
                stats.inc_value("news/skipped/duplicate")
                raise DropItem(f"duplicate URL: {adapter['url']}", log_level="INFO")
        if same := resources.state.file_for_text(str(adapter["text_sha1"])):
            stats.inc_value("news/skipped/duplicate")
            _remember_copy(resources, adapter, same)
            raise DropItem(f"duplicate text of {same}: {adapter['url']}", log_level="INFO")
        signature = resources.signature(
            str(adapter["text_sha1"]), str(adapter["text"]).split("\n\n")
        )
        if signature is not None and (similar := resources.state.near_duplicate_of(signature)):
            stats.inc_value("news/skipped/near_duplicate")
            _remember_copy(resources, adapter, similar)
            raise DropItem(f"near-duplicate of {similar}: {adapter['url']}", log_level="INFO")
        return item


def _remember_copy(resources: CrawlResources, adapter: ItemAdapter, file: str) -> None:
    """Record a copy's URLs so the next run does not fetch it again (issue 3)."""
    for key in {str(adapter["canonical_url"]), canonical_url(str(adapter["url"]))}:
        resources.state.mark_duplicate(key, file)


class SeedWriterPipeline:
    """Write each article as ``NNN_<id>.txt`` plus a manifest line, then record it in the state.

    The state first *claims* the article (its URLs, text hash and near-duplicate signature),
    which is what keeps two distributed workers from both writing it; the claim is released
    when the write fails.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        crawl_resources(self.crawler)  # take the folder lock and repair before fetching

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        resources = crawl_resources(self.crawler)
        state = resources.state
        paragraphs = str(adapter["text"]).split("\n\n")
        text = render(str(adapter["title"]), paragraphs)
        keys = sorted({str(adapter["canonical_url"]), canonical_url(str(adapter["url"]))})
        sha1 = str(adapter["text_sha1"])
        signature = resources.signature(sha1, paragraphs)
        name = file_name(resources.next_number(), str(adapter["id"]))
        if conflict := state.claim(keys, sha1, signature, name):
            _stats(self.crawler).inc_value(f"news/skipped/{conflict.kind}")
            raise DropItem(
                f"{conflict.kind.replace('_', '-')} of {conflict.file}: {adapter['url']}",
                log_level="INFO",
            )
        adapter["file"] = name
        record = {key: adapter.get(key) for key in MANIFEST_FIELDS}
        try:
            resources.output.write_article(name, text, record)
        except BaseException:
            state.release(name)
            raise
        state.record_article(keys, sha1, signature, name)
        resources.forget_signature(sha1)
        _stats(self.crawler).inc_value("news/written")
        return item


MANIFEST_FIELDS = (
    "file",
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
"""The manifest line's keys, in order (README "Output")."""
