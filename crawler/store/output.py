"""The output folder: atomic seed files, the manifest beside them, and their reconciliation.

The manifest is the source of truth. A file is written under a temporary name, fsynced and
renamed; only then is its manifest line appended (and fsynced); only then is the state told.
A run killed anywhere leaves at worst a complete file without a manifest line, which the next
run removes on open (the article is fetched again), or a manifest line the state missed, which
the next run re-records.

Two modes. A single-process run takes the folder's lock exclusively and appends to
``manifest.jsonl``. Distributed workers (issue 6) take it shared, so N workers can write one
folder (a network file system, say) while a single-process run is still kept out; each worker
appends only to its own ``manifest-<worker>.jsonl`` (itself locked, so a worker id is never used
twice at once): no line is ever interleaved with another writer's. Every manifest in the folder
is read back as one. A file that no manifest lists is removed only when no live writer owns it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from crawler.store.seedformat import parse_file_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

logger = logging.getLogger(__name__)

TMP_SUFFIX = ".tmp"
LOCK_NAME = ".lock"
_TMP_RE = re.compile(r"^\.(\d{3,}_[0-9a-f]{16}\.txt)\..+\.tmp$")


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


def tmp_target(name: str) -> str | None:
    """The seed file a temporary file ``.<file>.<writer>.tmp`` was going to become."""
    match = _TMP_RE.match(name)
    return match.group(1) if match else None


def write_atomic(path: Path, text: str | bytes, writer: str | None = None) -> None:
    """Write ``text`` so that ``path`` either does not exist or holds all of it.

    Text is encoded before anything touches the disk, and a failed write (disk full)
    removes its temporary file: an error leaves nothing behind. The temporary name carries
    ``writer`` (default: the pid), so a shared folder's cleanup can tell whose it is.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    tmp = path.with_name(f".{path.name}.{writer or os.getpid()}{TMP_SUFFIX}")
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


# Lone surrogates (from JSON-LD escapes such as "\ud800") cannot be written as UTF-8; the
# line breaks JSON leaves unescaped would split a line for str.splitlines() readers.
_SURROGATES_RE = re.compile("[\ud800-\udfff]")
_RAW_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def manifest_line(record: dict[str, Any]) -> str:
    """One manifest line: JSON, UTF-8 encodable, split by no line-breaking reader."""
    line = json.dumps(record, ensure_ascii=False, sort_keys=False)
    return _SURROGATES_RE.sub("", line).translate(_RAW_BREAKS) + "\n"


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
    """One output folder: lock, reconciliation, numbering floor, appends.

    ``writer`` is None for a single-process run (exclusive lock, ``manifest.jsonl``), or a
    distributed worker's id (shared lock, ``manifest-<writer>.jsonl``).
    """

    def __init__(
        self, folder: Path, manifest_name: str = "manifest.jsonl", writer: str | None = None
    ) -> None:
        self.folder = folder
        self.writer = writer
        base = Path(manifest_name)
        self._manifest_stem, self._manifest_suffix = base.stem, base.suffix
        self.base_manifest = folder / manifest_name
        self.manifest_path = (
            folder / f"{base.stem}-{writer}{base.suffix}" if writer else self.base_manifest
        )
        self._lock: IO[str] | None = None
        self._manifest: IO[str] | None = None

    @property
    def shared(self) -> bool:
        return self.writer is not None

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
            fcntl.flock(
                lock.fileno(), (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
            )
        except BlockingIOError:
            lock.close()
            raise OutputLockedError(
                f"output folder {self.folder} is in use by another crawl; not starting "
                "(a run without REDIS_URL needs the folder alone)"
            ) from None
        if not self.shared:
            lock.seek(0)
            lock.truncate()
            lock.write(f"{os.getpid()}\n")
            lock.flush()
        manifest = self.manifest_path.open("a", encoding="utf-8", newline="\n")
        if self.shared:
            try:
                fcntl.flock(manifest.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                manifest.close()
                lock.close()
                raise OutputLockedError(
                    f"worker id {self.writer!r} is already writing {self.manifest_path}; "
                    "give each worker its own NEWS_WORKER_ID"
                ) from None
        self._lock = lock
        self._manifest = manifest
        self._repair_manifest_tail()

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

    def manifest_paths(self) -> list[Path]:
        """Every manifest in the folder: ``manifest.jsonl`` and each worker's ``manifest-*``."""
        pattern = f"{self._manifest_stem}-*{self._manifest_suffix}"
        paths = sorted(self.folder.glob(pattern))
        return [self.base_manifest, *paths] if self.base_manifest.exists() else paths

    def manifest_records(self) -> list[dict[str, Any]]:
        """The records of all manifests in the folder (they are one manifest, split by writer)."""
        return [record for path in self.manifest_paths() for record in read_manifest(path)]

    def remove_orphans(
        self, listed: set[str], in_use: Callable[[str], bool] | None = None
    ) -> list[str]:
        """Delete temporary files and seed files that no manifest line names.

        In a shared folder ``in_use`` says which files a live writer still owns (claimed, or
        recorded, in the shared state): those and their temporary files are kept.
        """
        removed = []
        for path in self.folder.iterdir():
            name = path.name
            if name.endswith(TMP_SUFFIX) and name.startswith("."):
                target = tmp_target(name)
                if in_use is not None and (target is None or in_use(target)):
                    continue  # not ours to judge (unknown name) or a live writer's
                path.unlink(missing_ok=True)
            elif parse_file_name(name) and name not in listed:
                if in_use is not None and in_use(name):
                    continue
                path.unlink(missing_ok=True)
                removed.append(name)
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
        """The file atomically, then its manifest line, durably, in that order.

        Both are serialised first, so that a record or text that cannot be written fails
        before the file exists rather than leaving a file without its line.
        """
        if self._manifest is None:
            raise RuntimeError("output folder is not open")
        line = manifest_line(record)
        write_atomic(self.folder / name, text.encode("utf-8"), self.writer)
        self._manifest.write(line)
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
