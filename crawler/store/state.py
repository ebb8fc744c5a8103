"""The persistent crawl state: URLs already judged, text fingerprints, file numbering.

It lives on disk (SQLite in the output folder by default) so that a second run, a resumed run
and a 20,000-article run all answer "seen before?" without growing Python sets.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from crawler.store.faults import is_disk_error, state_error
from crawler.store.nearduplicates import NearDuplicateIndex
from crawler.store.statefile import StateFile

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from crawler.store.nearduplicates import Signature

__all__ = [
    "SCHEMA_VERSION",
    "Conflict",
    "DocumentRecord",
    "NearDuplicateIndex",  # its home is crawler.store.nearduplicates; importable from here too
    "SqliteState",
    "StateStore",
    "UrlStatus",
]

F = TypeVar("F", bound="Callable[..., Any]")


class UrlStatus:
    """What the state remembers about a URL."""

    WRITTEN = "written"
    NOT_ARTICLE = "not_article"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why an article may not be written: it repeats a file written or being written."""

    kind: str
    """``duplicate`` or ``near_duplicate``: the stats key under ``news/skipped/``."""
    file: str
    """The file it repeats (empty for a URL already written: the URL says it all)."""
    basis: str = "claim"
    """What repeats: ``url``, ``text``, ``similar`` (checks) or ``claim`` (a claim lost)."""
    similarity: float | None = None
    """A near-duplicate's estimated Jaccard similarity to ``file`` (the ledger records it)."""

    def describe(self) -> str:
        """The drop reason's first words, e.g. ``duplicate text of 000_….txt``."""
        if self.basis == "url":
            return "duplicate URL"
        if self.basis == "text":
            return f"duplicate text of {self.file}"
        return f"{self.kind.replace('_', '-')} of {self.file}"


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """What a completed run saw of a sitemap or feed, to skip it while it is unchanged."""

    url: str
    etag: str | None = None
    """The ``ETag`` it was served with (sent back as ``If-None-Match``)."""
    last_modified: str | None = None
    """The ``Last-Modified`` it was served with (sent back as ``If-Modified-Since``)."""
    lastmod: str | None = None
    """The ``<lastmod>`` its parent sitemap index gave it."""
    read_to: int | None = None
    """An archive a stopped run read part of: the byte its next run starts at (None: read whole)."""
    articles: tuple[str, ...] | None = None
    """The state keys of the articles it led to, all settled when it was saved (issue 17:
    it may be skipped only while they still are); None keeps the ones saved before."""


class StateStore(Protocol):
    """What the pipelines need from the state, whichever backend keeps it.

    Writing an article is ``claim`` (atomic check-and-reserve of its URLs, text hash and, where
    the backend is shared, its near-duplicate signature), the atomic file write, then
    ``record_article``; ``release`` undoes a claim whose write failed.
    """

    def url_status(self, key: str) -> str | None: ...

    def mark_not_article(self, key: str) -> None: ...

    def mark_duplicate(self, key: str, file: str) -> None: ...

    def file_for_text(self, sha1: str) -> str | None: ...

    def near_duplicate_of(self, signature: Signature) -> str | None: ...

    def nearest(self, signature: Signature) -> tuple[str, float] | None: ...

    def next_number(self, floor: int) -> int: ...

    def record_article(
        self, keys: list[str], sha1: str, signature: Signature | None, file: str
    ) -> None: ...

    def claim(
        self, keys: list[str], sha1: str, signature: Signature | None, file: str
    ) -> Conflict | None: ...

    def release(self, file: str) -> None: ...

    def known_files(self) -> set[str]: ...

    def file_in_use(self, file: str) -> bool: ...

    def document(self, url: str) -> DocumentRecord | None: ...

    def remember_documents(self, records: Iterable[DocumentRecord]) -> None: ...

    def unsettled_articles(self, url: str) -> int: ...

    def redirect_target(self, key: str) -> str | None: ...

    def remember_redirect(self, key: str, target: str) -> None: ...

    def forget_file(self, file: str) -> None: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (key TEXT PRIMARY KEY, status TEXT NOT NULL, file TEXT);
CREATE TABLE IF NOT EXISTS texts (sha1 TEXT PRIMARY KEY, file TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signatures (file TEXT PRIMARY KEY, hashes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bands (band TEXT NOT NULL, file TEXT NOT NULL, PRIMARY KEY (band, file));
CREATE INDEX IF NOT EXISTS bands_file ON bands (file);
CREATE TABLE IF NOT EXISTS documents (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, lastmod TEXT, read_to INTEGER
);
CREATE TABLE IF NOT EXISTS redirects (key TEXT PRIMARY KEY, target TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS document_articles (
    url TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (url, key)
);
"""

SCHEMA_VERSION = 1
"""``PRAGMA user_version`` of the state file. A file from a newer version is refused
(:mod:`crawler.store.statefile`); an older one is upgraded by ``_UPGRADES``. Tables added with
``CREATE TABLE IF NOT EXISTS`` need no new version: only a change of meaning does."""
_UPGRADES = {
    # 0 -> 1: validators saved before a document knew its articles may hide articles that were
    # never written (issue 17: 152 of 300 after a full disk); every document is read once again.
    0: "DELETE FROM documents",
}


def _fresh(db: sqlite3.Connection) -> bool:
    """A file with no tables yet (not one written before the schema version was kept)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'urls'").fetchone() is None


def _writes(method: F) -> F:
    """A state write the disk refused (full, read-only) is a StorageError naming the file."""

    @functools.wraps(method)
    def wrapper(self: SqliteState, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            if is_disk_error(exc):
                raise state_error(self.path, exc) from exc
            raise

    return wrapper  # type: ignore[return-value]


class SqliteState:
    """State in one SQLite file; the LSH index over signatures is rebuilt in memory on open."""

    def __init__(self, path: Path, near: NearDuplicateIndex, *, thorough: bool = False) -> None:
        """Open (or create) the state at ``path``; ``thorough`` checks every page of it."""
        self.path = path
        self.near = near
        self._file = StateFile(
            path, _SCHEMA, SCHEMA_VERSION, _UPGRADES, fresh=_fresh, thorough=thorough
        )
        self._db = self._file.db
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(documents)")}
        if "read_to" not in columns:  # a state made before archives kept their read position
            self._db.execute("ALTER TABLE documents ADD COLUMN read_to INTEGER")
        self._last_number = -1

    def url_status(self, key: str) -> str | None:
        row = self._db.execute("SELECT status FROM urls WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    @_writes
    def mark_not_article(self, key: str) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO urls (key, status) VALUES (?, ?)", (key, UrlStatus.NOT_ARTICLE)
        )

    @_writes
    def mark_duplicate(self, key: str, file: str) -> None:
        """A URL whose text copies ``file``: never fetched again (issue 3, incremental runs)."""
        self._db.execute(
            "INSERT OR IGNORE INTO urls (key, status, file) VALUES (?, ?, ?)",
            (key, UrlStatus.DUPLICATE, file),
        )

    def file_for_text(self, sha1: str) -> str | None:
        row = self._db.execute("SELECT file FROM texts WHERE sha1 = ?", (sha1,)).fetchone()
        return str(row[0]) if row else None

    def near_duplicate_of(self, signature: Signature) -> str | None:
        found = self.nearest(signature)
        return found[0] if found is not None else None

    def nearest(self, signature: Signature) -> tuple[str, float] | None:
        """The most similar written file and the similarity, at or above the threshold."""
        if not self.near.enabled:
            return None
        bands = self.near.bands(signature)
        marks = ",".join("?" * len(bands))
        rows = self._db.execute(
            "SELECT file, hashes FROM signatures WHERE file IN"  # noqa: S608 - only ?s
            f" (SELECT file FROM bands WHERE band IN ({marks})) ORDER BY file",
            bands,
        ).fetchall()
        return self.near.closest(signature, [(str(f), bytes(h)) for f, h in rows])

    def next_number(self, floor: int) -> int:
        """The next file number: above ``floor`` (the folder's highest) and this run's last.

        Kept in memory: the folder lock makes this run the folder's only writer, and a number
        is only "used" once its file exists, so a killed run leaves no gap.
        """
        self._last_number = max(floor, self._last_number) + 1
        return self._last_number

    @_writes
    def record_article(
        self, keys: list[str], sha1: str, signature: Signature | None, file: str
    ) -> None:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO urls (key, status, file) VALUES (?, ?, ?)",
                [(key, UrlStatus.WRITTEN, file) for key in keys],
            )
            self._db.execute("INSERT OR IGNORE INTO texts (sha1, file) VALUES (?, ?)", (sha1, file))
            if signature is not None:
                self._db.execute(
                    "INSERT OR REPLACE INTO signatures (file, hashes) VALUES (?, ?)",
                    (file, self.near.to_bytes(signature)),
                )
                self._db.executemany(
                    "INSERT OR IGNORE INTO bands (band, file) VALUES (?, ?)",
                    [(band, file) for band in self.near.bands(signature)],
                )

    def claim(
        self, keys: list[str], sha1: str, signature: Signature | None, file: str
    ) -> Conflict | None:
        """One process holds the folder lock, so the dedup checks cannot race: re-check only."""
        for key in keys:
            row = self._db.execute(
                "SELECT file FROM urls WHERE key = ? AND status = ?", (key, UrlStatus.WRITTEN)
            ).fetchone()
            if row:
                return Conflict("duplicate", str(row[0]))
        if same := self.file_for_text(sha1):
            return Conflict("duplicate", same)
        return None

    def release(self, file: str) -> None:
        """Nothing was reserved (see :meth:`claim`)."""

    def known_files(self) -> set[str]:
        return {str(r[0]) for r in self._db.execute("SELECT file FROM texts")}

    def file_in_use(self, file: str) -> bool:
        """No other writer can hold the locked folder: only a recorded file is in use."""
        return (
            self._db.execute("SELECT 1 FROM texts WHERE file = ?", (file,)).fetchone() is not None
        )

    def document(self, url: str) -> DocumentRecord | None:
        row = self._db.execute(
            "SELECT etag, last_modified, lastmod, read_to FROM documents WHERE url = ?", (url,)
        ).fetchone()
        return DocumentRecord(url, row[0], row[1], row[2], row[3]) if row else None

    @_writes
    def remember_documents(self, records: Iterable[DocumentRecord]) -> None:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            records = list(records)
            self._db.executemany(
                "INSERT OR REPLACE INTO documents (url, etag, last_modified, lastmod, read_to)"
                " VALUES (?, ?, ?, ?, ?)",
                [(r.url, r.etag, r.last_modified, r.lastmod, r.read_to) for r in records],
            )
            linked = [r for r in records if r.articles is not None]
            self._db.executemany(
                "DELETE FROM document_articles WHERE url = ?", [(r.url,) for r in linked]
            )
            self._db.executemany(
                "INSERT OR IGNORE INTO document_articles (url, key) VALUES (?, ?)",
                [(r.url, key) for r in linked for key in r.articles or ()],
            )

    def unsettled_articles(self, url: str) -> int:
        """How many articles the saved document led to are no longer settled in the state
        (their file was lost and forgotten, or the state was rebuilt without them)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM document_articles d WHERE d.url = ?"
            " AND NOT EXISTS (SELECT 1 FROM urls u WHERE u.key = d.key)",
            (url,),
        ).fetchone()
        return int(row[0])

    def redirect_target(self, key: str) -> str | None:
        row = self._db.execute("SELECT target FROM redirects WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    @_writes
    def remember_redirect(self, key: str, target: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO redirects (key, target) VALUES (?, ?)", (key, target)
        )

    @_writes
    def forget_file(self, file: str) -> None:
        """Undo a record whose file is gone (a run killed between state and manifest)."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM urls WHERE file = ?", (file,))
            self._db.execute("DELETE FROM texts WHERE file = ?", (file,))
            self._db.execute("DELETE FROM signatures WHERE file = ?", (file,))
            self._db.execute("DELETE FROM bands WHERE file = ?", (file,))

    def close(self) -> None:
        self._file.close()
