"""Machine rows of ``python -m crawler.bench faults``: SIGTERM and SIGINT, and a Redis that goes
away (issue 17), each on a 300-article loopback site.

Each case starts a real ``scrapy crawl`` (its own process group, as under ``timeout``), makes
the fault happen once it has written part of the corpus, then runs what an operator runs
next (the same command again; with Redis, after Redis is back) and judges the folder.
Columns: how the faulty run ended (finish reason), its exit status and the status expected,
the time from the fault to its exit, whether the folder kept its promises right after it
(``crawler.store.audit``), whether the next run completed the corpus, and the duplicates.
Article responses are slowed (``SiteServer.delays``) so that pages are always in flight.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.bench.faults import crawl_command, start_crawl
from crawler.bench.redisserver import RedisServer
from crawler.bench.sitegen import write_articles
from crawler.localsite.server import serve
from crawler.store.audit import audit_folder
from crawler.store.output import read_manifest

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

    from crawler.localsite.server import SiteServer

ARTICLES = 300
DELAY = 0.05
"""Seconds each article response is held: the crawl always has pages in flight."""
WRITTEN_FIRST = 40
"""Articles written before the fault."""
_REASON_RE = re.compile(r"\(finish reason: (\w+)\)")


@dataclass
class Outcome:
    name: str
    expected: int
    returncode: int | None = None
    to_stop: float | None = None
    """Seconds from the fault (the signal, Redis stopped) to the exit."""
    ended: str = ""
    valid: list[str] = field(default_factory=list)
    complete: int = 0
    duplicates: int = 0
    skipped: str = ""

    @property
    def ok(self) -> bool:
        return not self.skipped and (
            self.returncode == self.expected
            and not self.valid
            and self.complete == ARTICLES
            and not self.duplicates
        )


class Crawl:
    """One crawl or worker: its process (a group leader) and its log."""

    def __init__(self, bench: Bench, out: Path, name: str, settings: dict[str, str]) -> None:
        self.log = bench.workdir / f"{name}.log"
        args = {"urls": str(bench.urls)}
        self.process: subprocess.Popen[bytes] = start_crawl(
            crawl_command(out, args, {**bench.settings, **settings}), self.log, new_group=True
        )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, needle: str, timeout: float = 300) -> bool:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def wait(self, timeout: float = 600) -> int | None:
        try:
            return self.process.wait(timeout=timeout)
        except Exception:  # noqa: BLE001 - a hung run is a result, not a crash of the bench
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            return None

    def ended(self) -> str:
        text = self.text()
        reason = _REASON_RE.search(text)
        if "abandoning" in text:
            return "shutdown, pages in flight abandoned"
        return reason.group(1) if reason else "no summary line"


@dataclass
class Bench:
    workdir: Path
    server: SiteServer
    urls: Path
    settings: dict[str, str] = field(default_factory=dict)


def _written(manifest: Path, count: int, crawl: Crawl, timeout: float = 300) -> bool:
    deadline = time.monotonic() + timeout
    while len(list(read_manifest(manifest))) < count:
        if crawl.process.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _judge(outcome: Outcome, out: Path, manifest_name: str) -> Outcome:
    records = audit_folder(out, manifest_name).records
    urls = Counter(str(r.get("url")) for r in records)
    texts = Counter(str(r.get("text_sha1")) for r in records)
    outcome.complete = len(urls)
    outcome.duplicates = sum(n - 1 for n in urls.values()) + sum(n - 1 for n in texts.values())
    return outcome


def _signal_case(
    name: str, signum: int, *, twice: bool = False, settings: dict[str, str] | None = None
) -> Callable[[Bench, Path], Outcome]:
    def case(bench: Bench, folder: Path) -> Outcome:
        out = folder / "out"
        outcome = Outcome(name, 128 + signum)
        crawl = Crawl(bench, out, f"{folder.name}-fault", settings or {})
        if not _written(out / "manifest.jsonl", WRITTEN_FIRST, crawl):
            outcome.ended = "did not write before the signal"
            return outcome
        stuck = bench.server.gate("/a/") if settings else None  # pages that never finish
        if stuck is not None:
            asked = len(bench.server.requests)
            bench.server.wait_for(lambda paths: len(paths) > asked)  # one is held now
        fault = time.monotonic()
        os.killpg(crawl.process.pid, signum)
        if twice and crawl.wait_for(f"received {signal.Signals(signum).name}"):
            os.killpg(crawl.process.pid, signum)
        outcome.returncode = crawl.wait()
        outcome.to_stop = time.monotonic() - fault
        if stuck is not None:
            stuck.open()
            bench.server.gates.clear()
        outcome.ended = crawl.ended()
        outcome.valid = audit_folder(out).problems
        Crawl(bench, out, f"{folder.name}-next", {}).wait()
        return _judge(outcome, out, "manifest.jsonl")

    return case


@contextlib.contextmanager
def _redis(folder: Path) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise LookupError("redis-server is not installed")
    (folder / "redis").mkdir()
    server = RedisServer(binary, folder / "redis", persistent=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _redis_case(
    name: str, expected: int, fault: Callable[[RedisServer, Crawl], None], **settings: str
) -> Callable[[Bench, Path], Outcome]:
    def case(bench: Bench, folder: Path) -> Outcome:
        out = folder / "out"
        outcome = Outcome(name, expected)
        with _redis(folder) as server:
            worker = {"REDIS_URL": server.url, "NEWS_WORKER_ID": "w1", **settings}
            crawl = Crawl(bench, out, f"{folder.name}-fault", worker)
            if not _written(out / "manifest-w1.jsonl", WRITTEN_FIRST, crawl):
                outcome.ended = "did not write before the fault"
                return outcome
            started = time.monotonic()
            fault(server, crawl)
            outcome.returncode = crawl.wait()
            outcome.to_stop = time.monotonic() - started
            outcome.ended = crawl.ended()
            if server.process is None:
                server.restart()  # the operator brings Redis back (with its data)
            outcome.valid = _shared_folder_problems(out, server, lost=fault is _restarted_empty)
            Crawl(bench, out, f"{folder.name}-next", worker).wait()
        return _judge(outcome, out, "manifest-w1.jsonl")

    return case


def _shared_folder_problems(out: Path, server: RedisServer, *, lost: bool) -> list[str]:
    """The audit of a worker's folder, whose state is in Redis: the files the Redis state
    records as written are those the manifest lists (unless Redis lost them all)."""
    audit = audit_folder(out, "manifest-w1.jsonl")
    problems = [p for p in audit.problems if "no state store" not in p]
    if lost:
        return problems
    import redis  # noqa: PLC0415 - distributed mode only

    from crawler.distributed.keys import RedisKeys, corpus_id  # noqa: PLC0415

    folder = corpus_id(out)
    with redis.Redis.from_url(server.url) as client:
        recorded = {
            m.decode() for m in client.smembers(RedisKeys(f"newscrawler:{folder}").written(folder))
        }
    listed = {str(r["file"]) for r in audit.records}
    # As after a kill, the file being written when Redis went may be listed, not recorded yet.
    if recorded - listed or len(listed - recorded) > 1:
        problems.append(f"Redis records {len(recorded)} file(s), the manifest lists {len(listed)}")
    return problems


def _sigterm_worker(server: RedisServer, crawl: Crawl) -> None:
    os.killpg(crawl.process.pid, signal.SIGTERM)


def _short_outage(server: RedisServer, crawl: Crawl) -> None:
    server.stop()
    crawl.wait_for("unreachable")
    server.restart()


def _long_outage(server: RedisServer, crawl: Crawl) -> None:
    server.stop()


def _restarted_empty(server: RedisServer, crawl: Crawl) -> None:
    server.restart(empty=True)


CASES: dict[str, Callable[[Bench, Path], Outcome]] = {
    "sigterm": _signal_case("SIGTERM to the crawl's group (2 extraction workers)", signal.SIGTERM),
    "sigint_twice": _signal_case("SIGINT, then SIGINT again", signal.SIGINT, twice=True),
    "sigterm_stuck": _signal_case(
        "SIGTERM, pages in flight never finish (NEWS_SHUTDOWN_TIMEOUT=5)",
        signal.SIGTERM,
        settings={"NEWS_SHUTDOWN_TIMEOUT": "5"},
    ),
    "redis_sigterm": _redis_case(
        "SIGTERM to a Redis worker", signal.SIGTERM + 128, _sigterm_worker
    ),
    "redis_outage_short": _redis_case("Redis down for a restart (< 60 s)", 0, _short_outage),
    "redis_outage_long": _redis_case(
        "Redis down for good (NEWS_REDIS_OUTAGE_TIMEOUT=3)",
        69,
        _long_outage,
        NEWS_REDIS_OUTAGE_TIMEOUT="3",
        NEWS_REDIS_WORKER_TTL="3",
    ),
    "redis_restarted_empty": _redis_case("Redis restarted empty", 69, _restarted_empty),
}
"""Signal and Redis cases by name (``--case``)."""


@contextlib.contextmanager
def bench_site(workdir: Path) -> Iterator[Bench]:
    root = workdir / "site"
    paths = write_articles(root, ARTICLES, folder="a")
    server, base = serve(root)
    server.delays["/a/"] = DELAY
    urls = workdir / "urls.txt"
    urls.write_text("".join(f"{base}/{p}\n" for p in paths), encoding="utf-8")
    settings = {"ROBOTSTXT_OBEY": "False", "NEWS_EXTRACT_WORKERS": "2"}
    try:
        yield Bench(workdir, server, urls, settings)
    finally:
        server.close()


def run_cases(names: Sequence[str], workdir: Path) -> list[Outcome]:
    results = []
    with bench_site(workdir) as bench:
        for name in names:
            folder = workdir / name
            folder.mkdir()
            try:
                results.append(CASES[name](bench, folder))
            except LookupError as exc:
                results.append(Outcome(name, 0, skipped=str(exc)))
    return results


def table(results: Sequence[Outcome]) -> str:
    header = (
        "| case | run ended | exit status (expected) | time to stop | files valid "
        "| corpus complete after the next run | duplicates |"
    )
    rows = [
        header,
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.skipped:
            rows.append(f"| {r.name} | not run: {r.skipped} | | | | | |")
            continue
        status = "killed (hung)" if r.returncode is None else str(r.returncode)
        stop = f"{r.to_stop:.1f} s" if r.to_stop is not None else ""
        if r.expected == 0 and stop:
            stop = f"did not stop (finished {stop} after the fault)"
        valid = "yes" if not r.valid else "NO: " + "; ".join(r.valid)
        rows.append(
            f"| {r.name} | {r.ended} | {status} ({r.expected}) | {stop} | {valid} "
            f"| {r.complete} of {ARTICLES} | {r.duplicates} |"
        )
    return "\n".join(rows)
