"""``NEWS_WARC_ARCHIVE``: a live crawl keeps its pages in WARC files, and the corpus can be rebuilt
from them without the network (``-a warc=OUTPUT/warc``)."""

from __future__ import annotations

import gzip
import signal
import subprocess
from typing import TYPE_CHECKING

import pytest
from backports import zstd
from warcio.archiveiterator import ArchiveIterator

from crawler.archives.records import (
    ArchivedPage,
    DamagedRecord,
    Outcome,
    PassedRecord,
    read_records,
)
from crawler.archives.streams import opener
from crawler.bench.sitegen import article_page, write_articles
from crawler.localsite.server import serve
from tests import ROOT
from tests.conftest import crawl_command, crawl_env, crawl_stats, manifest, run_crawl, wait_until
from tests.warc_fixtures import PageServer

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


def _records_of(path: Path) -> list[Outcome]:
    open_at = opener(str(path), timeout=5, retries=0, user_agent="tests")
    return list(read_records(open_at, max_size=1 << 24))


def _records(folder: Path) -> list[Outcome]:
    return [r for path in sorted(folder.glob("*.warc.gz")) for r in _records_of(path)]


def _texts(out: Path) -> dict[str, str]:
    return {
        str(e["url"]): (out / str(e["file"])).read_text(encoding="utf-8") for e in manifest(out)
    }


def _encoded_pages() -> dict[str, tuple[list[tuple[str, str]], bytes]]:
    """Arabic pages as servers send them: gzip- and zstd-encoded, and windows-1256 named only
    in the HTTP header."""
    html, _, _ = article_page(102, "ar")
    legacy = article_page(103, "ar")[0].replace('<meta charset="utf-8">', "")
    return {
        "/ar/104.html": (
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "zstd")],
            zstd.compress(article_page(104, "ar")[0].encode("utf-8")),
        ),
        "/ar/102.html": (
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
            gzip.compress(html.encode("utf-8")),
        ),
        "/ar/103.html": (
            [("Content-Type", "text/html; charset=windows-1256"), ("Content-Encoding", "gzip")],
            gzip.compress(legacy.encode("windows-1256")),
        ),
    }


def test_a_crawl_archived_then_re_extracted_gives_the_same_corpus(tmp_path: Path) -> None:
    root = tmp_path / "site"
    paths = _site(root)
    server, base = serve(root)
    encoded = PageServer(_encoded_pages()).start()
    urls = [f"{base}/{p}" for p in paths] + [f"{encoded.base}{p}" for p in encoded.pages]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls), encoding="utf-8")
    live = tmp_path / "live"
    try:
        result = run_crawl("news", live, "-a", f"urls={listing}", "-s", "NEWS_WARC_ARCHIVE=True")
    finally:
        server.close()
        encoded.close()
    assert result.returncode == 0, result.stderr[-3000:]
    warcs = sorted((live / "warc").glob("newscrawler-*.warc.gz"))
    assert len(warcs) == 1
    records = _records(live / "warc")
    assert not [r for r in records if isinstance(r, DamagedRecord)]
    kinds = [r.kind for r in records if isinstance(r, PassedRecord)]
    assert kinds.count("warcinfo") == 1
    assert kinds.count("request") == len(urls)
    assert sorted(r.url for r in records if isinstance(r, ArchivedPage)) == sorted(urls)
    # Bodies as received: the gzip-encoded pages are stored encoded, with their header.
    stored = {}
    with warcs[0].open("rb") as handle:
        for record in ArchiveIterator(handle):
            url = record.rec_headers["WARC-Target-URI"]
            if record.rec_type == "response" and url.startswith(encoded.base):
                stored[url] = (record.http_headers["Content-Encoding"], record.raw_stream.read())
    assert sorted(stored) == sorted(f"{encoded.base}{p}" for p in encoded.pages)
    for url, (encoding, raw) in stored.items():
        headers, body = encoded.pages[url.removeprefix(encoded.base)]
        assert (encoding, raw) == (dict(headers)["Content-Encoding"], body)
    rebuilt = tmp_path / "rebuilt"
    again = run_crawl("news", rebuilt, "-a", f"warc={live / 'warc'}")  # the servers are gone
    assert again.returncode == 0, again.stderr[-3000:]
    assert _texts(rebuilt) == _texts(live)
    assert len(_texts(live)) == len(urls)
    assert crawl_stats(again.stderr)["news/warc/pages"] == len(urls)


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
    # Killed in the middle of a write: whatever byte the open file ends at, every whole record
    # before it reads, and the cut one is one damaged record (never a page of what is left).
    last = files[-1]
    whole = [r for r in _records_of(last) if not isinstance(r, DamagedRecord)]
    data = last.read_bytes()
    for cut in range(whole[-1].offset + 1, len(data), max(1, (len(data) - whole[-1].offset) // 7)):
        last.write_bytes(data[:cut])
        again = _records_of(last)
        assert len(again) == len(whole), cut
        cut_one = again[-1]  # damaged, or whole where only the gzip trailer was lost
        assert cut_one == whole[-1] or (
            isinstance(cut_one, DamagedRecord) and cut_one.offset == whole[-1].offset
        ), cut
        assert again[:-1] == whole[:-1]
    last.write_bytes(data)
    before = {path.name: path.read_bytes() for path in files}
    server, base = serve(root)
    urls.write_text("\n".join(f"{base}/{p}" for p in paths), encoding="utf-8")
    try:
        result = run_crawl("news", out, "-a", f"urls={urls}", "-s", "NEWS_WARC_ARCHIVE=True")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr[-3000:]
    after = sorted((out / "warc").glob("*.warc.gz"))
    assert len(after) > len(files)  # the next run starts a new file ...
    assert {p.name: p.read_bytes() for p in files} == before  # ... and never appends
