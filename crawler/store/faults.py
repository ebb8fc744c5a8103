"""Faults of the machine the store writes to: a full or read-only disk, a damaged state file.

Issue 17. A bad page costs that page; a disk that refuses a write costs the run: every later
write would fail the same way, and a crawl that went on fetching would only pile up articles
it cannot keep (and, before this module, hide them from the next run). So the first failed
write becomes one :class:`StorageError` naming the folder or file and the system's reason, the
crawl stops (exit status 74, EX_IOERR), and nothing half-written stays behind. A state file the
program cannot trust (truncated, held by another process, written by a newer version) is a
:class:`StateDamagedError` (exit status 65, EX_DATAERR): the run refuses to start rather than
start afresh and write the corpus a second time.
"""

from __future__ import annotations

import errno
import sqlite3

# The errnos of a disk that refuses writes (rather than a path that is wrong): no space, no
# quota, a read-only file system, an I/O error of the device.
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG})
# SQLite's words for the same (its errors carry no errno).
_SQLITE_DISK_WORDS = ("disk is full", "readonly database", "disk i/o error", "unable to open")

REBUILD_HINT = (
    "rebuild it from the output folder with -s NEWS_STATE_REBUILD=True "
    "(docs/scheduling.md, 'A damaged state')"
)
"""What to do about a damaged state, appended to every StateDamagedError message."""


class StorageError(OSError):
    """A write to the output folder or the state failed because of the disk: the run stops."""


class StateDamagedError(RuntimeError):
    """The state file cannot be trusted (damaged, locked, newer): the run does not start."""


def is_disk_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the disk refusing a write (full, read-only, failing)."""
    if isinstance(exc, StorageError):
        return True
    if isinstance(exc, OSError):
        return exc.errno in _DISK_ERRNOS
    if isinstance(exc, sqlite3.OperationalError):
        return any(words in str(exc).lower() for words in _SQLITE_DISK_WORDS)
    return False


def describe(exc: BaseException) -> str:
    """The system's reason, without Python's decoration: ``No space left on device``."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def folder_error(folder: object, exc: BaseException) -> StorageError:
    """The one message of a failed write to the output folder."""
    return StorageError(
        f"cannot write to the output folder {folder}: {describe(exc)}; "
        "nothing half-written was kept, free space (or make it writable) and rerun",
    )


def state_error(path: object, exc: BaseException) -> StorageError:
    """The one message of a failed write to the state file."""
    return StorageError(
        f"cannot write the crawl state {path}: {describe(exc)}; "
        "nothing half-written was kept, free space (or make it writable) and rerun",
    )
