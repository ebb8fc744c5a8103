"""Failure kinds, their counting and their single log line."""

from __future__ import annotations

import logging

import pytest
from scrapy import Request
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    StopDownload,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from twisted.internet import error as tx_error

from crawler.failures import (
    StoppedDownload,
    count,
    failure_kind,
    origin_url,
    quiet_duplicate_reports,
    report,
)

URL = "http://127.0.0.1/a.html"


def _http_error(status: int, headers: dict[str, str] | None = None) -> HttpError:
    return HttpError(Response(URL, status=status, headers=headers), "not handled")


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (_http_error(404), "errors/fetch/http_404"),
        (_http_error(503), "errors/fetch/http_503"),
        (_http_error(302, {"Location": "file:///etc/passwd"}), "errors/fetch/bad_redirect"),
        (_http_error(304), "errors/fetch/http_304"),
        (DownloadTimeoutError("slow"), "errors/timeout"),
        (tx_error.TimeoutError(), "errors/timeout"),  # type: ignore[no-untyped-call]
        (DownloadCancelledError("big"), "errors/too_large"),
        (
            IgnoreRequest("... exceeded DOWNLOAD_MAXSIZE (10 B) during decompression."),
            "errors/too_large",
        ),
        (IgnoreRequest("max redirections reached"), "errors/redirect_loop"),
        (IgnoreRequest("Forbidden by robots.txt"), "skipped/robots_txt"),
        (ValueError("Missing scheme in request url: javascript:x"), "errors/fetch/bad_redirect"),
        (ResponseDataLossError(), "errors/fetch/data_loss"),
        (DownloadConnectionRefusedError(), "errors/fetch/connection_refused"),
        (tx_error.DNSLookupError(), "errors/fetch/dns"),
        (StopDownload(fail=True), "errors/fetch/stopped"),
        (KeyError("odd"), "errors/fetch/key"),
        (None, "errors/fetch/unknown"),
    ],
)
def test_failure_kind(exc, kind) -> None:
    assert failure_kind(exc)[0] == kind


def test_a_download_stopped_on_purpose_names_its_kind() -> None:
    stopped = StoppedDownload("errors/not_html", "served as video/mp4")
    assert failure_kind(stopped, Request(URL)) == ("errors/not_html", "served as video/mp4")
    assert failure_kind(StopDownload(fail=True), Request(URL))[0] == "errors/fetch/stopped"


def test_retries_are_named_in_the_detail() -> None:
    request = Request(URL, meta={"retry_times": 2})
    assert failure_kind(_http_error(503), request)[1] == "HTTP 503 after 2 retries"


def test_origin_url_is_the_first_of_a_redirect_chain() -> None:
    request = Request("http://127.0.0.1/b", meta={"redirect_urls": [URL]})
    assert origin_url(request) == (URL, "redirected to http://127.0.0.1/b")
    assert origin_url(Request(URL)) == (URL, "")


def _stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


def test_errors_count_in_every_parent_and_skips_only_once() -> None:
    stats = _stats()
    count(stats, "errors/fetch/http_404")
    count(stats, "errors/timeout")
    count(stats, "skipped/robots_txt")
    assert stats.get_stats() == {
        "news/errors": 2,
        "news/errors/fetch": 1,
        "news/errors/fetch/http_404": 1,
        "news/errors/timeout": 1,
        "news/skipped/robots_txt": 1,
    }


def test_report_logs_one_line_with_the_url_and_no_credentials(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="crawler.failures"):
        report(_stats(), "errors/timeout", "http://user:secret@127.0.0.1/x", "after 2 retries")
        report(None, "skipped/robots_txt", URL)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "error timeout: http://127.0.0.1/x (after 2 retries)"),
        ("INFO", f"skipped robots_txt: {URL}"),
    ]


def test_duplicate_reports_of_scrapy_are_lowered(caplog) -> None:
    quiet_duplicate_reports()
    quiet_duplicate_reports()  # idempotent: one filter per logger
    http11 = logging.getLogger("scrapy.core.downloader.handlers.http11")
    assert len(http11.filters) == 1
    with caplog.at_level(logging.DEBUG):
        http11.warning("Received 11 bytes which is larger than download max size (10) in request")
        http11.warning("Received 11 bytes which is larger than download warn size (10) in request")
    levels = [r.levelname for r in caplog.records]
    assert levels == ["DEBUG", "WARNING"]
