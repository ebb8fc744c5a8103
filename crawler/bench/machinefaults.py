"""The machine rows of ``python -m crawler.bench faults``: full and read-only disks, a damaged
state, a crash of the machine (issue 17), each on the 300-article generated site.

Every case runs the faulty crawl, then what an operator does (free space, remount, rebuild the
state, nothing at all after a crash), then the next crawl, each a real ``scrapy crawl``
subprocess. Columns: how the faulty run ended (finish reason or refusal, and its ERROR lines),
its exit status, the time from the fault to the exit (for a refusal: the whole run), whether
the folder kept its promises (``crawler.store.audit``) right after it, whether the next run
completed the corpus, and the duplicates in it. The disks are tmpfs mounts: root only.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.bench.diskfaults import (
    MountUnavailableError,
    fill,
    free_space,
    leave_as_after_power_loss,
    remount,
    resize,
    tmpfs,
)
from crawler.bench.faults import crawl_command, parse_stats, start_crawl, wait_measured
from crawler.bench.sitegen import generate
from crawler.localsite.server import serve
from crawler.store.audit import audit_folder

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

ARTICLES = 300
_ERROR_RE = re.compile(r"\] (?:ERROR|CRITICAL): ")
_REASON_RE = re.compile(r"\(finish reason: (\w+)\)")


@dataclass
class Run:
    returncode: int | None
    seconds: float
    to_stop: float | None
    """Seconds from the first ERROR line to the exit (None: no ERROR line)."""
    log: str
    label: str = ""
    """How it ended, when no crawl ran (the prepared crash)."""

    @property
    def errors(self) -> list[str]:
        return [line for line in self.log.splitlines() if _ERROR_RE.search(line)]

    @property
    def ended(self) -> str:
        if self.label:
            return self.label
        reason = _REASON_RE.search(self.log)
        how = reason.group(1) if reason else "refused before any request"
        return f"{how}; {len(self.errors)} ERROR line(s)"

    @property
    def fetched(self) -> int:
        return int(parse_stats(self.log).get("news/fetched") or 0)


@dataclass
class Outcome:
    name: str
    fault: Run
    valid: list[str]
    """Audit problems of the folder right after the faulty run (empty: valid)."""
    after: Run
    complete: int
    duplicates: int


class Bench:
    """The site, a finished corpus to copy, and a crawl runner with a time-to-stop clock."""

    def __init__(self, workdir: Path, site_base: str) -> None:
        self.workdir = workdir
        self.base = site_base
        self._corpus: Path | None = None

    def crawl(self, out: Path, *settings: tuple[str, str], limit: int = 0) -> Run:
        args = {"sitemaps": f"{self.base}/sitemap_index.xml"}
        if limit:
            args["limit"] = str(limit)
        logs = self.workdir / "logs"  # never on the disk under test: an open log keeps it busy
        logs.mkdir(exist_ok=True)
        log_path = logs / f"{out.parent.name}-{out.name}-{time.monotonic_ns()}.log"
        command = crawl_command(out, args, dict(settings))
        started = time.monotonic()
        process = start_crawl(command, log_path)
        seen: list[float] = []
        done = threading.Event()

        def watch() -> None:  # the moment the one ERROR line appears
            while not done.is_set():
                if b"] ERROR: " in log_path.read_bytes():
                    seen.append(time.monotonic())
                    return
                done.wait(0.02)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        returncode, _ = wait_measured(process, timeout=600)
        ended = time.monotonic()
        done.set()
        watcher.join()
        log = log_path.read_text(encoding="utf-8", errors="replace")
        to_stop = ended - seen[0] if seen else (ended - started if _ERROR_RE.search(log) else None)
        return Run(returncode, ended - started, to_stop, log)

    def corpus(self, out: Path) -> None:
        """A copy of one finished crawl of the whole site (made once)."""
        if self._corpus is None:
            self._corpus = self.workdir / "corpus"
            self.crawl(self._corpus)
        shutil.copytree(self._corpus, out)


def _judge(name: str, out: Path, fault: Run, valid: list[str], after: Run) -> Outcome:
    records = audit_folder(out).records
    urls = Counter(str(r.get("url")) for r in records)
    texts = Counter(str(r.get("text_sha1")) for r in records)
    duplicates = sum(n - 1 for n in urls.values()) + sum(n - 1 for n in texts.values())
    return Outcome(name, fault, valid, after, len(urls), duplicates)


def disk_full_output(bench: Bench, folder: Path) -> Outcome:
    with tmpfs(folder / "disk", "6m") as disk:
        out = disk / "out"
        fault = bench.crawl(out)
        valid = audit_folder(out).problems
        resize(disk, "64m")  # the operator adds space
        after = bench.crawl(out)
        return _judge("disk full: output folder (6 MB tmpfs)", out, fault, valid, after)


def disk_full_state(bench: Bench, folder: Path) -> Outcome:
    out = folder / "out"
    with tmpfs(folder / "state-disk", "6m") as disk:
        state = ("NEWS_STATE_PATH", str(disk / "state.sqlite3"))
        fill(disk, leave=512 * 1024)
        fault = bench.crawl(out, state)
        valid = audit_folder(out, state_path=disk / "state.sqlite3").problems
        free_space(disk)
        after = bench.crawl(out, state)
        return _judge("disk full: state's disk (512 KB free)", out, fault, valid, after)


def read_only(bench: Bench, folder: Path) -> Outcome:
    with tmpfs(folder / "disk", "64m") as disk:
        out = disk / "out"
        bench.crawl(out, limit=100)
        remount(disk, read_only=True)
        try:
            fault = bench.crawl(out)
        finally:
            remount(disk, read_only=False)
        valid = audit_folder(out).problems  # SQLite cannot open a WAL file read-only there
        after = bench.crawl(out)
        return _judge("read-only output folder", out, fault, valid, after)


def _damaged(name: str, damage: Callable[[Path], None]) -> Callable[[Bench, Path], Outcome]:
    def case(bench: Bench, folder: Path) -> Outcome:
        out = folder / "out"
        bench.corpus(out)
        damage(out / ".state.sqlite3")
        fault = bench.crawl(out)
        valid = audit_folder(out, with_state=False).problems  # the state is damaged, on purpose
        if not fault.returncode:
            valid.append("ran on a damaged state")
        after = bench.crawl(out, ("NEWS_STATE_REBUILD", "True"))
        return _judge(name, out, fault, valid, after)

    return case


def _truncate(state: Path) -> None:
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])


def _newer(state: Path) -> None:
    with contextlib.closing(sqlite3.connect(state)) as db:
        db.execute("PRAGMA user_version = 99")


def state_locked(bench: Bench, folder: Path) -> Outcome:
    out = folder / "out"
    bench.corpus(out)
    with contextlib.closing(sqlite3.connect(out / ".state.sqlite3", isolation_level=None)) as db:
        db.execute("BEGIN EXCLUSIVE")
        fault = bench.crawl(out)
        db.execute("ROLLBACK")
    valid = audit_folder(out).problems
    return _judge("state locked by another process", out, fault, valid, bench.crawl(out))


def power_loss(bench: Bench, folder: Path) -> Outcome:
    out = folder / "out"
    bench.corpus(out)
    leave_as_after_power_loss(out)
    after = bench.crawl(out)
    crash = Run(None, 0.0, None, "", label="machine crash (folder prepared as one leaves it)")
    return _judge("power loss (4 articles lost)", out, crash, audit_folder(out).problems, after)


CASES: dict[str, Callable[[Bench, Path], Outcome]] = {
    "disk_full_output": disk_full_output,
    "disk_full_state": disk_full_state,
    "read_only_output": read_only,
    "state_truncated": _damaged("state truncated (half its bytes)", _truncate),
    "state_newer": _damaged("state from a newer version", _newer),
    "state_locked": state_locked,
    "power_loss": power_loss,
}
"""Machine fault cases by name (``--case``)."""


@contextlib.contextmanager
def bench_site(workdir: Path) -> Iterator[Bench]:
    root = workdir / "site"
    root.mkdir()
    server, base = serve(root)
    try:
        generate(root, ARTICLES, base)
        yield Bench(workdir, base)
    finally:
        server.close()


def run_cases(names: Sequence[str], workdir: Path) -> list[Outcome | str]:
    """Each case's outcome, or why it could not run here."""
    results: list[Outcome | str] = []
    with bench_site(workdir) as bench:
        for name in names:
            folder = workdir / name
            folder.mkdir()
            try:
                results.append(CASES[name](bench, folder))
            except MountUnavailableError as exc:
                results.append(f"{name}: not run ({exc})")
    return results


def ok(outcome: Outcome | str) -> bool:
    if isinstance(outcome, str):
        return False
    return (
        not outcome.valid
        and outcome.after.returncode == 0
        and outcome.complete == ARTICLES
        and outcome.duplicates == 0
        and len(outcome.fault.errors) <= 1
    )


def table(results: Sequence[Outcome | str]) -> str:
    header = (
        "| case | run ended how | exit status | time to stop | files valid "
        "| corpus complete after the next run | duplicates |"
    )
    rows = [header, "|---|---|---|---|---|---|---|"]
    for r in results:
        if isinstance(r, str):
            rows.append(f"| {r} | | | | | | |")
            continue
        status = "—" if r.fault.returncode is None else str(r.fault.returncode)
        stop = "—" if r.fault.to_stop is None else f"{r.fault.to_stop:.1f} s"
        valid = "yes" if not r.valid else "NO: " + "; ".join(r.valid[:2])
        complete = (
            f"{'yes' if r.complete == ARTICLES else 'NO'} ({r.complete}/{ARTICLES}, "
            f"{r.after.fetched} fetched, exit {r.after.returncode})"
        )
        rows.append(
            f"| {r.name} | {r.fault.ended} | {status} | {stop} | {valid} | {complete} "
            f"| {r.duplicates} |"
        )
    return "\n".join(rows)
