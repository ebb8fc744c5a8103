"""A Scrapy extension that protects the crawl from what hostile responses do to it.

- An article request whose response headers announce a non-HTML type (a video, a PDF) is
  stopped before its body is downloaded, and reported as ``errors/not_html``.
- A redirect loop (a → b → a) is silently dropped by Scrapy's duplicate filter; it is
  reported here as ``errors/redirect_loop`` instead of vanishing.
- Scrapy's own warnings about failures that the spider's errback reports are lowered to
  DEBUG (``crawler.failures.quiet_duplicate_reports``): one line per page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler import meta
from crawler.extraction.content import content_type_problem
from crawler.failures import StoppedDownload, quiet_duplicate_reports, report

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http.headers import Headers


class ResponseGuard:
    """Early stop of non-HTML article downloads; redirect loops counted; quiet duplicates."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        guard = cls(crawler)
        crawler.signals.connect(guard.headers_received, signal=signals.headers_received)
        crawler.signals.connect(guard.request_dropped, signal=signals.request_dropped)
        quiet_duplicate_reports()
        return guard

    def headers_received(self, headers: Headers, request: Request, **kwargs: Any) -> None:
        if not request.meta.get(meta.ARTICLE) or headers.get("Location"):
            return  # only article pages; a redirect is followed whatever its type
        problem = content_type_problem(headers.get("Content-Type"))
        if problem:
            raise StoppedDownload("errors/not_html", problem)

    def request_dropped(self, request: Request, **kwargs: Any) -> None:
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            report(self.crawler, "errors/redirect_loop", chain[0], "redirects in a circle")
