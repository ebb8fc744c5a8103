"""Which archives to read: ``-a warc=PATHS`` expanded, and a month of CC-NEWS by its path index.

PATHS is a comma-separated list, a file listing one per line, or a directory of
``*.warc.gz``/``*.warc``/``*.arc.gz`` files (read in name order); each entry a local path or an
http(s) URL. CommonCrawl publishes one ``warc.paths.gz`` per CC-NEWS month, listing the
month's files relative to its data host (``NEWS_CC_NEWS_BASE``).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from crawler.archives.streams import is_remote

ARCHIVE_SUFFIXES = (".warc.gz", ".warc", ".arc.gz", ".arc")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class ArchiveArgumentError(ValueError):
    """A ``warc=`` or ``cc_news=`` value that names nothing readable."""


def _is_archive(path: Path) -> bool:
    return path.is_file() and path.name.endswith(ARCHIVE_SUFFIXES)


def _expand(entry: str) -> list[str]:
    if is_remote(entry):
        return [entry]
    path = Path(entry.removeprefix("file://")).expanduser()
    if path.is_dir():
        found = sorted(str(p.resolve()) for p in path.iterdir() if _is_archive(p))
        if not found:
            raise ArchiveArgumentError(f"-a warc=: no *.warc.gz or *.warc file in {entry!r}")
        return found
    if path.is_file():
        return [str(path.resolve())]
    raise ArchiveArgumentError(f"-a warc=: no such file or directory {entry!r}")


def archive_locations(value: str) -> list[str]:
    """The archives ``-a warc=`` names, each once, in the order given."""
    path = Path(value).expanduser()
    if "," not in value and not is_remote(value) and path.is_file() and not _is_archive(path):
        lines = path.read_text(encoding="utf-8").splitlines()
        entries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    else:
        entries = [part.strip() for part in value.split(",") if part.strip()]
    if not entries:
        raise ArchiveArgumentError("-a warc=: names no archive")
    seen: dict[str, None] = {}
    for entry in entries:
        for location in _expand(entry):
            seen.setdefault(location, None)
    return list(seen)


def months(value: str) -> list[tuple[int, int]]:
    """``2024-01`` or ``2024-01..2024-03`` as (year, month) pairs, in order."""
    first, _, last = value.strip().partition("..")
    ends = []
    for part in (first, last or first):
        match = _MONTH_RE.match(part.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise ArchiveArgumentError(f"-a cc_news=: {part!r} is not a month like 2024-01")
        ends.append((int(match[1]), int(match[2])))
    (year, month), end = ends
    if (year, month) > end:
        raise ArchiveArgumentError(f"-a cc_news=: {value!r} ends before it starts")
    found = []
    while (year, month) <= end:
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def cc_news_index_url(base: str, year: int, month: int) -> str:
    """The path index of one CC-NEWS month."""
    return f"{base.rstrip('/')}/crawl-data/CC-NEWS/{year:04d}/{month:02d}/warc.paths.gz"


def cc_news_archives(base: str, index: bytes) -> list[str]:
    """The archive URLs a ``warc.paths.gz`` lists (gzip or plain text), in its order."""
    data = gzip.decompress(index) if index[:2] == b"\x1f\x8b" else index
    lines = data.decode("utf-8", "replace").splitlines()
    return [f"{base.rstrip('/')}/{line.strip().lstrip('/')}" for line in lines if line.strip()]
