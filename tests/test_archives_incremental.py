"""Incremental archive reading: a run that stopped part-way is taken up where it stopped, and
nothing is written twice or lost."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from typing import TYPE_CHECKING

import pytest

from crawler.archives.records import ArchivedPage, read_records
from crawler.archives.streams import opener
from crawler.store.state import DocumentRecord, NearDuplicateIndex, SqliteState
from tests import ROOT
from tests.conftest import crawl_command, crawl_env, crawl_stats, manifest, run_crawl, wait_until
from tests.warc_fixtures import RangeServer, write_pages_archive

if TYPE_CHECKING:
    from pathlib import Path


def _page_offsets(path: Path) -> list[int]:
    open_at = opener(str(path), timeout=5, retries=0, user_agent="tests")
    return [
        o.offset for o in read_records(open_at, max_size=1 << 20) if isinstance(o, ArchivedPage)
    ]


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


@pytest.mark.e2e
def test_a_killed_run_is_taken_up_at_its_read_position(tmp_path: Path) -> None:
    archive = tmp_path / "many.warc.gz"
    urls = write_pages_archive(archive, 200)
    offsets = _page_offsets(archive)
    # The server sends 150 pages (about 170 KB), then stalls: the crawl cannot end, it reads
    # all but what its buffers hold back (under 80 KB) and is killed while it waits.
    server = RangeServer(
        {"/many.warc.gz": archive.read_bytes()}, holds={"/many.warc.gz": offsets[150] + 50}
    )
    server.start()
    out = tmp_path / "out"
    location = f"{server.base}/many.warc.gz"
    try:
        command = crawl_command(
            "news", out, "-a", f"warc={location}", "-s", "NEWS_ARCHIVE_BATCH=1",
            "-s", "NEWS_ARCHIVE_TIMEOUT=300",
        )  # fmt: skip
        process = subprocess.Popen(
            command, cwd=ROOT, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            assert wait_until(lambda: _lines(out / "manifest.jsonl") >= 40), "40 pages never came"
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
        server.gate.open()
        again = run_crawl("news", out, "-a", f"warc={location}")
        third = run_crawl("news", out, "-a", f"warc={location}")
    finally:
        server.close()
    assert again.returncode == 0, again.stderr[-3000:]
    stats = crawl_stats(again.stderr)
    assert stats["news/warc/files_resumed"] == 1
    # The position is saved each time the crawl asks for the next page: of the 40 or more pages
    # written, all but the last one asked for and those then in the pipelines (at most
    # CONCURRENT_ITEMS = 16) are behind it.
    assert stats["news/warc/records"] <= 200 - 40 + 18
    assert stats.get("news/skipped/known", 0) <= 18
    written = [str(e["url"]) for e in manifest(out)]
    assert sorted(written) == sorted(urls)  # every page once: none lost, none twice
    resumed_from = [start for method, _, start in server.ranges if method == "GET"][-1]
    assert resumed_from >= offsets[40 - 18]  # the second run asked only for the rest
    assert crawl_stats(third.stderr)["news/warc/files_unchanged"] == 1


@pytest.mark.e2e
def test_a_limited_run_leaves_the_rest_for_the_next(tmp_path: Path) -> None:
    """``limit`` stops the reading soon after it is reached; the pages it turned away are
    read again by the next run, not taken as done."""
    archive = tmp_path / "many.warc.gz"
    urls = write_pages_archive(archive, 120)
    out = tmp_path / "out"
    first = run_crawl("news", out, "-a", f"warc={archive}", "-a", "limit=3")
    assert first.returncode == 0, first.stderr[-3000:]
    stats = crawl_stats(first.stderr)
    assert stats["news/written"] == 3
    assert stats["news/warc/records"] < 120  # the reading stopped with the crawl
    second = run_crawl("news", out, "-a", f"warc={archive}")
    assert second.returncode == 0, second.stderr[-3000:]
    assert sorted(str(e["url"]) for e in manifest(out)) == sorted(urls)


def test_a_state_from_before_read_positions_gains_them(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE documents (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
            " lastmod TEXT)"
        )
        db.execute("INSERT INTO documents VALUES ('https://a.example/feed', '\"e\"', NULL, NULL)")
    db.close()
    state = SqliteState(path, NearDuplicateIndex(threshold=0.8, permutations=16))
    try:
        assert state.document("https://a.example/feed") == DocumentRecord(
            "https://a.example/feed", '"e"'
        )
        state.remember_documents([DocumentRecord("/data/a.warc.gz", "1-2", read_to=4096)])
        assert state.document("/data/a.warc.gz") == DocumentRecord(
            "/data/a.warc.gz", "1-2", read_to=4096
        )
    finally:
        state.close()
