"""The ``news`` spider: turns start arguments into article-page requests (discovery only)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Request, Response

from crawler.content import page_problem
from crawler.failures import failure_kind, origin_url, report
from crawler.guards import ARTICLE_META
from crawler.items import PageItem
from crawler.middlewares import RefusedRequest
from crawler.urls import is_http_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


def split_arg(value: str | None) -> list[str]:
    """A comma-separated ``-a`` value, or the lines of a file it names (``#`` comments out)."""
    if not value:
        return []
    path = Path(value)
    if "," not in value and not is_http_url(value) and path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()
        return [
            line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
        ]
    return [part.strip() for part in value.split(",") if part.strip()]


class NewsSpider(scrapy.Spider):
    """Fetch article pages given as ``-a urls=URL1,URL2`` or ``-a urls=FILE``."""

    name = "news"

    def __init__(self, urls: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls_given = split_arg(urls)
        if not any(is_http_url(u) for u in self.start_urls_given):
            raise ValueError("nothing to crawl: pass -a urls=URL1,URL2 or -a urls=FILE")
        self.user_start_urls: list[str] = list(self.start_urls_given)
        """Every URL the user gave (start arguments, sources file): their addresses are trusted
        even when private (crawler.middlewares). Discovered URLs must never be added."""

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls_given:
            if is_http_url(url):
                yield self.article_request(url, discovered_via="urls")
            else:  # a javascript: or mailto: line in a list costs that line, not the crawl
                report(self.crawler.stats, "errors/bad_url", url, "not an http(s) URL")

    def article_request(self, url: str, **meta: Any) -> Request:
        """A request for a candidate article page."""
        return Request(
            url,
            callback=self.parse_article,
            errback=self.fetch_failed,
            meta={ARTICLE_META: True, **meta},
        )

    def parse_article(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        if problem := page_problem(content_type, response.body):
            url, note = origin_url(response.request) if response.request else (response.url, "")
            report(
                self.crawler.stats, problem[0], url, "; ".join(x for x in (problem[1], note) if x)
            )
            return
        yield PageItem(
            url=response.url,
            body=response.body,
            content_type=content_type or None,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            source_name=response.meta.get("source_name"),
            discovered_via=response.meta.get("discovered_via"),
            published_hint=response.meta.get("published_hint"),
        )

    def fetch_failed(self, failure: Failure) -> None:
        """Count and log a failed request once (after its retries), by kind."""
        if isinstance(failure.value, RefusedRequest):
            return  # counted and logged by the middleware that refused it
        request = getattr(failure, "request", None)
        kind, detail = failure_kind(failure.value, request)
        url, note = origin_url(request) if request is not None else ("?", "")
        report(self.crawler.stats, kind, url, "; ".join(x for x in (detail, note) if x))
