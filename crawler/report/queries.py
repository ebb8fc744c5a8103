"""What the report shows, read from an output folder: its manifests and its ledger databases.

Pure reading (no Scrapy): the manifests say what was written (the truth for articles, words,
languages); the ledger (``crawler.store.ledger``) says what became of every other URL and how
each run ended. A URL judged in several runs counts once per outlet, by its latest decision
other than ``known`` (a known URL's fate is the one an earlier run decided). Every database
is opened read-only, so a report can be made while a crawl runs.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.store import ledger
from crawler.store.output import OutputFolder
from crawler.urls import registered_domain

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator
    from pathlib import Path

OUTCOME_COLUMNS = (
    ledger.DUPLICATE,
    ledger.NEAR_DUPLICATE,
    ledger.NOT_ARTICLE,
    ledger.OTHER_LANGUAGE,
    ledger.TOO_OLD,
    ledger.FILTERED,
    ledger.REFUSED,
    ledger.ERROR,
)
"""The per-outlet columns besides ``written`` (which the manifests count)."""


@dataclass(frozen=True, slots=True)
class Article:
    """One manifest record, as the report's table shows it."""

    title: str
    outlet: str
    date: str
    """``YYYY-MM-DD`` of publication, or empty when the page stated none."""
    language: str
    words: int
    file: str
    warc: tuple[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """One crawl run of the ledger."""

    run: str
    worker: str
    started: str
    ended: str | None
    finish_reason: str | None
    exit_status: int | None
    summary: dict[str, int]


@dataclass(slots=True)
class Outlet:
    """Counts of one outlet (a source's name, or the domain when it has none)."""

    name: str
    domains: set[str] = field(default_factory=set)
    written: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    last_written_run: str | None = None
    """Start of the latest run that wrote one of its articles."""


@dataclass(slots=True)
class Corpus:
    """Everything the page shows."""

    articles: list[Article]
    outlets: dict[str, Outlet]
    runs: list[Run]
    outcomes: Counter[str]


def outlet_of(source: str | None, domain: str) -> str:
    """A source's configured name; without one, the domain."""
    return source or domain


class _Domains:
    """``registered_domain`` of many URLs, parsed once per host (a corpus has few hosts)."""

    def __init__(self) -> None:
        self._by_host: dict[str, str] = {}

    def __call__(self, url: str) -> str:
        host = url.split("/", 3)[2] if url.count("/") >= 2 else url
        found = self._by_host.get(host)
        if found is None:
            found = self._by_host[host] = registered_domain(url)
        return found


def _connections(paths: list[Path]) -> Iterator[sqlite3.Connection]:
    for path in paths:
        db = ledger.connect(path, readonly=True)
        try:
            if ledger.has_ledger(db):
                yield db
        finally:
            db.close()


def read_runs(paths: list[Path]) -> list[Run]:
    """Every run of every ledger database, oldest first."""
    runs = []
    for db in _connections(paths):
        for row in db.execute(
            "SELECT run, worker, started, ended, finish_reason, exit_status, summary"
            " FROM ledger_runs"
        ):
            summary: dict[str, int] = {}
            with contextlib.suppress(TypeError, ValueError):
                summary = {str(k): int(v) for k, v in json.loads(row[6]).items()}
            runs.append(Run(row[0], row[1], row[2], row[3], row[4], row[5], summary))
    return sorted(runs, key=lambda r: (r.started, r.run))


def latest_outcomes(paths: list[Path]) -> dict[str, tuple[str, str | None, str]]:
    """``url -> (run, source, outcome)``: each URL's latest decision other than ``known``."""
    latest: dict[str, tuple[str, str | None, str]] = {}
    for db in _connections(paths):
        # SQLite takes the bare columns from the row holding max(run).
        for url, run, source, outcome in db.execute(
            "SELECT url, max(run), source, outcome FROM ledger_urls"
            " WHERE outcome != ? GROUP BY url",
            (ledger.KNOWN,),
        ):
            if url not in latest or latest[url][0] < run:
                latest[url] = (run, source, outcome)
    return latest


def archive_records(paths: list[Path]) -> dict[str, tuple[str, int]]:
    """``file -> (WARC file, offset)`` of the written articles whose page was archived."""
    found: dict[str, tuple[str, int]] = {}
    for db in _connections(paths):
        for file, warc_file, offset in db.execute(
            "SELECT file, warc_file, warc_offset FROM ledger_urls"
            " WHERE outcome = ? AND warc_file IS NOT NULL",
            (ledger.WRITTEN,),
        ):
            found[str(file)] = (str(warc_file), int(offset))
    return found


def _article(record: dict[str, Any], warc: dict[str, tuple[str, int]]) -> Article:
    domain = str(record.get("domain") or "")
    try:
        words = int(record.get("words") or 0)
    except (TypeError, ValueError):
        words = 0
    file = str(record["file"])
    return Article(
        title=str(record.get("title") or ""),
        outlet=outlet_of(record.get("source_name"), domain),
        date=str(record.get("published") or "")[:10],
        language=str(record.get("language") or ""),
        words=words,
        file=file,
        warc=warc.get(file),
    )


def load(
    folder: Path, *, manifest_name: str = "manifest.jsonl", state: Path | None = None
) -> Corpus:
    """The corpus of an output folder: manifests, runs and every URL's latest decision."""
    paths = ledger.ledger_files(folder, state)
    warc = archive_records(paths)
    records = OutputFolder(folder, manifest_name).manifest_records()
    articles = [_article(record, warc) for record in records]
    outlets: dict[str, Outlet] = {}

    def outlet(name: str) -> Outlet:
        found = outlets.get(name)
        if found is None:
            found = outlets[name] = Outlet(name)
        return found

    for record, article in zip(records, articles, strict=True):
        entry = outlet(article.outlet)
        entry.written += 1
        if record.get("domain"):
            entry.domains.add(str(record["domain"]))
    runs = read_runs(paths)
    started = {run.run: run.started for run in runs}
    outcomes: Counter[str] = Counter()
    last_written: dict[str, str] = defaultdict(str)
    domain_of = _Domains()
    for url, (run, source, outcome) in latest_outcomes(paths).items():
        domain = domain_of(url)
        entry = outlet(outlet_of(source, domain))
        entry.domains.add(domain)
        if outcome == ledger.WRITTEN:
            last_written[entry.name] = max(last_written[entry.name], run)
        else:
            entry.outcomes[outcome] += 1
            outcomes[outcome] += 1
    for name, run in last_written.items():
        outlets[name].last_written_run = started.get(run, run)
    articles.sort(key=lambda a: (a.date, a.file), reverse=True)
    return Corpus(articles, outlets, runs, outcomes)


def export_csv(folder: Path, target: Path, *, state: Path | None = None) -> int:
    """Write every ledger row (one per URL and run) as CSV, with ``domain`` added; the count."""
    rows = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([*ledger.COLUMNS, "domain"])
        domain_of = _Domains()
        for db in _connections(ledger.ledger_files(folder, state)):
            for row in ledger.iter_rows(db):
                out.writerow([*("" if v is None else v for v in row), domain_of(str(row[1]))])
                rows += 1
    return rows
