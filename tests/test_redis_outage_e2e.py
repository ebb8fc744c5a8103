"""Distributed workers when the machine fails them: Redis goes away, comes back empty, or the
worker is stopped by SIGTERM (issue 17).

Real ``scrapy crawl news`` workers, a real redis-server of this test's own (with an
append-only file, so that a restart keeps its data unless the test wipes it), the loopback
site with every article response held at a gate: each fault lands while pages are in flight.
The test waits for the workers' log lines and manifest lines, never for time; outage and
shutdown timeouts are shortened through settings.
"""

from __future__ import annotations

import json
import os
import signal
from typing import TYPE_CHECKING

import pytest
import redis

from crawler.bench.sitegen import write_articles
from crawler.commands.runstatus import EXIT_REDIS_UNAVAILABLE, EXIT_SIGTERM
from crawler.distributed.keys import RedisKeys, corpus_id
from crawler.localsite.server import serve
from crawler.store.output import read_manifest
from tests.conftest import BackgroundCrawl, crawl_command, crawl_stats, wait_until
from tests.redis_server import RedisServer, redis_server_binary
from tests.test_distributed_e2e import NewsSite, assert_each_article_once, records

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

ARTICLES = 12


@pytest.fixture
def site(tmp_path: Path) -> Iterator[NewsSite]:
    root = tmp_path / "site"
    paths = ["/" + p for p in write_articles(root, ARTICLES, folder="a")]
    server, base = serve(root)
    gate = server.gate("/a/")
    urls = [base + path for path in paths]
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    yield NewsSite(base, server, gate, urls_file, urls)
    server.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server for this test alone, which keeps its data across a restart."""
    workdir = tmp_path / "redis"
    workdir.mkdir()
    instance = RedisServer(redis_server_binary(), workdir, persistent=True)
    instance.start()
    yield instance
    instance.stop()


class Worker(BackgroundCrawl):
    """One distributed worker in its own process group, its log in ``logs/<name>.log``."""

    def __init__(
        self,
        out: Path,
        site: NewsSite,
        server: RedisServer,
        name: str,
        *settings: str,
        log: str = "",
    ) -> None:
        path = out.parent / "logs" / f"{log or name}.log"
        path.parent.mkdir(exist_ok=True)
        command = crawl_command(
            "news",
            out,
            "-a",
            f"urls={site.urls_file}",
            "-s",
            f"REDIS_URL={server.url}",
            "-s",
            f"NEWS_WORKER_ID={name}",
            "-s",
            "CONCURRENT_REQUESTS=2",
            "-s",
            "NEWS_EXTRACT_WORKERS=0",
            *settings,
        )
        super().__init__(command, path)


def write_some_then_hold(out: Path, site: NewsSite, worker: str, written: int = 2) -> None:
    """Let ``written`` articles through and wait for them; two more requests are then held."""
    site.gate.allow(written)
    manifest = out / f"manifest-{worker}.jsonl"
    assert wait_until(lambda: len(list(read_manifest(manifest))) >= written)
    site.wait_for_held(written + 2)


def each_url_at_most_once(out: Path) -> set[str]:
    urls = [str(r["url"]) for r in records(out)]
    assert len(urls) == len(set(urls)), "an article was written twice"
    return set(urls)


def test_a_short_outage_is_waited_out_and_the_crawl_completes(
    tmp_path: Path, site: NewsSite, server: RedisServer
) -> None:
    out = tmp_path / "out"
    worker = Worker(out, site, server, "w1")
    write_some_then_hold(out, site, "w1")
    server.stop()
    site.gate.open()  # the held pages now reach the store, which needs Redis
    worker.wait_for_line("unreachable")
    server.restart()

    assert worker.wait() == 0, worker.text()[-3000:]
    log = worker.text()
    assert log.count("unreachable") == 1, "the outage is logged once"
    assert "is back after" in log
    assert_each_article_once(out, site)


def test_a_long_outage_stops_the_worker_with_69_and_a_restart_completes(
    tmp_path: Path, site: NewsSite, server: RedisServer
) -> None:
    out = tmp_path / "out"
    short = ("-s", "NEWS_REDIS_OUTAGE_TIMEOUT=1", "-s", "NEWS_REDIS_WORKER_TTL=3")
    worker = Worker(out, site, server, "w1", *short)
    write_some_then_hold(out, site, "w1")
    server.stop()
    site.gate.open()

    assert worker.wait() == EXIT_REDIS_UNAVAILABLE, worker.text()[-3000:]
    log = worker.text()
    assert log.count("Redis unreachable for longer than NEWS_REDIS_OUTAGE_TIMEOUT") == 1
    each_url_at_most_once(out)

    server.restart()  # with its data: the queue, the ledger of w1, the state
    # Nothing was written that Redis could not record (the file being written at most).
    keys = RedisKeys(f"newscrawler:{corpus_id(out)}")
    with redis.Redis.from_url(server.url) as client:
        recorded = {m.decode() for m in client.smembers(keys.written(corpus_id(out)))}
    listed = {str(r["file"]) for r in records(out)}
    assert recorded <= listed
    assert len(listed - recorded) <= 1

    again = Worker(out, site, server, "w1", *short, log="w1-again")
    assert again.wait() == 0, again.text()[-3000:]
    assert_each_article_once(out, site)


def test_redis_restarted_empty_is_refused_and_workers_rebuild_from_the_folder(
    tmp_path: Path, site: NewsSite, server: RedisServer
) -> None:
    out = tmp_path / "out"
    worker = Worker(out, site, server, "w1")
    write_some_then_hold(out, site, "w1")
    before = each_url_at_most_once(out)
    server.restart(empty=True)  # no persistence: queue, ledger and state are gone
    site.gate.open()

    assert worker.wait() == EXIT_REDIS_UNAVAILABLE, worker.text()[-3000:]
    log = worker.text()
    assert "Redis came back without the state of this corpus" in log
    assert "stopped rather than write the corpus again" in log
    assert each_url_at_most_once(out) >= before

    # A new worker rebuilds the state from the manifests: nothing is written twice.
    again = Worker(out, site, server, "w2")
    assert again.wait() == 0, again.text()[-3000:]
    assert_each_article_once(out, site)


def test_sigterm_returns_a_workers_requests_to_the_queue_at_once(
    tmp_path: Path, site: NewsSite, server: RedisServer
) -> None:
    out = tmp_path / "out"
    worker = Worker(out, site, server, "w1", "-s", "NEWS_SHUTDOWN_TIMEOUT=3")
    write_some_then_hold(out, site, "w1")
    os.killpg(worker.process.pid, signal.SIGTERM)  # the gate stays shut: pages are abandoned

    assert worker.wait() == EXIT_SIGTERM, worker.text()[-3000:]
    keys = RedisKeys(f"newscrawler:{corpus_id(out)}")
    with redis.Redis.from_url(server.url) as client:
        sessions = [json.loads(v)["worker"] for v in client.hgetall(keys.workers).values()]
        assert "w1" not in sessions, "w1 left the run"
        assert not list(client.scan_iter(f"{keys.taken_prefix}*")), "a ledger was left"
        assert client.zcard(keys.requests) == ARTICLES - 2  # the held ones are queued again

    site.gate.open()
    again = Worker(out, site, server, "w2")
    assert again.wait() == 0, again.text()[-3000:]
    assert crawl_stats(again.text()).get("news/redis/adopted_workers", 0) == 0
    assert_each_article_once(out, site)
