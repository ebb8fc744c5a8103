"""End to end: ``scrapy crawl news -a warc=…`` and ``-a cc_news=…`` over archives on disk and on 127.0.0.1."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

import pytest

from crawler.localsite.server import serve
from tests.conftest import crawl_stats, manifest, run_crawl
from tests.warc_fixtures import FETCHED_AT, RangeServer, write_arc, write_news_archive

if TYPE_CHECKING:
    from pathlib import Path

    from tests.warc_fixtures import ArchiveContents

pytestmark = pytest.mark.e2e


def _body(out: Path, entry: dict[str, object]) -> list[str]:
    text = (out / str(entry["file"])).read_text(encoding="utf-8")
    return text.split("\n\n")


def _assert_written(out: Path, contents: ArchiveContents) -> None:
    entries = {str(e["url"]): e for e in manifest(out)}
    assert sorted(entries) == sorted(contents.articles)
    for url, (title, paragraphs) in contents.articles.items():
        entry = entries[url]
        assert entry["fetched_at"] == FETCHED_AT  # WARC-Date, not the time of this run
        assert _body(out, entry) == [title, *paragraphs]  # windows-1256 and gzip decoded too


def test_a_warc_file_is_written_like_a_live_crawl_and_once(tmp_path: Path) -> None:
    archive = tmp_path / "news.warc.gz"
    contents = write_news_archive(archive, truncated=True)
    out = tmp_path / "out"
    result = run_crawl("news", out, "-a", f"warc={archive}")
    assert result.returncode == 0, result.stderr[-3000:]
    _assert_written(out, contents)
    stats = crawl_stats(result.stderr)
    assert stats["news/errors/warc/damaged"] == 1  # the truncated last record, logged once
    damage = [line for line in result.stderr.splitlines() if "record at byte" in line]
    assert len(damage) == 1
    assert str(archive) in damage[0]
    assert f"record at byte {contents.cut_at}:" in damage[0]
    assert stats["news/written"] == len(contents.articles)
    assert stats["news/warc/pages"] == len(contents.articles)
    for kind, count in contents.skipped.items():
        assert stats[f"news/warc/skipped/{kind}"] == count
    assert stats["news/warc/files_read"] == 1
    summary = next(line for line in result.stderr.splitlines() if "summary:" in line)
    assert f"written={len(contents.articles)} " in summary
    records = len(contents.articles) + sum(contents.skipped.values()) + 1  # + the damaged one
    assert f" archives=1/1 records={records} " in summary
    again = run_crawl("news", out, "-a", f"warc={archive}")
    assert again.returncode == 0, again.stderr[-3000:]
    stats = crawl_stats(again.stderr)
    assert stats["news/warc/files_unchanged"] == 1
    assert "news/written" not in stats
    assert len(manifest(out)) == len(contents.articles)


def test_a_directory_of_archives_with_a_damaged_record(tmp_path: Path) -> None:
    folder = tmp_path / "warcs"
    folder.mkdir()
    first = write_news_archive(folder / "a.warc.gz")
    second = write_news_archive(
        folder / "b.warc", "https://other.example", first=10, gz=False, version="1.1"
    )
    old = write_arc(folder / "c.arc.gz", "https://arc.example", gz=True)
    data = (folder / "b.warc").read_bytes()
    (folder / "b.warc").write_bytes(data.replace(b"WARC-Type: revisit", b"WARC-Tpye: revisit"))
    out = tmp_path / "out"
    result = run_crawl(
        "news", out, "-a", f"warc={folder}", "-a", "domains=news.example,other.example,arc.example"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert stats["news/errors/warc/damaged"] == 1
    damage = [line for line in result.stderr.splitlines() if "record at byte" in line]
    assert len(damage) == 1
    assert "b.warc" in damage[0]
    _assert_written(out, type(first)({**first.articles, **second.articles, **old.articles}))


def test_domains_take_only_some_outlets(tmp_path: Path) -> None:
    archive = tmp_path / "mixed.warc.gz"
    write_news_archive(archive)
    out = tmp_path / "out"
    result = run_crawl("news", out, "-a", f"warc={archive}", "-a", "domains=elsewhere.example")
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert stats["news/warc/skipped/not_selected"] == 5
    assert manifest(out) == []


def test_cc_news_months_from_a_path_index_on_loopback(tmp_path: Path) -> None:
    root = tmp_path / "data"
    month = root / "crawl-data/CC-NEWS/2024/01"
    month.mkdir(parents=True)
    contents = write_news_archive(month / "CC-NEWS-20240101000000-00001.warc.gz")
    more = write_news_archive(
        month / "CC-NEWS-20240102000000-00002.warc.gz", "https://other.example", first=20
    )
    listing = "\n".join(
        f"crawl-data/CC-NEWS/2024/01/{p.name}" for p in sorted(month.glob("*.warc.gz"))
    )
    (month / "warc.paths.gz").write_bytes(gzip.compress(listing.encode()))
    server, base = serve(root)
    try:
        out = tmp_path / "out"
        result = run_crawl("news", out, "-a", "cc_news=2024-01", "-s", f"NEWS_CC_NEWS_BASE={base}")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "robots.txt" not in " ".join(server.requests)  # only the index and the archives
    stats = crawl_stats(result.stderr)
    assert stats["news/warc/files_listed"] == 2
    assert stats["news/warc/files_read"] == 2
    _assert_written(out, type(contents)({**contents.articles, **more.articles}))


def test_an_archive_url_is_streamed_and_resumed_where_the_connection_broke(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "remote.warc.gz"
    contents = write_news_archive(archive)
    data = archive.read_bytes()
    server = RangeServer({"/cc/remote.warc.gz": data}, {"/cc/remote.warc.gz"}, len(data) // 2)
    server.start()
    try:
        local = write_news_archive(tmp_path / "local.warc", "https://local.example", first=30)
        listing = tmp_path / "archives.txt"
        listing.write_text(
            f"# one remote, one local\n{server.base}/cc/remote.warc.gz\n{tmp_path / 'local.warc'}\n",
            encoding="utf-8",
        )
        out = tmp_path / "out"
        result = run_crawl("news", out, "-a", f"warc={listing}")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr[-3000:]
    _assert_written(out, type(contents)({**contents.articles, **local.articles}))
    gets = [start for method, _, start in server.ranges if method == "GET"]
    assert gets[0] == 0
    assert gets[1] > 0  # the second request asked for the rest only
    assert len(gets) == 2
    assert {path for _, path, _ in server.ranges} == {"/cc/remote.warc.gz"}  # nothing else asked


def test_source_rules_dates_and_languages_apply_to_archived_pages(tmp_path: Path) -> None:
    """A sources file's outlet and deny pattern, ``since`` by the page's own date and
    NEWS_LANGUAGES select among archived pages as among fetched ones; ``limit`` caps them."""
    archive = tmp_path / "news.warc.gz"
    write_news_archive(archive)  # en/0, en/1, en/2 of 1-3 November; ar/100, ar/101 of 17-18
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "News"\nsites = ["https://www.news.example/"]\n'
        "deny = ['/en/1\\.html']\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_crawl(
        "news", out, "-a", f"warc={archive}", "-a", f"sources={sources}",
        "-a", "since=2026-11-18", "-s", "NEWS_LANGUAGES=ar",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    written = manifest(out)
    assert [(e["url"], e["source_name"]) for e in written] == [
        ("https://news.example/ar/101.html", "News")
    ]
    stats = crawl_stats(result.stderr)
    assert stats["news/warc/skipped/not_selected"] == 1  # en/1: the deny pattern
    assert stats["news/skipped/language"] == 2  # en/0, en/2
    assert stats["news/skipped/too_old"] == 1  # ar/100
    limited = tmp_path / "limited"
    result = run_crawl("news", limited, "-a", f"warc={archive}", "-a", "limit=2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(manifest(limited)) == 2
