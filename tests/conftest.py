"""Shared fixtures: a loopback HTTP server for fixture sites and a ``scrapy crawl`` runner."""

from __future__ import annotations

import functools
import ipaddress
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from crawler.demo import render_site, start
from tests import FIXTURES, ROOT
from tests.redis_server import RedisServer, redis_server_binary

if TYPE_CHECKING:
    from collections.abc import Iterator


class LoopbackServer(ThreadingHTTPServer):
    """A test HTTP server on a loopback address; what it received, and what it answers."""

    def __init__(self, host: str, root: Path) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"test servers listen on loopback addresses only, not {host}")
        super().__init__((host, 0), functools.partial(QuietHandler, directory=str(root)))
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


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder like a real site: ETag validators (304s), the server's redirects and
    scripted statuses. Records every request (path, time, headers); never logs."""

    server: LoopbackServer
    _etag: str | None = None

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        server = self.server
        server.requests.append(self.path)
        server.log.append((time.monotonic(), self.path, dict(self.headers.items())))
        if auth := self.headers.get("Authorization"):
            server.authorizations[self.path] = auth
        location = server.redirects.get(self.path)
        scripted = server.scripted.get(self.path)
        if location is not None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if scripted:
            status, headers = scripted.pop(0)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

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


@dataclass
class Site:
    base: str
    root: Path
    requests: list[str]
    log: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)
    scripted: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def paths(self) -> list[str]:
        """Request paths without their query, in arrival order."""
        return [p.split("?", 1)[0] for p in self.requests]


def serve(root: Path, host: str = "127.0.0.1") -> tuple[LoopbackServer, str]:
    """Serve ``root`` on ``host`` (a loopback address), on a free port."""
    server = LoopbackServer(host, root)
    return server, start(server)


@pytest.fixture
def articles_site(tmp_path: Path) -> Iterator[Site]:
    """``fixtures/articles`` served on 127.0.0.1 (a free port)."""
    root = tmp_path / "site"
    root.mkdir()
    server, base = serve(root)
    render_site(FIXTURES / "articles", root, base)
    yield Site(base, root, server.requests)
    server.shutdown()
    server.server_close()


@pytest.fixture
def mock_site(tmp_path: Path) -> Iterator[Site]:
    """The mock news site of ``fixtures/site`` (sitemaps, feeds, sections) on 127.0.0.1."""
    root = tmp_path / "news-site"
    root.mkdir()
    server, base = serve(root)
    render_site(FIXTURES / "site", root, base)
    srv: Any = server
    yield Site(base, root, srv.requests, srv.log, srv.scripted)
    server.shutdown()
    server.server_close()


def crawl_command(spider: str, out: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        spider,
        "-s",
        f"NEWS_OUTPUT_DIR={out}",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "CLOSESPIDER_TIMEOUT=120",
        "-s",
        "LOG_LEVEL=INFO",
        "-s",
        "STATS_DUMP=True",
        *args,
    ]


def crawl_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}


def run_crawl(
    spider: str, out: Path, *args: str, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """Run ``scrapy crawl`` as a user would, from the repository root."""
    return subprocess.run(
        crawl_command(spider, out, *args),
        cwd=ROOT,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


_STATS_RE = re.compile(r"Dumping Scrapy stats:\n(\{.*?\})\n", re.DOTALL)


def crawl_stats(stderr: str) -> dict[str, Any]:
    """The stats dict Scrapy dumps at the end of a crawl log (numbers and strings only)."""
    match = _STATS_RE.search(stderr)
    assert match, f"no stats in log:\n{stderr[-2000:]}"
    stats: dict[str, Any] = {}
    for key, value in re.findall(r"'([^']+)': ([^,\n]+)", match.group(1)):
        try:
            stats[key] = json.loads(value)
        except ValueError:
            stats[key] = value
    return stats


def manifest(out: Path) -> list[dict[str, Any]]:
    """Every manifest line of the folder: ``manifest.jsonl`` then each worker's ``manifest-*``."""
    paths = sorted(out.glob("manifest-*.jsonl"))
    if (out / "manifest.jsonl").exists():
        paths.insert(0, out / "manifest.jsonl")
    return [
        json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()
    ]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server on 127.0.0.1 for the whole session (skipped without one, not in CI)."""
    server = RedisServer(redis_server_binary(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session's Redis, emptied for this test."""
    redis = pytest.importorskip("redis")
    with redis.Redis.from_url(redis_server.url) as client:
        client.flushall()
    return redis_server.url
