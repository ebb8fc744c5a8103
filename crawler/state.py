"""The persistent crawl state: URLs already judged, text fingerprints, the file counter.

It lives on disk (SQLite in the output folder by default) so that a second run, a resumed run
and a 20,000-article run all answer "seen before?" without growing Python sets.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
from datasketch import MinHash, MinHashLSH

from crawler.seedformat import normalised_text

if TYPE_CHECKING:
    from pathlib import Path

_WORD_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_WORDS = 5
# datasketch >= 2 wants the permutation scheme named when a MinHash is rebuilt from stored
# hash values (it raises otherwise, so a second run could not open its state); it is named
# everywhere so stored and fresh signatures always come from the same scheme.
MINHASH_SCHEME = "affine32"


class UrlStatus:
    """What the state remembers about a URL."""

    WRITTEN = "written"
    NOT_ARTICLE = "not_article"


@dataclass(frozen=True, slots=True)
class NearDuplicateIndex:
    """MinHash settings; ``threshold`` is the estimated Jaccard similarity of word shingles."""

    threshold: float
    permutations: int = 64

    @property
    def enabled(self) -> bool:
        return self.threshold > 0

    def signature(self, paragraphs: tuple[str, ...] | list[str]) -> MinHash:
        """MinHash of the lower-cased 5-word shingles of the text."""
        words = _WORD_RE.findall(normalised_text(paragraphs).casefold())
        shingles = {
            " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
            for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
        }
        minhash = MinHash(num_perm=self.permutations, seed=1, scheme=MINHASH_SCHEME)
        minhash.update_batch(list(shingles))
        return minhash


class StateStore(Protocol):
    """What the pipelines need from the state, whichever backend keeps it."""

    def url_status(self, key: str) -> str | None: ...

    def mark_not_article(self, key: str) -> None: ...

    def file_for_text(self, sha1: str) -> str | None: ...

    def near_duplicate_of(self, signature: MinHash) -> str | None: ...

    def next_number(self, floor: int) -> int: ...

    def record_article(
        self, keys: list[str], sha1: str, signature: MinHash | None, file: str
    ) -> None: ...

    def known_files(self) -> set[str]: ...

    def forget_file(self, file: str) -> None: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (key TEXT PRIMARY KEY, status TEXT NOT NULL, file TEXT);
CREATE TABLE IF NOT EXISTS texts (sha1 TEXT PRIMARY KEY, file TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signatures (file TEXT PRIMARY KEY, hashes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class SqliteState:
    """State in one SQLite file; the LSH index over signatures is rebuilt in memory on open."""

    def __init__(self, path: Path, near: NearDuplicateIndex) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.near = near
        self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._lsh: MinHashLSH | None = None
        if near.enabled:
            self._lsh = MinHashLSH(threshold=near.threshold, num_perm=near.permutations)
            for file, blob in self._db.execute("SELECT file, hashes FROM signatures"):
                hashes = np.frombuffer(blob, dtype=np.uint64)
                if len(hashes) == near.permutations:
                    self._lsh.insert(
                        file,
                        MinHash(
                            num_perm=near.permutations,
                            seed=1,
                            hashvalues=hashes,
                            scheme=MINHASH_SCHEME,
                        ),
                    )

    def url_status(self, key: str) -> str | None:
        row = self._db.execute("SELECT status FROM urls WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def mark_not_article(self, key: str) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO urls (key, status) VALUES (?, ?)", (key, UrlStatus.NOT_ARTICLE)
        )

    def file_for_text(self, sha1: str) -> str | None:
        row = self._db.execute("SELECT file FROM texts WHERE sha1 = ?", (sha1,)).fetchone()
        return str(row[0]) if row else None

    def near_duplicate_of(self, signature: MinHash) -> str | None:
        if self._lsh is None:
            return None
        best: tuple[float, str] | None = None
        for file in self._lsh.query(signature):
            row = self._db.execute(
                "SELECT hashes FROM signatures WHERE file = ?", (file,)
            ).fetchone()
            if row is None:
                continue
            other = MinHash(
                num_perm=self.near.permutations,
                seed=1,
                hashvalues=np.frombuffer(row[0], dtype=np.uint64),
                scheme=MINHASH_SCHEME,
            )
            score = signature.jaccard(other)
            if score >= self.near.threshold and (best is None or score > best[0]):
                best = (score, str(file))
        return best[1] if best else None

    def next_number(self, floor: int) -> int:
        """Reserve the next file number: above ``floor`` and every number handed out before."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute("SELECT value FROM counters WHERE name = 'file'").fetchone()
            number = max(floor, row[0] if row else -1) + 1
            self._db.execute(
                "INSERT OR REPLACE INTO counters (name, value) VALUES ('file', ?)", (number,)
            )
        return number

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
                    (file, signature.hashvalues.astype(np.uint64).tobytes()),
                )
        if signature is not None and self._lsh is not None and file not in self._lsh.keys:
            self._lsh.insert(file, signature)

    def known_files(self) -> set[str]:
        return {str(r[0]) for r in self._db.execute("SELECT file FROM texts")}

    def forget_file(self, file: str) -> None:
        """Undo a record whose file is gone (a run killed between state and manifest)."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM urls WHERE file = ?", (file,))
            self._db.execute("DELETE FROM texts WHERE file = ?", (file,))
            self._db.execute("DELETE FROM signatures WHERE file = ?", (file,))
        if self._lsh is not None and file in self._lsh.keys:
            self._lsh.remove(file)

    def close(self) -> None:
        self._db.close()
