"""Reading archives record by record: what is a page, what is skipped, damage costs one record."""

from __future__ import annotations

import gzip
import io
from typing import TYPE_CHECKING

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archives.locations import (
    ArchiveArgumentError,
    archive_locations,
    cc_news_archives,
    cc_news_index_url,
    months,
)
from crawler.archives.position import ReadPosition
from crawler.archives.records import (
    ArchivedPage,
    DamagedRecord,
    PassedRecord,
    fetch_time,
    read_records,
)
from crawler.archives.selection import ArchiveSelection, domain_list
from crawler.archives.streams import opener
from crawler.bench.sitegen import article_page
from tests.warc_fixtures import FETCHED_AT, write_arc, write_news_archive

if TYPE_CHECKING:
    from pathlib import Path


def _read(path: Path) -> list[object]:
    open_at = opener(str(path), timeout=5, retries=0, user_agent="tests")
    return list(read_records(open_at, max_size=1 << 20))


@pytest.mark.parametrize(
    ("gz", "version"), [(True, "1.0"), (False, "1.0"), (True, "1.1"), (False, "1.1")]
)
def test_pages_are_the_html_responses_of_status_200(tmp_path: Path, gz: bool, version: str) -> None:
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    contents = write_news_archive(path, gz=gz, version=version)
    assert path.read_bytes()[:40].count(f"WARC/{version}".encode()) == (0 if gz else 1)
    outcomes = _read(path)
    pages = [o for o in outcomes if isinstance(o, ArchivedPage)]
    assert [p.url for p in pages] == list(contents.articles)
    assert all(p.date == FETCHED_AT for p in pages)  # WARC-Date, as a live crawl writes it
    gzipped = next(p for p in pages if p.url.endswith("/en/2.html"))
    assert gzipped.body.startswith(b"<!DOCTYPE html>")  # content encoding undone
    legacy = next(p for p in pages if p.url.endswith("/ar/101.html"))
    assert legacy.content_type == "text/html; charset=windows-1256"
    passed: dict[str, int] = {}
    for outcome in outcomes:
        if isinstance(outcome, PassedRecord):
            passed[outcome.kind] = passed.get(outcome.kind, 0) + 1
    assert passed == contents.skipped
    offsets = [o.offset for o in outcomes if isinstance(o, ArchivedPage | PassedRecord)]
    assert offsets == sorted(set(offsets))  # every record once, in file order


def _damage(path: Path, at: float, cut: int = 0) -> bytes:
    data = bytearray(path.read_bytes())
    middle = int(len(data) * at)
    data[middle : middle + 64] = b"\0" * 64
    return bytes(data[: len(data) - cut] if cut else data)


@pytest.mark.parametrize("gz", [True, False])
def test_a_damaged_record_costs_that_record_only(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    contents = write_news_archive(path, gz=gz)
    whole = {o.offset: o for o in _read(path) if isinstance(o, ArchivedPage | PassedRecord)}
    page_offsets = sorted(o.offset for o in whole.values() if isinstance(o, ArchivedPage))
    # Damage the third page's record (its gzip member replaced by one of garbage, or zeros over
    # its WARC headers): it is lost, the ones after it are not. (Zeros over deflate data
    # would decode to whatever the random record ids make of them.)
    target = page_offsets[2]
    data = bytearray(path.read_bytes())
    if gz:
        following = min(offset for offset in whole if offset > target)
        data[target:following] = gzip.compress(b"\0garbage, not a record\r\n" * 20)
    else:
        data[target + 20 : target + 60] = b"\0" * 40
    path.write_bytes(bytes(data))
    outcomes = _read(path)
    damaged = [o for o in outcomes if isinstance(o, DamagedRecord)]
    assert [d.offset for d in damaged] == [target]
    urls = [o.url for o in outcomes if isinstance(o, ArchivedPage)]
    lost = [u for u in contents.articles if u not in urls]
    assert len(lost) == 1
    assert urls == [u for u in contents.articles if u not in lost]


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("cut", [5, 60, 300, 600])
def test_a_truncated_last_page_is_damaged_not_a_short_page(
    tmp_path: Path, gz: bool, cut: int
) -> None:
    """Cut in its first bytes, its WARC headers, its HTTP headers or its body: one damaged
    record at its offset, never a page made of what is left, never a silent end."""
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    write_news_archive(path, gz=gz)
    outcomes = _read(path)
    last_page = [o for o in outcomes if isinstance(o, ArchivedPage)][-1]
    path.write_bytes(path.read_bytes()[: last_page.offset + cut])
    outcomes = _read(path)
    assert [o.offset for o in outcomes if isinstance(o, DamagedRecord)] == [last_page.offset]
    assert last_page.url not in [o.url for o in outcomes if isinstance(o, ArchivedPage)]


def test_a_fixture_with_a_truncated_last_record(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    contents = write_news_archive(path, truncated=True)
    outcomes = _read(path)
    assert [o.offset for o in outcomes if isinstance(o, DamagedRecord)] == [contents.cut_at]
    assert [o.url for o in outcomes if isinstance(o, ArchivedPage)] == list(contents.articles)


@pytest.mark.parametrize("gz", [True, False])
def test_arc_files_are_read_like_warc(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("old.arc.gz" if gz else "old.arc")
    contents = write_arc(path, gz=gz)
    outcomes = _read(path)
    pages = [o for o in outcomes if isinstance(o, ArchivedPage)]
    assert [p.url for p in pages] == list(contents.articles)
    assert {p.date for p in pages} == {FETCHED_AT}  # the ARC date, 20261120100000
    assert [o.kind for o in outcomes if isinstance(o, PassedRecord)] == ["warcinfo"]  # filedesc
    assert not [o for o in outcomes if isinstance(o, DamagedRecord)]


def test_fetch_time_is_the_live_crawls_form() -> None:
    assert fetch_time("2025-03-04T05:06:07.123456Z") == "2025-03-04T05:06:07+00:00"
    assert fetch_time("2025-03-04T05:06:07") == "2025-03-04T05:06:07+00:00"
    assert fetch_time("not a date") == "not a date"


def test_read_position_waits_for_the_earliest_page_in_the_pipelines() -> None:
    position = ReadPosition(100)
    assert position.resume_at == 100
    position.judged(150)
    position.sent("https://a.example/1", 200)
    position.sent("https://a.example/2", 300)
    position.sent("https://a.example/1", 400)  # the same URL twice in one archive
    position.judged(500)
    assert (position.resume_at, position.in_flight) == (200, 3)
    assert position.finished("https://a.example/2")  # out of order: 200 still in flight
    assert position.resume_at == 200
    assert position.finished("https://a.example/1")
    assert position.resume_at == 400
    assert position.finished("https://a.example/1")
    assert not position.finished("https://a.example/1")  # not in flight (any more)
    assert (position.resume_at, position.in_flight) == (500, 0)


def test_locations_from_a_list_a_file_and_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "warcs"
    folder.mkdir()
    for name in ("b.warc.gz", "a.warc", "notes.txt"):
        (folder / name).write_bytes(b"")
    listing = tmp_path / "list.txt"
    listing.write_text(f"# archives\n{folder / 'a.warc'}\nhttps://data.example/x.warc.gz\n")
    assert archive_locations(str(folder)) == [str(folder / "a.warc"), str(folder / "b.warc.gz")]
    assert archive_locations(str(listing)) == [
        str(folder / "a.warc"),
        "https://data.example/x.warc.gz",
    ]
    both = archive_locations(f"{folder / 'a.warc'},{folder}")
    assert both == [str(folder / "a.warc"), str(folder / "b.warc.gz")]
    with pytest.raises(ArchiveArgumentError, match="no such file"):
        archive_locations(str(tmp_path / "missing.warc.gz"))


def test_cc_news_months_and_their_path_index() -> None:
    assert months("2024-11..2025-02") == [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]
    assert months("2024-01") == [(2024, 1)]
    for bad in ("2024-13", "2024", "2024-03..2024-01"):
        with pytest.raises(ArchiveArgumentError):
            months(bad)
    base = "http://127.0.0.1:9/"
    assert cc_news_index_url(base, 2024, 1) == (
        "http://127.0.0.1:9/crawl-data/CC-NEWS/2024/01/warc.paths.gz"
    )
    index = b"crawl-data/CC-NEWS/2024/01/CC-NEWS-1.warc.gz\n\ncrawl-data/CC-NEWS/2024/01/CC-NEWS-2.warc.gz\n"
    assert cc_news_archives(base, index) == [
        "http://127.0.0.1:9/crawl-data/CC-NEWS/2024/01/CC-NEWS-1.warc.gz",
        "http://127.0.0.1:9/crawl-data/CC-NEWS/2024/01/CC-NEWS-2.warc.gz",
    ]


def test_domains_select_outlets_and_their_subdomains() -> None:
    selection = ArchiveSelection(domain_list(["www.Hespress.com", "https://aljazeera.net/"]))
    assert selection.source_for("https://www.hespress.com/x.html") == (True, None)
    assert selection.source_for("https://arabic.aljazeera.net/news/1") == (True, None)
    assert selection.source_for("https://notaljazeera.net/news/1") == (False, None)
    assert selection.source_for("https://example.com/") == (False, None)
    assert ArchiveSelection().source_for("https://example.com/") == (True, None)


def test_archive_arguments_in_the_plan(tmp_path: Path) -> None:
    from datetime import UTC, datetime  # noqa: PLC0415

    from crawler.discovery.plan import ArgumentError, build_plan  # noqa: PLC0415

    archive = tmp_path / "a.warc.gz"
    archive.write_bytes(b"")
    now = datetime(2026, 12, 3, tzinfo=UTC)
    plan = build_plan(
        {"warc": str(archive), "domains": "www.Example.com"},
        sources_file="", since="", max_age_days=0, now=now,
    )  # fmt: skip
    assert plan.reads_archives
    assert plan.archives == (str(archive),)
    assert plan.domains == frozenset({"example.com"})
    assert build_plan({"cc_news": "2024-02"}, sources_file="", since="", max_age_days=0,
                      now=now).cc_news == ((2024, 2),)  # fmt: skip
    with pytest.raises(ArgumentError, match="not with URL lists"):
        build_plan({"warc": str(archive), "urls": "https://example.com/a"},
                   sources_file="", since="", max_age_days=0, now=now)  # fmt: skip
    with pytest.raises(ArgumentError, match="no such file"):
        build_plan({"warc": str(tmp_path / "gone.warc")},
                   sources_file="", since="", max_age_days=0, now=now)  # fmt: skip


def test_a_sources_file_selects_its_outlets_and_names_them() -> None:
    import re  # noqa: PLC0415

    from crawler.discovery.sources import Source  # noqa: PLC0415

    arabic = Source(
        name="Hespress", sites=("https://www.hespress.com/",), deny=(re.compile("/sport/"),)
    )
    other = Source(name="Other", feeds=("https://other.example/rss.xml",))
    selection = ArchiveSelection(sources=(arabic, other))
    assert selection.source_for("https://www.hespress.com/politics/1.html") == (True, "Hespress")
    assert selection.source_for("https://www.hespress.com/sport/2.html") == (False, None)
    assert selection.source_for("https://other.example/a.html") == (True, "Other")
    assert selection.source_for("https://elsewhere.example/a.html") == (False, None)


def test_a_zstd_encoded_page_is_decoded_as_scrapy_decodes_it(tmp_path: Path) -> None:
    """Scrapy asks servers for zstd too, so an archive of our crawls can hold zstd bodies."""
    from backports import zstd  # noqa: PLC0415

    html, _, _ = article_page(7, "en")
    path = tmp_path / "z.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, body in (
            ("https://z.example/7.html", zstd.compress(html.encode("utf-8"))),
            ("https://z.example/broken.html", b"not zstd at all"),
        ):
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "zstd")]
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
            )
            writer.write_record(record)
            record.raw_stream.close()  # warcio buffers the block in a temporary file
    outcomes = _read(path)
    assert [(type(o).__name__, getattr(o, "kind", None)) for o in outcomes] == [
        ("ArchivedPage", None),
        ("PassedRecord", "bad_encoding"),
    ]
    assert isinstance(outcomes[0], ArchivedPage)
    assert outcomes[0].body == html.encode("utf-8")


def test_the_summary_line_carries_archive_progress() -> None:
    from crawler.extensions.summary import summarise, summary_line  # noqa: PLC0415

    stats = {
        "news/warc/files": 4,
        "news/warc/files_read": 2,
        "news/warc/files_unchanged": 1,
        "news/warc/records": 1200,
        "news/warc/bytes": 5_000_000,
        "elapsed_time_seconds": 60.0,
    }
    line = summary_line(summarise(stats), "finished", stats)
    assert " archives=3/4 records=1200 archive_bytes=5000000 records_per_s=20 " in line
    assert "archives=" not in summary_line(summarise({}), "finished", {})  # a live crawl
