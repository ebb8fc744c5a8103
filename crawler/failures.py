"""What went wrong with a page, named once: one stats key and one log line per URL.

Every failure a crawl meets ends up as a *kind*, a path under ``news/`` such as
``errors/fetch/http_404``, ``errors/timeout``, ``errors/too_large``, ``errors/not_html`` or
``skipped/robots_txt``. ``report`` counts it (an error also counts in ``news/errors`` and in
each parent, so ``news/errors/fetch`` totals every fetch error) and logs one line with the URL.
``decided`` counts without the log line (decisions a pipeline's drop message already logs).
Both send ``DECIDED`` with the URL, so the ledger (``crawler.extensions.ledger``) records every
URL's fate from the same call that counts it.
Scrapy's own warnings about the same events (size limits, data loss), trafilatura's
"discarding data" and the robots.txt middleware's traceback for an unreachable site are
lowered by ``quiet_duplicate_reports``, so the line from here is the one an operator sees.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, TypeAlias

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    StopDownload,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import StatsCollector
from twisted.internet import error as tx_error

from crawler.urls import strip_credentials

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request

logger = logging.getLogger(__name__)

DECIDED = object()
"""Signal sent for every counted decision about a URL: ``kind``, ``url``, ``detail`` and the
ledger's extras (``source``, ``reason``, ``file``, ``similarity``)."""


class StoppedDownload(StopDownload):
    """A download a component stopped on purpose; it names the kind it is counted as."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(fail=True)
        self.kind = kind
        self.detail = detail


# Exception types, the kind they are counted as, and what the log line says about them.
_BY_TYPE: tuple[tuple[tuple[type[BaseException], ...], str, str], ...] = (
    (
        (DownloadTimeoutError, tx_error.TimeoutError, TimeoutError),
        "errors/timeout",
        "no complete response in time",
    ),
    ((DownloadCancelledError,), "errors/too_large", "larger than DOWNLOAD_MAXSIZE"),
    ((ResponseDataLossError,), "errors/fetch/data_loss", "connection closed before the body"),
    (
        (DownloadConnectionRefusedError, tx_error.ConnectionRefusedError),
        "errors/fetch/connection_refused",
        "connection refused",
    ),
    ((CannotResolveHostError, tx_error.DNSLookupError), "errors/fetch/dns", "host not found"),
    (
        (DownloadFailedError, tx_error.ConnectionLost, tx_error.ConnectionDone),
        "errors/fetch/connection_lost",
        "connection lost",
    ),
    ((UnsupportedURLSchemeError,), "errors/bad_url", "unsupported URL scheme"),
    ((StopDownload,), "errors/fetch/stopped", "download stopped"),
)
# IgnoreRequest (and the ValueError of a redirect to a scheme-less URL) say why only in
# their message.
_BY_MESSAGE: tuple[tuple[str, str, str], ...] = (
    ("DOWNLOAD_MAXSIZE", "errors/too_large", "decompresses beyond DOWNLOAD_MAXSIZE"),
    ("max redirections", "errors/redirect_loop", "too many redirects"),
    ("robots.txt", "skipped/robots_txt", "disallowed by robots.txt"),
    ("Missing scheme in request url", "errors/fetch/bad_redirect", "redirects to a non-URL"),
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower().removesuffix("_error")


def failure_kind(exc: BaseException | None, request: Request | None = None) -> tuple[str, str]:
    """``(kind, detail)`` for the exception a request failed with (after its retries)."""
    if isinstance(exc, StoppedDownload):
        return exc.kind, exc.detail
    retries = request.meta.get("retry_times", 0) if request is not None else 0
    after = f" after {retries} retries" if retries else ""
    if isinstance(exc, HttpError):
        status, location = exc.response.status, exc.response.headers.get("Location")
        if location and status in _REDIRECTS:  # Scrapy follows only http(s) redirects
            target = location.decode("latin-1")[:100]
            return "errors/fetch/bad_redirect", f"redirects to {target!r}"
        return f"errors/fetch/http_{status}", f"HTTP {status}{after}"
    if isinstance(exc, IgnoreRequest | ValueError):
        message = str(exc)
        return next(
            ((kind, detail) for text, kind, detail in _BY_MESSAGE if text in message),
            (f"errors/fetch/{_snake(type(exc).__name__)}", message[:200]),
        )
    for types, kind, detail in _BY_TYPE:
        if isinstance(exc, types):
            return kind, detail + after
    name = type(exc).__name__ if exc is not None else "Unknown"
    return f"errors/fetch/{_snake(name)}", str(exc)[:200]


def origin_url(request: Request) -> tuple[str, str]:
    """The URL the crawl asked for (before redirects) and a note naming where it ended."""
    chain = request.meta.get("redirect_urls") or []
    if chain and chain[0] != request.url:
        return str(chain[0]), f"redirected to {_safe_url(request.url)}"
    return request.url, ""


def count(stats: StatsCollector | None, kind: str) -> None:
    """Increment ``news/<kind>``; an error also increments ``news/errors`` and its parents."""
    if stats is None:
        return
    parts = kind.split("/")
    if parts[0] == "errors":
        for depth in range(1, len(parts) + 1):
            stats.inc_value("news/" + "/".join(parts[:depth]))
    else:
        stats.inc_value(f"news/{kind}")


Target: TypeAlias = "Crawler | StatsCollector | None"
"""What counts a decision: the crawler (counted and recorded) or only its stats (counted)."""


def decided(target: Target, kind: str, url: str, detail: str = "", **extra: Any) -> None:
    """Count ``kind`` for ``url`` and tell the crawl's ledger (a bare stats collector: count only).

    ``extra`` are the ledger's fields the kind does not say: ``source``, ``reason``, ``file``,
    ``similarity`` (:func:`crawler.store.ledger.decision`).
    """
    if target is None or isinstance(target, StatsCollector):
        count(target, kind)
        return
    count(target.stats, kind)
    target.signals.send_catch_log(DECIDED, kind=kind, url=url, detail=detail, **extra)


def report(target: Target, kind: str, url: str, detail: str = "", **extra: Any) -> None:
    """Count ``kind``, record it, and log it once with the URL (WARNING for errors, INFO for skips)."""
    decided(target, kind, url, detail, **extra)
    level = logging.WARNING if kind.startswith("errors/") else logging.INFO
    name = kind.split("/", 1)[1] if "/" in kind else kind
    label = "error" if kind.startswith("errors/") else "skipped"
    logger.log(level, "%s %s: %s%s", label, name, _safe_url(url), f" ({detail})" if detail else "")


def _safe_url(url: str) -> str:
    try:
        return strip_credentials(url)
    except ValueError:
        return repr(url)


class _Demote(logging.Filter):
    """Lower matching WARNING/ERROR records of one logger (they repeat a report of ours)."""

    def __init__(self, pattern: re.Pattern[str], level: int) -> None:
        super().__init__()
        self.pattern = pattern
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > self.level and self.pattern.search(record.getMessage()):
            record.levelno, record.levelname = self.level, logging.getLevelName(self.level)
            record.exc_info, record.exc_text = None, None
        return True


# Logger, what it says that the errback (or the pipeline) already reports, the level to keep.
_DUPLICATE_REPORTS = (
    ("scrapy.core.downloader.handlers.http11", r"larger than download max size|data loss", 10),
    ("scrapy.downloadermiddlewares.httpcompression", r"exceeded DOWNLOAD_MAXSIZE", 10),
    ("trafilatura.core", r"^discarding data", 10),
    # An unreachable site's robots.txt: an ERROR with a traceback, then the page fails too.
    ("scrapy.downloadermiddlewares.robotstxt", r"^Error downloading", 20),
)


def quiet_duplicate_reports() -> None:
    """Install the demotions once per process (idempotent)."""
    for name, pattern, level in _DUPLICATE_REPORTS:
        target = logging.getLogger(name)
        if not any(isinstance(f, _Demote) for f in target.filters):
            target.addFilter(_Demote(re.compile(pattern), level))
