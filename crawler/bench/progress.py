"""Figures taken while a benchmark crawl runs: RSS and rate at marks, the state's disk use.

Issue 13's scale goal compares the crawl at 5,000 articles with the crawl at 50,000 (RSS
growth under 10%, articles/s within 10%), so the benchmark watches the manifest grow while the
crawl runs: each time it passes a mark (every ``every`` articles) it notes the process tree's
highest RSS since the previous mark (the last mark comes as the crawl closes its extraction
workers, when the RSS of that moment says nothing) and the rate over the ``window`` articles
before the mark, which leaves start-up and sitemap discovery out of every mark but the first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

STATE_FILES = (".state.sqlite3", ".state.sqlite3-wal", ".state.sqlite3-shm")
"""The SQLite state in the output folder (``NEWS_STATE_PATH`` left empty) and its journal."""


@dataclass(frozen=True, slots=True)
class Mark:
    """The crawl as it passed ``articles`` written."""

    articles: int
    seconds: float
    rss: int
    """The process tree's highest RSS since the previous mark."""
    rate: float
    """Articles per second over the window before this mark."""
    window: int
    """How many articles that rate counts (the watch's window, fewer at the first marks)."""


@dataclass(slots=True)
class ManifestWatch:
    """Counts manifest lines as they are appended, reading only the new bytes each time."""

    manifest: Path
    every: int
    window: int = 1000
    marks: list[Mark] = field(default_factory=list)
    _offset: int = 0
    _lines: int = 0
    _times: dict[int, float] = field(default_factory=dict)
    _peak: int = 0
    _started: float = field(default_factory=time.monotonic)

    def sample(self, rss: int) -> None:
        """Count the lines appended since the last call; note a mark for each one passed."""
        self._peak = max(self._peak, rss)
        try:
            with self.manifest.open("rb") as handle:
                handle.seek(self._offset)
                new = handle.read()
        except OSError:
            return
        complete = new[: new.rfind(b"\n") + 1]
        self._offset += len(complete)
        before, self._lines = self._lines, self._lines + complete.count(b"\n")
        now = time.monotonic() - self._started
        for count in range(before // self.window + 1, self._lines // self.window + 1):
            self._times[count * self.window] = now
        if not self.every:
            return
        for mark in range(before // self.every + 1, self._lines // self.every + 1):
            self.marks.append(self._mark(mark * self.every, now, self._peak))
            self._peak = rss

    def _mark(self, articles: int, now: float, rss: int) -> Mark:
        start = self._times.get(articles - self.window, 0.0)
        span = now - start
        counted = min(self.window, articles)
        return Mark(articles, now, rss, counted / span if span > 0 else 0.0, counted)


def disk_use(folder: Path) -> tuple[int, int, int]:
    """Bytes of the state (SQLite file and journal), the manifest(s), and everything else."""
    state = manifest = other = 0
    if not folder.is_dir():
        return 0, 0, 0
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        if path.name in STATE_FILES:
            state += size
        elif path.suffix == ".jsonl":
            manifest += size
        else:
            other += size
    return state, manifest, other


def summary(marks: list[Mark]) -> list[str]:
    """One line per mark, then the change from the first full mark to the last one."""
    lines = [
        f"at {m.articles}: {m.seconds:.0f} s, peak RSS since the last mark {m.rss / 2**20:.0f} MiB,"
        f" {m.rate:.1f} articles/s over the last {m.window}"
        for m in marks
    ]
    if len(marks) >= 2 and marks[0].rss and marks[0].rate:
        first, last = marks[0], marks[-1]
        lines.append(
            f"from {first.articles} to {last.articles}: RSS "
            f"{(last.rss / first.rss - 1) * 100:+.1f}%, articles/s "
            f"{(last.rate / first.rate - 1) * 100:+.1f}%"
        )
    return lines
