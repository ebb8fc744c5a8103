"""The spider side of request safety: discovered links are only http(s), without credentials.

The rules and their reporter live with the downloader side
(``crawler.downloadermiddlewares.requestsafety``); this middleware applies them to every
request a spider yields, before the scheduler, the logs or the manifest see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler import meta
from crawler.downloadermiddlewares.requestsafety import move_credentials, reporter
from crawler.urls import is_http_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


class RequestSafetySpiderMiddleware(BaseSpiderMiddleware):
    """Discovered links: only http(s) is followed; credentials leave the URL at once."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if request.meta.get(meta.ARCHIVE) is not None:
            return request  # an archive the user named: streamed by the spider, never fetched
        if not is_http_url(request.url):
            reporter(self.crawler).scheme(request.url)
            return None
        return move_credentials(request)
