"""Every hostile-web case of issue 7 in one real crawl against the loopback fault server.

The crawl must finish (exit 0, reason ``finished``) within bounded memory, count each case
under its ``news/...`` key, log each failing URL exactly once, write valid files only, and
still write the normal articles among them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from w3lib.url import safe_url_string

from crawler.bench.faultcases import URL_CASES, fault_server
from crawler.bench.faults import CrawlRun, crawl_command, run_crawl
from crawler.store.audit import Audit, audit_folder

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.bench.faultserver import FaultCase

WRITTEN = "news/written"
SETTINGS = {
    "DOWNLOAD_TIMEOUT": "3",  # the one-byte-per-second and silent servers
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",  # slow cases must not queue the others
}


@dataclass
class FaultCrawl:
    run: CrawlRun
    urls: dict[str, str]
    moved_url: str
    audit: Audit
    out: Path


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> FaultCrawl:
    tmp = tmp_path_factory.mktemp("faults")
    with fault_server() as server:
        urls = {case.name: server.url(case) for case in URL_CASES}
        urls["canary"] = server.canary_url()
        listing = tmp / "urls.txt"
        listing.write_text("\n".join(urls.values()), encoding="utf-8")
        command = crawl_command(tmp / "out", {"urls": str(listing)}, SETTINGS)
        run = run_crawl(command, tmp / "crawl.log", timeout=150)
        moved = f"http://localhost:{server.port}/other-site/moved-article.html"
    return FaultCrawl(run, urls, moved, audit_folder(tmp / "out"), tmp / "out")


def test_the_crawl_finishes_in_bounded_memory(crawl: FaultCrawl) -> None:
    assert crawl.run.returncode == 0, crawl.run.log[-3000:]
    assert crawl.run.stats.get("finish_reason") == "finished"
    # The bombs expand to 2 GiB and one page is 50 MB: none of it may be held.
    assert crawl.run.peak_rss_mb < 1024, crawl.run.peak_rss_mb


def test_no_error_or_traceback_in_the_log(crawl: FaultCrawl) -> None:
    assert not re.search(r"\] (ERROR|CRITICAL):|Traceback", crawl.run.log), crawl.run.log[-3000:]


def test_every_kind_is_counted_as_often_as_it_was_served(crawl: FaultCrawl) -> None:
    expected = Counter(case.expect for case in URL_CASES)
    expected[WRITTEN] += 1  # the canary
    counted = {key: crawl.run.stats.get(key, 0) for key in expected}
    assert counted == dict(expected)
    assert crawl.run.stats.get("news/errors") == sum(
        n for key, n in expected.items() if key.startswith("news/errors/")
    )


def test_written_files_keep_every_promise(crawl: FaultCrawl) -> None:
    assert crawl.audit.ok, crawl.audit.problems
    assert len(crawl.audit.records) == crawl.run.stats.get(WRITTEN)


def test_written_text_holds_no_control_or_bidi_override_characters(crawl: FaultCrawl) -> None:
    for record in crawl.audit.records:
        text = (crawl.out / str(record["file"])).read_text(encoding="utf-8")
        bad = {
            f"U+{ord(ch):04X}"
            for ch in text
            if (unicodedata.category(ch) == "Cc" and ch != "\n")
            or "\u202a" <= ch <= "\u202e"
            or "\u2066" <= ch <= "\u2069"
        }
        assert not bad, f"{record['file']} ({record['url']}): {sorted(bad)}"


def _report_lines(log: str, url: str) -> list[str]:
    encoded = safe_url_string(url)
    return [
        line
        for line in log.splitlines()
        if "[crawler.failures]" in line and (f": {url} " in line or f": {encoded} " in line)
    ]


def _other_warnings(log: str, url: str) -> list[str]:
    encoded = safe_url_string(url)
    return [
        line
        for line in log.splitlines()
        if re.search(r"\] (WARNING|ERROR|CRITICAL): ", line)
        and "[crawler.failures]" not in line
        and (url in line or encoded in line)
        and "larger than download warn size" not in line  # a note on size, not a failure
    ]


@pytest.mark.parametrize("case", URL_CASES, ids=lambda c: c.name)
def test_each_case_is_counted_and_logged_once(crawl: FaultCrawl, case: FaultCase) -> None:
    url = crawl.urls[case.name]
    reports = _report_lines(crawl.run.log, url)
    assert not _other_warnings(crawl.run.log, url)
    if case.expect == WRITTEN:
        assert reports == []
        final = crawl.moved_url if case.name == "redirect_other_site" else safe_url_string(url)
        records = [r for r in crawl.audit.records if r["url"] == final]
        assert len(records) == 1, f"{case.name}: not written once"
        if case.must_contain:
            text = (crawl.out / str(records[0]["file"])).read_text(encoding="utf-8")
            assert case.must_contain in text
    else:
        kind = case.expect.removeprefix("news/errors/")
        assert len(reports) == 1, reports
        assert f"error {kind}: " in reports[0]


def test_the_canary_is_written(crawl: FaultCrawl) -> None:
    assert [r for r in crawl.audit.records if r["url"] == crawl.urls["canary"]]
