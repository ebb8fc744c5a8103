"""``NEWS_WARC_ARCHIVE``: a live crawl keeps its pages in WARC files, and the corpus can be rebuilt
from them without the network (``-a warc=OUTPUT/warc``)."""

from __future__ import annotations

import signal
import subprocess
from typing import TYPE_CHECKING

import pytest

from crawler.archives.records import ArchivedPage, DamagedRecord, PassedRecord, read_records
from crawler.archives.streams import opener
from crawler.bench.sitegen import article_page, write_articles
from crawler.localsite.server import serve
from tests import ROOT
from tests.conftest import crawl_command, crawl_env, crawl_stats, manifest, run_crawl, wait_until

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e


def _site(root: Path) -> list[str]:
    paths = write_articles(root, 6)
    (root / "ar").mkdir()
    for index in (100, 101):
        (root / f"ar/{index}.html").write_text(article_page(index, "ar")[0], encoding="utf-8")
        paths.append(f"ar/{index}.html")
    return paths


def _records(folder: Path) -> list[object]:
    found: list[object] = []
    for path in sorted(folder.glob("*.warc.gz")):
        open_at = opener(str(path), timeout=5, retries=0, user_agent="tests")
        found.extend(read_records(open_at, max_size=1 << 24))
    return found


def _texts(out: Path) -> dict[str, str]:
    return {
        str(e["url"]): (out / str(e["file"])).read_text(encoding="utf-8") for e in manifest(out)
    }


def test_a_crawl_archived_then_re_extracted_gives_the_same_corpus(tmp_path: Path) -> None:
    root = tmp_path / "site"
    paths = _site(root)
    server, base = serve(root)
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(f"{base}/{p}" for p in paths), encoding="utf-8")
    live = tmp_path / "live"
    try:
        result = run_crawl("news", live, "-a", f"urls={urls}", "-s", "NEWS_WARC_ARCHIVE=True")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr[-3000:]
    warcs = sorted((live / "warc").glob("newscrawler-*.warc.gz"))
    assert len(warcs) == 1
    records = _records(live / "warc")
    assert not [r for r in records if isinstance(r, DamagedRecord)]
    kinds = [r.kind for r in records if isinstance(r, PassedRecord)]
    assert kinds.count("warcinfo") == 1
    assert kinds.count("request") == len(paths)
    assert sorted(r.url for r in records if isinstance(r, ArchivedPage)) == sorted(
        f"{base}/{p}" for p in paths
    )
    rebuilt = tmp_path / "rebuilt"
    again = run_crawl("news", rebuilt, "-a", f"warc={live / 'warc'}")  # the server is gone
    assert again.returncode == 0, again.stderr[-3000:]
    assert _texts(rebuilt) == _texts(live)
    assert len(_texts(live)) == len(paths)
    assert crawl_stats(again.stderr)["news/warc/pages"] == len(paths)


def test_archive_files_rotate_and_a_killed_run_leaves_them_readable(tmp_path: Path) -> None:
    root = tmp_path / "site"
    paths = _site(root)
    server, base = serve(root)
    gate = server.gate(f"/{paths[5]}")  # the sixth page waits: the run is killed while it does
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(f"{base}/{p}" for p in paths), encoding="utf-8")
    out = tmp_path / "out"
    command = crawl_command(
        "news",
        out,
        "-a",
        f"urls={urls}",
        "-s",
        "NEWS_WARC_ARCHIVE=True",
        "-s",
        "NEWS_WARC_MAX_SIZE=4000",
        "-s",
        "CONCURRENT_REQUESTS=1",
    )
    process = subprocess.Popen(
        command, cwd=ROOT, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        assert wait_until(lambda: f"/{paths[5]}" in server.requests), "the sixth page never came"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        gate.open()
        server.close()
    files = sorted((out / "warc").glob("*.warc.gz"))
    assert len(files) >= 2  # rotated at 4,000 bytes
    records = _records(out / "warc")
    assert not [r for r in records if isinstance(r, DamagedRecord)]
    pages = [r.url for r in records if isinstance(r, ArchivedPage)]
    assert len(pages) >= 4
    assert len(set(pages)) == len(pages)
