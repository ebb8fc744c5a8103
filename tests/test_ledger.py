"""The ledger (issue 16): what each decision becomes, batching, runs, and the report's queries."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from crawler.report.build import write_report
from crawler.report.page import render
from crawler.report.queries import Corpus, export_csv, latest_outcomes, load, read_runs
from crawler.store import ledger
from crawler.store.ledger import BATCH_ROWS, BATCH_SECONDS, COLUMNS, Decision, Ledger, decision
from crawler.store.output import manifest_line
from crawler.store.state import NearDuplicateIndex, SqliteState
from tests.test_state import STORY

if TYPE_CHECKING:
    from pathlib import Path

URL = "https://www.example.com/news/1"


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        ("written", {"file": "000_a.txt"}, Decision(URL, "written", file="000_a.txt")),
        (
            "skipped/duplicate",
            {"file": "000_a.txt", "reason": "text"},
            Decision(URL, "duplicate", "text", file="000_a.txt"),
        ),
        (
            "skipped/near_duplicate",
            {"file": "000_a.txt", "similarity": 0.9},
            Decision(URL, "near_duplicate", file="000_a.txt", similarity=0.9),
        ),
        (
            "skipped/not_article",
            {"reason": "listing"},
            Decision(URL, "not_article", "listing"),
        ),
        ("skipped/language", {"reason": "fr"}, Decision(URL, "other_language", "fr")),
        ("skipped/too_old", {}, Decision(URL, "too_old")),
        ("skipped/filtered", {}, Decision(URL, "filtered", "filtered")),
        ("skipped/limit", {"reason": "max_articles"}, Decision(URL, "filtered", "max_articles")),
        ("skipped/section_pages", {}, Decision(URL, "filtered", "section_pages")),
        ("skipped/robots_txt", {}, Decision(URL, "refused", "robots_txt")),
        ("refused/private_address", {}, Decision(URL, "refused", "private_address")),
        ("skipped/known", {"reason": "written"}, Decision(URL, "known", "written")),
        (
            "errors/fetch/http_404",
            {},
            Decision(URL, "error", "fetch/http_404", http_status=404),
        ),
        ("errors/timeout", {}, Decision(URL, "error", "timeout")),
    ],
)
def test_each_counted_kind_becomes_its_outcome(
    kind: str, extra: dict[str, Any], expected: Decision
) -> None:
    assert decision(kind, URL, **extra) == expected


def test_kinds_not_about_a_url_fate_are_not_recorded() -> None:
    assert decision("skipped/repeated_document", URL) is None
    assert decision("discovered", URL) is None
    assert decision("written", "") is None


class Clock:
    """An injected wall clock and monotonic clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        self.seconds = 0.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.seconds

    def advance(self, seconds: float) -> None:
        self.seconds += seconds
        self.now += timedelta(seconds=seconds)


def _count(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM ledger_urls").fetchone()[0])


def test_rows_are_written_per_batch_and_the_run_row_at_once(tmp_path: Path) -> None:
    path, clock = tmp_path / "state.sqlite3", Clock()
    book = Ledger(path, clock=clock.wall, monotonic=clock.monotonic)
    assert [r.run for r in read_runs([path])] == [book.run]  # a killed run is still listed
    assert book.run.startswith("20260102T030405Z-")
    for index in range(3):
        book.add(Decision(f"{URL}/{index}", "written", file=f"00{index}_a.txt"))
    assert _count(path) == 0  # no commit per URL
    clock.advance(BATCH_SECONDS)
    book.add(Decision(URL, "error", "timeout"))
    assert _count(path) == 4  # an idle crawl still writes its rows now and then
    for index in range(BATCH_ROWS):
        book.add(Decision(f"{URL}/more/{index}", "too_old"))
    assert _count(path) == 4 + BATCH_ROWS  # a full batch is written at once
    book.add(Decision(URL, "written", file="009_a.txt"))  # a later decision on the URL wins
    clock.advance(60)
    book.finish("finished", 0, {"written": 4})
    book.close()
    assert _count(path) == 4 + BATCH_ROWS
    (run,) = read_runs([path])
    assert (run.started, run.ended) == ("2026-01-02T03:04:05Z", "2026-01-02T03:05:10Z")
    assert (run.finish_reason, run.exit_status, run.summary) == ("finished", 0, {"written": 4})
    assert latest_outcomes([path])[URL] == (book.run, None, "written")


def test_the_ledger_shares_the_state_file_without_blocking_it(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    near = NearDuplicateIndex(0.8)
    state = SqliteState(path, near)
    book = Ledger(path)
    book.add(Decision(URL, "written", file="000_a.txt"))
    state.record_article([URL], "sha", near.signature(STORY), "000_a.txt")
    book.close()
    assert state.url_status(URL) == "written"
    state.close()


def test_a_near_duplicate_carries_its_similarity(tmp_path: Path) -> None:
    near = NearDuplicateIndex(0.8)
    state = SqliteState(tmp_path / "state.sqlite3", near)
    state.record_article([URL], "sha", near.signature(STORY), "000_a.txt")
    copy = [STORY[0], STORY[1] + " (Reporting by a correspondent.)"]
    found = state.nearest(near.signature(copy))
    assert found is not None
    assert found[0] == "000_a.txt"
    assert 0.8 <= found[1] < 1.0
    state.close()


def _run(path: Path, start: datetime, rows: list[Decision], worker: str = "") -> str:
    book = Ledger(path, worker=worker, clock=lambda: start)
    for row in rows:
        book.add(row)
    book.finish("finished", 0, {"written": sum(r.outcome == "written" for r in rows)})
    book.close()
    return book.run


def _manifest(folder: Path, records: list[dict[str, Any]], name: str = "manifest.jsonl") -> None:
    with (folder / name).open("w", encoding="utf-8") as out:
        for record in records:
            out.write(manifest_line(record))


DAY = datetime(2026, 1, 1, tzinfo=UTC)


def test_each_url_counts_once_by_its_latest_decision_across_runs_and_workers(
    tmp_path: Path,
) -> None:
    state, worker = tmp_path / ".state.sqlite3", ledger.worker_file(tmp_path, "w1")
    _run(state, DAY, [Decision(URL, "error", "timeout"), Decision(f"{URL}/2", "not_article")])
    second = _run(
        worker,
        DAY + timedelta(days=1),
        [Decision(URL, "written", source="Daily", file="000_a.txt")],
        worker="w1",
    )
    _run(state, DAY + timedelta(days=2), [Decision(URL, "known", "written")])
    _manifest(
        tmp_path,
        [{"file": "000_a.txt", "url": URL, "domain": "example.com", "source_name": "Daily"}],
    )
    corpus = load(tmp_path)
    assert [r.worker for r in corpus.runs] == ["", "w1", ""]
    daily, example = corpus.outlets["Daily"], corpus.outlets["example.com"]
    assert (daily.written, daily.outcomes["error"], daily.last_written_run) == (
        1,
        0,
        "2026-01-02T00:00:00Z",
    )
    assert second.startswith("20260102T")
    assert example.outcomes == {"not_article": 1}  # no source name: the domain is the outlet
    assert corpus.outcomes == {"not_article": 1}


def test_the_csv_has_one_row_per_url_and_run(tmp_path: Path) -> None:
    state = tmp_path / ".state.sqlite3"
    first = _run(state, DAY, [Decision(URL, "error", "fetch/http_503", http_status=503)])
    second = _run(state, DAY + timedelta(days=1), [Decision(URL, "written", file="000_a.txt")])
    target = tmp_path / "out" / "ledger.csv"
    assert export_csv(tmp_path, target) == 2
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [*COLUMNS, "domain"]
    assert [(r["run"], r["outcome"], r["http_status"]) for r in rows] == [
        (first, "error", "503"),
        (second, "written", ""),
    ]
    assert rows[1]["domain"] == "example.com"


HOSTILE = '</script><script>alert(1)</script><img src=x onerror="alert(2)"> & \u2028'


def test_the_page_escapes_what_strangers_wrote(tmp_path: Path) -> None:
    _manifest(
        tmp_path,
        [
            {
                "file": "000_0123456789abcdef.txt",
                "title": HOSTILE,
                "source_name": "<b>Daily</b>",
                "domain": "example.com",
                "language": "en",
                "published": "2026-01-01",
                "words": 5,
            }
        ],
    )
    book = Ledger(tmp_path / ".state.sqlite3")  # killed: never finished
    book.add(Decision(URL + '"><script>', "error", "<timeout>", source="<b>Daily</b>"))
    book.flush()
    page = write_report(tmp_path, now=DAY).read_text(encoding="utf-8")
    assert page.count("<script") == 2  # the data blob and the page's own script
    assert "<img" not in page
    assert "<b>" not in page
    assert "&lt;b&gt;Daily&lt;/b&gt;" in page
    assert "did not finish" in page
    blob = re.search(r'id="article-data">(.*?)</script>', page, re.DOTALL)
    assert blob is not None
    assert json.loads(blob.group(1))["rows"][0][0] == HOSTILE  # the text itself, intact
    book.close()


def test_the_page_allows_only_its_own_script_and_style() -> None:
    page = render(Corpus([], {}, [], Counter()), "out", "now")
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1)
    assert "unsafe-inline" not in policy.group(1)
    assert "'sha256-" in policy.group(1)
