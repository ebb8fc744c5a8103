"""The discovery cases of issue 7 in real crawls against the loopback fault server.

XML bombs and external entities are refused unread, sitemap index loops are read once, an
endless calendar stops at NEWS_SECTION_PAGES, a 60,000-URL sitemap is read whole, and a bad
sources file ends the crawl with its file and line and a non-zero exit status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from crawler.bench.discoveryfaults import BIG_SITEMAP_URLS, CYCLE_B, PASSWD_MARKERS
from crawler.bench.faultcases import START_CASES, fault_server
from crawler.bench.faults import CrawlRun, case_arguments, crawl_command, run_crawl
from crawler.store.audit import Audit, audit_folder

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from crawler.bench.faultserver import FaultCase, FaultServer

CASES = {c.name: c for c in START_CASES if c.start != "urls"}
ONE_CRAWL = ("xml_bomb_sitemap", "xxe_sitemap", "sitemap_self_index", "sitemap_index_cycle")


@dataclass
class Crawl:
    run: CrawlRun
    audit: Audit
    out: Path
    hits: dict[str, int]
    urls: dict[str, str]
    canary: str


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with fault_server() as running:
        yield running


@pytest.fixture(scope="module")
def crawl(server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The sitemap cases and the calendar in one crawl, with the canary article."""
    tmp = tmp_path_factory.mktemp("discovery-faults")
    urls = {name: server.url(name) for name in (*ONE_CRAWL, "calendar_trap")}
    sitemaps, canary = tmp / "sitemaps.txt", tmp / "urls.txt"
    sitemaps.write_text("\n".join(urls[n] for n in ONE_CRAWL), encoding="utf-8")
    canary.write_text(server.canary_url(), encoding="utf-8")
    arguments = {"sitemaps": str(sitemaps), "sections": urls["calendar_trap"], "urls": str(canary)}
    before = dict(server.hits)
    run = run_crawl(crawl_command(tmp / "out", arguments), tmp / "crawl.log", timeout=120)
    hits = {k: v - before.get(k, 0) for k, v in server.hits.items()}
    return Crawl(run, audit_folder(tmp / "out"), tmp / "out", hits, urls, server.canary_url())


def _run_case(server: FaultServer, case: FaultCase, tmp: Path) -> tuple[CrawlRun, Audit]:
    folder = tmp / case.name
    folder.mkdir()
    command = crawl_command(folder / "out", case_arguments(server, case, folder), case.settings)
    return run_crawl(command, folder / "crawl.log", timeout=120), audit_folder(folder / "out")


def _warnings(log: str, url: str) -> list[str]:
    return [
        line
        for line in log.splitlines()
        if re.search(r"\] (WARNING|ERROR|CRITICAL): ", line) and url in line
    ]


def test_the_crawl_finishes_and_writes_the_canary(crawl: Crawl) -> None:
    assert crawl.run.returncode == 0, crawl.run.log[-3000:]
    assert crawl.run.stats.get("finish_reason") == "finished"
    assert crawl.audit.ok, crawl.audit.problems
    assert [r["url"] for r in crawl.audit.records] == [crawl.canary]
    assert not re.search(r"\] (ERROR|CRITICAL):|Traceback", crawl.run.log)


@pytest.mark.parametrize("name", ["xml_bomb_sitemap", "xxe_sitemap"])
def test_entity_sitemaps_are_refused_unread_and_logged_once(crawl: Crawl, name: str) -> None:
    assert crawl.run.stats.get("news/errors/discovery/xml_entities") == 2
    lines = _warnings(crawl.run.log, crawl.urls[name])
    assert len(lines) == 1, lines
    assert "error discovery/xml_entities: " in lines[0]
    # Nothing under the case's folder but the sitemap itself was requested.
    folder = f"/case/{name}/"
    assert {p: n for p, n in crawl.hits.items() if p.startswith(folder)} == {
        f"{folder}sitemap.xml": 1
    }


def test_nothing_of_etc_passwd_appears_in_the_log_or_the_output(crawl: Crawl) -> None:
    written = b"".join(p.read_bytes() for p in crawl.out.rglob("*") if p.is_file())
    for marker in PASSWD_MARKERS:
        assert marker not in crawl.run.log
        assert marker.encode() not in written  # texts, manifest and the state database
    assert not any("passwd" in path or "leak" in path for path in crawl.hits)


def test_sitemap_index_loops_are_read_once(crawl: Crawl) -> None:
    assert crawl.hits["/case/sitemap_self_index/sitemap.xml"] == 1
    assert crawl.hits["/case/sitemap_index_cycle/a.xml"] == 1
    assert crawl.hits[CYCLE_B] == 1
    assert crawl.run.stats.get("news/skipped/repeated_document") == 2
    for name in ("sitemap_self_index", "sitemap_index_cycle"):
        lines = [
            line
            for line in crawl.run.log.splitlines()
            if f"skipped repeated_document: {crawl.urls[name]} " in line
        ]
        assert len(lines) == 1, lines
        assert not _warnings(crawl.run.log, crawl.urls[name])


def test_the_calendar_trap_stops_at_news_section_pages(crawl: Crawl) -> None:
    assert crawl.hits["/case/calendar_trap/calendar.html"] == 3  # NEWS_SECTION_PAGES
    assert crawl.run.stats.get("news/discovery/section") == 3
    assert crawl.run.stats.get("news/skipped/section_pages") == 1
    lines = [line for line in crawl.run.log.splitlines() if "skipped section_pages: " in line]
    assert len(lines) == 1, lines
    assert "calendar.html?month=597 " in lines[0]


def test_a_60000_url_sitemap_is_read_whole(server: FaultServer, tmp_path: Path) -> None:
    case = CASES["big_sitemap"]
    run, audit = _run_case(server, case, tmp_path)
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats.get("finish_reason") == "closespider_itemcount"  # -s NEWS_MAX_ARTICLES=3
    assert run.stats.get("news/discovered") == BIG_SITEMAP_URLS + 1  # and the canary
    assert run.stats.get("news/written") == 3
    assert audit.ok, audit.problems
    assert not re.search(r"\] (ERROR|CRITICAL):|Traceback", run.log)
    assert run.peak_rss_mb < 1024, run.peak_rss_mb


@pytest.mark.parametrize("name", ["sources_bad_toml", "sources_unknown_key", "sources_unreachable"])
def test_a_bad_sources_file_fails_with_file_and_line(
    server: FaultServer, tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    run, audit = _run_case(server, case, tmp_path)
    assert run.returncode == case.expect_exit, run.log[-3000:]
    assert run.log.count(case.message) == 1, run.log[-3000:]
    assert "Traceback" not in run.log
    assert audit.records == []
    if name == "sources_unreachable":
        assert run.stats.get("news/start/failed") == run.stats.get("news/start/requests") == 2
        for path in ("/article.html", "/feed.xml"):
            dead = f"http://127.0.0.1:{server.dead_port}{path}"
            assert len(_warnings(run.log, dead)) == 1, run.log[-3000:]
    else:
        errors = [line for line in run.log.splitlines() if "] ERROR: " in line]
        assert len(errors) == 1, errors
        assert f"{tmp_path / name / 'sources.toml'}:" in errors[0]
