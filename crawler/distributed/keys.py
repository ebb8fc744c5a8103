"""Names of every Redis key a crawl uses, under one prefix per corpus, and that prefix's default.

All keys of one corpus share ``<prefix>:`` so two corpora can use one Redis and one corpus is
reset with a single ``--scan --pattern '<prefix>:*'``. The default prefix comes from a random id
stored in the output folder (``.corpus-id``), not from its path: workers on several machines
may mount a shared folder at different paths, and two corpora both called ``output`` must
never share state by accident.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

CORPUS_ID_NAME = ".corpus-id"
_ID_RE = re.compile(r"^[0-9a-f]{16}$")


def corpus_id(folder: Path) -> str:
    """The output folder's id, created on first use (atomically: two workers agree on it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CORPUS_ID_NAME
    if not path.exists():
        tmp = folder / f".{CORPUS_ID_NAME}.{os.getpid()}.{secrets.token_hex(4)}.new"
        tmp.write_text(secrets.token_hex(8) + "\n", encoding="ascii")
        # link() fails when the name exists, so the first worker's id wins and is never torn.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink()
    value = path.read_text(encoding="ascii").strip()
    if not _ID_RE.match(value):
        raise ValueError(f"{path} is not a corpus id (16 hex digits); delete it to make a new one")
    return value


def _digest(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class RedisKeys:
    """The key layout under ``prefix`` (see README, "What Redis keeps")."""

    prefix: str

    @property
    def requests(self) -> str:
        """scrapy-redis priority queue (sorted set of pickled requests)."""
        return f"{self.prefix}:requests"

    @property
    def dupefilter(self) -> str:
        """scrapy-redis request fingerprints of the current run (set)."""
        return f"{self.prefix}:dupefilter"

    @property
    def workers(self) -> str:
        """Registered workers of the current run: session -> JSON (hash)."""
        return f"{self.prefix}:workers"

    @property
    def alive_prefix(self) -> str:
        return f"{self.prefix}:alive:"

    def alive(self, session: str) -> str:
        """A worker's heartbeat, ``busy`` or ``idle``, expiring after NEWS_REDIS_WORKER_TTL."""
        return self.alive_prefix + session

    @property
    def taken_prefix(self) -> str:
        return f"{self.prefix}:taken:"

    def taken(self, session: str) -> str:
        """Requests a worker popped and has not finished: token -> pickled request (hash)."""
        return self.taken_prefix + session

    @property
    def epoch(self) -> str:
        """A random token set when this Redis first holds the corpus: if it changes or goes,
        Redis lost the corpus's state (restarted empty) under the running workers."""
        return f"{self.prefix}:epoch"

    @property
    def seed(self) -> str:
        """Who reads the start and discovery pages of the current run (hash: holder, done)."""
        return f"{self.prefix}:seed"

    @property
    def counter(self) -> str:
        """The last NNN handed out (string integer)."""
        return f"{self.prefix}:counter"

    def url(self, key: str) -> str:
        """A canonical URL's status: ``w <file>``, ``n`` (not an article), ``c <session> <file>``."""
        return f"{self.prefix}:url:{_digest(key)}"

    def text(self, sha1: str) -> str:
        """A text hash's file: ``w <file>`` or ``c <session> <file>``."""
        return f"{self.prefix}:text:{sha1}"

    def band(self, index: int, value: str) -> str:
        """One MinHash LSH bucket: the files whose band ``index`` hashes to ``value`` (set)."""
        return f"{self.prefix}:lsh:{index}:{value}"

    @property
    def signatures(self) -> str:
        """MinHash signature of each file: file -> uint64 bytes (hash)."""
        return f"{self.prefix}:signatures"

    def written(self, folder_id: str) -> str:
        """The files written into one output folder (set): what ``known_files`` lists."""
        return f"{self.prefix}:written:{folder_id}"

    @property
    def documents(self) -> str:
        """Validators of sitemaps and feeds: URL -> JSON etag/last_modified/lastmod (hash)."""
        return f"{self.prefix}:documents"

    @property
    def redirects(self) -> str:
        """Article URL -> the URL it redirected to (hash), for the known-URL check."""
        return f"{self.prefix}:redirects"

    @property
    def files(self) -> str:
        """Every claimed or written file: file -> JSON status, keys, text hash (hash)."""
        return f"{self.prefix}:files"
