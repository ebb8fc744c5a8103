"""The machine's disk faults of issue 17, made for real: small file systems, read-only ones, and
an output folder left as a crash of the machine leaves it.

Used by the end-to-end tests (``tests/test_storage_faults_e2e.py``) and the ``faults``
benchmark's machine rows (:mod:`crawler.bench.machinefaults`). A full disk is a tmpfs of a few
megabytes (``mount -t tmpfs``, which needs root); a read-only disk is the same tmpfs remounted
read-only. Nothing is simulated inside the crawl: it meets the kernel's ``ENOSPC`` and
``EROFS`` as it would on a real disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

FILLER = "filler.bin"
"""The file that takes a small disk's space, so that it fills part-way through a crawl."""


class MountUnavailableError(RuntimeError):
    """This machine cannot mount a tmpfs here (not root, no ``mount``, a container without
    the capability): the message says which."""


def _run(*argv: str) -> None:
    mount = shutil.which(argv[0])
    if mount is None:
        raise MountUnavailableError(f"no {argv[0]} command on this machine")
    done = subprocess.run(  # noqa: S603 (mount/umount with our own arguments)
        [mount, *argv[1:]], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise MountUnavailableError(f"{' '.join(argv)}: {done.stderr.strip() or done.returncode}")


@contextlib.contextmanager
def tmpfs(folder: Path, size: str = "6m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (created), always unmounted at the end."""
    if os.geteuid() != 0:
        raise MountUnavailableError("mounting a tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        try:
            _run("umount", str(folder))
        except MountUnavailableError:
            _run("umount", "-l", str(folder))  # a process still inside: detach it anyway


def remount(folder: Path, *, read_only: bool) -> None:
    """Make a mounted tmpfs read-only, or writable again (nothing may hold a file open)."""
    _run("mount", "-o", f"remount,{'ro' if read_only else 'rw'}", str(folder))


def resize(folder: Path, size: str) -> None:
    """Give a mounted tmpfs another size (more space, as an operator would add)."""
    _run("mount", "-o", f"remount,size={size}", str(folder))


def fill(disk: Path, leave: int) -> None:
    """Take the disk's free space but ``leave`` bytes with one filler file."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    (disk / FILLER).write_bytes(b"\0" * max(0, free - leave))


def free_space(disk: Path) -> None:
    """What an operator does after a full disk: remove what took the space."""
    (disk / FILLER).unlink(missing_ok=True)


def _records(out: Path) -> list[dict[str, object]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def leave_as_after_power_loss(out: Path) -> dict[str, str]:
    """Damage a closed folder the way a crash of the machine can: what happened to which URL.

    Four articles from the end of the manifest (the last writes are those a disk had not
    flushed): one file whose line is lost, one line whose file is cut short, one line whose
    file is lost, and one article the state recorded while both its file and line are lost
    (the state ahead of the folder). The lock file keeps the pid of the crashed run.
    """
    records = _records(out)
    orphan, short, missing, ahead = records[-4:]
    kept = [r for r in records if r not in (orphan, ahead)]
    (out / "manifest.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8"
    )
    cut = out / str(short["file"])
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    (out / str(missing["file"])).unlink()
    (out / str(ahead["file"])).unlink()
    (out / ".lock").write_text("4242\n", encoding="utf-8")
    return {
        str(orphan["url"]): "file without its manifest line",
        str(short["url"]): "manifest line whose file is cut short",
        str(missing["url"]): "manifest line whose file is missing",
        str(ahead["url"]): "state ahead of the folder",
    }
