"""The ledger: every URL the crawler decided something about, and every run (issue 16).

A crawl's stats vanish with its process and its log lines are for grep; the ledger keeps, in
the state's SQLite file, one row per URL and run (what became of it and why, where it came
from, when) and one row per run (start, end, finish reason, exit status, summary counts), so
``scrapy report`` can show a night of cron runs at once. It is a record, never a decision:
nothing reads it during a crawl.

The outcome of a URL comes from the stats kind its decision is counted under
(:func:`decision`), so the ledger and ``news/...`` stats cannot disagree. Rows are buffered and
written in one transaction per batch (``BATCH_ROWS`` rows or ``BATCH_SECONDS``), never one
commit per URL; a killed run loses at most its last batch, and its run row shows no end.

The tables are additive (``CREATE TABLE IF NOT EXISTS``) in the same database as the state:
``ledger_runs`` and ``ledger_urls``. A distributed worker keeps its own file
(``.ledger-<worker>.sqlite3`` beside its ``manifest-<worker>.jsonl``): no Redis round trip per
URL, and the report reads every such file of the folder.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path

BATCH_ROWS = 500
"""Rows per transaction: one commit per few hundred URLs keeps the ledger's cost negligible."""
BATCH_SECONDS = 5.0
"""A slow crawl still writes its rows at least this often (what a killed run can lose)."""

WRITTEN = "written"
DUPLICATE = "duplicate"
NEAR_DUPLICATE = "near_duplicate"
NOT_ARTICLE = "not_article"
OTHER_LANGUAGE = "other_language"
TOO_OLD = "too_old"
FILTERED = "filtered"
REFUSED = "refused"
ERROR = "error"
KNOWN = "known"
OUTCOMES = (
    WRITTEN,
    DUPLICATE,
    NEAR_DUPLICATE,
    NOT_ARTICLE,
    OTHER_LANGUAGE,
    TOO_OLD,
    FILTERED,
    REFUSED,
    ERROR,
    KNOWN,
)
"""Every outcome a ledger row can have (docs/report.md)."""

# Stats kind (under ``news/``) -> ledger outcome; any other ``skipped/<rule>`` is "filtered".
_SKIPPED = {
    "skipped/duplicate": DUPLICATE,
    "skipped/near_duplicate": NEAR_DUPLICATE,
    "skipped/not_article": NOT_ARTICLE,
    "skipped/language": OTHER_LANGUAGE,
    "skipped/too_old": TOO_OLD,
    "skipped/known": KNOWN,
    "skipped/robots_txt": REFUSED,
}
# Kinds that are about a discovery document read twice in a run, not about a URL's fate.
_NOT_RECORDED = frozenset({"skipped/repeated_document"})
_HTTP_STATUS = re.compile(r"http_(\d{3})$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_runs (
    run TEXT PRIMARY KEY, worker TEXT NOT NULL DEFAULT '', started TEXT NOT NULL,
    ended TEXT, finish_reason TEXT, exit_status INTEGER, summary TEXT
);
CREATE TABLE IF NOT EXISTS ledger_urls (
    run TEXT NOT NULL, url TEXT NOT NULL, time TEXT NOT NULL, outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '', source TEXT, file TEXT,
    similarity REAL, http_status INTEGER, warc_file TEXT, warc_offset INTEGER,
    PRIMARY KEY (run, url)
);
CREATE INDEX IF NOT EXISTS ledger_urls_outcome ON ledger_urls (outcome);
"""
COLUMNS = (
    "run",
    "url",
    "time",
    "outcome",
    "reason",
    "detail",
    "source",
    "file",
    "similarity",
    "http_status",
    "warc_file",
    "warc_offset",
)
"""The columns of ``ledger_urls``, in order: also the ledger CSV's header (docs/report.md)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """What became of one URL in this run, and why."""

    url: str
    outcome: str
    reason: str = ""
    """Machine-readable: the error kind, the language, the rule, the page type."""
    detail: str = ""
    """The same sentence the log line says."""
    source: str | None = None
    file: str | None = None
    """The file written, or the file a (near-)duplicate repeats."""
    similarity: float | None = None
    http_status: int | None = None


def decision(
    kind: str,
    url: str,
    detail: str = "",
    *,
    source: str | None = None,
    file: str | None = None,
    similarity: float | None = None,
    reason: str = "",
) -> Decision | None:
    """The ledger row of a decision counted as ``news/<kind>``; None for kinds not about a URL.

    ``written``; ``skipped/<rule>`` (a known rule's outcome, else ``filtered`` by that rule);
    ``refused/<why>``; ``errors/<kind>`` (``error``, with the HTTP status of ``http_NNN``).
    """
    if kind in _NOT_RECORDED or not url:
        return None
    status = None
    if kind == WRITTEN:
        outcome = WRITTEN
    elif kind.startswith("errors/"):
        outcome, reason = ERROR, reason or kind.removeprefix("errors/")
        if match := _HTTP_STATUS.search(kind):
            status = int(match.group(1))
    elif kind.startswith("refused/"):
        outcome, reason = REFUSED, reason or kind.removeprefix("refused/")
    elif kind.startswith("skipped/"):
        rule = kind.removeprefix("skipped/")
        outcome = _SKIPPED.get(kind, FILTERED)
        if outcome in {FILTERED, REFUSED}:
            reason = reason or rule
    else:
        return None
    return Decision(url, outcome, reason, detail, source, file, similarity, status)


def new_run_id(now: datetime) -> str:
    """A run's id: its UTC start, sortable, and a random suffix (workers start together)."""
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """The ledger's database (the state file): its tables made if missing, or read-only."""
    if readonly:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit is not an fsync
    db.executescript(SCHEMA)
    return db


class Ledger:
    """One run's writer: its run row, then its URL rows in batches, then its end.

    Used from one thread (the reactor's). A transaction is opened and committed within one
    call, so the state's own connection to the same file never waits on it.
    """

    def __init__(
        self,
        path: Path,
        *,
        worker: str = "",
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self._clock = clock
        self._monotonic = monotonic
        self._db = connect(path)
        self._rows: list[tuple[Any, ...]] = []
        self._last_flush = monotonic()
        started = clock()
        self.run = new_run_id(started)
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO ledger_runs (run, worker, started) VALUES (?, ?, ?)",
                (self.run, worker, _stamp(started)),
            )

    def add(self, row: Decision, warc: tuple[str, int] | None = None) -> None:
        """Buffer one decision; write the batch when it is full or old enough."""
        warc_file, warc_offset = warc if warc is not None else (None, None)
        self._rows.append(
            (
                self.run,
                row.url,
                _stamp(self._clock()),
                row.outcome,
                row.reason,
                row.detail,
                row.source,
                row.file,
                row.similarity,
                row.http_status,
                warc_file,
                warc_offset,
            )
        )
        if len(self._rows) >= BATCH_ROWS or self._monotonic() - self._last_flush >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows in one transaction (a later decision on a URL replaces it)."""
        self._last_flush = self._monotonic()
        if not self._rows:
            return
        rows, self._rows = self._rows, []
        marks = ", ".join("?" * len(COLUMNS))
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                f"INSERT OR REPLACE INTO ledger_urls ({', '.join(COLUMNS)}) VALUES ({marks})",  # noqa: S608 - constants
                rows,
            )

    def finish(self, reason: str, exit_status: int, summary: Mapping[str, int]) -> None:
        """The run's end: remaining rows, then its finish reason, exit status and counts."""
        self.flush()
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "UPDATE ledger_runs SET ended = ?, finish_reason = ?, exit_status = ?, summary = ?"
                " WHERE run = ?",
                (_stamp(self._clock()), reason, exit_status, json.dumps(dict(summary)), self.run),
            )

    def close(self) -> None:
        self.flush()
        self._db.close()


def ledger_files(folder: Path, state_path: Path | None = None) -> list[Path]:
    """The ledger databases of an output folder: the state file, then each worker's file."""
    state = state_path or folder / ".state.sqlite3"
    found = [state] if state.is_file() else []
    return found + sorted(folder.glob(".ledger-*.sqlite3"))


def worker_file(folder: Path, worker: str) -> Path:
    """A distributed worker's ledger database."""
    return folder / f".ledger-{worker}.sqlite3"


def has_ledger(db: sqlite3.Connection) -> bool:
    row = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_urls'"
    ).fetchone()
    return bool(row and row[0])


def iter_rows(db: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """Every URL row, in the order of ``COLUMNS``, by run then time."""
    if not has_ledger(db):
        return
    yield from db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM ledger_urls ORDER BY run, time, url"  # noqa: S608 - constants
    )
