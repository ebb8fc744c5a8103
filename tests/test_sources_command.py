"""``scrapy sources FILE`` (issue 15): each source's URLs read once, two sample articles, a
verdict per source, and the exit status cron needs; robots.txt obeyed as in a crawl."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests import ROOT
from tests.conftest import crawl_env

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.localsite.server import SiteServer

pytestmark = pytest.mark.e2e

PRIVATE = "/private/leaked-draft-report-on-budget-cuts.html"


def run_sources(path: Path) -> subprocess.CompletedProcess[str]:
    """``scrapy sources`` as a user runs it; an output folder it must never create."""
    out = path.parent / "never-written"
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "sources", str(path), "-s", f"NEWS_OUTPUT_DIR={out}",
         "-s", "DOWNLOAD_DELAY=0",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CLOSESPIDER_TIMEOUT=120"],
        cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def _rows(stdout: str) -> list[list[str]]:
    """The table's rows as cells (two spaces or more separate them)."""
    return [re.split(r"\s{2,}", line.strip()) for line in stdout.splitlines()[1:]]


def _verdicts(stdout: str) -> dict[str, str]:
    return {row[0]: row[2] for row in _rows(stdout) if row[1] == "verdict"}


def test_a_working_source_a_404_feed_and_sources_without_articles(
    tmp_path: Path, mock_site: SiteServer
) -> None:
    base = mock_site.base
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f"""
[[source]]
name = "Herald"
feeds = ["{base}/feeds/rss.xml", "{base}/feeds/missing.xml"]

[[source]]
name = "Empty section"
sections = ["{base}/about.html"]

[[source]]
name = "Gone"
feeds = ["{base}/feeds/gone.xml"]

[[source]]
name = "French"
language = "fr"
feeds = ["{base}/feeds/atom.xml"]

[[source]]
name = "Private"
urls = ["{base}{PRIVATE}"]
""",
        encoding="utf-8",
    )
    result = run_sources(sources)
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stdout.splitlines()[0].split() == [
        "source", "kind", "url", "status", "parsed", "as", "articles", "newest",
    ]  # fmt: skip
    assert _verdicts(result.stdout) == {
        "Herald": "ok",
        "Empty section": "no articles",
        "Gone": "unreachable",
        "French": "wrong language",
        "Private": "unreachable",
    }
    rows = {(r[0], r[1], r[2]): r for r in _rows(result.stdout) if r[1] not in {"verdict"}}
    feed = rows["Herald", "feed", f"{base}/feeds/rss.xml"]
    assert feed[3:] == ["200", "RSS feed", "4", "2025-11-22"]
    assert rows["Herald", "feed", f"{base}/feeds/missing.xml"][3] == "404"
    samples = [r for r in _rows(result.stdout) if r[:2] == ["Herald", "sample"]]
    assert len(samples) == 2
    assert all(r[3] == "200" and r[4].startswith("article: ") for r in samples)
    assert rows["Private", "sample", f"{base}{PRIVATE}"][3] == "robots.txt"
    assert PRIVATE not in mock_site.requests  # robots.txt obeyed
    assert mock_site.requests.count("/feeds/rss.xml") == 1
    assert "Traceback" not in result.stderr  # no component of the crawl left on (the ledger)


def test_every_source_yields_an_article(tmp_path: Path, mock_site: SiteServer) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "Herald"\nsites = ["{mock_site.base}/"]\n', encoding="utf-8"
    )
    result = run_sources(sources)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _verdicts(result.stdout) == {"Herald": "ok"}
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "never-written").exists()  # no store, no state: nothing written


def test_a_malformed_file_exits_2_with_file_and_line(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "A"\nfeeds = ["ftp://x.example/rss"]\n', "utf-8")
    result = run_sources(sources)
    assert result.returncode == 2
    assert f"{sources}:3: source 'A': feeds not an http(s) URL: 'ftp://x.example/rss'" in (
        result.stderr
    )
    assert result.stdout == ""
