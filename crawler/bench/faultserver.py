"""A loopback HTTP server that misbehaves on purpose: the hostile-web cases of issue 7.

Each ``FaultCase`` names one misbehaviour, the URL that triggers it, and how the crawl must
count it (the stats key). The server binds 127.0.0.1 on a free port, streams its big bodies
(a 50 MB page is never held in memory), bounds every response in time, and stops its slow
responders at once when it is closed. It lives in the package, not in ``tests/``, because
``python -m crawler.bench faults`` serves the same cases; the tests import it from here.

Adding a case (for instance the sitemap cases once discovery exists) is one ``FaultCase``
in ``CASES`` with a responder; ``start`` names the spider argument its URL goes to.
"""

from __future__ import annotations

import collections
import random
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import unquote, urlsplit

from crawler.bench.bombs import available_encodings, bomb
from crawler.bench.pages import article_html, paragraphs

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

BIG_PAGE_BYTES = 50 * 1000 * 1000
"""The "50 MB page": streamed in 64 KiB pieces, never built whole."""
BOMB_EXPANDED_MIB = 2048
"""What a decompression bomb expands to (2 GiB) for a client that applies no limit."""
DRIP_MAX_SECONDS = 120
"""The slow responder gives up after this long even if the client is still listening."""
STALL_MAX_SECONDS = 60
"""The silent responder closes the connection after this long."""


@dataclass(frozen=True, slots=True)
class FaultCase:
    """One hostile input and the outcome the crawl must reach on it."""

    name: str
    description: str
    expect: str
    """Stats key the URL must be counted under; ``news/written`` when the article must be saved."""
    respond: Callable[[FaultHandler], None] | None = None
    """Serves the case's path; None for cases that need no server (a ``mailto:`` start URL)."""
    path: str = ""
    """URL path (unquoted); defaults to ``/case/<name>/article.html``."""
    start_url: str | None = None
    """A literal start URL instead of one on the server (``javascript:…``)."""
    start: str = "urls"
    """The spider argument that receives the URL (discovery cases: ``sitemaps``, ``sections``)."""
    settings: Mapping[str, str] = field(default_factory=dict)
    """``-s`` overrides the case needs to finish quickly (a short DOWNLOAD_TIMEOUT)."""
    must_contain: str | None = None
    """A phrase the written article must contain (decoding cases)."""
    expect_exit: int = 0
    """Exit status of the crawl (a bad sources file must give a non-zero one)."""

    @property
    def url_path(self) -> str:
        return self.path or f"/case/{self.name}/article.html"


class FaultServer(ThreadingHTTPServer):
    """Serves ``CASES`` (plus a normal "canary" article) on 127.0.0.1, port chosen by the OS."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, cases: Iterable[FaultCase] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.cases = {c.name: c for c in (cases if cases is not None else CASES)}
        self.routes: dict[str, Callable[[FaultHandler], None]] = {
            c.url_path: c.respond for c in self.cases.values() if c.respond is not None
        }
        self.routes.update(_HELPER_ROUTES)
        self.hits: collections.Counter[str] = collections.Counter()
        self.hits_lock = threading.Lock()
        self.stopping = threading.Event()
        # A bound socket that never listens: connecting to it is refused at once.
        self._dead = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._dead.bind(("127.0.0.1", 0))
        self.dead_port = int(self._dead.getsockname()[1])
        self._thread: threading.Thread | None = None
        # Build the bombs in the background: the first request must not wait for them.
        threading.Thread(target=_warm_bombs, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, case: FaultCase | str) -> str:
        """The start URL of a case (human form: spaces and non-ASCII left as they are)."""
        found = self.cases[case] if isinstance(case, str) else case
        return found.start_url or f"{self.base}{found.url_path}"

    def canary_url(self) -> str:
        """A normal article that every crawl must still write, whatever else goes wrong."""
        return f"{self.base}{CANARY_PATH}"

    def start(self) -> Self:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early is the expected case here, not an error to print."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)

    def close(self) -> None:
        """Stop serving; slow responders notice ``stopping`` and return within a second."""
        self.stopping.set()
        if self._thread is not None:
            self.shutdown()
        self.server_close()
        self._dead.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class FaultHandler(BaseHTTPRequestHandler):
    """Routes a GET to its case's responder; quiet; every response closes the connection."""

    server: FaultServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a blocked socket read or write may take before the thread gives up

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        with self.server.hits_lock:
            self.server.hits[path] += 1
        route = self.server.routes.get(path) or self.server.routes.get(path.rsplit("/", 1)[0] + "/")
        try:
            if route is None:
                self.send_body(404, b"not found", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the crawler hung up, as it should on a hostile response

    @property
    def host_header(self) -> str:
        return (self.headers.get("Host") or "").split(":")[0].lower()

    def start_response(
        self, status: int, content_type: str | None, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str | None = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.start_response(
            status, content_type, {"Content-Length": str(len(body)), **(headers or {})}
        )
        self.wfile.write(body)

    def stream(
        self,
        content_type: str,
        chunks: Iterator[bytes],
        *,
        length: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Send ``chunks`` with a Content-Length if given, else chunked; stop when closing."""
        extra = (
            {"Content-Length": str(length)}
            if length is not None
            else {"Transfer-Encoding": "chunked"}
        )
        self.start_response(200, content_type, {**extra, **(headers or {})})
        for chunk in chunks:
            if self.server.stopping.is_set():
                return
            if length is None:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            else:
                self.wfile.write(chunk)
        if length is None:
            self.wfile.write(b"0\r\n\r\n")


CANARY_PATH = "/site/canary.html"
_OTHER_SITE_PATH = "/other-site/moved-article.html"


def _article(seed: str, **kwargs: Any) -> Callable[[FaultHandler], None]:
    def respond(h: FaultHandler) -> None:
        h.send_body(200, article_html(seed, **kwargs).encode("utf-8"))

    return respond


def _other_site(h: FaultHandler) -> None:
    """The target of a cross-site redirect: only served under the ``localhost`` host name."""
    if h.host_header != "localhost":
        h.send_body(404, b"not on this site", "text/plain")
        return
    h.send_body(200, article_html("moved to another site").encode("utf-8"))


_HELPER_ROUTES: dict[str, Callable[[FaultHandler], None]] = {
    CANARY_PATH: _article("canary"),
    _OTHER_SITE_PATH: _other_site,
}


def _warm_bombs() -> None:
    for encoding in available_encodings():
        bomb(encoding, BOMB_EXPANDED_MIB)


# --- Responders ------------------------------------------------------------------------------


def _status(code: int, headers: Mapping[str, str] | None = None) -> Callable[[FaultHandler], None]:
    def respond(h: FaultHandler) -> None:
        h.send_body(code, f"<html><body><h1>{code}</h1></body></html>".encode(), headers=headers)

    return respond


def _raw(body: bytes, content_type: str | None) -> Callable[[FaultHandler], None]:
    def respond(h: FaultHandler) -> None:
        h.send_body(200, body, content_type)

    return respond


def _redirect(
    location: Callable[[FaultHandler], str], code: int = 302
) -> Callable[[FaultHandler], None]:
    def respond(h: FaultHandler) -> None:
        h.send_body(code, b"", "text/html", {"Location": location(h)})

    return respond


def _truncated_html(h: FaultHandler) -> None:
    page = article_html("truncated html").encode("utf-8")
    h.send_body(200, page[: page.index(b"</article>") - 40])  # cut inside the last paragraph


def _truncated_transfer(h: FaultHandler) -> None:
    page = article_html("truncated transfer").encode("utf-8")
    h.start_response(200, "text/html; charset=utf-8", {"Content-Length": str(len(page) + 5000)})
    h.wfile.write(page[: len(page) // 2])  # then the connection closes: data loss


def _big_page_chunks(total: int) -> Iterator[bytes]:
    head = (
        b"<!DOCTYPE html><html><head><title>A page far too big to be an article</title></head>"
        b"<body><article><h1>A page far too big to be an article</h1>"
    )
    filler = ("<p>" + " ".join(paragraphs("big page", count=1)) + "</p>\n").encode() * 200
    yield head
    sent = len(head)
    while sent < total:
        piece = filler[: total - sent]
        yield piece
        sent += len(piece)


def _big_declared(h: FaultHandler) -> None:
    h.stream("text/html; charset=utf-8", _big_page_chunks(BIG_PAGE_BYTES), length=BIG_PAGE_BYTES)


def _big_chunked(h: FaultHandler) -> None:
    h.stream("text/html; charset=utf-8", _big_page_chunks(BIG_PAGE_BYTES))


def _bomb(encoding: str) -> Callable[[FaultHandler], None]:
    def respond(h: FaultHandler) -> None:
        h.send_body(200, bomb(encoding, BOMB_EXPANDED_MIB), headers={"Content-Encoding": encoding})

    return respond


def _video(h: FaultHandler) -> None:
    header = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    zeros = bytes(64 * 1024)
    chunks = (header if i == 0 else zeros for i in range(BIG_PAGE_BYTES // len(zeros)))
    h.stream("video/mp4", chunks)


def _drip(h: FaultHandler) -> None:
    """One byte per second of a page that never finishes in time."""
    body = article_html("one byte per second").encode("utf-8")
    h.start_response(200, "text/html; charset=utf-8", {"Content-Length": str(len(body))})
    for index in range(min(len(body), DRIP_MAX_SECONDS)):
        h.wfile.write(body[index : index + 1])
        h.wfile.flush()
        if h.server.stopping.wait(1.0):
            return


def _stall(h: FaultHandler) -> None:
    """Accept, read the request, then say nothing."""
    h.server.stopping.wait(STALL_MAX_SECONDS)


def _encoded(
    seed: str, *, lang: str, body_charset: str, meta: str | None, header: str | None
) -> Callable[[FaultHandler], None]:
    def respond(h: FaultHandler) -> None:
        page = article_html(seed, lang=lang, charset=meta).encode(body_charset)
        content_type = "text/html" + (f"; charset={header}" if header else "")
        h.send_body(200, page, content_type)

    return respond


def _mixed_encodings(h: FaultHandler) -> None:
    """A UTF-8 page with one paragraph pasted in windows-1256 (a legacy CMS include)."""
    texts = paragraphs("mixed encodings", "ar")
    page = article_html("mixed encodings", lang="ar", body=texts[:-1]).encode("utf-8")
    legacy = f"<p>{texts[-1]}</p>".encode("cp1256")
    cut = page.index(b"</article>")
    h.send_body(200, page[:cut] + legacy + page[cut:])


def _invalid_utf8(h: FaultHandler) -> None:
    page = article_html("invalid utf8").encode("utf-8")
    bad = (b"\xff", b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x92", b"\xed\xa0\x80", b"\xc0\xaf")
    out = bytearray()
    for index, piece in enumerate(page.split(b" ")):
        out += piece + (bad[index % len(bad)] if index % 7 == 3 else b"") + b" "
    h.send_body(200, bytes(out))


def _sprinkled(seed: str, chars: str) -> Callable[[FaultHandler], None]:
    def respond(h: FaultHandler) -> None:
        texts = paragraphs(seed)
        dirty = [
            " ".join(
                w + (chars[i % len(chars)] if i % 5 == 2 else "") for i, w in enumerate(p.split())
            )
            for p in texts
        ]
        title = chars[:2] + "Statement " + chars[-2:] + "on " + " ".join(texts[0].split()[:5])
        h.send_body(200, article_html(seed, title=title, body=dirty).encode("utf-8"))

    return respond


def _deep(depth: int, *, article_inside: bool) -> Callable[[FaultHandler], None]:
    def respond(h: FaultHandler) -> None:
        seed = f"deep {article_inside}"
        page = article_html(seed).encode("utf-8")
        nest_open, nest_close = b"<div>" * depth, b"</div>" * depth
        if article_inside:
            start, end = page.index(b"<article>"), page.index(b"</article>") + len(b"</article>")
            page = page[:start] + nest_open + page[start:end] + nest_close + page[end:]
        else:
            end = page.index(b"</article>") + len(b"</article>")
            page = page[:end] + nest_open + b"deep" + nest_close + page[end:]
        h.send_body(200, page)

    return respond


def _many_elements(h: FaultHandler) -> None:
    page = article_html("many elements").encode("utf-8")
    end = page.index(b"</article>") + len(b"</article>")
    h.send_body(200, page[:end] + b"<div><span>x</span></div>" * 100_000 + page[end:])


def _long_line(h: FaultHandler) -> None:
    """A minified page: all of it on one 5 MB line (most of it an inline JSON state blob)."""
    blob = '{"items":[' + ",".join(f'{{"id":{i},"v":"{i:08x}"}}' for i in range(230_000)) + "]}"
    script = f"<script>window.__STATE__={blob};</script>"
    page = article_html("long line", extra_head=script)
    h.send_body(200, page.replace("\n", " ").encode("utf-8"))


def _huge_paragraph(h: FaultHandler) -> None:
    """One paragraph of 5 MB of words."""
    rng = random.Random("huge paragraph")
    words = " ".join(paragraphs("huge paragraph", count=60)).split()
    huge = " ".join(rng.choice(words) for _ in range(5_000_000 // 7))
    page = article_html("huge paragraph", body=[*paragraphs("huge paragraph head"), huge])
    h.send_body(200, page.encode("utf-8"))


def _hostile_links(h: FaultHandler) -> None:
    links = (
        '<p><a href="javascript:alert(document.cookie)">Read more</a> '
        '<a href="mailto:editor@example.com">Write to us</a> '
        '<a href="/path with spaces/ article.html">spaces</a> '
        '<a href="/مقالات/خبر عاجل.html">عربي</a> '
        '<a href="data:text/html,<script>alert(1)</script>">data</a> '
        '<a href="http://[::1">broken</a> <a href="//">empty host</a></p>'
    )
    head = '<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="mailto:x@y">'
    h.send_body(
        200, article_html("hostile links", extra_head=head, extra_body=links).encode("utf-8")
    )


def _json_ld_surrogates(h: FaultHandler) -> None:
    """JSON-LD whose headline and author hold lone UTF-16 surrogate escapes."""
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Minister \\ud800 resigns after \\udfff the vote", '
        '"author": {"name": "Reporter \\udc00 Name"}}</script>'
    )
    h.send_body(200, article_html("json ld surrogates", extra_head=ld).encode("utf-8"))


_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(random.Random("jpeg").randbytes(4000))
_BINARY = random.Random("binary").randbytes(200_000)
_ARABIC_PHRASE = " ".join(paragraphs("charset header wrong", "ar")[1].split()[:6])
_ARABIC_PHRASE_2 = " ".join(paragraphs("charset meta wrong", "ar")[1].split()[:6])
_ARABIC_PHRASE_3 = " ".join(paragraphs("charset latin default", "ar")[1].split()[:6])
_BIDI = "\u202e\u2066\u202b\u2069\u202c"
_CONTROLS = "\x01\x02\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f"


CASES: tuple[FaultCase, ...] = (
    FaultCase(
        "truncated_html", "HTML cut inside the last paragraph", "news/written", _truncated_html
    ),
    FaultCase(
        "truncated_transfer",
        "Content-Length promises more than is sent",
        "news/errors/fetch/data_loss",
        _truncated_transfer,
    ),
    FaultCase(
        "empty_body", "200 with a 0-byte body", "news/errors/empty_body", _raw(b"", "text/html")
    ),
    FaultCase(
        "binary_as_html",
        "200 KB of random bytes as text/html",
        "news/errors/not_html",
        _raw(_BINARY, "text/html"),
    ),
    FaultCase(
        "pdf_as_html",
        "a PDF served as text/html",
        "news/errors/not_html",
        _raw(_PDF, "text/html; charset=utf-8"),
    ),
    FaultCase(
        "pdf",
        "application/pdf behind an article URL",
        "news/errors/not_html",
        _raw(_PDF, "application/pdf"),
    ),
    FaultCase(
        "image",
        "image/jpeg behind an article URL",
        "news/errors/not_html",
        _raw(_JPEG, "image/jpeg"),
    ),
    FaultCase(
        "video",
        "50 MB of video/mp4, chunked, behind an article URL",
        "news/errors/not_html",
        _video,
    ),
    FaultCase(
        "big_page_declared",
        "a 50 MB page with Content-Length",
        "news/errors/too_large",
        _big_declared,
    ),
    FaultCase(
        "big_page_chunked",
        "a 50 MB page, chunked (no length)",
        "news/errors/too_large",
        _big_chunked,
    ),
    *(
        FaultCase(
            f"{encoding}_bomb",
            f"Content-Encoding: {encoding} expanding to {BOMB_EXPANDED_MIB // 1024} GiB",
            "news/errors/too_large",
            _bomb(encoding),
        )
        for encoding in available_encodings()
    ),
    FaultCase(
        "redirect_loop",
        "a → b → a",
        "news/errors/redirect_loop",
        _redirect(lambda h: "/case/redirect_loop/b.html"),
    ),
    FaultCase(
        "redirect_loop_b",
        "b → a (second half of the loop; not a start URL)",
        "",
        _redirect(lambda h: "/case/redirect_loop/article.html"),
        path="/case/redirect_loop/b.html",
    ),
    FaultCase(
        "redirect_chain",
        "an endless chain of new URLs",
        "news/errors/redirect_loop",
        _redirect(lambda h: f"/case/redirect_chain/{time.monotonic_ns()}.html"),
        path="/case/redirect_chain/",
    ),
    FaultCase(
        "redirect_other_site",
        "301 to an article on another host name",
        "news/written",
        _redirect(lambda h: f"http://localhost:{h.server.port}{_OTHER_SITE_PATH}", 301),
    ),
    FaultCase(
        "redirect_dead_site",
        "302 to a host that refuses connections",
        "news/errors/fetch/connection_refused",
        _redirect(lambda h: f"http://127.0.0.1:{h.server.dead_port}/article.html"),
    ),
    FaultCase(
        "redirect_javascript",
        "302 to javascript:",
        "news/errors/fetch/bad_redirect",
        _redirect(lambda h: "javascript:alert(document.cookie)"),
    ),
    FaultCase(
        "redirect_file",
        "302 to file:///etc/passwd",
        "news/errors/fetch/bad_redirect",
        _redirect(lambda h: "file:///etc/passwd"),
    ),
    FaultCase("status_403", "403 Forbidden", "news/errors/fetch/http_403", _status(403)),
    FaultCase("status_404", "404 Not Found", "news/errors/fetch/http_404", _status(404)),
    FaultCase("status_410", "410 Gone", "news/errors/fetch/http_410", _status(410)),
    FaultCase(
        "status_429",
        "429 with Retry-After: 1",
        "news/errors/fetch/http_429",
        _status(429, {"Retry-After": "1"}),
    ),
    FaultCase(
        "status_500", "500 Internal Server Error", "news/errors/fetch/http_500", _status(500)
    ),
    FaultCase(
        "status_503",
        "503 with Retry-After: 2",
        "news/errors/fetch/http_503",
        _status(503, {"Retry-After": "2"}),
    ),
    FaultCase(
        "one_byte_per_second",
        "a page sent one byte per second",
        "news/errors/timeout",
        _drip,
        settings={"DOWNLOAD_TIMEOUT": "3"},
    ),
    FaultCase(
        "stalled",
        "headers never sent",
        "news/errors/timeout",
        _stall,
        settings={"DOWNLOAD_TIMEOUT": "3"},
    ),
    FaultCase(
        "charset_header_wrong",
        "header utf-8 over a windows-1256 page whose meta tag says windows-1256",
        "news/written",
        _encoded(
            "charset header wrong",
            lang="ar",
            body_charset="cp1256",
            meta="windows-1256",
            header="utf-8",
        ),
        must_contain=_ARABIC_PHRASE,
    ),
    FaultCase(
        "charset_meta_wrong",
        "header windows-1256 over a UTF-8 page whose meta tag says utf-8",
        "news/written",
        _encoded(
            "charset meta wrong",
            lang="ar",
            body_charset="utf-8",
            meta="utf-8",
            header="windows-1256",
        ),
        must_contain=_ARABIC_PHRASE_2,
    ),
    FaultCase(
        "charset_latin_default",
        "server default iso-8859-1 over a windows-1256 page declared in its meta tag",
        "news/written",
        _encoded(
            "charset latin default",
            lang="ar",
            body_charset="cp1256",
            meta="windows-1256",
            header="iso-8859-1",
        ),
        must_contain=_ARABIC_PHRASE_3,
    ),
    FaultCase(
        "mixed_encodings",
        "UTF-8 page with a windows-1256 paragraph",
        "news/written",
        _mixed_encodings,
        must_contain=" ".join(paragraphs("mixed encodings", "ar")[1].split()[:6]),
    ),
    FaultCase(
        "invalid_utf8", "UTF-8 page with invalid byte sequences", "news/written", _invalid_utf8
    ),
    FaultCase(
        "nul_bytes", "NUL bytes inside words", "news/written", _sprinkled("nul bytes", "\x00")
    ),
    FaultCase(
        "control_chars",
        "C0 control characters inside the text",
        "news/written",
        _sprinkled("control chars", _CONTROLS),
    ),
    FaultCase(
        "bidi_controls",
        "bidi overrides and isolates in headline and text",
        "news/written",
        _sprinkled("bidi", _BIDI),
    ),
    FaultCase(
        "deep_nesting",
        "the article inside 100,000 nested elements",
        "news/errors/extract/too_deep",
        _deep(100_000, article_inside=True),
    ),
    FaultCase(
        "deep_nesting_after",
        "100,000 nested elements after the article",
        "news/written",
        _deep(100_000, article_inside=False),
    ),
    FaultCase(
        "many_elements",
        "200,000 elements beside the article",
        "news/errors/extract/too_many_elements",
        _many_elements,
    ),
    FaultCase("long_line", "the whole page on one 5 MB line", "news/written", _long_line),
    FaultCase(
        "huge_paragraph",
        "a 5 MB paragraph",
        "news/errors/extract/too_long",
        _huge_paragraph,
    ),
    FaultCase(
        "hostile_links",
        "javascript:, mailto:, data: and broken links; canonical javascript:",
        "news/written",
        _hostile_links,
    ),
    FaultCase(
        "json_ld_surrogates",
        "lone surrogate escapes in JSON-LD headline and author",
        "news/written",
        _json_ld_surrogates,
        must_contain="Minister resigns after the vote",
    ),
    FaultCase(
        "url_with_spaces",
        "spaces in the URL path",
        "news/written",
        _article("url with spaces"),
        path="/case/url with spaces/an article.html",
    ),
    FaultCase(
        "url_non_ascii",
        "Arabic characters in the URL path",
        "news/written",
        _article("url non ascii", lang="ar"),
        path="/case/مقالات/خبر-عاجل.html",
    ),
    FaultCase(
        "start_javascript",
        "javascript: as a start URL",
        "news/errors/bad_url",
        start_url="javascript:alert(document.cookie)",
    ),
    FaultCase(
        "start_mailto",
        "mailto: as a start URL",
        "news/errors/bad_url",
        start_url="mailto:editor@example.com",
    ),
)
"""Every case the server knows. ``redirect_loop_b`` is only a route, not a case to start."""

START_CASES: tuple[FaultCase, ...] = tuple(c for c in CASES if c.expect)
"""The cases a crawl starts from (each must end up counted under its ``expect`` key)."""
