"""The output folder: atomic seed files, the manifest beside them, and their reconciliation.

The manifest is the source of truth. A file is written under a temporary name, fsynced and
renamed; only then is its manifest line appended (and fsynced); only then is the state told.
A run killed anywhere leaves at worst a complete file without a manifest line, which the next
run removes on open (the article is fetched again), or a manifest line the state missed, which
the next run re-records.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from typing import IO, TYPE_CHECKING, Any

from crawler.seedformat import parse_file_name

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

logger = logging.getLogger(__name__)

TMP_SUFFIX = ".tmp"
LOCK_NAME = ".lock"


class OutputLockedError(RuntimeError):
    """Another run holds the output folder."""


class OutputUnusableError(RuntimeError):
    """The output folder cannot be created or written (permissions, a file in the way...)."""


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that ``path`` either does not exist or holds all of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    with tmp.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
    _fsync_dir(path.parent)


def read_manifest(path: Path) -> Iterator[dict[str, Any]]:
    """The manifest's complete records; a torn last line (killed mid-append) is skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict) and isinstance(record.get("file"), str):
                    yield record


class OutputFolder:
    """One output folder held by one run: lock, reconciliation, numbering floor, appends."""

    def __init__(self, folder: Path, manifest_name: str = "manifest.jsonl") -> None:
        self.folder = folder
        self.manifest_path = folder / manifest_name
        self._lock: IO[str] | None = None
        self._manifest: IO[str] | None = None

    def open(self) -> None:
        """Create the folder, take its lock (or raise OutputLockedError), repair a killed run."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = (self.folder / LOCK_NAME).open("a+", encoding="utf-8")
        except OSError as exc:
            raise OutputUnusableError(
                f"output folder {self.folder} is not usable: {exc.strerror or exc}"
            ) from None
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise OutputLockedError(
                f"output folder {self.folder} is in use by another crawl; not starting"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        self._lock = lock
        self._repair_manifest_tail()
        self._manifest = self.manifest_path.open("a", encoding="utf-8", newline="\n")

    def _repair_manifest_tail(self) -> None:
        """Cut a torn last manifest line so the next append starts on a fresh line."""
        if not self.manifest_path.exists():
            return
        data = self.manifest_path.read_bytes()
        if data and not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            logger.warning("manifest %s: dropping a torn last line", self.manifest_path)
            with self.manifest_path.open("r+b") as handle:
                handle.truncate(keep)
                os.fsync(handle.fileno())

    def manifest_records(self) -> list[dict[str, Any]]:
        return list(read_manifest(self.manifest_path))

    def remove_orphans(self, listed: set[str]) -> list[str]:
        """Delete temporary files and seed files that no manifest line names."""
        removed = []
        for path in self.folder.iterdir():
            if path.name.endswith(TMP_SUFFIX) and path.name.startswith("."):
                path.unlink(missing_ok=True)
            elif parse_file_name(path.name) and path.name not in listed:
                path.unlink(missing_ok=True)
                removed.append(path.name)
        if removed:
            logger.warning("removed %d file(s) a killed run left unrecorded", len(removed))
        return removed

    def highest_number(self) -> int:
        """The highest NNN in the folder (-1 when empty), whatever wrote it."""
        numbers = [
            parsed[0] for path in self.folder.iterdir() if (parsed := parse_file_name(path.name))
        ]
        return max(numbers, default=-1)

    def write_article(self, name: str, text: str, record: dict[str, Any]) -> None:
        """The file atomically, then its manifest line, durably, in that order."""
        if self._manifest is None:
            raise RuntimeError("output folder is not open")
        write_atomic(self.folder / name, text)
        self._manifest.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
        self._manifest.flush()
        os.fsync(self._manifest.fileno())

    def close(self) -> None:
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None
        if self._lock is not None:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None
