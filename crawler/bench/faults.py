"""``python -m crawler.bench faults``: every hostile case against a real crawl, as a table.

Each case gets its own ``scrapy crawl news`` subprocess (its exit status and its peak memory
are the case's own), started on the case's URL plus a normal "canary" article that must
still be written. Columns: did the crawl finish (exit status), what the stats counted the
URL as, are the written files valid (``crawler.store.audit``), how many WARNING/ERROR log lines
name the URL, peak RSS of the crawl process. Exit status 1 if any case falls short.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from w3lib.url import safe_url_string

from crawler.bench.faultcases import START_CASES, fault_server
from crawler.store.audit import audit_folder

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from crawler.bench.faultserver import FaultCase, FaultServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The folder that holds ``crawler/`` and ``spiders/`` (and ``scrapy.cfg``)."""

BASE_SETTINGS: dict[str, str] = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CLOSESPIDER_TIMEOUT": "120",
    "LOG_LEVEL": "INFO",
    "STATS_DUMP": "True",
    "NEWS_ALLOW_PRIVATE_ADDRESSES": "True",
}
"""What every benchmark crawl overrides: no politeness delay on loopback, a hard stop, and
the private-address guard off, since every "other site" of the fault server is on loopback and
the guard would refuse it before the fault it stands for (the guard has its own tests)."""


@dataclass
class CrawlRun:
    """One finished (or killed) crawl process."""

    returncode: int | None
    """Exit status; None when the process had to be killed at the time limit."""
    seconds: float
    peak_rss_mb: float
    log: str
    stats: dict[str, Any] = field(default_factory=dict)


def crawl_env() -> dict[str, str]:
    """The environment of a crawl: no proxies (loopback only), this project importable."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
    )
    return env


def crawl_command(
    out: Path, spider_args: Mapping[str, str], settings: Mapping[str, str] | None = None
) -> list[str]:
    """``python -m scrapy crawl news`` writing to ``out``, with ``-a`` and ``-s`` options."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news"]
    for key, value in spider_args.items():
        command += ["-a", f"{key}={value}"]
    for key, value in {**BASE_SETTINGS, "NEWS_OUTPUT_DIR": str(out), **(settings or {})}.items():
        command += ["-s", f"{key}={value}"]
    return command


def start_crawl(
    command: Sequence[str], log_path: Path, *, new_group: bool = False
) -> subprocess.Popen[bytes]:
    """Start a crawl whose log (stdout and stderr) goes to ``log_path``; ``new_group``: as the
    leader of its own process group (what ``timeout`` does, so a signal reaches its workers)."""
    with log_path.open("wb") as log:
        return subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
            list(command),
            cwd=PROJECT_ROOT,
            env=crawl_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=new_group,
        )


def wait_measured(process: subprocess.Popen[bytes], timeout: float) -> tuple[int | None, float]:
    """Wait for ``process`` (killing it after ``timeout`` s); its exit status and peak RSS (MB).

    ``os.wait4`` gives the peak RSS of that one child, which ``getrusage`` cannot.
    """
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        with contextlib.suppress(ProcessLookupError):
            process.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    return (None if killed.is_set() else process.returncode), peak_mb


def run_crawl(command: Sequence[str], log_path: Path, timeout: float = 180) -> CrawlRun:
    started = time.monotonic()
    process = start_crawl(command, log_path)
    returncode, peak = wait_measured(process, timeout)
    log = log_path.read_text(encoding="utf-8", errors="replace")
    return CrawlRun(returncode, time.monotonic() - started, peak, log, parse_stats(log))


_STATS_RE = re.compile(r"Dumping Scrapy stats:\n(\{.*?\})\n", re.DOTALL)


def parse_stats(log: str) -> dict[str, Any]:
    """The stats dict Scrapy dumps at the end of a crawl log (numbers and strings only)."""
    match = _STATS_RE.search(log)
    stats: dict[str, Any] = {}
    if match is None:
        return stats
    for key, value in re.findall(r"'([^']+)': ([^,\n]+)", match.group(1)):
        try:
            stats[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            stats[key] = value  # datetime(...) and other reprs stay text
    return stats


def counted_as(stats: Mapping[str, Any], minus: Mapping[str, int] | None = None) -> list[str]:
    """The most specific ``news/...`` keys counted (parents like ``news/errors`` left out)."""
    keys = {
        k
        for k, v in stats.items()
        if k.startswith("news/") and k != "news/extracted" and v - (minus or {}).get(k, 0) > 0
    }
    return sorted(k for k in keys if not any(o.startswith(k + "/") for o in keys))


_LEVEL_RE = re.compile(r"^\S+ \S+ \[([^\]]+)\] (WARNING|ERROR|CRITICAL): (.*)$")


SIZE_NOTE = "larger than download warn size"
"""Scrapy's DOWNLOAD_WARNSIZE note: about a page's size, not a report of a failure."""


def warning_lines(log: str, url: str) -> list[str]:
    """Log lines at WARNING or above that name ``url`` (as typed or as percent-encoded)."""
    forms = {url, safe_url_string(url)}
    return [
        line
        for line in log.splitlines()
        if _LEVEL_RE.match(line) and any(form in line for form in forms)
    ]


@dataclass
class CaseResult:
    case: FaultCase
    run: CrawlRun
    counted: list[str]
    canary_written: bool
    files_valid: bool
    problems: list[str]
    log_lines: int
    """WARNING/ERROR lines naming the URL, Scrapy's size notes left out."""
    size_notes: int

    @property
    def finished(self) -> bool:
        return self.run.returncode == self.case.expect_exit

    @property
    def logged_once(self) -> bool:
        """A failure is logged once; a written article or a skip is not logged as a problem."""
        return self.log_lines == self.case.expected_warnings and self.message_once

    @property
    def message_once(self) -> bool:
        return not self.case.message or self.run.log.count(self.case.message) == 1

    @property
    def ok(self) -> bool:
        return (
            self.finished
            and (not self.case.expect or self.case.expect in self.counted)
            and (self.canary_written or self.case.expect_exit != 0)
            and self.files_valid
            and self.logged_once
        )


def case_arguments(server: FaultServer, case: FaultCase, folder: Path) -> dict[str, str]:
    """The spider arguments of a case: its URL under ``case.start``, the canary under ``urls``.

    A sources case gets its file and no canary when the crawl must fail (a bad file, or a
    file whose every URL is unreachable, which the canary would make reachable).
    """
    canary = folder / "canary.txt"
    canary.write_text(server.canary_url() + "\n", encoding="utf-8")
    if case.start == "sources":
        sources = folder / "sources.toml"
        sources.write_text(server.sources_text(case), encoding="utf-8")
        return (
            {"sources": str(sources)}
            if case.expect_exit
            else {
                "sources": str(sources),
                "urls": str(canary),
            }
        )
    if case.start == "urls":
        canary.write_text(f"{server.url(case)}\n{server.canary_url()}\n", encoding="utf-8")
        return {"urls": str(canary)}
    listing = folder / f"{case.start}.txt"
    listing.write_text(server.url(case) + "\n", encoding="utf-8")
    return {case.start: str(listing), "urls": str(canary)}


def run_case(server: FaultServer, case: FaultCase, workdir: Path, timeout: float) -> CaseResult:
    """Crawl the case's URL and the canary into a fresh folder; judge the outcome."""
    out = workdir / case.name / "out"
    out.mkdir(parents=True)
    command = crawl_command(out, case_arguments(server, case, workdir / case.name), case.settings)
    run = run_crawl(command, workdir / case.name / "crawl.log", timeout)
    audit = audit_folder(out)
    canary = [r for r in audit.records if str(r.get("url", "")).endswith("/site/canary.html")]
    problems = list(audit.problems)
    if case.must_contain:
        texts = [
            (out / str(r["file"])).read_text(encoding="utf-8")
            for r in audit.records
            if r not in canary and (out / str(r["file"])).exists()
        ]
        if not any(case.must_contain in t for t in texts):
            problems.append(f"no written article contains {case.must_contain!r}")
    warnings = warning_lines(run.log, server.url(case))
    return CaseResult(
        case=case,
        run=run,
        counted=counted_as(run.stats, {"news/written": 1} if canary else None),
        canary_written=bool(canary),
        files_valid=not problems,
        problems=problems,
        log_lines=sum(SIZE_NOTE not in line for line in warnings),
        size_notes=sum(SIZE_NOTE in line for line in warnings),
    )


def table(results: Iterable[CaseResult]) -> str:
    """A Markdown table, one row per case."""
    header = (
        "| case | crawl finished (exit) | counted as | written files valid "
        "| logged (WARNING lines naming the URL) | peak memory |"
    )
    rows = [header, "|---|---|---|---|---|---|"]
    for r in results:
        exit_status = "killed" if r.run.returncode is None else str(r.run.returncode)
        finished = f"{'yes' if r.finished else 'NO'} ({exit_status})"
        counted = ", ".join(k.removeprefix("news/") for k in r.counted) or "nothing"
        if r.case.expect and r.case.expect not in r.counted:
            counted += f" — expected {r.case.expect.removeprefix('news/')}"
        if r.case.message:
            seen = "once" if r.message_once else "NOT once"
            counted += f"; message {r.case.message!r} {seen}"
        canary_ok = r.canary_written or r.case.expect_exit != 0
        valid = "yes" if r.files_valid and canary_ok else "NO: " + "; ".join(r.problems)
        if not canary_ok:
            valid += " (canary not written)"
        logged = str(r.log_lines) + (f" (+{r.size_notes} size note)" if r.size_notes else "")
        rows.append(
            f"| {r.case.name} | {finished} | {counted} | {valid} | {logged} | "
            f"{r.run.peak_rss_mb:.0f} MB |"
        )
    return "\n".join(rows)


def versions() -> str:
    names = ("scrapy", "trafilatura", "lxml", "twisted")
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return f"Python {platform.python_version()}, " + ", ".join(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.bench faults",
        description="Crawl every hostile-web case against a loopback fault server.",
    )
    parser.add_argument("--case", action="append", help="run only these cases (repeatable)")
    parser.add_argument(
        "--timeout", type=float, default=180, help="kill a crawl after this many seconds"
    )
    parser.add_argument("--keep", type=Path, help="keep each case's folder and log here")
    args = parser.parse_args(argv)
    from crawler.bench import machinefaults, signalfaults  # noqa: PLC0415 - they import this module

    cases = [c for c in START_CASES if not args.case or c.name in args.case]
    signal_cases = [n for n in signalfaults.CASES if not args.case or n in args.case]
    machine = [name for name in machinefaults.CASES if not args.case or name in args.case]
    if args.case and len(cases) + len(signal_cases) + len(machine) != len(set(args.case)):
        known = ", ".join(
            [*(c.name for c in START_CASES), *signalfaults.CASES, *machinefaults.CASES]
        )
        parser.error(f"unknown case; known cases: {known}")
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        workdir = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = stack.enter_context(fault_server())
        results = []
        for case in cases:
            result = run_case(server, case, workdir, args.timeout)
            results.append(result)
            sys.stderr.write(f"{case.name}: {'ok' if result.ok else 'FAILED'}\n")
        signal_results: list[signalfaults.Outcome] = []
        if signal_cases:
            (workdir / "signals").mkdir(parents=True)
            signal_results = signalfaults.run_cases(signal_cases, workdir / "signals")
        machine_results: list[machinefaults.Outcome | str] = []
        if machine:
            (workdir / "machine").mkdir(parents=True)
            machine_results = machinefaults.run_cases(machine, workdir / "machine")
        for outcome in machine_results:
            name = outcome if isinstance(outcome, str) else outcome.name
            sys.stderr.write(f"{name}: {'ok' if machinefaults.ok(outcome) else 'FAILED'}\n")
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sys.stdout.write(f"python -m crawler.bench faults — {now} — {versions()}\n")
    if results:
        sys.stdout.write(
            f"{len(results)} cases, {sum(r.ok for r in results)} ok, "
            f"{time.monotonic() - started:.0f} s\n\n{table(results)}\n"
        )
    if signal_results:
        sys.stdout.write(
            f"\nSignals and Redis ({signalfaults.ARTICLES}-article site): "
            f"{sum(r.ok for r in signal_results)} of {len(signal_results)} ok\n\n"
            f"{signalfaults.table(signal_results)}\n"
        )
    if machine_results:
        sys.stdout.write(
            f"\nMachine faults ({machinefaults.ARTICLES}-article site): "
            f"{sum(map(machinefaults.ok, machine_results))} of {len(machine_results)} ok\n\n"
            f"{machinefaults.table(machine_results)}\n"
        )
    ok = (
        all(r.ok for r in results)
        and all(r.ok for r in signal_results)
        and all(map(machinefaults.ok, machine_results))
    )
    return 0 if ok else 1
