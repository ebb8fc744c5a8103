"""A crawl whose extraction pool pebble gives up on (its workers killed while idle) goes on
with a new pool: every article written once, exit status 0, the replacement counted.

A real ``scrapy crawl news`` with two extraction workers against the loopback site; article
responses are held at the server's gate, so the workers are killed between pages (idle, the
case pebble cannot recover from) while the rest of the crawl waits to come through.
"""

from __future__ import annotations

import os
import signal
import subprocess
from typing import TYPE_CHECKING

import pytest

from crawler.bench.sitegen import write_articles
from crawler.localsite.server import serve
from crawler.store.audit import audit_folder
from crawler.store.output import read_manifest
from tests.conftest import BackgroundCrawl, crawl_command, crawl_stats, wait_until

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

ARTICLES = 20
HELD = 3


def extraction_workers(group: int) -> list[int]:
    """The spawned pool workers in the crawl's process group (running spawn_main)."""
    ps = subprocess.run(
        ["ps", "-ww", "-o", "pid=,args=", "-g", str(group)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [
        int(line.split()[0])
        for line in ps.stdout.splitlines()
        if "spawn_main" in line and "resource_tracker" not in line
    ]


def test_workers_killed_between_pages_cost_no_article(tmp_path: Path) -> None:
    root = tmp_path / "site"
    paths = write_articles(root, ARTICLES, folder="a")
    server, base = serve(root)
    try:
        gate = server.gate("/a/")
        urls = [f"{base}/{p}" for p in paths]
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
        out = tmp_path / "out"
        command = crawl_command(
            "news",
            out,
            "-a",
            f"urls={listing}",
            "-s",
            "ROBOTSTXT_OBEY=False",
            "-s",
            "NEWS_EXTRACT_WORKERS=2",
            "-s",
            "CONCURRENT_REQUESTS=4",
        )
        crawl = BackgroundCrawl(command, tmp_path / "crawl.log")
        gate.allow(HELD)
        manifest = out / "manifest.jsonl"
        assert wait_until(lambda: len(list(read_manifest(manifest))) >= HELD), crawl.text()[-3000:]
        assert server.wait_for(lambda paths: sum(p.startswith("/a/") for p in paths) > HELD)
        # Nothing is being extracted now (the written pages are done, the rest are held):
        # every worker is idle, the case pebble gives the whole pool up on.
        assert wait_until(lambda: len(extraction_workers(crawl.process.pid)) == 2)
        for pid in extraction_workers(crawl.process.pid):
            os.kill(pid, signal.SIGKILL)
        gate.open()

        status = crawl.wait()
    finally:
        server.close()
    log = crawl.text()
    assert status == 0, log[-3000:]
    audit = audit_folder(out)
    assert audit.ok, audit.problems
    assert sorted(str(r["url"]) for r in audit.records) == sorted(urls)  # each once
    stats = crawl_stats(log)
    assert stats["news/extraction/pool_restarts"] == 1
    assert "news/errors/extract/exception" not in stats
    assert log.count("the extraction pool broke") == 1
