"""Scrapy's meta-refresh redirects, without decoding every article page to look for one.

Scrapy's ``MetaRefreshMiddleware`` reads ``response.text[0:4096]`` of every HTML response,
which decodes the whole body (70 KB on a typical article page) in the crawl process, whose
CPU on two cores is taken from extraction, only to find that nearly no page has a refresh
(issue 13: about 0.4 ms of the crawl process per article). A refresh is a ``<meta>`` whose
attributes spell ``refresh`` in the decoded first 4,096 characters (w3lib's rule); those
letters are ASCII, so they are in the first 16 KB of the bytes, in any case, in every
ASCII-compatible encoding and in UTF-16 and UTF-32. Where they are not, no refresh is
possible and the response goes on undecoded; where they are, Scrapy's own middleware decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

_SCANNED_CHARS = 4096
"""What Scrapy's ``get_meta_refresh`` decodes and w3lib searches."""
_HEAD_BYTES = 4 * _SCANNED_CHARS + 4
"""Those characters at four bytes each (UTF-32), after a byte-order mark."""
_SPELLINGS = tuple(
    "refresh".encode(codec)
    for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def may_refresh(body: bytes) -> bool:
    """Whether the start of ``body`` spells "refresh" in any case (ASCII letters only: what
    ``bytes.lower`` folds), in one byte per letter or in UTF-16 or UTF-32."""
    head = body[:_HEAD_BYTES].lower()
    return any(spelling in head for spelling in _SPELLINGS)


class LazyMetaRefreshMiddleware(MetaRefreshMiddleware):
    """``MetaRefreshMiddleware`` (same settings, same redirects) that decodes a page only
    when its bytes can hold a refresh."""

    def process_response(  # type: ignore[override]  # no deprecated ``spider`` argument
        self, request: Request, response: Response
    ) -> Request | Response:
        if isinstance(response, HtmlResponse) and not may_refresh(response.body):
            return response
        return super().process_response(request, response)
