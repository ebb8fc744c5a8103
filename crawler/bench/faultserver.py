"""A loopback HTTP server that misbehaves on purpose: the hostile-web cases of issue 7.

Each ``FaultCase`` names one misbehaviour, the URL that triggers it, and how the crawl must
count it (the stats key); ``crawler.bench.faultcases`` lists them and
``crawler.bench.responders`` holds the misbehaviours. The server binds 127.0.0.1 on a free
port, serves each route in its own thread, and tells slow responders to stop (``stopping``)
when it is closed; it runs on the shared ``crawler.localsite.server.LoopbackServer``. It lives in the package, not in ``tests/``, because
``python -m crawler.bench faults`` serves the same cases; the tests import it from here.
"""

from __future__ import annotations

import collections
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from crawler.localsite.server import LoopbackServer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    Responder = Callable[["FaultHandler"], None]

CANARY_PATH = "/site/canary.html"
"""Where every server serves a normal article (the "canary" each crawl must still write)."""


@dataclass(frozen=True, slots=True)
class FaultCase:
    """One hostile input and the outcome the crawl must reach on it."""

    name: str
    description: str
    expect: str
    """Stats key the URL must be counted under; ``news/written`` when the article must be saved."""
    respond: Responder | None = None
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
    sources_toml: str = ""
    """For ``start="sources"``: the file, ``{base}`` and ``{dead}`` filled in by the server."""
    message: str = ""
    """A phrase the crawl's log must hold once (the file:line of a bad sources file)."""
    warnings: int | None = None
    """WARNING lines naming the URL; default 0 for a written article or a skip, else 1."""

    @property
    def expected_warnings(self) -> int:
        if self.warnings is not None:
            return self.warnings
        return 0 if self.expect in {"", "news/written"} or "/skipped/" in self.expect else 1

    @property
    def url_path(self) -> str:
        return self.path or f"/case/{self.name}/article.html"


class FaultServer(LoopbackServer):
    """Serves the cases and helper routes on 127.0.0.1, port chosen by the OS.

    A path not found is looked up again as its folder (``/a/b/`` serves every ``/a/b/x``).
    """

    def __init__(self, cases: Iterable[FaultCase], routes: Mapping[str, Responder]) -> None:
        super().__init__(FaultHandler)
        self.cases = {c.name: c for c in cases}
        self.routes: dict[str, Responder] = {
            c.url_path: c.respond for c in self.cases.values() if c.respond is not None
        }
        self.routes.update(routes)
        self.hits: collections.Counter[str] = collections.Counter()
        self.hits_lock = threading.Lock()
        # A bound socket that never listens: connecting to it is refused at once.
        self._dead = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._dead.bind(("127.0.0.1", 0))
        self.dead_port = int(self._dead.getsockname()[1])

    def url(self, case: FaultCase | str) -> str:
        """The start URL of a case (human form: spaces and non-ASCII left as they are)."""
        found = self.cases[case] if isinstance(case, str) else case
        return found.start_url or f"{self.base}{found.url_path}"

    def sources_text(self, case: FaultCase) -> str:
        """The case's sources file with this server's addresses in it."""
        return case.sources_toml.format(base=self.base, dead=self.dead_port)

    def canary_url(self) -> str:
        """A normal article that every crawl must still write, whatever else goes wrong."""
        return f"{self.base}{CANARY_PATH}"

    def close(self) -> None:
        """Stop serving; slow responders notice ``stopping`` and return within a second."""
        super().close()
        self._dead.close()


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
