"""The misbehaviours of the fault server: one function (or factory) per hostile response.

Every responder takes the ``FaultHandler`` of one request. Big bodies are streamed from a
repeated piece (a 50 MB page is never held in memory); slow ones wait on the server's
``stopping`` event, so closing the server ends them within a second.
"""

from __future__ import annotations

import random
import threading
from typing import TYPE_CHECKING, Any

from crawler.bench import bombs
from crawler.bench.faultserver import CANARY_PATH
from crawler.bench.sitegen import article_html, paragraphs

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from crawler.bench.faultserver import FaultHandler

    Responder = Callable[[FaultHandler], None]

BIG_PAGE_BYTES = 50 * 1000 * 1000
"""The "50 MB page": streamed in 64 KiB pieces, never built whole."""
BOMB_EXPANDED_MIB = 2048
"""What a decompression bomb expands to (2 GiB) for a client that applies no limit."""
DRIP_MAX_SECONDS = 120
"""The slow responder gives up after this long even if the client is still listening."""
STALL_MAX_SECONDS = 60
"""The silent responder closes the connection after this long."""
OTHER_SITE_PATH = "/other-site/moved-article.html"
"""Target of the cross-site redirect, served only under the host name ``localhost``."""


def article(seed: str, **kwargs: Any) -> Responder:
    def respond(h: FaultHandler) -> None:
        h.send_body(200, article_html(seed, **kwargs).encode("utf-8"))

    return respond


def other_site(h: FaultHandler) -> None:
    """The target of a cross-site redirect: only served under the ``localhost`` host name."""
    if h.host_header != "localhost":
        h.send_body(404, b"not on this site", "text/plain")
        return
    h.send_body(200, article_html("moved to another site").encode("utf-8"))


HELPER_ROUTES: dict[str, Responder] = {
    CANARY_PATH: article("canary"),
    OTHER_SITE_PATH: other_site,
}


def warm_bombs() -> None:
    """Build the bombs now (in a thread), so that the first request does not wait for them."""
    threading.Thread(
        target=lambda: [bombs.bomb(e, BOMB_EXPANDED_MIB) for e in bombs.available_encodings()],
        daemon=True,
    ).start()


def status(code: int, headers: Mapping[str, str] | None = None) -> Responder:
    def respond(h: FaultHandler) -> None:
        h.send_body(code, f"<html><body><h1>{code}</h1></body></html>".encode(), headers=headers)

    return respond


def raw(body: bytes, content_type: str | None) -> Responder:
    def respond(h: FaultHandler) -> None:
        h.send_body(200, body, content_type)

    return respond


def redirect(location: Callable[[FaultHandler], str], code: int = 302) -> Responder:
    def respond(h: FaultHandler) -> None:
        h.send_body(code, b"", "text/html", {"Location": location(h)})

    return respond


def truncated_html(h: FaultHandler) -> None:
    page = article_html("truncated html").encode("utf-8")
    h.send_body(200, page[: page.index(b"</article>") - 40])  # cut inside the last paragraph


def truncated_transfer(h: FaultHandler) -> None:
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


def big_declared(h: FaultHandler) -> None:
    h.stream("text/html; charset=utf-8", _big_page_chunks(BIG_PAGE_BYTES), length=BIG_PAGE_BYTES)


def big_chunked(h: FaultHandler) -> None:
    h.stream("text/html; charset=utf-8", _big_page_chunks(BIG_PAGE_BYTES))


def bomb(encoding: str) -> Responder:
    def respond(h: FaultHandler) -> None:
        body = bombs.bomb(encoding, BOMB_EXPANDED_MIB)
        h.send_body(200, body, headers={"Content-Encoding": encoding})

    return respond


def video(h: FaultHandler) -> None:
    header = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    zeros = bytes(64 * 1024)
    chunks = (header if i == 0 else zeros for i in range(BIG_PAGE_BYTES // len(zeros)))
    h.stream("video/mp4", chunks)


def drip(h: FaultHandler) -> None:
    """One byte per second of a page that never finishes in time."""
    body = article_html("one byte per second").encode("utf-8")
    h.start_response(200, "text/html; charset=utf-8", {"Content-Length": str(len(body))})
    for index in range(min(len(body), DRIP_MAX_SECONDS)):
        h.wfile.write(body[index : index + 1])
        h.wfile.flush()
        if h.server.stopping.wait(1.0):
            return


def stall(h: FaultHandler) -> None:
    """Accept, read the request, then say nothing."""
    h.server.stopping.wait(STALL_MAX_SECONDS)


def encoded(
    seed: str, *, lang: str, body_charset: str, meta: str | None, header: str | None
) -> Responder:
    def respond(h: FaultHandler) -> None:
        page = article_html(seed, lang=lang, charset=meta).encode(body_charset)
        content_type = "text/html" + (f"; charset={header}" if header else "")
        h.send_body(200, page, content_type)

    return respond


def mixed_encodings(h: FaultHandler) -> None:
    """A UTF-8 page with one paragraph pasted in windows-1256 (a legacy CMS include)."""
    texts = paragraphs("mixed encodings", "ar")
    page = article_html("mixed encodings", lang="ar", body=texts[:-1]).encode("utf-8")
    legacy = f"<p>{texts[-1]}</p>".encode("cp1256")
    cut = page.index(b"</article>")
    h.send_body(200, page[:cut] + legacy + page[cut:])


def invalid_utf8(h: FaultHandler) -> None:
    page = article_html("invalid utf8").encode("utf-8")
    bad = (b"\xff", b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x92", b"\xed\xa0\x80", b"\xc0\xaf")
    out = bytearray()
    for index, piece in enumerate(page.split(b" ")):
        out += piece + (bad[index % len(bad)] if index % 7 == 3 else b"") + b" "
    h.send_body(200, bytes(out))


def sprinkled(seed: str, chars: str) -> Responder:
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


def deep(depth: int, *, article_inside: bool) -> Responder:
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


def many_elements(h: FaultHandler) -> None:
    page = article_html("many elements").encode("utf-8")
    end = page.index(b"</article>") + len(b"</article>")
    h.send_body(200, page[:end] + b"<div><span>x</span></div>" * 100_000 + page[end:])


def long_line(h: FaultHandler) -> None:
    """A minified page: all of it on one 5 MB line (most of it an inline JSON state blob)."""
    blob = '{"items":[' + ",".join(f'{{"id":{i},"v":"{i:08x}"}}' for i in range(230_000)) + "]}"
    script = f"<script>window.__STATE__={blob};</script>"
    page = article_html("long line", extra_head=script)
    h.send_body(200, page.replace("\n", " ").encode("utf-8"))


def huge_paragraph(h: FaultHandler) -> None:
    """One paragraph of 5 MB of words."""
    rng = random.Random("huge paragraph")
    words = " ".join(paragraphs("huge paragraph", count=60)).split()
    huge = " ".join(rng.choice(words) for _ in range(5_000_000 // 7))
    page = article_html("huge paragraph", body=[*paragraphs("huge paragraph head"), huge])
    h.send_body(200, page.encode("utf-8"))


def hostile_links(h: FaultHandler) -> None:
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


def json_ld_surrogates(h: FaultHandler) -> None:
    """JSON-LD whose headline and author hold lone UTF-16 surrogate escapes."""
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Minister \\ud800 resigns after \\udfff the vote", '
        '"author": {"name": "Reporter \\udc00 Name"}}</script>'
    )
    page = article_html(
        "json ld surrogates", title="Minister resigns after the vote", extra_head=ld
    )
    h.send_body(200, page.encode("utf-8"))


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(random.Random("jpeg").randbytes(4000))
BINARY = random.Random("binary").randbytes(200_000)
ARABIC_PHRASE = " ".join(paragraphs("charset header wrong", "ar")[1].split()[:6])
ARABIC_PHRASE_2 = " ".join(paragraphs("charset meta wrong", "ar")[1].split()[:6])
ARABIC_PHRASE_3 = " ".join(paragraphs("charset latin default", "ar")[1].split()[:6])
BIDI = "\u202e\u2066\u202b\u2069\u202c"
CONTROLS = "\x01\x02\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f"
