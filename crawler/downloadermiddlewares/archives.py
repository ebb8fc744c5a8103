"""An archive's request is answered at once: the spider streams the file itself.

One request per archive file is what lets scrapy-redis share a month of CC-NEWS between
workers; downloading a 1 GB file into one Scrapy response is what this avoids. The answer
is an empty 200 response for the spider's ``parse_archive`` callback, made before any other
middleware (robots.txt, the address guard) sees the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.http import Response

from crawler import meta

if TYPE_CHECKING:
    from scrapy.http import Request


class ArchiveMiddleware:
    """Short-circuit requests that name an archive (``meta[news_archive]``)."""

    def process_request(self, request: Request) -> Response | None:
        if request.meta.get(meta.ARCHIVE) is None:
            return None
        return Response(request.url, status=200, request=request)
