"""WARC files for the archive tests, written with warcio as a crawler (or CommonCrawl) writes them."""

from __future__ import annotations

import gzip
import io
import re
import socket
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.bench.sitegen import article_page
from crawler.localsite.server import Gate, LoopbackServer

if TYPE_CHECKING:
    from pathlib import Path

DATE = "2026-11-20T10:00:00Z"
FETCHED_AT = "2026-11-20T10:00:00+00:00"
"""``DATE`` as the manifest writes ``fetched_at`` (the form of a live crawl)."""


@dataclass
class ArchiveContents:
    """What a test archive holds: the article pages by URL (their headline and paragraphs)."""

    articles: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    cut_at: int | None = None
    """Offset of the record the file ends inside (``truncated``)."""


def _write(writer: WARCWriter, record: Any) -> None:
    writer.write_record(record)
    record.raw_stream.close()  # warcio buffers the block in a temporary file


def _http(status: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def write_news_archive(
    path: Path,
    base: str = "https://news.example",
    *,
    first: int = 0,
    gz: bool = True,
    version: str = "1.0",
    truncated: bool = False,
) -> ArchiveContents:
    """A CC-NEWS-like file: English and Arabic articles (UTF-8, windows-1256 declared only in
    the HTTP header, one gzip-encoded), a 404, a PDF, request and revisit records; with
    ``truncated``, one more page whose record the file ends in the middle of."""
    contents = ArchiveContents()
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz, warc_version=version)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))

        def response(
            url: str, body: bytes, headers: list[tuple[str, str]], status: str = "200 OK"
        ) -> None:
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=_http(status, headers),
                warc_headers_dict={"WARC-Date": DATE},
            )
            _write(writer, record)
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: news.example\r\n\r\n"),
                warc_content_type="application/http; msgtype=request",
            )
            _write(writer, request)

        utf8 = [("Content-Type", "text/html; charset=utf-8")]
        for index, lang in ((first, "en"), (first + 1, "en"), (first + 100, "ar")):
            html, title, paragraphs = article_page(index, lang)
            url = f"{base}/{lang}/{index}.html"
            response(url, html.encode("utf-8"), utf8)
            contents.articles[url] = (title, paragraphs)
        html, title, paragraphs = article_page(first + 101, "ar")
        url = f"{base}/ar/{first + 101}.html"
        legacy = html.replace('<meta charset="utf-8">', "").encode("windows-1256")
        response(url, legacy, [("Content-Type", "text/html; charset=windows-1256")])
        contents.articles[url] = (title, paragraphs)
        html, title, paragraphs = article_page(first + 2, "en")
        url = f"{base}/en/{first + 2}.html"
        encoded = [*utf8, ("Content-Encoding", "gzip")]
        response(url, gzip.compress(html.encode("utf-8")), encoded)
        contents.articles[url] = (title, paragraphs)
        response(f"{base}/gone.html", b"<html><body>Not found</body></html>", utf8, "404 Not Found")
        response(f"{base}/report.pdf", b"%PDF-1.4 ...", [("Content-Type", "application/pdf")])
        revisit = writer.create_revisit_record(
            f"{base}/en/{first}.html", "sha1:AAAA", f"{base}/en/{first}.html", DATE
        )
        _write(writer, revisit)
        contents.skipped = {"status": 1, "not_html": 1, "revisit": 1, "request": 7, "warcinfo": 1}
        if truncated:
            cut_at = contents.cut_at = handle.tell()
            html, _, _ = article_page(first + 3, "en")
            response(f"{base}/en/{first + 3}.html", html.encode("utf-8"), utf8)
    if truncated:  # the last page's record cut in its body, and its request record lost
        path.write_bytes(path.read_bytes()[: cut_at + 900])
    return contents


def write_arc(path: Path, base: str = "https://arc.example", *, gz: bool) -> ArchiveContents:
    """An ARC (version 1) file as the Internet Archive wrote them before WARC: two pages."""
    contents = ArchiveContents()
    fields = b"1 0 tests\nURL IP-address Archive-date Content-type Archive-length\n"
    records = [
        b"filedesc://%s 0.0.0.0 20261120100000 text/plain %d\n" % (path.name.encode(), len(fields))
        + fields
    ]
    for index in range(2):
        html, title, paragraphs = article_page(400 + index, "en")
        url = f"{base}/en/{400 + index}.html"
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        block = http + html.encode("utf-8")
        head = f"{url} 192.0.2.1 20261120100000 text/html {len(block)}\n".encode()
        records.append(head + block)
        contents.articles[url] = (title, paragraphs)
    with path.open("wb") as handle:
        for record in records:
            handle.write(gzip.compress(record + b"\n") if gz else record + b"\n")
    return contents


class RangeHandler(BaseHTTPRequestHandler):
    """Serves ``server.files`` with ``Range`` support; a path in ``server.cut`` loses its first
    full download after ``server.cut_after`` bytes (the connection drops, as on a flaky link);
    one in ``server.holds`` stalls part-way until ``server.gate`` lets it go on."""

    server: RangeServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, *, body: bool) -> None:
        data = self.server.files.get(self.path)
        if data is None:
            self.send_error(404)
            return
        start = 0
        if match := re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", "")):
            start = int(match[1])
        self.server.ranges.append((self.command, self.path, start))
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("ETag", f'"{len(data)}"')
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if not body:
            return
        if (held := self.server.holds.get(self.path)) is not None and not start:
            self.wfile.write(data[:held])  # the start of the file, then a stall
            self.wfile.flush()
            self.server.gate.pass_through()
            self.wfile.write(data[held:])
            return
        if self.path in self.server.cut and not start:
            self.server.cut.discard(self.path)
            self.wfile.write(data[: self.server.cut_after])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(data[start:])


class RangeServer(LoopbackServer):
    def __init__(
        self,
        files: dict[str, bytes],
        cut: set[str] = frozenset(),  # type: ignore[assignment]
        cut_after: int = 0,
        holds: dict[str, int] | None = None,
    ) -> None:
        super().__init__(RangeHandler)
        self.files, self.cut, self.cut_after = files, set(cut), cut_after
        self.holds = holds or {}
        """Path -> bytes sent of its first full download before it stalls at ``gate``."""
        self.gate = Gate(self.stopping)
        self.ranges: list[tuple[str, str, int]] = []


def write_pages_archive(path: Path, count: int, base: str = "https://many.example") -> list[str]:
    """``count`` English article pages, one response record each (gzip per record); their URLs."""
    urls = []
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for index in range(count):
            html, _, _ = article_page(index, "en")
            url = f"{base}/en/{index}.html"
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(html.encode("utf-8")),
                http_headers=_http("200 OK", [("Content-Type", "text/html; charset=utf-8")]),
                warc_headers_dict={"WARC-Date": DATE},
            )
            _write(writer, record)
            urls.append(url)
    return urls


class PageHandler(BaseHTTPRequestHandler):
    """Serves ``server.pages``: a body with the exact headers given (an encoded body too)."""

    server: PageServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        page = self.server.pages.get(self.path)
        if page is None:
            self.send_error(404)
            return
        headers, body = page
        self.send_response(200)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PageServer(LoopbackServer):
    def __init__(self, pages: dict[str, tuple[list[tuple[str, str]], bytes]]) -> None:
        super().__init__(PageHandler)
        self.pages = pages
