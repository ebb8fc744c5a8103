"""The sources file, the spider arguments and dates: validated with useful messages (issue 3)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from crawler.discovery.dates import cutoff, is_older, normalised_date, parse_date
from crawler.discovery.plan import ArgumentError, argument_settings, build_plan, split_list
from crawler.discovery.sources import SourcesFileError, load_sources, parse_sources
from tests import ROOT

if TYPE_CHECKING:
    from pathlib import Path

NOW = datetime(2025, 11, 23, 12, 0, tzinfo=UTC)
GOOD = """# two outlets
[[source]]
name = "Example Arabic"
language = "ar"
feeds = ["https://news.example/ar/rss.xml"]
sections = ["https://news.example/ar/world/"]
deny = ['/live/']
max_articles = 5

[[source]]
name = "Example English"
sitemaps = ["https://news.example/sitemap_index.xml"]
allow = ['/en/news/']
"""


def test_good_file() -> None:
    arabic, english = parse_sources(GOOD, ROOT / "s.toml")
    assert arabic.name == "Example Arabic"
    assert arabic.language == "ar"
    assert arabic.max_articles == 5
    assert arabic.feeds == ("https://news.example/ar/rss.xml",)
    assert arabic.accepts("https://news.example/ar/news/1-2-3")
    assert not arabic.accepts("https://news.example/ar/live/1-2-3")
    assert english.accepts("https://news.example/en/news/x-y-z")
    assert not english.accepts("https://news.example/ar/news/x-y-z")


def test_shipped_example_file_is_valid() -> None:
    sources = load_sources(str(ROOT / "sources.example.toml"))
    names = {s.name for s in sources}
    assert {"BBC Arabic", "BBC News", "Al Jazeera Arabic"} <= names
    assert {s.language for s in sources} == {"ar", "en"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[[source]]\nname = 'x'\nfeeds = 'not closed\n", 3, "not valid TOML"),
        ("[[source]]\nname = = 'x'\nfeeds = []\n", 2, "not valid TOML"),
        ("[[source]]\nname = 'a'\nfeeds = ['https://a.example/f']\nfeedz = []\n", 4, "feedz"),
        ("[[source]]\nname = 'a'\nfeeds = ['ftp://a.example/f']\n", 3, "not an http(s) URL"),
        ("[[source]]\nname = 'a'\nfeeds = [1]\n", 3, "list of URLs"),
        ("[[source]]\nfeeds = ['https://a.example/f']\n", 1, "needs a non-empty name"),
        (
            (
                "[[source]]\nname = 'a'\nurls = ['https://a.example/x']\n\n"
                "[[source]]\nname = 'b'\nsections = []\n"
            ),
            5,  # the [[source]] line of the empty one
            "nothing to crawl",
        ),
        (
            "[[source]]\nname = 'a'\nfeeds = ['https://a.example/f']\nlanguage = 'Arabic'\n",
            4,
            "ISO 639-1",
        ),
        (
            "[[source]]\nname = 'a'\nfeeds = ['https://a.example/f']\nallow = ['(']\n",
            4,
            "bad regular expression",
        ),
        (
            "[[source]]\nname = 'a'\nfeeds = ['https://a.example/f']\nmax_articles = -1\n",
            4,
            "whole number",
        ),
        (
            (
                "[[source]]\nname = 'a'\nfeeds = ['https://a.example/f']\n"
                "[[source]]\nname = 'a'\nfeeds = ['https://a.example/g']\n"
            ),
            5,
            "duplicate source name",
        ),
    ],
)
def test_mistakes_name_file_and_line(text: str, line: int, message: str, tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    with pytest.raises(SourcesFileError) as caught:
        parse_sources(text, path)
    assert str(caught.value).startswith(f"{path}:{line}: "), caught.value
    assert message in str(caught.value)


def test_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="no such file"):
        load_sources(str(tmp_path / "nope.toml"))
    with pytest.raises(SourcesFileError, match=r"no \[\[source\]\] tables"):
        parse_sources("", tmp_path / "empty.toml")
    with pytest.raises(SourcesFileError, match="unknown top-level key"):
        parse_sources("[sources]\nname='x'\n", tmp_path / "x.toml")


def test_argument_settings() -> None:
    assert argument_settings({"since": "2025-11-01", "limit": "10", "urls": "x"}) == {
        "NEWS_SINCE": "2025-11-01",
        "NEWS_MAX_ARTICLES": "10",
    }
    with pytest.raises(ArgumentError, match="YYYY-MM-DD"):
        argument_settings({"since": "01/11/2025"})
    with pytest.raises(ArgumentError, match="whole number"):
        argument_settings({"max_age_days": "-3"})
    with pytest.raises(ArgumentError, match="no such file"):
        argument_settings({"sources": "/nonexistent/sources.toml"})


def test_plan_combines_command_line_and_sources_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(GOOD, encoding="utf-8")
    plan = build_plan(
        {"feeds": "https://a.example/rss, https://b.example/atom", "urls": None},
        sources_file=str(path),
        since="2025-11-01",
        max_age_days=30,
        now=NOW,
    )
    assert [s.name for s in plan.sources] == [None, "Example Arabic", "Example English"]
    assert plan.sources[0].feeds == ("https://a.example/rss", "https://b.example/atom")
    assert plan.cutoff == datetime(2025, 11, 1, tzinfo=UTC)  # later than 30 days ago
    assert plan.source("Example English").sitemaps


def test_plan_errors() -> None:
    with pytest.raises(ArgumentError, match="nothing to crawl"):
        build_plan({}, sources_file="", since="", max_age_days=0, now=NOW)
    with pytest.raises(ArgumentError, match="unknown spider argument -a feed="):
        build_plan(
            {"feed": "https://a.example/"}, sources_file="", since="", max_age_days=0, now=NOW
        )
    with pytest.raises(ArgumentError, match="not an http"):
        build_plan(
            {"sitemaps": "file:///etc/passwd"}, sources_file="", since="", max_age_days=0, now=NOW
        )


def test_plan_skips_bad_lines_but_keeps_the_good_ones() -> None:
    plan = build_plan(
        {"urls": "https://a.example/1,javascript:alert(1),mailto:x@a.example"},
        sources_file="",
        since="",
        max_age_days=0,
        now=NOW,
    )
    assert plan.sources[0].urls == ("https://a.example/1",)
    assert plan.rejected == ("javascript:alert(1)", "mailto:x@a.example")
    assert plan.user_urls == ["https://a.example/1"]


def test_split_list_reads_files(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text(
        "# feeds\nhttps://a.example/rss\n\n  https://b.example/rss  \n", encoding="utf-8"
    )
    assert split_list(str(path)) == ["https://a.example/rss", "https://b.example/rss"]
    assert split_list("https://a.example/x,https://b.example/y,") == [
        "https://a.example/x",
        "https://b.example/y",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-11-03", datetime(2025, 11, 3, tzinfo=UTC)),
        ("2025-11-03T08:15:00+03:00", datetime(2025, 11, 3, 5, 15, tzinfo=UTC)),
        ("2025-11-03T08:15:00Z", datetime(2025, 11, 3, 8, 15, tzinfo=UTC)),
        ("Mon, 03 Nov 2025 08:15:00 GMT", datetime(2025, 11, 3, 8, 15, tzinfo=UTC)),
        ("2025-11", datetime(2025, 11, 1, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: datetime | None) -> None:
    assert parse_date(value) == expected


def test_normalised_date() -> None:
    assert normalised_date("2025-11-03") == "2025-11-03"
    assert normalised_date("Mon, 03 Nov 2025 08:15:00 +0300") == "2025-11-03T05:15:00+00:00"
    assert normalised_date("soon") is None


def test_age_cutoff() -> None:
    limit = cutoff(None, 2, NOW)
    assert limit == datetime(2025, 11, 21, 12, 0, tzinfo=UTC)
    assert is_older("2025-11-20T23:59:00Z", limit)
    assert not is_older("2025-11-21", limit)  # a bare day lasts until its end
    assert is_older("2025-11-20", limit)
    assert not is_older("2025", limit)
    assert is_older("2024", limit)
    assert not is_older("2025-11", limit)
    assert not is_older(None, limit)  # unknown dates are kept
    assert not is_older("2019-01-01", None)
    assert cutoff(None, 0, NOW) is None
