"""Two workers on one Redis split a folder of archives: each file read once, each article written once."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from tests import ROOT
from tests.conftest import crawl_command, crawl_env, crawl_stats, manifest
from tests.warc_fixtures import write_news_archive

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e


def test_two_workers_read_each_archive_once(tmp_path: Path, redis_url: str) -> None:
    folder = tmp_path / "warcs"
    folder.mkdir()
    articles: set[str] = set()
    for number in range(4):
        contents = write_news_archive(
            folder / f"part-{number}.warc.gz", f"https://site{number}.example", first=number * 10
        )
        articles |= set(contents.articles)
    out, logs = tmp_path / "out", tmp_path / "logs"
    logs.mkdir()
    workers = {}
    for worker in ("w1", "w2"):
        command = crawl_command(
            "news",
            out,
            "-a",
            f"warc={folder}",
            "-s",
            f"REDIS_URL={redis_url}",
            "-s",
            f"NEWS_WORKER_ID={worker}",
            "-s",
            "CONCURRENT_REQUESTS=1",
        )
        with (logs / f"{worker}.log").open("w", encoding="utf-8") as log:
            workers[worker] = subprocess.Popen(
                command, cwd=ROOT, env=crawl_env(), stdout=log, stderr=subprocess.STDOUT
            )
    stats = {}
    for worker, process in workers.items():
        process.wait(timeout=180)
        text = (logs / f"{worker}.log").read_text(encoding="utf-8")
        assert process.returncode == 0, text[-3000:]
        stats[worker] = crawl_stats(text)
    assert sum(s.get("news/warc/files_read", 0) for s in stats.values()) == 4, stats
    written = manifest(out)
    assert sorted(r["url"] for r in written) == sorted(articles)
    assert len({r["file"] for r in written}) == len(articles)
