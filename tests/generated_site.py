"""A small generated news site (N article pages from one template) and a slow loopback server.

Each article gets its own words (seeded), so no two are near-duplicates, and enough of them to
pass ``NEWS_MIN_WORDS``; the page carries the boilerplate a real one has (navigation, a
"most read" box, a share bar, a footer). The server can hold each article response for a
moment so that concurrent workers really share the work and a kill lands mid-flight.
"""

from __future__ import annotations

import functools
import random
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

_VOCABULARY = (
    "government minister council budget election parliament river harbour market farmers "
    "teachers hospital province coast drought rainfall festival museum railway bridge port "
    "exports wheat cotton olive fishermen village mayor court judge ruling protest union "
    "wages prices inflation bank currency reserve tourism season hotel airline airport "
    "school students exam university research climate storm flood rescue volunteers clinic "
    "vaccine doctors nurses water supply electricity grid solar wind project contract "
    "company workers factory output quarter report survey census households families "
    "children library theatre artists exhibition football league match coach stadium fans "
    "police traffic accident highway road repairs weather forecast heat winter spring"
)
_WORDS = _VOCABULARY.split(" ")

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Harbour Daily</title>
<meta property="og:site_name" content="Harbour Daily"></head>
<body>
<nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/sport/">Sport</a></nav>
<article>
<h1>{title}</h1>
<p class="byline">By Staff Reporter</p>
<time datetime="2025-03-{day:02d}">March {day}, 2025</time>
{paragraphs}
<div class="share">Share on Facebook Share on X</div>
</article>
<aside><h3>Most read</h3><ul><li><a href="/a/other.html">Another story</a></li></ul></aside>
<footer>Copyright 2025 Harbour Daily. All rights reserved.</footer>
</body></html>
"""


def article_html(number: int) -> str:
    """One article page; its words depend only on ``number``."""
    rng = random.Random(number)
    title = " ".join(rng.choice(_WORDS) for _ in range(6)).capitalize() + f" ({number})"
    paragraphs = []
    for _ in range(5):
        words = [rng.choice(_WORDS) for _ in range(28)]
        paragraphs.append(f"<p>{' '.join(words).capitalize()}.</p>")
    return _PAGE.format(title=title, day=1 + number % 28, paragraphs="\n".join(paragraphs))


def write_site(root: Path, count: int) -> list[str]:
    """``count`` article pages under ``root/a/``; their paths, ``/a/NNN.html``."""
    (root / "a").mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = f"/a/{number:03d}.html"
        (root / path.lstrip("/")).write_text(article_html(number), encoding="utf-8")
        paths.append(path)
    return paths


class SlowHandler(SimpleHTTPRequestHandler):
    """Serves a folder; records request paths; holds article pages ``delay`` seconds."""

    delay = 0.0

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        server: Any = self.server
        with server.lock:
            server.requests.append(self.path)
        if self.path.startswith("/a/"):
            time.sleep(server.delay)
        super().do_GET()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A killed crawler drops its connections: not worth a traceback on stderr."""


def serve_slowly(root: Path, delay: float) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``root`` on 127.0.0.1 (a free port); ``server.requests`` lists request paths."""
    server: Any = _Server(("127.0.0.1", 0), functools.partial(SlowHandler, directory=str(root)))
    server.requests = []
    server.lock = threading.Lock()
    server.delay = delay
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
