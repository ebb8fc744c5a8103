"""Two `scrapy crawl news` workers on one Redis and one output folder, as users run them.

The site is generated (24 articles plus one behind a redirect) and served on 127.0.0.1 with
every article response held at a gate the test opens: so both workers really have work in
flight before any is done, and a SIGKILL lands with requests taken, whatever the machine's load.
A killed worker's heartbeat is expired by the test (what its TTL does, without the wait).
"""

from __future__ import annotations

import json
import signal
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
import redis

from crawler.bench.sitegen import article_page, write_articles
from crawler.distributed.keys import RedisKeys, corpus_id
from crawler.localsite.server import Gate, SiteServer, serve
from crawler.report.queries import latest_outcomes, read_runs
from crawler.store.ledger import ledger_files
from crawler.store.output import OutputFolder, read_manifest
from crawler.store.seedformat import is_valid_seed_text, parse_file_name
from tests import ROOT
from tests.conftest import crawl_command, crawl_env, crawl_stats, wait_until

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

ARTICLES = 24
WORKER_SETTINGS = ("-s", "CONCURRENT_REQUESTS=2")


@dataclass
class NewsSite:
    base: str
    server: SiteServer
    gate: Gate
    """Holds every article response (``/a/…``) until the test lets it through."""
    urls_file: Path
    article_urls: list[str]

    def article_fetches(self) -> list[str]:
        return [path for path in self.server.requests if path.startswith(("/a/", "/moved/"))]

    def wait_for_held(self, count: int) -> None:
        """Wait until ``count`` article requests arrived (those past the gate's budget wait)."""
        arrived = self.server.wait_for(lambda paths: _held(paths) >= count)
        assert arrived, f"{_held(self.server.requests)} article requests, expected {count}"


def _held(paths: list[str]) -> int:
    return sum(path.startswith("/a/") for path in paths)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[NewsSite]:
    root = tmp_path / "site"
    paths = ["/" + p for p in write_articles(root, ARTICLES, folder="a")]
    moved = root / "moved" / "story"
    moved.mkdir(parents=True)
    (moved / "index.html").write_text(article_page(ARTICLES)[0], encoding="utf-8")
    server, base = serve(root)
    gate = server.gate("/a/")
    # /moved/story answers 301 -> /moved/story/: a taken request that comes back as its redirect.
    urls = [base + path for path in paths] + [f"{base}/moved/story"]
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text("# the start list\n" + "\n".join(urls) + "\n", encoding="utf-8")
    article_urls = [base + path for path in paths] + [f"{base}/moved/story/"]
    yield NewsSite(base, server, gate, urls_file, article_urls)
    server.close()


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


def expire_heartbeat(redis_url: str, out: Path, worker: str) -> None:
    """Delete a dead worker's heartbeat key: what Redis does once its TTL ran out."""
    keys = RedisKeys(f"newscrawler:{corpus_id(out)}")
    with redis.Redis.from_url(redis_url) as client:
        sessions = [
            session
            for session, info in client.hgetall(keys.workers).items()
            if json.loads(info)["worker"] == worker
        ]
        assert len(sessions) == 1, sessions
        client.delete(keys.alive(sessions[0].decode()))


def test_two_workers_write_every_article_exactly_once(
    tmp_path: Path, site: NewsSite, redis_url: str
) -> None:
    out, logs = tmp_path / "out", tmp_path / "logs"
    workers = {w: start_worker(out, site, redis_url, w, logs) for w in ("w1", "w2")}
    # Two requests in flight per worker, all four held: both workers have taken work.
    site.wait_for_held(4)
    site.gate.open()
    stats = {w: finish(p, logs / f"{w}.log") for w, p in workers.items()}

    assert_each_article_once(out, site)
    # Both did part of the work; only one of them read the start list.
    assert all(s.get("news/written", 0) >= 2 for s in stats.values()), stats
    assert sorted(s.get("news/redis/seeded", 0) for s in stats.values()) == [0, 1]
    # No article page was fetched twice (the redirect source and target once each).
    fetches = site.article_fetches()
    assert len(fetches) == len(set(fetches)) == len(site.article_urls) + 1
    assert {r["file"] for r in records(out)} == {
        r["file"] for w in workers for r in read_manifest(out / f"manifest-{w}.jsonl")
    }
    # Each worker keeps its ledger in its own file (issue 16); the report reads them all.
    ledgers = ledger_files(out)
    assert [p.name for p in ledgers] == [".ledger-w1.sqlite3", ".ledger-w2.sqlite3"]
    assert sorted(run.worker for run in read_runs(ledgers)) == ["w1", "w2"]
    fates = latest_outcomes(ledgers).values()
    assert sum(outcome == "written" for _, _, outcome in fates) == len(records(out))
    assert_second_run_writes_nothing(out, site, redis_url, tmp_path)


def test_a_worker_killed_mid_run_loses_nothing(
    tmp_path: Path, site: NewsSite, redis_url: str
) -> None:
    out, logs = tmp_path / "out", tmp_path / "logs"
    site.gate.allow(3)
    victim = start_worker(out, site, redis_url, "w1", logs)
    # w1 writes three articles, then holds two more requests it cannot finish.
    site.wait_for_held(5)
    victim_manifest = out / "manifest-w1.jsonl"
    assert wait_until(lambda: len(list(read_manifest(victim_manifest))) >= 3), "w1 wrote < 3"
    survivor = start_worker(out, site, redis_url, "w2", logs)
    site.wait_for_held(7)  # w2 has taken work too
    assert victim.poll() is None, "w1 finished before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    expire_heartbeat(redis_url, out, "w1")
    site.gate.open()

    stats = finish(survivor, logs / "w2.log")
    # w2 noticed w1's heartbeat stop, took over the requests w1 had taken, and finished them.
    assert stats["news/redis/adopted_workers"] == 1, stats
    assert stats["news/redis/requeued"] >= 2, stats
    assert_each_article_once(out, site)
    assert_second_run_writes_nothing(out, site, redis_url, tmp_path)
