"""Figures taken while a benchmark crawl runs: RSS and rate at marks, the state's disk use.

Issue 13's scale goal compares the crawl at 5,000 articles with the crawl at 50,000 (RSS
growth under 10%, articles/s within 10%), so the benchmark watches the manifest grow while the
crawl runs: each time it passes a mark (every ``every`` articles) it notes the process tree's
highest RSS since the previous mark (the last mark comes as the crawl closes its extraction
workers, when the RSS of that moment says nothing) and the rate over the ``window`` articles
before the mark, which leaves start-up and sitemap discovery out of every mark but the first.

A 1,000-article window moves by ±15% from one mark to the next on this shared machine (a
50,000-article crawl on 2026-12-07 read 76.8 at 10,000 and 110.9 at 45,000 articles/s with
no trend between), so each mark also has the rate over its whole stretch since the previous
mark (the first stretch starts at the first window, after start-up), and the summary compares
the first stretch with the last: the articles/s "at 5,000 and at 50,000" of issue 13.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
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
    stretch_rate: float = 0.0
    """Articles per second since the previous mark (the first: since the first window)."""
    stretch: int = 0
    """How many articles ``stretch_rate`` counts."""


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
    clock: Callable[[], float] = time.monotonic
    """Seconds from an arbitrary start (tests give their own)."""
    _started: float | None = None

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
        if self._started is None:
            self._started = self.clock()
        now = self.clock() - self._started
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
        first = max(articles - self.every, self.window if articles > self.window else 0)
        since = self._times.get(first, 0.0)
        stretch = articles - first
        stretch_rate = stretch / (now - since) if now > since else 0.0
        rate = counted / span if span > 0 else 0.0
        return Mark(articles, now, rss, rate, counted, stretch_rate, stretch)


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
        f" {m.rate:.1f} articles/s over the last {m.window}, {m.stretch_rate:.1f} over the last"
        f" {m.stretch}"
        for m in marks
    ]
    if len(marks) >= 2 and marks[0].rss and marks[0].stretch_rate:
        first, last = marks[0], marks[-1]
        rates = [m.stretch_rate for m in marks]
        lines.append(
            f"from {first.articles} to {last.articles}: RSS "
            f"{(last.rss / first.rss - 1) * 100:+.1f}%, articles/s "
            f"{(last.stretch_rate / first.stretch_rate - 1) * 100:+.1f}% (stretch to stretch;"
            f" stretches {min(rates):.1f} to {max(rates):.1f})"
        )
    return lines
