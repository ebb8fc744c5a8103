"""Item pipelines: thin glue between Scrapy and the pure extraction, state and output modules."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler.extraction import ExtractedArticle, Extraction, ExtractionOptions, extract_page
from crawler.failures import count, report
from crawler.items import ArticleItem
from crawler.resources import crawl_resources
from crawler.seedformat import file_name, render, text_sha1
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

    The extraction runs in one worker thread, not in the reactor: a hostile page may take
    seconds of CPU, and while the reactor waits every download in flight would wait (and time
    out). One thread bounds the memory to one parsed page at a time.
    """

    def __init__(self, crawler: Crawler, options: ExtractionOptions) -> None:
        self.crawler = crawler
        self.options = options
        self._pool: ThreadPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        return cls(
            crawler,
            ExtractionOptions(
                min_words=s.getint("NEWS_MIN_WORDS"),
                include_tables=s.getbool("NEWS_INCLUDE_TABLES"),
                language_sample_chars=s.getint("NEWS_LANGUAGE_SAMPLE_CHARS"),
                max_elements=s.getint("NEWS_MAX_ELEMENTS"),
                fallback_max_elements=s.getint("NEWS_FALLBACK_MAX_ELEMENTS"),
                max_text_chars=s.getint("NEWS_MAX_TEXT_CHARS"),
            ),
        )

    def open_spider(self) -> None:
        self._pool = ThreadPool(minthreads=1, maxthreads=1, name="news-extraction")
        self._pool.start()

    def close_spider(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool = None

    async def _extract(self, page: ItemAdapter, url: str) -> Extraction:
        args = (page["body"], url, self.options, page.get("content_type"))
        if self._pool is None:  # used outside a crawl (tests): run inline
            return extract_page(*args)
        from twisted.internet import reactor  # noqa: PLC0415  (installed by Scrapy by now)

        return await maybe_deferred_to_future(
            deferToThreadPool(reactor, self._pool, extract_page, *args)
        )

    async def process_item(self, item: Any) -> Any:
        page = ItemAdapter(item)
        if "body" not in page:
            return item  # already an article (e.g. from another pipeline stage)
        url = str(page["url"])
        stats = _stats(self.crawler)
        try:
            result = await self._extract(page, url)
        except Exception as exc:  # a page must never stop the crawl
            count(stats, "errors/extract/exception")
            logger.exception("error extract/exception: %s", strip_credentials(url))
            raise DropItem(
                f"extraction error on {strip_credentials(url)}: {exc!r}", log_level="DEBUG"
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
            raise DropItem(f"duplicate text of {same}: {adapter['url']}", log_level="INFO")
        if resources.near.enabled:
            signature = resources.near.signature(str(adapter["text"]).split("\n\n"))
            if similar := resources.state.near_duplicate_of(signature):
                stats.inc_value("news/skipped/near_duplicate")
                raise DropItem(f"near-duplicate of {similar}: {adapter['url']}", log_level="INFO")
        return item


class SeedWriterPipeline:
    """Write each article as ``NNN_<id>.txt`` plus a manifest line, then record it in the state."""

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
        paragraphs = str(adapter["text"]).split("\n\n")
        name = file_name(resources.next_number(), str(adapter["id"]))
        adapter["file"] = name
        record = {
            key: adapter.get(key)
            for key in (
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
        }
        resources.output.write_article(name, render(str(adapter["title"]), paragraphs), record)
        keys = sorted({str(adapter["canonical_url"]), canonical_url(str(adapter["url"]))})
        signature = resources.near.signature(paragraphs) if resources.near.enabled else None
        resources.state.record_article(keys, str(adapter["text_sha1"]), signature, name)
        _stats(self.crawler).inc_value("news/written")
        return item
