"""The hostile-web cases of issue 7, each with the outcome the crawl must reach on it.

Adding a case (for instance the sitemap cases once discovery exists) is one ``FaultCase``
here with a responder in ``crawler.bench.responders``; its ``start`` names the spider
argument its URL goes to and ``expect_exit`` the crawl's exit status.
"""

from __future__ import annotations

import time

from crawler.bench import responders as r
from crawler.bench.bombs import available_encodings
from crawler.bench.discoveryfaults import DISCOVERY_CASES
from crawler.bench.faultserver import FaultCase, FaultServer
from crawler.bench.sitegen import paragraphs

CASES: tuple[FaultCase, ...] = (
    FaultCase(
        "truncated_html", "HTML cut inside the last paragraph", "news/written", r.truncated_html
    ),
    FaultCase(
        "truncated_transfer",
        "Content-Length promises more than is sent",
        "news/errors/fetch/data_loss",
        r.truncated_transfer,
    ),
    FaultCase(
        "empty_body", "200 with a 0-byte body", "news/errors/empty_body", r.raw(b"", "text/html")
    ),
    FaultCase(
        "binary_as_html",
        "200 KB of random bytes as text/html",
        "news/errors/not_html",
        r.raw(r.BINARY, "text/html"),
    ),
    FaultCase(
        "pdf_as_html",
        "a PDF served as text/html",
        "news/errors/not_html",
        r.raw(r.PDF, "text/html; charset=utf-8"),
    ),
    FaultCase(
        "pdf",
        "application/pdf behind an article URL",
        "news/errors/not_html",
        r.raw(r.PDF, "application/pdf"),
    ),
    FaultCase(
        "image",
        "image/jpeg behind an article URL",
        "news/errors/not_html",
        r.raw(r.JPEG, "image/jpeg"),
    ),
    FaultCase(
        "video",
        "50 MB of video/mp4, chunked, behind an article URL",
        "news/errors/not_html",
        r.video,
    ),
    FaultCase(
        "big_page_declared",
        "a 50 MB page with Content-Length",
        "news/errors/too_large",
        r.big_declared,
    ),
    FaultCase(
        "big_page_chunked",
        "a 50 MB page, chunked (no length)",
        "news/errors/too_large",
        r.big_chunked,
    ),
    *(
        FaultCase(
            f"{encoding}_bomb",
            f"Content-Encoding: {encoding} expanding to {r.BOMB_EXPANDED_MIB // 1024} GiB",
            "news/errors/too_large",
            r.bomb(encoding),
        )
        for encoding in available_encodings()
    ),
    FaultCase(
        "redirect_loop",
        "a → b → a",
        "news/errors/redirect_loop",
        r.redirect(lambda h: "/case/redirect_loop/b.html"),
    ),
    FaultCase(
        "redirect_loop_b",
        "b → a (second half of the loop; not a start URL)",
        "",
        r.redirect(lambda h: "/case/redirect_loop/article.html"),
        path="/case/redirect_loop/b.html",
    ),
    FaultCase(
        "redirect_chain",
        "an endless chain of new URLs",
        "news/errors/redirect_loop",
        r.redirect(lambda h: f"/case/redirect_chain/{time.monotonic_ns()}.html"),
        path="/case/redirect_chain/",
    ),
    FaultCase(
        "redirect_other_site",
        "301 to an article on another host name",
        "news/written",
        r.redirect(lambda h: f"http://localhost:{h.server.port}{r.OTHER_SITE_PATH}", 301),
    ),
    FaultCase(
        "redirect_dead_site",
        "302 to a host that refuses connections",
        "news/errors/fetch/connection_refused",
        r.redirect(lambda h: f"http://127.0.0.1:{h.server.dead_port}/article.html"),
    ),
    FaultCase(
        "redirect_javascript",
        "302 to javascript:",
        "news/errors/fetch/bad_redirect",
        r.redirect(lambda h: "javascript:alert(document.cookie)"),
    ),
    FaultCase(
        "redirect_file",
        "302 to file:///etc/passwd",
        "news/errors/fetch/bad_redirect",
        r.redirect(lambda h: "file:///etc/passwd"),
    ),
    FaultCase("status_403", "403 Forbidden", "news/errors/fetch/http_403", r.status(403)),
    FaultCase("status_404", "404 Not Found", "news/errors/fetch/http_404", r.status(404)),
    FaultCase("status_410", "410 Gone", "news/errors/fetch/http_410", r.status(410)),
    FaultCase(
        "status_429",
        "429 with Retry-After: 1",
        "news/errors/fetch/http_429",
        r.status(429, {"Retry-After": "1"}),
    ),
    FaultCase(
        "status_500", "500 Internal Server Error", "news/errors/fetch/http_500", r.status(500)
    ),
    FaultCase(
        "status_503",
        "503 with Retry-After: 2",
        "news/errors/fetch/http_503",
        r.status(503, {"Retry-After": "2"}),
    ),
    FaultCase(
        "one_byte_per_second",
        "a page sent one byte per second",
        "news/errors/timeout",
        r.drip,
        settings={"DOWNLOAD_TIMEOUT": "3"},
    ),
    FaultCase(
        "stalled",
        "headers never sent",
        "news/errors/timeout",
        r.stall,
        settings={"DOWNLOAD_TIMEOUT": "3"},
    ),
    FaultCase(
        "charset_header_wrong",
        "header utf-8 over a windows-1256 page whose meta tag says windows-1256",
        "news/written",
        r.encoded(
            "charset header wrong",
            lang="ar",
            body_charset="cp1256",
            meta="windows-1256",
            header="utf-8",
        ),
        must_contain=r.ARABIC_PHRASE,
    ),
    FaultCase(
        "charset_meta_wrong",
        "header windows-1256 over a UTF-8 page whose meta tag says utf-8",
        "news/written",
        r.encoded(
            "charset meta wrong",
            lang="ar",
            body_charset="utf-8",
            meta="utf-8",
            header="windows-1256",
        ),
        must_contain=r.ARABIC_PHRASE_2,
    ),
    FaultCase(
        "charset_latin_default",
        "server default iso-8859-1 over a windows-1256 page declared in its meta tag",
        "news/written",
        r.encoded(
            "charset latin default",
            lang="ar",
            body_charset="cp1256",
            meta="windows-1256",
            header="iso-8859-1",
        ),
        must_contain=r.ARABIC_PHRASE_3,
    ),
    FaultCase(
        "mixed_encodings",
        "UTF-8 page with a windows-1256 paragraph",
        "news/written",
        r.mixed_encodings,
        must_contain=" ".join(paragraphs("mixed encodings", "ar")[1].split()[:6]),
    ),
    FaultCase(
        "invalid_utf8", "UTF-8 page with invalid byte sequences", "news/written", r.invalid_utf8
    ),
    FaultCase(
        "nul_bytes", "NUL bytes inside words", "news/written", r.sprinkled("nul bytes", "\x00")
    ),
    FaultCase(
        "control_chars",
        "C0 control characters inside the text",
        "news/written",
        r.sprinkled("control chars", r.CONTROLS),
    ),
    FaultCase(
        "bidi_controls",
        "bidi overrides and isolates in headline and text",
        "news/written",
        r.sprinkled("bidi", r.BIDI),
    ),
    FaultCase(
        "deep_nesting",
        "the article inside 100,000 nested elements",
        "news/errors/extract/too_deep",
        r.deep(100_000, article_inside=True),
    ),
    FaultCase(
        "deep_nesting_after",
        "100,000 nested elements after the article",
        "news/written",
        r.deep(100_000, article_inside=False),
    ),
    FaultCase(
        "many_elements",
        "200,000 elements beside the article",
        "news/errors/extract/too_many_elements",
        r.many_elements,
    ),
    FaultCase("long_line", "the whole page on one 5 MB line", "news/written", r.long_line),
    FaultCase(
        "huge_paragraph",
        "a 5 MB paragraph",
        "news/errors/extract/too_long",
        r.huge_paragraph,
    ),
    FaultCase(
        "hostile_links",
        "javascript:, mailto:, data: and broken links; canonical javascript:",
        "news/written",
        r.hostile_links,
    ),
    FaultCase(
        "json_ld_surrogates",
        "lone surrogate escapes in JSON-LD headline and author",
        "news/written",
        r.json_ld_surrogates,
        must_contain="Minister resigns after the vote",
    ),
    FaultCase(
        "url_with_spaces",
        "spaces in the URL path",
        "news/written",
        r.article("url with spaces"),
        path="/case/url with spaces/an article.html",
    ),
    FaultCase(
        "url_non_ascii",
        "Arabic characters in the URL path",
        "news/written",
        r.article("url non ascii", lang="ar"),
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
    *DISCOVERY_CASES,
)
"""Every case the server knows. ``redirect_loop_b`` is only a route, not a case to start."""

START_CASES: tuple[FaultCase, ...] = tuple(c for c in CASES if c.expect or c.expect_exit)
"""The cases a crawl starts from (each must end up counted under its ``expect`` key, or
exit with its ``expect_exit`` status)."""

URL_CASES: tuple[FaultCase, ...] = tuple(c for c in START_CASES if c.start == "urls")
"""The cases whose URL is an article page (``-a urls=``): one crawl can serve them all."""


def fault_server() -> FaultServer:
    """A server for every case (not started: use it as a context manager)."""
    r.warm_bombs()
    return FaultServer(CASES, r.HELPER_ROUTES)
