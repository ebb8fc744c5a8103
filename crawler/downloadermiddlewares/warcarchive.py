"""``NEWS_WARC_ARCHIVE``: every fetched article page (and, optionally, discovery document) into
a WARC archive of the crawl (``crawler.archives.writer``), for re-extraction without the network.

Placed just before Scrapy's decompression middleware in the response path (order 595 > 590),
so bodies are stored as received on the wire: still gzip/br-encoded when the server sent them
so, with their ``Content-Encoding``; only the chunked framing is gone (Twisted removes it, and
``Transfer-Encoding`` is dropped from the stored headers to match). Redirects are followed
before this point, so each stored response is the page at its final URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler import meta
from crawler.archives.writer import ArchiveWriter
from crawler.urls import strip_credentials

RECORDED = object()
"""Signal sent with ``url``, ``file`` and ``offset`` where a page's response record starts."""

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Request, Response
    from scrapy.settings import BaseSettings


# Scrapy settings that say how the pages were fetched, named in the warcinfo record.
_FETCH_SETTINGS = (
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE",
)


def crawl_settings(settings: BaseSettings) -> dict[str, str]:
    """The crawl's ``NEWS_*`` and fetch settings as warcinfo fields (credentials removed)."""
    names = sorted(name for name in settings.attributes if name.startswith("NEWS_"))
    fields = {}
    for name in (*_FETCH_SETTINGS, *names):
        value = settings.get(name)
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif not isinstance(value, str | int | float | bool):
            continue
        fields[name] = strip_credentials(str(value))
    return fields


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class WarcArchiveMiddleware:
    """Write each article response (and with ``NEWS_WARC_ARCHIVE_DOCUMENTS`` each discovery
    document) with its request to ``NEWS_OUTPUT_DIR/warc/``."""

    def __init__(self, writer: ArchiveWriter, documents: bool, crawler: Crawler) -> None:
        self.writer = writer
        self.documents = documents
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("NEWS_WARC_ARCHIVE"):
            raise NotConfigured
        folder = Path(settings.get("NEWS_OUTPUT_DIR")) / "warc"
        info = {
            "software": f"{settings.get('BOT_NAME')} (Scrapy {scrapy.__version__})",
            "http-header-user-agent": str(settings.get("USER_AGENT")),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "format": "WARC File Format 1.1",
            "description": "pages fetched by `scrapy crawl news`; bodies as received",
            **crawl_settings(settings),
        }
        writer = ArchiveWriter(
            folder, settings.get("NEWS_WARC_PREFIX"), settings.getint("NEWS_WARC_MAX_SIZE"), info
        )
        middleware = cls(writer, settings.getbool("NEWS_WARC_ARCHIVE_DOCUMENTS"), crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(meta.ARCHIVE) is not None:
            return response  # an archive being read, not a page fetched
        if request.meta.get(meta.ARTICLE) or (self.documents and request.meta.get(meta.DISCOVERY)):
            file, offset = self.writer.add(
                url=response.url,
                method=request.method,
                request_headers=_pairs(request.headers),
                request_body=request.body,
                protocol=getattr(response, "protocol", None) or "HTTP/1.1",
                status=response.status,
                response_headers=_pairs(response.headers),
                body=response.body,
                ip_address=str(response.ip_address) if response.ip_address else None,
            )
            # The ledger links the page's row to its record (crawler.extensions.ledger).
            self.crawler.signals.send_catch_log(
                RECORDED, url=response.url, file=file, offset=offset
            )
        return response

    def spider_closed(self) -> None:
        self.writer.close()
