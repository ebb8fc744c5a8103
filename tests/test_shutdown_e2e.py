"""SIGTERM and SIGINT sent the way ``timeout`` sends them: to the crawl's whole process group,
extraction workers included (issue 17).

Each crawl is a real ``scrapy crawl news`` started in its own session (so it leads a process
group, as under ``timeout``), with a pool of two extraction workers, against the loopback site.
Article responses are held at the server's gate, so the signal always lands with pages in
flight; the test waits for the crawl's own log lines and manifest lines, never for time.
"""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from crawler.bench.sitegen import write_articles
from crawler.commands.runstatus import EXIT_SIGINT, EXIT_SIGTERM
from crawler.localsite.server import Gate, SiteServer, serve
from crawler.store.audit import audit_folder
from crawler.store.output import read_manifest
from tests.conftest import BackgroundCrawl, crawl_command, wait_until

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

ARTICLES = 30
STATUS: dict[int, int] = {signal.SIGINT: EXIT_SIGINT, signal.SIGTERM: EXIT_SIGTERM}


@dataclass
class Site:
    server: SiteServer
    gate: Gate
    urls: Path
    article_urls: list[str]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = tmp_path / "site"
    paths = write_articles(root, ARTICLES, folder="a")
    server, base = serve(root)
    gate = server.gate("/a/")
    urls = [f"{base}/{p}" for p in paths]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    yield Site(server, gate, listing, urls)
    server.close()


class Crawl(BackgroundCrawl):
    """One ``scrapy crawl`` of the site with two extraction workers, its log in a file."""

    def __init__(self, out: Path, site: Site, log: Path, *settings: str) -> None:
        command = crawl_command(
            "news",
            out,
            "-a",
            f"urls={site.urls}",
            "-s",
            "ROBOTSTXT_OBEY=False",
            "-s",
            "NEWS_EXTRACT_WORKERS=2",
            "-s",
            "CONCURRENT_REQUESTS=4",
            *settings,
        )
        super().__init__(command, log)

    def signal_group(self, signum: int) -> None:
        """What ``timeout -s SIG`` does: the signal to every process of the group."""
        os.killpg(self.process.pid, signum)

    def orphans(self) -> list[str]:
        """Processes of the crawl's group still alive once it is gone; multiprocessing's
        resource tracker exits by itself once the last worker has, so it is given time to."""
        wait_until(lambda: not self._alive(), timeout=30)
        return self._alive()

    def _alive(self) -> list[str]:
        """Live processes in the crawl's group (zombies are dead, just not reaped)."""
        ps = subprocess.run(
            ["ps", "-o", "pid=,stat=,args=", "-g", str(self.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        )
        return [line for line in ps.stdout.splitlines() if line.split()[1:2] != ["Z"]]


def written_urls(out: Path) -> list[str]:
    audit = audit_folder(out)
    assert audit.ok, audit.problems
    assert not audit.temporaries
    return sorted(str(r["url"]) for r in audit.records)


def signal_with_pages_in_flight(
    crawl: Crawl, site: Site, out: Path, signum: int, *, held: int = 3
) -> None:
    """Let ``held`` articles through, wait until they are written and more are held; signal."""
    site.gate.allow(held)
    manifest = out / "manifest.jsonl"
    assert wait_until(lambda: len(list(read_manifest(manifest))) >= held), crawl.text()[-3000:]
    arrived = site.server.wait_for(lambda paths: sum(p.startswith("/a/") for p in paths) > held)
    assert arrived, "no article request in flight"
    crawl.signal_group(signum)
    crawl.wait_for_line(f"received {signal.Signals(signum).name}")


def complete_with_a_second_run(out: Path, site: Site, tmp_path: Path, *settings: str) -> None:
    """The next run writes exactly what is missing: every article once in the end."""
    before = written_urls(out)
    site.gate.open()
    again = Crawl(out, site, tmp_path / "again.log", "-s", "NEWS_EXTRACT_WORKERS=0", *settings)
    assert again.wait() == 0, again.text()[-3000:]
    after = written_urls(out)
    assert after == sorted(site.article_urls)  # complete, each once
    assert set(before) <= set(after)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_finishes_pages_in_flight_and_exits_resumable(
    tmp_path: Path, site: Site, signum: int
) -> None:
    out = tmp_path / "out"
    crawl = Crawl(out, site, tmp_path / "crawl.log")
    signal_with_pages_in_flight(crawl, site, out, signum)
    asked = len(site.server.requests)
    site.gate.open()  # the pages in flight may finish now

    status = crawl.wait()
    log = crawl.text()
    assert status == STATUS[signum], log[-3000:]
    assert f"interrupted by {signal.Signals(signum).name}" in log
    assert "abandoning" not in log  # finished in time: nothing abandoned
    assert "Traceback" not in log
    assert not crawl.orphans(), "extraction workers outlived the crawl"
    # Stopped: no request was started after the signal was taken, the ones in flight landed.
    assert len(site.server.requests) == asked
    assert len(written_urls(out)) < ARTICLES
    complete_with_a_second_run(out, site, tmp_path)


def test_a_second_signal_abandons_pages_in_flight_and_jobdir_resumes(
    tmp_path: Path, site: Site
) -> None:
    out, jobdir = tmp_path / "out", tmp_path / "job"
    crawl = Crawl(out, site, tmp_path / "crawl.log", "-s", f"JOBDIR={jobdir}")
    signal_with_pages_in_flight(crawl, site, out, signal.SIGTERM)
    crawl.signal_group(signal.SIGTERM)  # the gate stays shut: only abandoning ends the run

    status = crawl.wait()
    log = crawl.text()
    assert status == EXIT_SIGTERM, log[-3000:]
    assert "SIGTERM received again: abandoning" in log
    assert not crawl.orphans(), "extraction workers outlived the crawl"
    # The abandoned pages went back into JOBDIR's queue: resuming it completes the corpus.
    complete_with_a_second_run(out, site, tmp_path, "-s", f"JOBDIR={jobdir}")


def test_pages_that_never_finish_are_abandoned_within_the_shutdown_timeout(
    tmp_path: Path, site: Site
) -> None:
    out = tmp_path / "out"
    crawl = Crawl(out, site, tmp_path / "crawl.log", "-s", "NEWS_SHUTDOWN_TIMEOUT=3")
    signal_with_pages_in_flight(crawl, site, out, signal.SIGTERM)

    status = crawl.wait()  # the gate stays shut: the timeout must end the run
    log = crawl.text()
    assert status == EXIT_SIGTERM, log[-3000:]
    assert "still stopping after 2 s: abandoning" in log
    assert not crawl.orphans()
    complete_with_a_second_run(out, site, tmp_path)
