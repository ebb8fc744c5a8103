"""Two `scrapy crawl news` workers on one Redis and one output folder, as users run them.

The site is generated (24 articles plus one behind a redirect) and served on 127.0.0.1 with a
short delay per article, so both workers get work and a SIGKILL lands with requests in flight.
"""

from __future__ import annotations

import signal
import subprocess
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from crawler.store.output import OutputFolder, read_manifest
from crawler.store.seedformat import is_valid_seed_text, parse_file_name
from tests import ROOT
from tests.conftest import crawl_command, crawl_env, crawl_stats
from tests.generated_site import article_html, serve_slowly, write_site

if TYPE_CHECKING:
    from collections.abc import Iterator
    from http.server import ThreadingHTTPServer
    from pathlib import Path

pytestmark = pytest.mark.e2e

ARTICLES = 24
TTL = 5  # seconds before a silent worker is presumed dead (default 30)
WORKER_SETTINGS = ("-s", f"NEWS_REDIS_WORKER_TTL={TTL}", "-s", "CONCURRENT_REQUESTS=2")


@dataclass
class NewsSite:
    base: str
    server: ThreadingHTTPServer
    urls_file: Path
    article_urls: list[str]

    def article_fetches(self) -> list[str]:
        requests: list[str] = self.server.requests  # type: ignore[attr-defined]
        return [path for path in requests if path.startswith(("/a/", "/moved/"))]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[NewsSite]:
    root = tmp_path / "site"
    paths = write_site(root, ARTICLES)
    moved = root / "moved" / "story"
    moved.mkdir(parents=True)
    (moved / "index.html").write_text(article_html(ARTICLES), encoding="utf-8")
    server, base = serve_slowly(root, delay=0.5)  # one worker alone: ~6 s of work
    # /moved/story answers 301 -> /moved/story/: a taken request that comes back as its redirect.
    urls = [base + path for path in paths] + [f"{base}/moved/story"]
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text("# the start list\n" + "\n".join(urls) + "\n", encoding="utf-8")
    article_urls = [base + path for path in paths] + [f"{base}/moved/story/"]
    yield NewsSite(base, server, urls_file, article_urls)
    server.shutdown()
    server.server_close()


def start_worker(
    out: Path, site: NewsSite, redis_url: str, worker: str, logs: Path
) -> subprocess.Popen[str]:
    """One worker, started exactly as a user would; its log goes to ``logs/<worker>.log``."""
    command = crawl_command(
        "news",
        out,
        "-a",
        f"urls={site.urls_file}",
        "-s",
        f"REDIS_URL={redis_url}",
        "-s",
        f"NEWS_WORKER_ID={worker}",
        *WORKER_SETTINGS,
    )
    logs.mkdir(exist_ok=True)
    log = (logs / f"{worker}.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        command, cwd=ROOT, env=crawl_env(), stdout=log, stderr=subprocess.STDOUT, text=True
    )
    log.close()
    return process


def finish(process: subprocess.Popen[str], log: Path) -> dict[str, Any]:
    """Wait for a worker; it must succeed; its stats."""
    process.wait(timeout=180)
    text = log.read_text(encoding="utf-8")
    assert process.returncode == 0, text[-3000:]
    return crawl_stats(text)


def records(out: Path) -> list[dict[str, Any]]:
    """Every complete manifest line of every worker (a SIGKILL may leave a torn last line)."""
    return [r for path in OutputFolder(out).manifest_paths() for r in read_manifest(path)]


def assert_each_article_once(out: Path, site: NewsSite) -> None:
    written = records(out)
    assert sorted(r["url"] for r in written) == sorted(site.article_urls)
    files = [r["file"] for r in written]
    numbers = [parse_file_name(f)[0] for f in files]  # type: ignore[index]
    assert len(set(files)) == len(files) == len(site.article_urls)
    assert len(set(numbers)) == len(numbers)
    for name in files:
        assert is_valid_seed_text((out / name).read_text(encoding="utf-8")), name
    on_disk = {p.name for p in out.iterdir() if parse_file_name(p.name)}
    assert on_disk == set(files), "a seed file without a manifest line, or the reverse"
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers, f"half-written files left behind: {leftovers}"


def assert_second_run_writes_nothing(
    out: Path, site: NewsSite, redis_url: str, tmp_path: Path
) -> None:
    before = records(out)
    second = start_worker(out, site, redis_url, "again", tmp_path / "logs")
    stats = finish(second, tmp_path / "logs" / "again.log")
    assert stats.get("news/written", 0) == 0
    assert stats["news/redis/seeded"] == 1  # a new run: the start list is read again
    assert records(out) == before


def test_two_workers_write_every_article_exactly_once(
    tmp_path: Path, site: NewsSite, redis_url: str
) -> None:
    out, logs = tmp_path / "out", tmp_path / "logs"
    workers = {w: start_worker(out, site, redis_url, w, logs) for w in ("w1", "w2")}
    stats = {w: finish(p, logs / f"{w}.log") for w, p in workers.items()}

    assert_each_article_once(out, site)
    # Both did part of the work; only one of them read the start list.
    assert all(s.get("news/written", 0) > 0 for s in stats.values()), stats
    assert sorted(s.get("news/redis/seeded", 0) for s in stats.values()) == [0, 1]
    # No article page was fetched twice (the redirect source and target once each).
    fetches = site.article_fetches()
    assert len(fetches) == len(set(fetches)) == len(site.article_urls) + 1
    assert {r["file"] for r in records(out)} == {
        r["file"] for w in workers for r in read_manifest(out / f"manifest-{w}.jsonl")
    }
    assert_second_run_writes_nothing(out, site, redis_url, tmp_path)


def test_a_worker_killed_mid_run_loses_nothing(
    tmp_path: Path, site: NewsSite, redis_url: str
) -> None:
    out, logs = tmp_path / "out", tmp_path / "logs"
    victim = start_worker(out, site, redis_url, "w1", logs)
    survivor = start_worker(out, site, redis_url, "w2", logs)
    victim_manifest = out / "manifest-w1.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and victim.poll() is None:
        if len(list(read_manifest(victim_manifest))) >= 3:
            break
        time.sleep(0.05)
    assert victim.poll() is None, "w1 finished before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)

    stats = finish(survivor, logs / "w2.log")
    # w2 noticed w1's heartbeat stop, took over the requests w1 had taken, and finished them.
    assert stats["news/redis/adopted_workers"] == 1, stats
    assert_each_article_once(out, site)
    assert_second_run_writes_nothing(out, site, redis_url, tmp_path)
