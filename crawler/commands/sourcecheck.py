"""The spider behind ``scrapy sources FILE``: each discovery URL of each source read once.

It runs in Scrapy's machinery with the project's settings, so the check obeys robots.txt,
``Crawl-delay``, AutoThrottle and the request-safety rules exactly as a crawl would; it writes
nothing (no pipelines, no article store, no state). The parsers are the crawl's own
(``crawler.discovery``), and what they found is recorded in ``crawler.discovery.check``.
In three rounds, each started when the previous one is done (``spider_idle``): the
documents (a sitemap index's two newest children too); for a site that gave no article, its
home page's sections; then up to two articles per source, extracted as the crawl would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response, XmlResponse

from crawler import meta as keys
from crawler.discovery.check import DocumentCheck, SampleCheck, SourceCheck
from crawler.discovery.feeds import document_kind, feed_links
from crawler.discovery.navigation import SiteNavigation, site_navigation
from crawler.discovery.sections import section_links
from crawler.discovery.sitemaps import fallback_sitemaps, robots_sitemaps, robots_url
from crawler.discovery.xmldocuments import read_xml_document
from crawler.extraction.content import page_problem
from crawler.extraction.options import ExtractionOptions
from crawler.failures import failure_kind
from crawler.pipelines.workers import resolve_function

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

    from crawler.extraction.article import Extraction

CHILD_SITEMAPS = 2
"""Children of a sitemap index read (the newest by ``<lastmod>``)."""
NAVIGATION_SECTIONS = 3
"""Sections of a site's home page read when its sitemaps and feeds gave nothing."""
# Components a check must not run: it writes nothing and knows no earlier run.
_OFF = {
    "ITEM_PIPELINES": (),
    "DOWNLOADER_MIDDLEWARES": (
        "crawler.downloadermiddlewares.incremental.KnownUrlMiddleware",
        "crawler.downloadermiddlewares.incremental.DocumentCacheMiddleware",
        "crawler.downloadermiddlewares.warcarchive.WarcArchiveMiddleware",
    ),
    "EXTENSIONS": (
        "crawler.store.articles.ArticleStore",
        "crawler.extensions.summary.CrawlSummary",
        "crawler.extensions.ledger.LedgerRecorder",  # a check decides nothing about a URL
    ),
}


@dataclass(slots=True)
class _Site:
    """A site root of a source: the article links its documents gave, its navigation."""

    found: int = 0
    navigation: SiteNavigation | None = None


class SourceCheckSpider(scrapy.Spider):
    """Read each source's feeds, sitemaps, sections and sites; fetch two sample articles."""

    name = "sourcecheck"

    def __init__(self, checks: list[SourceCheck], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.checks = checks
        self.user_start_urls = [
            url
            for check in checks
            for field in ("urls", "sitemaps", "feeds", "sections", "sites")
            for url in getattr(check.source, field)
        ]
        self.sites: list[tuple[SourceCheck, _Site]] = []
        self.round = 0
        self.options = ExtractionOptions()
        self.extract: Callable[..., Extraction] = resolve_function("")
        self.max_size = 0

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        for name, components in _OFF.items():
            value = settings.getdict(name)
            value.update(dict.fromkeys(components))
            settings.set(name, {} if name == "ITEM_PIPELINES" else value, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        settings = crawler.settings
        spider.options = ExtractionOptions.from_settings(settings)
        spider.extract = resolve_function(settings.get("NEWS_EXTRACT_FUNCTION") or "")
        spider.max_size = settings.getint("NEWS_SITEMAP_MAXSIZE")
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for check in self.checks:
            source = check.source
            for url in source.urls:
                check.found(url)
            for kind, urls in (
                ("feed", source.feeds),
                ("sitemap", source.sitemaps),
                ("section", source.sections),
            ):
                for url in urls:
                    yield self.document(check, check.add(kind, url))
            for url in source.sites:
                site = _Site()
                self.sites.append((check, site))
                yield self.document(check, check.add("robots", robots_url(url)), site)
                yield self.document(check, check.add("home", url), site)

    def document(
        self,
        check: SourceCheck,
        row: DocumentCheck | None,
        site: _Site | None = None,
        url: str = "",
    ) -> Request:
        """The request for a discovery document; ``row`` None: a guessed sitemap location
        (``url``), shown only if it is there."""
        return Request(
            row.url if row is not None else url,
            callback=self.parse_document,
            errback=self.document_failed,
            meta={
                "check": check,
                "row": row,
                "site": site,
                "download_maxsize": self.max_size,
                "handle_httpstatus_all": True,
            },
            dont_filter=True,
        )

    # --- documents ---------------------------------------------------------------------------

    def parse_document(self, response: Response, **kwargs: Any) -> Iterator[Request]:
        check: SourceCheck = response.meta["check"]
        site: _Site | None = response.meta["site"]
        row: DocumentCheck | None = response.meta["row"]
        if row is None:  # a guessed sitemap location: shown when it is there
            if response.status != 200:
                return
            row = check.add("sitemap", response.url)
        row.status = str(response.status)
        row.reachable = 200 <= response.status < 300
        if not row.reachable:
            row.parsed_as = "no robots.txt" if row.kind == "robots" else "not read"
            if row.kind == "robots":
                yield from (self.document(check, None, site, u) for u in fallback_sitemaps(row.url))
            return
        yield from self._read(response, check, row, site)
        if site is not None:
            site.found += row.articles

    def _read(
        self, response: Response, check: SourceCheck, row: DocumentCheck, site: _Site | None
    ) -> Iterator[Request]:
        content_type = _content_type(response)
        if row.kind == "robots":
            found = robots_sitemaps(response.body, response.url)
            row.parsed_as = f"robots.txt, {len(found)} sitemap(s)"
            for url in found:
                yield self.document(check, check.add("sitemap", url), site)
            if not found:
                yield from (self.document(check, None, site, u) for u in fallback_sitemaps(row.url))
        elif row.kind == "home":
            feeds = feed_links(response.body, response.url, content_type)
            navigation = site_navigation(
                response.body, response.url, content_type, limit=NAVIGATION_SECTIONS
            )
            if site is not None:
                site.navigation = navigation
            row.parsed_as = (
                f"home page, {len(feeds)} feed(s), {len(navigation.sections)} section(s)"
            )
            for url in feeds:
                yield self.document(check, check.add("feed", url), site)
        elif row.kind in {"section", "navigation"}:
            links = section_links(response.body, response.url, content_type)
            row.articles = len(links.articles)
            row.parsed_as = "section page" + (", next page linked" if links.next_page else "")
            for url in links.articles:
                check.found(url)
        else:
            yield from self._read_xml(response, check, row, site)

    def _read_xml(
        self, response: Response, check: SourceCheck, row: DocumentCheck, site: _Site | None
    ) -> Iterator[Request]:
        document = read_xml_document(
            response.body,
            response.url,
            is_xml=isinstance(response, XmlResponse),
            max_size=self.max_size,
        )
        sitemap = document.sitemap
        if document.entities:
            row.parsed_as = "declares XML entities: not read"
        elif sitemap is not None and sitemap.kind == "sitemapindex":
            row.parsed_as = f"sitemap index, {len(sitemap.entries)} sitemap(s)"
            for child in sitemap.entries:
                row.saw_date(child.lastmod)
            newest = sorted(sitemap.entries, key=lambda e: e.lastmod or "", reverse=True)
            for child in newest[:CHILD_SITEMAPS]:
                yield self.document(check, check.add("sitemap", child.loc), site)
        elif sitemap is not None:
            news = any(e.published for e in sitemap.entries)
            row.parsed_as = "Google News sitemap" if news else "sitemap"
            row.articles = len(sitemap.entries)
            for entry in sitemap.entries:
                row.saw_date(entry.age_date)
                check.found(entry.loc, entry.age_date)
        elif (entries := document.feed) is not None:
            row.parsed_as = f"{(document_kind(document.body) or '').upper()} feed".strip()
            row.articles = len(entries)
            for item in entries:
                row.saw_date(item.age_date)
                check.found(item.url, item.age_date)
        else:
            row.parsed_as = "neither a sitemap nor a feed"

    def document_failed(self, failure: Failure) -> Iterator[Request]:
        request = getattr(failure, "request", None)
        if not isinstance(request, Request) or request.meta.get("row") is None:
            return  # a guessed sitemap location that is not there
        row: DocumentCheck = request.meta["row"]
        row.status, row.parsed_as = _failure(failure, request)
        if row.kind == "robots":
            check, site = request.meta["check"], request.meta["site"]
            yield from (self.document(check, None, site, u) for u in fallback_sitemaps(row.url))

    # --- rounds -------------------------------------------------------------------------------

    def idle(self) -> None:
        """The next round once one is done: navigation of empty sites, then the samples."""
        engine = self.crawler.engine
        assert engine is not None
        while self.round < 2:
            self.round += 1
            requests = list(self._navigation() if self.round == 1 else self._samples())
            for request in requests:
                engine.crawl(request)
            if requests:
                raise DontCloseSpider

    def _navigation(self) -> Iterator[Request]:
        for check, site in self.sites:
            if site.found or site.navigation is None:
                continue
            for url in site.navigation.articles:
                check.found(url)
            for url in site.navigation.sections:
                yield self.document(check, check.add("navigation", url))

    def _samples(self) -> Iterator[Request]:
        for check in self.checks:
            for url in check.sample_urls():
                sample = SampleCheck(url)
                check.samples.append(sample)
                yield Request(
                    url,
                    callback=self.parse_sample,
                    errback=self.sample_failed,
                    meta={"sample": sample, keys.ARTICLE: True},
                    dont_filter=True,
                )

    # --- samples ------------------------------------------------------------------------------

    def parse_sample(self, response: Response, **kwargs: Any) -> None:
        sample: SampleCheck = response.meta["sample"]
        sample.status = str(response.status)
        content_type = _content_type(response)
        if problem := page_problem(content_type or "", response.body):
            sample.problem = problem[1]
            return
        sample.record(self.extract(response.body, response.url, self.options, content_type))

    def sample_failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        if isinstance(request, Request):
            sample: SampleCheck = request.meta["sample"]
            sample.status, sample.problem = _failure(failure, request)


def _failure(failure: Failure, request: Request) -> tuple[str, str]:
    """A short status (``404``, ``dns``, ``robots.txt``) and the failure's detail."""
    kind, detail = failure_kind(failure.value, request)
    name = kind.rpartition("/")[2]
    if "robots.txt" in str(failure.value):
        return "robots.txt", "forbidden by robots.txt"
    return name.removeprefix("http_"), detail


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None
