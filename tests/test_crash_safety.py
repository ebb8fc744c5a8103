"""SIGKILL a crawl at random moments, over and over, on one output folder (issue 7).

After every kill the folder must keep the writer's promises as they stand before a repair
(``crawler.store.audit`` with ``after_kill=True``: at most one complete file without its manifest
line, the state at most one article behind), a copy repaired the way the next run repairs
it must keep them strictly, and no article written before may disappear. A last,
uninterrupted run must then complete the crawl with every article exactly once.

The crawls are forked from a pre-imported parent (``tests/zygote.py``) so that two dozen
kills fit in well under a minute instead of spending it on imports.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from typing import IO, TYPE_CHECKING, Any

import pytest

from crawler.bench.faults import BASE_SETTINGS, PROJECT_ROOT, crawl_env, parse_stats
from crawler.bench.sitegen import article_html
from crawler.localsite.server import serve
from crawler.store.articles import ArticleStore
from crawler.store.audit import audit_folder
from crawler.store.output import OutputFolder
from crawler.store.state import NearDuplicateIndex, SqliteState
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ARTICLES = 200
KILLS = 22  # killed runs; each also asks for HELD, so none can finish before its kill
HELD = "/held/"  # the server holds this page until it closes
NEW, OLD = 30, 15  # URLs per killed run: not yet written ones (so it writes), and written ones
EARLY_KILLS = 0.25  # share of kills during start-up and repair rather than while writing


class Zygote:
    """Client of ``tests/zygote.py``: fork a crawl, kill it, reap it."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.zygote"],
            cwd=PROJECT_ROOT,
            env=crawl_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._read().get("ready")

    def _read(self) -> dict[str, Any]:
        stdout: IO[str] | None = self.process.stdout
        assert stdout is not None
        answer: dict[str, Any] = json.loads(stdout.readline())
        return answer

    def _send(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._read()

    def crawl(self, out: Path, urls: Path, log: Path) -> int:
        argv = ["crawl", "news", "-a", f"urls={urls}"]
        settings = {
            **BASE_SETTINGS,
            "NEWS_OUTPUT_DIR": str(out),
            "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
            "ROBOTSTXT_OBEY": "False",
            # Extraction in the crawl process: a forked crawl that must also spawn a worker
            # pool spends its short life importing; the writes under test are the same.
            "NEWS_EXTRACT_WORKERS": "0",
        }
        for key, value in settings.items():
            argv += ["-s", f"{key}={value}"]
        return int(self._send({"argv": argv, "log": str(log)})["pid"])

    def wait(self, pid: int) -> int:
        return int(self._send({"wait": pid})["status"])

    def close(self) -> None:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    parent = Zygote()
    yield parent
    parent.close()


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_moment(rng: random.Random, manifest: Path, started_with: int) -> None:
    """Sleep until the kill: early (start-up, repair) or soon after this run's first write."""
    if rng.random() < EARLY_KILLS:
        time.sleep(rng.uniform(0.0, 0.8))
        return
    deadline = time.monotonic() + 10
    while _lines(manifest) == started_with and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.15))  # crawls write dozens of articles a second


def _repaired_copy(out: Path, tmp: Path) -> Path:
    """A copy of ``out`` repaired exactly as the next run repairs it on open."""
    copy = tmp / "repaired"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy)
    near = NearDuplicateIndex(threshold=0.8, permutations=128)
    state = copy / ".state.sqlite3"
    store = ArticleStore(
        OutputFolder(copy, "manifest.jsonl"), lambda: SqliteState(state, near), near
    )
    store.open()
    store.close()
    return copy


@pytest.mark.e2e
def test_sigkill_at_random_moments_loses_nothing_and_resumes(
    tmp_path: Path, zygote: Zygote
) -> None:
    root = tmp_path / "site"
    root.mkdir()
    pages = [f"a{n:03d}.html" for n in range(ARTICLES)]
    for n, page in enumerate(pages):
        (root / page).write_text(article_html(f"crash {n}"), encoding="utf-8")
    server, base = serve(root)
    server.gate(HELD)
    out = tmp_path / "out"
    manifest = out / "manifest.jsonl"
    rng = random.Random(7)
    seen: dict[str, str] = {}  # file -> url, for every manifest line ever observed
    orphans = tmp_files = 0
    try:
        for run in range(KILLS):
            done = set(seen.values())
            fresh = [p for p in pages if f"{base}/{p}" not in done]
            old = [p for p in pages if f"{base}/{p}" in done]
            sample = rng.sample(fresh, min(NEW, len(fresh))) + rng.sample(old, min(OLD, len(old)))
            rng.shuffle(sample)
            urls = tmp_path / f"urls{run}.txt"
            urls.write_text("\n".join(f"{base}/{p}" for p in [*sample, f"{HELD}story.html"]))
            before = _lines(manifest)
            pid = zygote.crawl(out, urls, tmp_path / f"run{run}.log")
            _kill_moment(rng, manifest, before)
            os.kill(pid, signal.SIGKILL)
            status = zygote.wait(pid)
            assert status == -signal.SIGKILL, f"run {run} was not killed: {status}"

            raw = audit_folder(out, after_kill=True)
            assert raw.ok, f"after run {run}: {raw.problems}"
            orphans += bool(raw.orphans)
            tmp_files += bool(raw.temporaries)
            listed = {str(r["file"]): str(r["url"]) for r in raw.records}
            assert seen.items() <= listed.items(), f"run {run} lost written articles"
            seen = listed
            if out.exists():
                repaired = audit_folder(_repaired_copy(out, tmp_path))
                assert repaired.ok, f"repaired copy after run {run}: {repaired.problems}"

        urls = tmp_path / "urls-final.txt"
        urls.write_text("\n".join(f"{base}/{p}" for p in pages))
        status = zygote.wait(zygote.crawl(out, urls, tmp_path / "final.log"))
    finally:
        server.close()

    log = (tmp_path / "final.log").read_text(encoding="utf-8")
    assert status == 0, log[-3000:]
    final = audit_folder(out)
    assert final.ok, final.problems
    assert seen.items() <= {str(r["file"]): str(r["url"]) for r in final.records}.items()
    written = sorted(canonical_url(str(r["url"])) for r in final.records)
    assert written == sorted(canonical_url(f"{base}/{p}") for p in pages)  # each exactly once
    numbers = [int(str(r["file"]).split("_")[0]) for r in final.records]
    assert len(set(numbers)) == len(numbers)
    stats = parse_stats(log)
    assert stats.get("news/written", 0) == ARTICLES - len(seen)
    print(
        f"{KILLS} kills: {len(seen)} articles written by killed runs, "
        f"{orphans} kills left an unrecorded file, {tmp_files} a temporary file"
    )
