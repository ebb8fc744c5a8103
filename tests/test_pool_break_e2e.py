"""A crawl whose extraction pool pebble gives up on (its workers killed while idle) goes on
with a new pool; one whose workers cannot start at all extracts in the crawl process. Either
way every article is written once, the exit status is 0, and the replacements are counted.

The crawl and site of the shutdown tests (``tests/test_shutdown_e2e.py``): a real
``scrapy crawl news`` with two extraction workers against the loopback site, article responses
held at the server's gate, so the workers are killed between pages (idle, the case pebble
cannot recover from) while the rest of the crawl waits to come through.
"""

from __future__ import annotations

import os
import signal
import subprocess
from typing import TYPE_CHECKING

import pytest

from crawler.pipelines.pool import MAX_RESTARTS
from crawler.store.output import read_manifest
from tests.conftest import crawl_stats, wait_until
from tests.test_shutdown_e2e import Crawl, site, written_urls

if TYPE_CHECKING:
    from pathlib import Path

    from tests.test_shutdown_e2e import Site

pytestmark = pytest.mark.e2e
__all__ = ["site"]  # the fixture

HELD = 3


def extraction_workers(group: int) -> list[int]:
    """The spawned pool workers in the crawl's process group (running spawn_main)."""
    ps = subprocess.run(
        ["ps", "-ww", "-o", "pid=,args=", "-g", str(group)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(line.split()[0]) for line in ps.stdout.splitlines() if "spawn_main" in line]


def test_workers_killed_between_pages_cost_no_article(tmp_path: Path, site: Site) -> None:
    out = tmp_path / "out"
    crawl = Crawl(out, site, tmp_path / "crawl.log")
    site.gate.allow(HELD)
    manifest = out / "manifest.jsonl"
    assert wait_until(lambda: len(list(read_manifest(manifest))) >= HELD), crawl.text()[-3000:]
    assert site.server.wait_for(lambda paths: sum(p.startswith("/a/") for p in paths) > HELD)
    # Nothing is being extracted now (the written pages are done, the rest are held): every
    # worker is idle, the case pebble gives the whole pool up on.
    assert wait_until(lambda: len(extraction_workers(crawl.process.pid)) == 2)
    for pid in extraction_workers(crawl.process.pid):
        os.kill(pid, signal.SIGKILL)
    site.gate.open()

    status = crawl.wait()
    log = crawl.text()
    assert status == 0, log[-3000:]
    assert written_urls(out) == sorted(site.article_urls)  # each once
    stats = crawl_stats(log)
    assert stats["news/extraction/pool_restarts"] == 1
    assert "news/errors/extract/exception" not in stats
    assert log.count("the extraction pool broke") == 1
    assert "Traceback" not in log
    assert not crawl.orphans(), "extraction workers outlived the crawl"


def test_workers_that_cannot_start_leave_extraction_to_the_crawl_process(
    tmp_path: Path, site: Site
) -> None:
    out = tmp_path / "out"
    function = "tests.extract_no_worker.extract_outside_workers"  # raises in a worker
    site.gate.open()
    crawl = Crawl(out, site, tmp_path / "crawl.log", "-s", f"NEWS_EXTRACT_FUNCTION={function}")

    status = crawl.wait()
    log = crawl.text()
    assert status == 0, log[-3000:]
    assert written_urls(out) == sorted(site.article_urls)  # each once
    stats = crawl_stats(log)
    assert stats["news/extraction/pool_restarts"] == MAX_RESTARTS
    assert stats["news/extraction/in_process_fallback"] == 1
    assert "news/errors/extract/exception" not in stats
    assert log.count("extracting in the crawl process from now on") == 1
    assert not crawl.orphans(), "extraction workers outlived the crawl"
