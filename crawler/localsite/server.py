"""The one loopback HTTP server of ``scrapy demo``, the tests and the benchmarks: a folder served like a real site.

``LoopbackServer`` binds a loopback address on a port the OS picks (never bind-close-reuse)
and serves each request in a daemon thread; ``crawler.bench.faultserver`` runs its hostile
responders on it too. ``SiteServer`` serves a rendered or generated folder with ETag
validators (304s), scripted statuses and redirects, query variants of a file
(``index@page=2.html`` answers ``/?page=2``), records every request (path, time,
headers) for tests that check what was fetched, and can hold responses under a path prefix:
for a fixed delay, or at a ``Gate`` the test opens, so a test waits for an event (the
crawler has N requests in flight) instead of sleeping and hoping.
"""

from __future__ import annotations

import functools
import ipaddress
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable


class LoopbackServer(ThreadingHTTPServer):
    """An HTTP server on a loopback address and a free port, serving from daemon threads."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        handler: Callable[..., BaseHTTPRequestHandler],
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"local sites listen on loopback addresses only, not {host}")
        super().__init__((host, port), handler)
        self.host = host
        self.stopping = threading.Event()
        """Set on :meth:`close`: slow and held responders return instead of waiting."""
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early (a killed crawl, a refused body) is not an error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)

    def close(self) -> None:
        """Stop serving; release whatever responders are waiting."""
        self.stopping.set()
        if self._thread is not None:
            self.shutdown()
        self.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class Gate:
    """Holds responses until the test lets them through: ``allow(n)`` more, or ``open()``."""

    def __init__(self, stopping: threading.Event) -> None:
        self._budget: int | None = 0
        self._changed = threading.Condition()
        self._stopping = stopping

    def allow(self, count: int) -> None:
        with self._changed:
            if self._budget is not None:
                self._budget += count
            self._changed.notify_all()

    def open(self) -> None:
        with self._changed:
            self._budget = None
            self._changed.notify_all()

    def pass_through(self) -> None:
        """Wait for a turn (or for the server to close)."""
        with self._changed:
            while self._budget == 0 and not self._stopping.is_set():
                self._changed.wait(0.5)  # only to notice ``stopping``; a turn is notified
            if self._budget:
                self._budget -= 1


class SiteServer(LoopbackServer):
    """Serves a folder; records what was asked for; answers scripted statuses and redirects."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(functools.partial(SiteHandler, directory=str(root)), host, port)
        self.root = root
        self.requests: list[str] = []
        """Every request path, in order."""
        self.log: list[tuple[float, str, dict[str, str]]] = []
        """(monotonic time, path, headers) of every request."""
        self.authorizations: dict[str, str] = {}
        """Authorization header by request path, when one was sent."""
        self.redirects: dict[str, str] = {}
        """Request path -> Location answered with a 302 (may be filled after start)."""
        self.scripted: dict[str, list[tuple[int, dict[str, str]]]] = {}
        """Request path -> statuses (with headers) to answer, one per request, before the file."""
        self.delays: dict[str, float] = {}
        """Path prefix -> seconds every response under it is held (a slow origin)."""
        self.gates: dict[str, Gate] = {}
        self._arrived = threading.Condition()

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def gate(self, *prefixes: str) -> Gate:
        """Hold every response under any of ``prefixes`` at one closed gate the caller opens
        (one budget for all of them)."""
        gate = Gate(self.stopping)
        for prefix in prefixes:
            self.gates[prefix] = gate
        return gate

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._arrived:
            self.requests.append(path)
            self.log.append((time.monotonic(), path, headers))
            if auth := headers.get("Authorization"):
                self.authorizations[path] = auth
            self._arrived.notify_all()

    def paths(self) -> list[str]:
        """Request paths without their query, in arrival order."""
        return [p.split("?", 1)[0] for p in self.requests]

    def wait_for(self, condition: Callable[[list[str]], bool], timeout: float = 120) -> bool:
        """Wait until ``condition(request paths)`` holds; the timeout only bounds a failure."""
        with self._arrived:
            return self._arrived.wait_for(lambda: condition(list(self.requests)), timeout)

    def hold(self, path: str) -> None:
        """Apply the delays and gates configured for ``path``."""
        for prefix, gate in list(self.gates.items()):
            if path.startswith(prefix):
                gate.pass_through()
        for prefix, seconds in self.delays.items():
            if path.startswith(prefix):
                self.stopping.wait(seconds)


class SiteHandler(SimpleHTTPRequestHandler):
    """A folder served like a real site: ETag validators, the server's redirects and scripted
    statuses, held responses. Records every request; never logs."""

    server: SiteServer
    _etag: str | None = None

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        server = self.server
        server.record(self.path, dict(self.headers.items()))
        location = server.redirects.get(self.path)
        scripted = server.scripted.get(self.path)
        if location is not None:
            self._empty(302, {"Location": location})
            return
        if scripted:
            status, headers = scripted.pop(0)
            self._empty(status, headers)
            return
        server.hold(self.path)
        super().do_GET()

    def _empty(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def translate_path(self, path: str) -> str:
        """The file for ``path``; with a query, ``<name>@<query><suffix>`` beside the file when
        it exists (``/s/?page=2`` is ``s/index@page=2.html``): lists paginated in the query."""
        found = super().translate_path(path)
        query = urlsplit(path).query
        if not query:
            return found
        target = Path(found)
        if target.is_dir():
            target = target / "index.html"
        variant = target.with_name(f"{target.stem}@{query}{target.suffix}")
        return str(variant) if variant.is_file() else found

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_file():
            stat = path.stat()
            etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return None
            self._etag = etag
        return super().send_head()

    def end_headers(self) -> None:
        if self._etag:
            self.send_header("ETag", self._etag)
            self._etag = None
        super().end_headers()


def serve(root: Path, host: str = "127.0.0.1") -> tuple[SiteServer, str]:
    """Serve ``root`` on ``host`` (a loopback address), on a free port; the server and its base."""
    server = SiteServer(root, host).start()
    return server, server.base
