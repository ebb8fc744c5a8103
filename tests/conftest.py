"""Shared fixtures: fixture sites on the loopback server (``crawler.localsite.server``) and a
``scrapy crawl`` runner."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest

from crawler.localsite.render import render_site
from crawler.localsite.server import SiteServer, serve
from tests import FIXTURES, ROOT
from tests.redis_server import RedisServer, redis_server_binary

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path


@pytest.fixture
def articles_site(tmp_path: Path) -> Iterator[SiteServer]:
    """``fixtures/articles`` served on 127.0.0.1 (a free port)."""
    root = tmp_path / "site"
    root.mkdir()
    server, base = serve(root)
    render_site(FIXTURES / "articles", root, base)
    yield server
    server.close()


@pytest.fixture
def mock_site(tmp_path: Path) -> Iterator[SiteServer]:
    """The mock news site of ``fixtures/site`` (sitemaps, feeds, sections) on 127.0.0.1."""
    root = tmp_path / "news-site"
    root.mkdir()
    server, base = serve(root)
    render_site(FIXTURES / "site", root, base)
    yield server
    server.close()


def wait_until(condition: Callable[[], bool], timeout: float = 120) -> bool:
    """Poll ``condition`` until it holds; the deadline only bounds a failure, never decides one.

    For events in another process (a manifest line written); events of this process have a
    ``threading.Event`` or ``SiteServer.wait_for`` to wait on instead.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


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


class BackgroundCrawl:
    """A ``scrapy crawl`` leading its own process group (as under ``timeout`` or systemd),
    its output in ``log``: for tests that signal it, or stop what it talks to, mid-run."""

    def __init__(self, command: list[str], log: Path) -> None:
        self.log = log
        with log.open("w", encoding="utf-8") as handle:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=crawl_env(),
                stdout=handle,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_line(self, needle: str) -> None:
        """Until the crawl logs ``needle``; a crawl that exits first fails at once."""
        wait_until(lambda: needle in self.text() or self.process.poll() is not None)
        assert needle in self.text(), f"no {needle!r} in:\n{self.text()[-3000:]}"

    def wait(self) -> int:
        return self.process.wait(timeout=120)


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
