"""Opening the SQLite state file: refuse one the program cannot trust, upgrade an old one.

Issue 17. SQLite opens almost anything: a file cut short by a crash answers the first queries
and fails with "database disk image is malformed" an hour into the crawl; a file held by
another process makes every write wait and then fail; a file written by a newer version of the
program may mean something else by its tables. Each would have the run start afresh or fail
half-way, and a fresh start writes the corpus a second time. So the file is checked once, on
open: the header (and the size it states), ``PRAGMA quick_check`` after a crash, the schema version (``PRAGMA user_version``), and a
lock (``flock`` on the file, kept until the state is closed, plus one write transaction to see
that no other SQLite connection holds it). What fails is a
:class:`~crawler.store.faults.StateDamagedError` with the remedy in its message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from typing import TYPE_CHECKING

from crawler.store.faults import REBUILD_HINT, StateDamagedError, is_disk_error, state_error

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
PROBE_TIMEOUT = 2.0
"""Seconds the opening write transaction waits for another connection's lock: long enough for
a checkpoint, short enough that a held file is reported at once rather than after BUSY_TIMEOUT."""
BUSY_TIMEOUT = 30.0
"""Seconds a write waits for a lock during the crawl (readers of the WAL never block it)."""


_HEADER_SIZE = 100


def _stated_size(header: bytes) -> int:
    """The database size its header states, in bytes; 0 when the header does not say.

    SQLite keeps the page size (offset 16; 1 means 65536) and the page count (offset 28),
    valid while the "version-valid-for" number (offset 92) equals the change counter (24).
    """
    if len(header) < _HEADER_SIZE:
        return 0
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96]:
        return 0
    return page_size * pages


def _script(db: sqlite3.Connection, sql: str) -> None:
    """An upgrade's statements one by one (``executescript`` would commit the open
    transaction first); an upgrade is plain statements, no triggers."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


class StateFile:
    """An open, checked state database and the ``flock`` that keeps other processes out."""

    def __init__(
        self,
        path: Path,
        schema: str,
        version: int,
        upgrades: Mapping[int, str],
        *,
        fresh: Callable[[sqlite3.Connection], bool],
        thorough: bool = False,
    ) -> None:
        """Open ``path`` at schema ``version``; ``upgrades[v]`` takes a file from ``v`` to v+1.

        ``fresh(db)`` says whether an unversioned file is new (no tables yet) rather than one
        written before the version was kept. ``thorough`` adds ``PRAGMA quick_check`` (about
        2 s for a 20,000-article state on this machine): after a crash, when damage inside
        the file is likely; a file cut short is caught by its header on every open.
        """
        self.path = path
        self.thorough = thorough
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._check_header()
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if is_disk_error(exc):
                raise state_error(path, exc) from None
            raise
        try:
            self._lock()
            self.db = sqlite3.connect(path, isolation_level=None, timeout=PROBE_TIMEOUT)
        except BaseException:
            os.close(self._lock_fd)
            raise
        try:
            self._open(schema, version, upgrades, fresh)
        except BaseException:
            self.close()
            raise
        self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")

    def _check_header(self) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with self.path.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
        if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
            raise self.damaged("is not an SQLite database (damaged or overwritten)")
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            # Not closed cleanly (or a checkpoint the disk refused): the log completes the
            # file, whose header may already state pages still in the log. Check every page.
            self.thorough = True
        elif (size := _stated_size(header)) and self.path.stat().st_size < size:
            raise self.damaged(
                f"is damaged (cut short: {self.path.stat().st_size} of {size} bytes)"
            )

    def _lock(self) -> None:
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise self.locked() from None

    def _open(
        self,
        schema: str,
        version: int,
        upgrades: Mapping[int, str],
        fresh: Callable[[sqlite3.Connection], bool],
    ) -> None:
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            found = int(self.db.execute("PRAGMA user_version").fetchone()[0])
            if found > version:
                raise self.damaged(
                    f"was written by a newer version of the program (schema {found}; this "
                    f"one knows {version})",
                    remedy=f"run the newer version, or {REBUILD_HINT}",
                )
            if self.thorough:
                problems = [str(r[0]) for r in self.db.execute("PRAGMA quick_check").fetchall()]
                if problems != ["ok"]:
                    raise self.damaged(f"is damaged ({'; '.join(problems[:3])})")
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")  # no other connection holds it
                if found == 0 and fresh(self.db):
                    found = version
            # Every CREATE ... IF NOT EXISTS, as one script (it commits on its own); then the
            # upgrades and the version in one transaction: an upgrade cut short runs again.
            self.db.executescript(schema)
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                for step in range(found, version):
                    _script(self.db, upgrades[step])
                self.db.execute(f"PRAGMA user_version = {version}")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise self.locked() from None
            if is_disk_error(exc):
                raise state_error(self.path, exc) from None
            raise self.damaged(f"cannot be read ({exc})") from None
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
            raise self.damaged(f"is damaged ({exc})") from None

    def damaged(self, what: str, remedy: str = REBUILD_HINT) -> StateDamagedError:
        return StateDamagedError(
            f"the crawl state {self.path} {what}; nothing was crawled: {remedy}"
        )

    def locked(self) -> StateDamagedError:
        return self.locked_error(self.path)

    @staticmethod
    def locked_error(path: Path) -> StateDamagedError:
        return StateDamagedError(
            f"the crawl state {path} is locked by another process; nothing was crawled: "
            "stop that process, or give this run its own NEWS_STATE_PATH"
        )

    def close(self) -> None:
        with contextlib.suppress(AttributeError):
            self.db.close()
        with contextlib.suppress(OSError):
            os.close(self._lock_fd)  # after the connection: it drops SQLite's own locks too
