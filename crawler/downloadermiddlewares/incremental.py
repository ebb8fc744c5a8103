"""Incremental runs: skip article pages the state knows, and discovery documents that are unchanged.

Two downloader middlewares (issue 3). ``KnownUrlMiddleware`` drops an article request whose
canonical URL (or the URL it redirected to last time) is already written or judged not an
article, and a second request for the same URL in one run. ``DocumentCacheMiddleware``
sends ``If-None-Match``/``If-Modified-Since`` for sitemaps and feeds read before, and skips
a child sitemap whose ``<lastmod>`` in its index has not moved.

A document may be skipped as unchanged only while every article it led to is settled: written,
or judged (not an article, a copy), in the state (issue 17). So what a run learns about a
document is saved only when the run finished normally and each article the document led to is
settled or failed for good (a 404, refused by robots.txt), together with the keys of those articles; and a saved
document is read again in full, validators left out, as soon as one of them is no longer
settled (its file was lost in a crash and forgotten, the state was rebuilt). A run stopped by a
full disk, a limit, a crash or a signal therefore never hides an article from the next one.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest

from crawler import meta
from crawler.failures import decided
from crawler.store.articles import article_store
from crawler.store.faults import StorageError
from crawler.store.state import DocumentRecord, UrlStatus
from crawler.urls import canonical_url, strip_credentials

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

    from crawler.store.state import StateStore

logger = logging.getLogger(__name__)

_KNOWN = frozenset({UrlStatus.WRITTEN, UrlStatus.NOT_ARTICLE, UrlStatus.DUPLICATE})
# Sitemaps and feeds: the documents whose validators are worth keeping (issue 3).
_CACHED_KINDS = frozenset({"sitemap", "feed"})
SITEMAP_INDEX = object()
"""Signal the spider sends (with ``url=``) when a document turned out to be a sitemap index."""
# Statuses after which an article may still be fetched successfully next time.
_TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504, 522, 524})


class Skipped(IgnoreRequest):
    """A request left out on purpose (not a failure)."""


class KnownUrlSkipped(Skipped):
    """An article page an earlier run (or this one) already handled."""


class DocumentUnchanged(Skipped):
    """A child sitemap whose ``<lastmod>`` is the one a completed run already read."""


def _stat(crawler: Crawler, key: str) -> None:
    if crawler.stats is not None:
        crawler.stats.inc_value(key)


class _StateMiddleware:
    """A downloader middleware that asks the crawl's article store, looked up once."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store = article_store(crawler)  # extensions are built before the downloader

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def state(self) -> StateStore:
        return self.store.state


class KnownUrlMiddleware(_StateMiddleware):
    """Never fetch an article page twice: across runs (the state) and within one run."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # hash() of canonical URLs requested in this run: 8 bytes of key per URL.
        self._requested: set[int] = set()

    def known(self, key: str) -> str | None:
        """What an earlier run (or this one) decided about the URL, if it is not to be fetched."""
        status = self.state.url_status(key)
        if status is None and (target := self.state.redirect_target(key)):
            status = self.state.url_status(target)
        return status if status in _KNOWN else None

    def process_request(self, request: Request) -> None:
        if not request.meta.get(meta.ARTICLE) or request.meta.get("retry_times"):
            return
        key = canonical_url(request.url)
        if status := self.known(key):
            source = request.meta.get(meta.SOURCE_NAME)
            detail = f"already {status.replace('_', ' ')}"
            decided(
                self.crawler, "skipped/known", request.url, detail, source=source, reason=status
            )
            raise KnownUrlSkipped(f"already handled by an earlier run: {strip_credentials(key)}")
        if "redirect_urls" in request.meta:
            return  # the first hop was counted; its target is checked above
        if hash(key) in self._requested:
            _stat(self.crawler, "news/skipped/duplicate")  # the same URL twice in one run
            raise KnownUrlSkipped(f"already requested in this run: {strip_credentials(key)}")
        self._requested.add(hash(key))

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(meta.ARTICLE):
            _stat(self.crawler, "news/fetched")
            target = canonical_url(response.url)
            try:
                for hop in request.meta.get("redirect_urls", ()):
                    if (source := canonical_url(hop)) != target:
                        self.state.remember_redirect(source, target)
            except StorageError as exc:
                self.store.fail(exc)  # only a shortcut is lost; the crawl is stopping
        return response


class DocumentCacheMiddleware(_StateMiddleware):
    """Conditional GETs and ``<lastmod>`` checks for sitemaps and feeds."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._seen: dict[str, DocumentRecord] = {}
        self._read: set[str] = set()
        """Documents served whole (200) in this run: their articles are this run's to settle."""
        self._led: dict[str, set[str]] = {}
        """Document URL -> the canonical URLs of the article requests it led to in this run."""
        self._given_up: set[str] = set()
        """Articles whose fetch failed for good (404, 410...): settled for their document."""
        self._incomplete: set[str] = set()
        self._indexes: set[str] = set()
        self.store.on_close(self.save)
        crawler.signals.connect(self.index_seen, signal=SITEMAP_INDEX)

    def process_request(self, request: Request) -> None:
        if request.meta.get(meta.ARTICLE):
            self._link(request)
            return
        if request.meta.get(meta.DISCOVERY) not in _CACHED_KINDS:
            return
        record = self.state.document(request.url)
        if record is None:
            return
        if unsettled := self.state.unsettled_articles(request.url):
            _stat(self.crawler, "news/discovery/unsettled")
            logger.info(
                "%d article(s) listed by %s are no longer in the state: read in full",
                unsettled,
                strip_credentials(request.url),
            )
            return
        lastmod = request.meta.get(meta.SITEMAP_LASTMOD)
        if lastmod and record.lastmod == lastmod:
            _stat(self.crawler, "news/discovery/unchanged")
            self._seen[request.url] = record
            raise DocumentUnchanged(f"unchanged since the last run: {request.url}")
        if record.etag:
            request.headers.setdefault(b"If-None-Match", record.etag.encode("latin-1"))
        if record.last_modified:
            request.headers.setdefault(b"If-Modified-Since", record.last_modified.encode("latin-1"))

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(meta.DISCOVERY) in _CACHED_KINDS and response.status in {200, 304}:
            old = self.state.document(request.url) if response.status == 304 else None
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            record = DocumentRecord(
                url=request.url,
                etag=etag.decode("latin-1") if etag else (old.etag if old else None),
                last_modified=(
                    modified.decode("latin-1") if modified else (old.last_modified if old else None)
                ),
                lastmod=request.meta.get(meta.SITEMAP_LASTMOD),
            )
            self._seen[request.url] = record
            if response.status == 200:
                self._read.add(request.url)
        elif request.meta.get(meta.ARTICLE) and response.status in _TRANSIENT:
            self._article_failed(request)
        elif request.meta.get(meta.ARTICLE) and 400 <= response.status < 500:
            self._given_up.add(canonical_url(request.url))
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not request.meta.get(meta.ARTICLE):
            return
        if isinstance(exception, IgnoreRequest):
            self._link(request)
            if not isinstance(exception, KnownUrlSkipped):  # settled in the state, else refused
                self._given_up.add(canonical_url(request.url))  # robots.txt, address guard...
        else:
            self._article_failed(request)

    def _link(self, request: Request) -> None:
        if found_in := request.meta.get(meta.FOUND_IN):
            self._led.setdefault(str(found_in), set()).add(canonical_url(request.url))

    def _article_failed(self, request: Request) -> None:
        if found_in := request.meta.get(meta.FOUND_IN):
            self._incomplete.add(str(found_in))

    def index_seen(self, url: str, **kwargs: Any) -> None:
        self._indexes.add(url)

    def _settled_key(self, key: str) -> str | None:
        """The key under which the state settles this article (its redirect target's), if any."""
        if self.state.url_status(key) in _KNOWN:
            return key
        target = self.state.redirect_target(key)
        return target if target and self.state.url_status(target) in _KNOWN else None

    def _articles(self, url: str) -> tuple[str, ...] | None:
        """The settled keys of a document read in this run; None if one article is not settled."""
        keys = []
        for key in sorted(self._led.get(url, ())):
            settled = self._settled_key(key)
            if settled is not None:
                keys.append(settled)
            elif key not in self._given_up:
                return None
        return tuple(keys)

    def save(self, reason: str) -> None:
        """Keep what this run learnt about documents, if it finished and nothing was missed."""
        if reason != "finished":
            logger.info("crawl ended with %r: sitemaps and feeds will be re-read in full", reason)
            return
        # An index is always re-read: a 304 on it would hide its children, which change
        # without it. Its children are skipped by their own lastmod or validators instead.
        records = []
        for url, record in self._seen.items():
            if url in self._incomplete or url in self._indexes:
                continue
            if url not in self._read:
                records.append(record)  # not read again: the articles saved before still hold
            elif (articles := self._articles(url)) is not None:
                records.append(replace(record, articles=articles))
            # else: an article it led to is neither settled nor gone: read it in full next time
        self.state.remember_documents(records)
