"""The ``news`` spider: turns its arguments into article-page requests (discovery only).

URL lists, sitemaps, sites, feeds, section pages and a sources file all combine (issue 3).
The parsing lives in ``crawler.discovery``; skipping what an earlier run already saw lives
in ``crawler.downloadermiddlewares.incremental``; this module only routes responses to them and
yields requests. Archives (``-a warc=``, ``-a cc_news=``) come in through the mixin
``spiders.archivereading``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, XmlResponse

from crawler import meta as keys
from crawler.archives.locations import cc_news_index_url
from crawler.archives.selection import ArchiveSelection
from crawler.discovery.continuation import is_continuation, next_article_page
from crawler.discovery.dates import is_older, normalised_date
from crawler.discovery.feeds import feed_links
from crawler.discovery.navigation import SiteFallback, SiteNavigation, site_navigation
from crawler.discovery.plan import ARGUMENT_SETTINGS, ArgumentError, argument_settings, build_plan
from crawler.discovery.sections import section_links
from crawler.discovery.sitemaps import fallback_sitemaps, robots_sitemaps, robots_url, site_root
from crawler.discovery.xmldocuments import read_xml_document
from crawler.downloadermiddlewares.incremental import SITEMAP_INDEX, Skipped
from crawler.downloadermiddlewares.requestsafety import RefusedRequest
from crawler.extraction.content import page_problem
from crawler.failures import decided, failure_kind, origin_url, report
from crawler.items import PageItem
from crawler.urls import canonical_url, strip_credentials
from spiders.archivereading import ArchiveReading

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Generator, Iterator
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

    from crawler.discovery.plan import CrawlPlan
    from crawler.discovery.sources import Source

logger = logging.getLogger(__name__)

# Content types worth handing to the extractor; anything else behind an article URL is skipped.
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
# Discovery responses the callbacks read themselves instead of the HttpError errback.
_DOCUMENT_STATUSES = [304]
_ROBOTS_STATUSES = [304, 401, 403, 404, 410]


class NewsSpider(ArchiveReading, scrapy.Spider):
    """Discover article pages from URLs, sitemaps, sites, feeds, sections or a sources file."""

    name = "news"
    plan: CrawlPlan
    section_pages: int
    navigation_sections: int
    article_pages: int
    fallback: SiteFallback
    """Sites (``-a sites=``) whose documents are still being read, for the navigation fallback."""
    max_sitemap_size: int
    cc_news_base: str
    selection: ArchiveSelection
    user_start_urls: list[str]
    """Every URL the user gave (start arguments, sources file): their addresses are trusted
    even when private (crawler.downloadermiddlewares.requestsafety). Discovered URLs must never be added."""

    def __init__(self, **kwargs: Any) -> None:
        # Scrapy passes every -a as a keyword; private ones (``_job``) are the scheduler's.
        self.arguments = {k: v for k, v in kwargs.items() if not k.startswith("_")}
        super().__init__(**{k: v for k, v in kwargs.items() if k.startswith("_")})
        self._documents: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Map ``since``/``max_age_days``/``limit``/``sources`` to settings, then plan."""
        for setting, value in argument_settings(kwargs).items():
            crawler.settings.set(setting, value, priority="cmdline")
        lists = {k: v for k, v in kwargs.items() if k not in ARGUMENT_SETTINGS}
        spider = super().from_crawler(crawler, *args, **lists)
        settings = crawler.settings
        try:
            max_age_days = settings.getint("NEWS_MAX_AGE_DAYS")
            limit = settings.getint("NEWS_MAX_ARTICLES")
            spider.section_pages = max(1, settings.getint("NEWS_SECTION_PAGES"))
            spider.navigation_sections = max(0, settings.getint("NEWS_NAVIGATION_SECTIONS"))
            spider.article_pages = max(1, settings.getint("NEWS_ARTICLE_PAGES"))
        except ValueError as exc:
            raise ArgumentError(f"a NEWS_* number setting is not a number: {exc}") from None
        spider.plan = build_plan(
            spider.arguments,
            sources_file=settings.get("NEWS_SOURCES") or "",
            since=settings.get("NEWS_SINCE") or "",
            max_age_days=max_age_days,
            now=datetime.now(UTC),
        )
        if limit > 0 and not settings.getint("CLOSESPIDER_ITEMCOUNT"):
            # The selection pipeline lets at most `limit` through; Scrapy then closes the spider.
            settings.set("CLOSESPIDER_ITEMCOUNT", limit, priority="spider")
        if spider.plan.reads_archives:
            # An archive is one response whose pages all pass the pipelines through it:
            # CONCURRENT_ITEMS is then what keeps the extraction workers busy.
            concurrent = settings.getint("NEWS_ARCHIVE_CONCURRENT_ITEMS")
            settings.set("CONCURRENT_ITEMS", concurrent, priority="spider")
        spider.max_sitemap_size = settings.getint("NEWS_SITEMAP_MAXSIZE")
        spider.cc_news_base = settings.get("NEWS_CC_NEWS_BASE")
        spider.user_start_urls = [
            *spider.plan.user_urls,
            *(cc_news_index_url(spider.cc_news_base, *month) for month in spider.plan.cc_news),
        ]
        spider.selection = ArchiveSelection(spider.plan.domains, spider.plan.sources)
        spider.fallback = SiteFallback()
        return spider

    async def start(self) -> AsyncIterator[Any]:
        for bad in self.plan.rejected:  # a javascript: line costs that line, not the crawl
            report(self.crawler, "errors/bad_url", bad, "not an http(s) URL")
        if self.plan.reads_archives:
            for location in self.plan.archives:
                yield self.archive_request(location, start=True)
            for year, month in self.plan.cc_news:
                yield Request(
                    cc_news_index_url(self.cc_news_base, year, month),
                    callback=self.parse_cc_news_index,
                    errback=self.document_failed,
                    # Part of reading the archives: no robots.txt of the data host first.
                    meta={keys.DISCOVERY: "cc_news", keys.START: True, "dont_obey_robotstxt": True},
                    dont_filter=True,
                )
                self._count("news/start/requests")
            return
        for source in self.plan.sources:
            for url in source.urls:
                if request := self.candidate(url, source, via="urls", start=True):
                    yield request
            documents = [
                *((url, "sitemap", None) for url in source.sitemaps),
                *((url, "feed", None) for url in source.feeds),
                *((url, "section", None) for url in source.sections),
                *((robots_url(url), "robots", site_root(url)) for url in source.sites),
                *((url, "home", site_root(url)) for url in source.sites),
            ]
            for url, kind, site in documents:
                if request := self.document_request(url, kind, source, start=True, site=site):
                    yield request

    # --- requests ---------------------------------------------------------------------------

    def article_request(self, url: str, **meta: Any) -> Request:
        """A request for a candidate article page.

        ``dont_filter``: the state (``crawler.downloadermiddlewares.incremental``) decides what is already known,
        so a resumed ``JOBDIR`` run re-discovers what the killed one had in flight.
        """
        return Request(
            url,
            callback=self.parse_article,
            errback=self.fetch_failed,
            meta={keys.ARTICLE: True, **meta},
            dont_filter=True,
        )

    def candidate(
        self,
        url: str,
        source: Source,
        *,
        via: str,
        published: str | None = None,
        age_date: str | None = None,
        found_in: str | None = None,
        start: bool = False,
    ) -> Request | None:
        """The request for a discovered article URL, unless the source or the age rule it out."""
        if is_continuation(url):  # page 2 of an article is fetched with its page 1, never alone
            report(self.crawler, "skipped/continuation", url, "a later page of an article")
            return None
        if not source.accepts(url):
            decided(self.crawler, "skipped/filtered", url, reason="allow_deny", source=source.name)
            return None
        if is_older(age_date or published, self.plan.cutoff):
            date = age_date or published
            decided(self.crawler, "skipped/too_old", url, f"dated {date}", source=source.name)
            return None
        self._count("news/discovered")
        self._count(f"news/discovery/articles/{via}")
        logger.debug("article %s via %s (%s)", strip_credentials(url), via, found_in or "given")
        if start:
            self._count("news/start/requests")
        return self.article_request(
            url,
            **{
                keys.DISCOVERED_VIA: via,
                keys.SOURCE_NAME: source.name,
                keys.PUBLISHED_HINT: normalised_date(published),
                keys.FOUND_IN: found_in,
                keys.START: start,
            },
        )

    def document_request(
        self,
        url: str,
        kind: str,
        source: Source,
        *,
        start: bool = False,
        page: int = 1,
        lastmod: str | None = None,
        probe: bool = False,
        site: str | None = None,
    ) -> Request | None:
        """A request for a discovery document (robots.txt, sitemap, feed, section, home).

        Always re-read (``dont_filter``), once per run: the in-run set stops index loops.
        ``site``: read for that ``-a sites=`` root, whose navigation is the fallback.
        """
        key = canonical_url(url)
        if key in self._documents:
            # An index listing itself, two indexes listing each other: read once per run.
            report(self.crawler.stats, "skipped/repeated_document", url, "already read")
            return None
        self._documents.add(key)
        if start:
            self._count("news/start/requests")
        if site is not None:
            self.fallback.opened(site)
        meta: dict[str, Any] = {
            keys.SITE: site,
            keys.DISCOVERY: kind,
            keys.SOURCE_NAME: source.name,
            keys.START: start,
            keys.PROBE: probe,
            keys.SECTION_PAGE: page,
            keys.SITEMAP_LASTMOD: lastmod,
            "download_maxsize": self.max_sitemap_size,
            "handle_httpstatus_list": _ROBOTS_STATUSES if kind == "robots" else _DOCUMENT_STATUSES,
        }
        return Request(
            url,
            callback=self.parse_document,
            errback=self.document_failed,
            meta=meta,
            dont_filter=True,
        )

    # --- callbacks --------------------------------------------------------------------------

    def parse_document(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        meta = response.meta
        kind = str(meta[keys.DISCOVERY])
        source = self.plan.source(meta.get(keys.SOURCE_NAME))
        if meta.get(keys.START):
            self._count("news/start/ok")
        site = meta.get(keys.SITE)
        if response.status == 304:
            self._count("news/discovery/not_modified")
            found = 1  # it listed articles when it was last read
        else:
            self._count(f"news/discovery/{kind}")
            found = yield from self._read_document(response, kind, source, site)
        if site is not None:
            yield from self._document_done(site, found, source)

    def _read_document(
        self, response: Response, kind: str, source: Source, site: str | None
    ) -> Generator[Any, None, int]:
        """The requests a document leads to; returns how many article links it listed."""
        if kind == "robots":
            yield from self._from_robots(response, source, site)
        elif kind == "home":
            content_type = _content_type(response)
            for url in feed_links(response.body, response.url, content_type):
                yield self.document_request(url, "feed", source, site=site)
            if site is not None:
                limit = self.navigation_sections
                self.fallback.home(site, site_navigation(response.body, response.url, limit=limit))
        elif kind in {"section", "navigation"}:
            page = int(response.meta.get(keys.SECTION_PAGE) or 1)
            yield from self._from_section(response, source, page, kind)
        else:
            return (yield from self._from_xml(response, source, site))
        return 0

    def _document_done(self, site: str, found: int, source: Source) -> Iterator[Request | None]:
        """One document of a site is done; if the site gave nothing, crawl its navigation."""
        navigation = self.fallback.closed(site, found)
        if navigation is None:
            return
        yield from self._from_navigation(site, navigation, source)

    def _from_navigation(
        self, site: str, navigation: SiteNavigation, source: Source
    ) -> Iterator[Request | None]:
        self._count("news/discovery/fallback")
        self._count_by("news/discovery/fallback_sections", len(navigation.sections))
        logger.info(
            "%s: no article in its robots.txt, sitemaps or feeds; reading %d section(s) of its"
            " home page's navigation: %s",
            strip_credentials(site),
            len(navigation.sections),
            " ".join(strip_credentials(u) for u in navigation.sections) or "none",
        )
        for url in navigation.articles:
            yield self.candidate(url, source, via="navigation", found_in=site)
        for url in navigation.sections:
            yield self.document_request(url, "navigation", source)

    def _from_robots(
        self, response: Response, source: Source, site: str | None
    ) -> Iterator[Request | None]:
        found = robots_sitemaps(response.body, response.url) if response.status == 200 else []
        for url in found:
            yield self.document_request(url, "sitemap", source, site=site)
        if not found:
            for url in fallback_sitemaps(response.url):
                yield self.document_request(url, "sitemap", source, probe=True, site=site)

    def _from_section(
        self, response: Response, source: Source, page: int, kind: str
    ) -> Iterator[Any]:
        links = section_links(response.body, response.url, _content_type(response))
        for url in links.articles:
            yield self.candidate(url, source, via=kind, found_in=response.url)
        if links.next_page and page < self.section_pages:
            yield self.document_request(links.next_page, kind, source, page=page + 1)
        elif links.next_page:  # NEWS_SECTION_PAGES: also what stops an endless calendar
            report(
                self.crawler,
                "skipped/section_pages",
                links.next_page,
                f"after {self.section_pages} page(s) of this section (NEWS_SECTION_PAGES)",
            )

    def _from_xml(
        self, response: Response, source: Source, site: str | None
    ) -> Generator[Any, None, int]:
        """Article requests from a sitemap or feed; returns how many articles it listed."""
        document = read_xml_document(
            response.body,
            response.url,
            is_xml=isinstance(response, XmlResponse),
            max_size=self.max_sitemap_size,
        )
        if document.entities:
            report(
                self.crawler,
                "errors/discovery/xml_entities",
                response.url,
                "declares XML entities (expansion bomb or external entity): not read",
            )
            return 0
        sitemap = document.sitemap
        if sitemap is not None and sitemap.kind == "sitemapindex":
            self.crawler.signals.send_catch_log(SITEMAP_INDEX, url=response.url)
            for child in sitemap.entries:
                if is_older(child.lastmod, self.plan.cutoff):
                    self._count("news/discovery/too_old")
                    continue
                yield self.document_request(
                    child.loc, "sitemap", source, lastmod=child.lastmod, site=site
                )
            return 0
        if sitemap is not None:
            for entry in sitemap.entries:
                yield self.candidate(
                    entry.loc,
                    source,
                    via="sitemap",
                    published=entry.published,
                    age_date=entry.age_date,
                    found_in=response.url,
                )
            return len(sitemap.entries)
        if (entries := document.feed) is not None:
            for item in entries:
                yield self.candidate(
                    item.url,
                    source,
                    via="feed",
                    published=item.published,
                    age_date=item.age_date,
                    found_in=response.url,
                )
            return len(entries)
        self._count("news/discovery/invalid")
        logger.warning("neither a sitemap nor a feed: %s", strip_credentials(response.url))
        return 0

    def parse_article(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if response.meta.get(keys.START):
            self._count("news/start/ok")
        content_type = _content_type(response) or ""
        if problem := page_problem(content_type, response.body):
            url, note = origin_url(response.request) if response.request else (response.url, "")
            report(self.crawler, problem[0], url, "; ".join(x for x in (problem[1], note) if x))
            return
        page = PageItem(
            url=response.url,
            body=response.body,
            content_type=content_type or None,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            source_name=response.meta.get(keys.SOURCE_NAME),
            discovered_via=response.meta.get(keys.DISCOVERED_VIA),
            published_hint=response.meta.get(keys.PUBLISHED_HINT),
        )
        yield self._article_or_next_page(page, response, content_type)

    # --- articles split over several pages ----------------------------------------------------

    def _article_or_next_page(
        self, page: PageItem, response: Response, content_type: str
    ) -> PageItem | Request:
        """The article, or the request for its next page when the page continues elsewhere."""
        following = next_article_page(response.body, response.url, content_type or None)
        if following is None:
            if page.continuation:
                self._count("news/continuation/articles")
            return page
        if 1 + len(page.continuation) >= self.article_pages:
            report(
                self.crawler,
                "skipped/article_pages",
                following,
                f"after {self.article_pages} page(s) of this article (NEWS_ARTICLE_PAGES)",
            )
            return page
        return Request(
            following,
            callback=self.parse_continuation,
            errback=self.continuation_failed,
            meta={keys.ARTICLE: True, keys.CONTINUES: page, keys.SOURCE_NAME: page.source_name},
            dont_filter=True,
        )

    def parse_continuation(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Page 2, 3… of an article: kept with its first page, which is written once."""
        page: PageItem = response.meta[keys.CONTINUES]
        content_type = _content_type(response) or ""
        if problem := page_problem(content_type, response.body):
            report(self.crawler.stats, problem[0], response.url, problem[1])
            yield page  # the pages read so far, rather than nothing
            return
        self._count("news/continuation/pages")
        page.continuation.append((response.url, response.body, content_type or None))
        yield self._article_or_next_page(page, response, content_type)

    def continuation_failed(self, failure: Failure) -> Iterator[PageItem]:
        """A next page that could not be fetched: the article is written with the pages read."""
        request = _failed_request(failure)
        if request is None:
            return
        if not _ignored(failure):
            kind, detail = failure_kind(failure.value, request)
            report(self.crawler.stats, kind, request.url, detail)
        self._count("news/continuation/incomplete")
        yield request.meta[keys.CONTINUES]

    # --- errbacks ---------------------------------------------------------------------------

    def fetch_failed(self, failure: Failure) -> None:
        """An article page that could not be fetched: counted, logged once, the crawl goes on."""
        request = _failed_request(failure)
        if _ignored(failure):
            # Known to the state, forbidden by robots.txt or refused by the address guard:
            # counted and logged where that was decided.
            self._start_failed(request, known=isinstance(failure.value, Skipped))
            return
        kind, detail = failure_kind(failure.value, request)
        url, note = origin_url(request) if request is not None else ("?", "")
        source = request.meta.get(keys.SOURCE_NAME) if request is not None else None
        report(self.crawler, kind, url, "; ".join(x for x in (detail, note) if x), source=source)
        self._start_failed(request)

    def document_failed(self, failure: Failure) -> Iterator[Request | None]:
        """A discovery document that could not be read; robots.txt falls back to the usual paths."""
        request = _failed_request(failure)
        meta = request.meta if request is not None else {}
        site = meta.get(keys.SITE)
        yield from self._failed_document(failure, request, meta, site)
        if site is not None:  # after any fallback sitemap has been asked for
            yield from self._document_done(site, 0, self.plan.source(meta.get(keys.SOURCE_NAME)))

    def _failed_document(
        self, failure: Failure, request: Request | None, meta: Any, site: str | None
    ) -> Iterator[Request | None]:
        if meta.get(keys.PROBE) or _ignored(failure):
            self._start_failed(request, known=isinstance(failure.value, Skipped))
            return
        kind, detail = failure_kind(failure.value, request)
        self._count("news/errors/discovery")
        url, note = origin_url(request) if request is not None else ("?", "")
        kind = kind.replace("errors/fetch/", "errors/discovery/", 1)
        report(self.crawler, kind, url, "; ".join(x for x in (detail, note) if x))
        self._start_failed(request)
        if request is not None and meta.get(keys.DISCOVERY) == "robots":
            source = self.plan.source(meta.get(keys.SOURCE_NAME))
            for fallback in fallback_sitemaps(request.url):
                yield self.document_request(fallback, "sitemap", source, probe=True, site=site)

    def _start_failed(self, request: Request | None, *, known: bool = False) -> None:
        if request is not None and request.meta.get(keys.START):
            self._count("news/start/ok" if known else "news/start/failed")


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


def _failed_request(failure: Failure) -> Request | None:
    request = getattr(failure, "request", None)
    if request is None:
        response = getattr(failure.value, "response", None)
        request = getattr(response, "request", None)
    return request if isinstance(request, Request) else None


def _ignored(failure: Failure) -> bool:
    """Left out on purpose and counted where that was decided: known to the state (Skipped),
    refused by the address guard, or disallowed by robots.txt. Other IgnoreRequests (too large,
    too many redirects) are failures of the page and are reported by kind."""
    exc = failure.value
    if isinstance(exc, Skipped | RefusedRequest):
        return True
    return isinstance(exc, IgnoreRequest) and "robots.txt" in str(exc)
