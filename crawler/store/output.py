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

A disk that refuses a write (full, read-only) leaves nothing half-done either (issue 17): the
temporary file is removed, a manifest line that could not be appended whole is cut off and its
file removed, and the error becomes one :class:`~crawler.store.faults.StorageError`. A crash of
the machine can lose writes the disk had not flushed; the lock file tells a run that its
predecessor did not close the folder (it still holds a pid), and the run then checks every
listed file against its line's text hash and drops the lines whose file is missing or cut short.
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

from crawler.store.faults import folder_error, is_disk_error
from crawler.store.seedformat import matches_record, parse_file_name

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


def _file_matches(path: Path, sha1: object) -> bool:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return matches_record(text, sha1 if isinstance(sha1, str) else None)


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
        self._manifest: IO[bytes] | None = None
        self._last: tuple[str, int] | None = None
        self.unclean = False
        """The previous run never closed the folder (killed, or the machine crashed)."""
        self.check_files = False
        """Check every listed file against its line on open, even after a clean close."""

    @property
    def shared(self) -> bool:
        return self.writer is not None

    def open(self) -> None:
        """Create the folder, take its lock (or raise OutputLockedError), repair a killed run."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = (self.folder / LOCK_NAME).open("a+", encoding="utf-8")
        except OSError as exc:
            if is_disk_error(exc):
                raise folder_error(self.folder, exc) from None
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
        try:
            if not self.shared:
                lock.seek(0)
                self.unclean = bool(lock.read().strip())  # a pid: its run never closed
                lock.seek(0)
                lock.truncate()
                lock.write(f"{os.getpid()}\n")
                lock.flush()
                self._repair_manifest_tail()
                self._drop_lost_lines(verify=self.unclean or self.check_files)
            manifest = self.manifest_path.open("ab", buffering=0)
        except BaseException as exc:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
            lock.close()
            if isinstance(exc, OSError) and is_disk_error(exc):
                raise folder_error(self.folder, exc) from None
            raise
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
        if self.shared:
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

    def _drop_lost_lines(self, *, verify: bool) -> list[str]:
        """Drop manifest lines whose file is missing or, with ``verify``, not whole.

        Only a crash of the machine leaves such lines (a file's rename and its line can reach
        the disk before its data did): the manifest is rewritten atomically without them, the
        cut-short files are removed, and their articles are fetched again.
        """
        if not self.manifest_path.exists():
            return []
        present = {path.name for path in self.folder.iterdir()}
        kept: list[bytes] = []
        lost: list[str] = []
        raw = self.manifest_path.read_bytes()
        for line in raw.splitlines(keepends=True):
            try:
                record = json.loads(line)
                name = str(record["file"])
            except (ValueError, KeyError, TypeError):
                kept.append(line)  # not ours to judge: read_manifest skips it
                continue
            whole = name in present and (
                not verify or _file_matches(self.folder / name, record.get("text_sha1"))
            )
            if whole:
                kept.append(line)
            else:
                lost.append(name)
        if lost:
            write_atomic(self.manifest_path, b"".join(kept))
            for name in lost:
                (self.folder / name).unlink(missing_ok=True)
            logger.warning(
                "manifest %s: dropped %d line(s) whose file a crash lost or cut short (%s); "
                "their articles will be fetched again",
                self.manifest_path,
                len(lost),
                ", ".join(lost[:5]) + (", ..." if len(lost) > 5 else ""),
            )
        return lost

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
        line = manifest_line(record).encode("utf-8")
        path = self.folder / name
        try:
            write_atomic(path, text.encode("utf-8"), self.writer)
        except OSError as exc:
            raise (folder_error(self.folder, exc) if is_disk_error(exc) else exc) from exc
        try:
            self._last = (name, self._append(line))
        except BaseException as exc:
            self._remove(path)  # no file without its line
            if isinstance(exc, OSError) and is_disk_error(exc):
                raise folder_error(self.folder, exc) from exc
            raise

    def _append(self, line: bytes) -> int:
        """Append one whole line, durably; cut off what a failed append left. Its offset."""
        assert self._manifest is not None
        fd = self._manifest.fileno()
        start = os.fstat(fd).st_size
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, start)  # a torn line would end the manifest's reading
            raise
        return start

    def _remove(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
            _fsync_dir(self.folder)

    def undo_last(self, name: str) -> None:
        """Take back the last article written (its line and file): the state could not record
        it, and a file the state does not know would be written again by the next run."""
        if self._last is None or self._last[0] != name or self._manifest is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._manifest.fileno(), self._last[1])
            os.fsync(self._manifest.fileno())
        self._remove(self.folder / name)
        self._last = None

    def close(self) -> None:
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None
        if self._lock is not None:
            if not self.shared:
                with contextlib.suppress(OSError):  # closed cleanly: no check next time
                    self._lock.seek(0)
                    self._lock.truncate()
                    self._lock.flush()
                    os.fsync(self._lock.fileno())
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None
