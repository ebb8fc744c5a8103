"""The persistent crawl state: URLs already judged, text fingerprints, file numbering.

It lives on disk (SQLite in the output folder by default) so that a second run, a resumed run
and a 20,000-article run all answer "seen before?" without growing Python sets.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np
from datasketch import MinHash, MinHashLSH

from crawler.store.faults import is_disk_error, state_error
from crawler.store.fingerprint import shingle_hashes
from crawler.store.statefile import StateFile

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

F = TypeVar("F", bound="Callable[..., Any]")

_SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures depend on it


@functools.lru_cache(maxsize=8)
def _permutations(permutations: int) -> np.ndarray:
    """The permutation parameters of every signature, generated once per process.

    A new ``MinHash`` draws them from a seeded RNG each time it is built (issue 13: most of
    the signature's cost); datasketch shares a canonical array passed as ``permutations=``.
    The seed is the same (1), so signatures are identical to freshly built ones.
    """
    shared: np.ndarray = MinHash(num_perm=permutations, seed=1, scheme=_SCHEME).permutations
    shared.setflags(write=False)
    return shared


@functools.lru_cache(maxsize=8)
def _band_ranges(threshold: float, permutations: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each LSH band, as datasketch chooses them for these settings."""
    lsh = NearDuplicateIndex(threshold, permutations).new_lsh()
    return tuple((int(a), int(b)) for a, b in lsh.hashranges)


class UrlStatus:
    """What the state remembers about a URL."""

    WRITTEN = "written"
    NOT_ARTICLE = "not_article"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class NearDuplicateIndex:
    """MinHash settings; ``threshold`` is the estimated Jaccard similarity of word shingles."""

    threshold: float
    permutations: int = 128

    @property
    def enabled(self) -> bool:
        return self.threshold > 0

    def signature(self, paragraphs: tuple[str, ...] | list[str]) -> MinHash:
        """MinHash of the lower-cased 5-word shingles of the text."""
        return self.from_shingles(shingle_hashes(paragraphs).tobytes())

    def from_shingles(self, hashes: bytes) -> MinHash:
        """The MinHash of shingles already hashed (``shingle_hashes``, by the worker).

        The values are datasketch's default hash of each shingle, so ``hashfunc=int`` gives
        the MinHash the shingles themselves would.
        """
        minhash = MinHash(
            num_perm=self.permutations,
            seed=1,
            scheme=_SCHEME,
            hashfunc=int,
            permutations=_permutations(self.permutations),
        )
        minhash.update_batch(array("I", hashes).tolist())
        return minhash

    def new_lsh(self) -> MinHashLSH:
        """An LSH index that finds candidates generously; ``jaccard`` then decides.

        datasketch tunes bands for its threshold with equal error weights, which misses about
        a quarter of pairs at 0.875 similarity for a 0.8 threshold. Candidates come from a
        lower threshold with false negatives weighted heavily, and each is confirmed against
        the stored signature, so recall is near 1 and precision is the estimator's.
        """
        return MinHashLSH(
            threshold=max(0.3, self.threshold - 0.2),
            num_perm=self.permutations,
            weights=(0.1, 0.9),
        )

    def bands(self, signature: MinHash) -> list[str]:
        """The LSH band keys of a signature (``<band>:<digest>``), as ``new_lsh`` cuts it.

        Stored beside the signature on disk (SQLite) or in Redis, so the index costs no memory
        in the crawl process however many articles the corpus holds.
        """
        values = signature.hashvalues.astype(np.uint64)
        if len(values) != self.permutations:
            return []  # made with other settings: not in this index
        return [
            f"{index}:{hashlib.sha1(values[start:end].tobytes(), usedforsecurity=False).hexdigest()[:24]}"
            for index, (start, end) in enumerate(_band_ranges(self.threshold, self.permutations))
        ]

    def from_bytes(self, blob: bytes) -> MinHash | None:
        """A signature stored by ``to_bytes``; None if it was made with other settings."""
        hashes = np.frombuffer(blob, dtype=np.uint64)
        if len(hashes) != self.permutations:
            return None
        return MinHash(
            seed=1,
            hashvalues=hashes,
            scheme=_SCHEME,
            permutations=_permutations(self.permutations),
        )

    def most_similar(self, signature: MinHash, stored: Sequence[tuple[str, bytes]]) -> str | None:
        """The stored file most similar to ``signature``, at or above the threshold, or None.

        ``stored`` holds ``(file, to_bytes(signature))`` pairs; those made with other settings
        are skipped. The score is ``MinHash.jaccard`` (the share of equal hash values), for
        all candidates in one numpy step rather than one MinHash built per candidate (on the
        generated site about 50 candidates per article); the first of equal best scores wins.
        """
        width = self.permutations * 8
        usable = [(file, blob) for file, blob in stored if len(blob) == width]
        if not usable:
            return None
        others = np.frombuffer(b"".join(blob for _, blob in usable), dtype=np.uint64)
        mine = signature.hashvalues.astype(np.uint64)
        scores = np.count_nonzero(others.reshape(len(usable), -1) == mine, axis=1) / len(mine)
        best = int(np.argmax(scores))
        return usable[best][0] if float(scores[best]) >= self.threshold else None

    @staticmethod
    def to_bytes(signature: MinHash) -> bytes:
        return bytes(signature.hashvalues.astype(np.uint64).tobytes())


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why an article may not be written: it repeats a file written or being written."""

    kind: str
    """``duplicate`` or ``near_duplicate``: the stats key under ``news/skipped/``."""
    file: str
    """The file it repeats (empty for a URL already written: the URL says it all)."""
    basis: str = "claim"
    """What repeats: ``url``, ``text``, ``similar`` (checks) or ``claim`` (a claim lost)."""

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

    def near_duplicate_of(self, signature: MinHash) -> str | None: ...

    def next_number(self, floor: int) -> int: ...

    def record_article(
        self, keys: list[str], sha1: str, signature: MinHash | None, file: str
    ) -> None: ...

    def claim(
        self, keys: list[str], sha1: str, signature: MinHash | None, file: str
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
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, lastmod TEXT
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

    def near_duplicate_of(self, signature: MinHash) -> str | None:
        if not self.near.enabled:
            return None
        bands = self.near.bands(signature)
        marks = ",".join("?" * len(bands))
        rows = self._db.execute(
            "SELECT file, hashes FROM signatures WHERE file IN"  # noqa: S608 - only ?s
            f" (SELECT file FROM bands WHERE band IN ({marks})) ORDER BY file",
            bands,
        ).fetchall()
        return self.near.most_similar(signature, [(str(f), bytes(h)) for f, h in rows])

    def next_number(self, floor: int) -> int:
        """The next file number: above ``floor`` (the folder's highest) and this run's last.

        Kept in memory: the folder lock makes this run the folder's only writer, and a number
        is only "used" once its file exists, so a killed run leaves no gap.
        """
        self._last_number = max(floor, self._last_number) + 1
        return self._last_number

    @_writes
    def record_article(
        self, keys: list[str], sha1: str, signature: MinHash | None, file: str
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
        self, keys: list[str], sha1: str, signature: MinHash | None, file: str
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
            "SELECT etag, last_modified, lastmod FROM documents WHERE url = ?", (url,)
        ).fetchone()
        return DocumentRecord(url, row[0], row[1], row[2]) if row else None

    @_writes
    def remember_documents(self, records: Iterable[DocumentRecord]) -> None:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            records = list(records)
            self._db.executemany(
                "INSERT OR REPLACE INTO documents (url, etag, last_modified, lastmod)"
                " VALUES (?, ?, ?, ?)",
                [(r.url, r.etag, r.last_modified, r.lastmod) for r in records],
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
