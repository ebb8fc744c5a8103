"""Faults of the machine, not the web (issue 17): full and read-only disks, a damaged state,
a crash of the machine. Real ``scrapy crawl`` runs against a loopback site; the disks are real
tmpfs mounts (root only: skipped with the reason elsewhere, a failure under CI=true).

Each case checks the same promise: the run ends in a defined way with one line and its exit
status, nothing half-written is left, manifest and state agree (``crawler.store.audit``), and
the next run completes the corpus with every article once, fetching none already written.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from typing import TYPE_CHECKING, Any

import pytest

from crawler.bench.diskfaults import (
    MountUnavailableError,
    fill,
    free_space,
    leave_as_after_power_loss,
    remount,
    tmpfs,
)
from crawler.bench.sitegen import generate
from crawler.commands.runstatus import EXIT_DATAERR, EXIT_IOERR, EXIT_OK
from crawler.localsite.server import serve
from crawler.store.audit import audit_folder
from tests.conftest import crawl_stats, manifest, run_crawl
from tests.warc_fixtures import write_pages_archive

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from crawler.localsite.server import SiteServer

pytestmark = pytest.mark.e2e

ARTICLES = 30
SETTINGS = ("-s", "ROBOTSTXT_OBEY=False", "-s", "NEWS_EXTRACT_WORKERS=0")
ERROR_RE = re.compile(r"\] (ERROR|CRITICAL): (.*)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The generated site: ``ARTICLES`` pages, one child sitemap behind an index."""
    root = tmp_path_factory.mktemp("site")
    server, base = serve(root)
    generate(root, ARTICLES, base)
    yield server
    server.close()


@contextlib.contextmanager
def disk(folder: Path, size: str = "6m") -> Iterator[Path]:
    try:
        with tmpfs(folder, size) as mounted:
            yield mounted
    except MountUnavailableError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must be able to mount a tmpfs: {exc}")
        pytest.skip(f"cannot mount a tmpfs here: {exc}")


def crawl(site: SiteServer, out: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    site.requests.clear()
    result = run_crawl(
        "news", out, "-a", f"sitemaps={site.base}/sitemap_index.xml", *SETTINGS, *args
    )
    stats = crawl_stats(result.stderr) if "Dumping Scrapy stats" in result.stderr else {}
    return result.returncode, result.stderr, stats


def errors(log: str) -> list[str]:
    return [m.group(2) for line in log.splitlines() if (m := ERROR_RE.search(line))]


def article_requests(site: SiteServer) -> list[str]:
    return [p for p in site.paths() if p.startswith("/news/")]


def assert_complete(out: Path, state: Path | None = None) -> None:
    """Every article once, and folder, manifest and state agree strictly."""
    audit = audit_folder(out, state_path=state)
    assert audit.ok, audit.problems
    urls = [r["url"] for r in audit.records]
    assert len(urls) == len(set(urls)) == ARTICLES


DISK_FULL = ("No space left on device", "database or disk is full")
"""The system's words, from the output folder or from the state (SQLite), whichever write the
disk refused first when both are on it."""


def assert_stopped_with_one_line(code: int, log: str, where: str, *reasons: str) -> str:
    assert code == EXIT_IOERR, log[-3000:]
    lines = errors(log)
    assert len(lines) == 1, lines
    assert where in lines[0]
    assert any(reason in lines[0] for reason in reasons), lines[0]
    assert "Traceback" not in log
    return lines[0]


def test_a_full_output_disk_stops_the_crawl_and_the_next_run_completes(
    site: SiteServer, tmp_path: Path
) -> None:
    with disk(tmp_path / "disk") as mounted:
        out = mounted / "out"
        fill(mounted, leave=600 * 1024)  # room for a part of the corpus and its state
        code, log, _ = crawl(site, out)
        assert_stopped_with_one_line(code, log, str(out), *DISK_FULL)
        assert "(finish reason: storage_error)" in log
        written = len(manifest(out))
        assert 0 < written < ARTICLES
        audit = audit_folder(out)  # no partial file, no line without its file, state agrees
        assert audit.ok, audit.problems

        free_space(mounted)
        code, log, _ = crawl(site, out)
        assert code == EXIT_OK, log[-3000:]
        assert_complete(out)
        assert len(article_requests(site)) == ARTICLES - written  # none written is fetched


def test_a_full_state_disk_stops_the_crawl_and_the_next_run_completes(
    site: SiteServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with disk(tmp_path / "state-disk") as mounted:
        state = mounted / "state.sqlite3"
        fill(mounted, leave=200 * 1024)
        code, log, _ = crawl(site, out, "-s", f"NEWS_STATE_PATH={state}")
        assert_stopped_with_one_line(code, log, str(state), "disk is full")
        written = len(manifest(out))
        assert written < ARTICLES
        audit = audit_folder(out, state_path=state)  # the article the state refused: undone
        assert audit.ok, audit.problems

        free_space(mounted)
        code, log, _ = crawl(site, out, "-s", f"NEWS_STATE_PATH={state}")
        assert code == EXIT_OK, log[-3000:]
        assert_complete(out, state)
        assert len(article_requests(site)) == ARTICLES - written


def test_read_only_folder_or_state_is_refused_and_the_next_run_completes(
    site: SiteServer, tmp_path: Path
) -> None:
    with disk(tmp_path / "disk") as mounted:
        out = mounted / "out"
        code, log, _ = crawl(site, out, "-a", "limit=10")
        assert code == EXIT_OK, log[-3000:]
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        remount(mounted, read_only=True)
        try:
            code, log, _ = crawl(site, out)
            assert_stopped_with_one_line(code, log, str(out), "Read-only file system")
            assert article_requests(site) == []
            elsewhere = tmp_path / "out"  # the folder is fine, the state's disk is read-only
            code, log, _ = crawl(site, elsewhere, "-s", f"NEWS_STATE_PATH={out}/.state.sqlite3")
            assert_stopped_with_one_line(code, log, ".state.sqlite3", "Read-only file system")
            assert article_requests(site) == []
        finally:
            remount(mounted, read_only=False)
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before

        code, log, _ = crawl(site, out)
        assert code == EXIT_OK, log[-3000:]
        assert_complete(out)
        assert len(article_requests(site)) == ARTICLES - 10


def _truncate(state: Path) -> None:
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])


def _newer(state: Path) -> None:
    with contextlib.closing(sqlite3.connect(state)) as db:
        db.execute("PRAGMA user_version = 99")


@pytest.mark.parametrize(
    ("damage", "words"),
    [(_truncate, "is damaged"), (_newer, "newer version of the program (schema 99")],
)
def test_a_damaged_state_is_refused_then_rebuilt_from_the_folder(
    site: SiteServer, tmp_path: Path, damage: Any, words: str
) -> None:
    out = tmp_path / "out"
    code, log, _ = crawl(site, out)
    assert code == EXIT_OK, log[-3000:]
    first = manifest(out)
    damage(out / ".state.sqlite3")

    code, log, _ = crawl(site, out)
    assert code == EXIT_DATAERR, log[-3000:]
    (line,) = errors(log)
    assert words in line
    assert "NEWS_STATE_REBUILD=True" in line
    assert "Traceback" not in log
    assert article_requests(site) == []  # never a silent fresh start
    assert manifest(out) == first

    code, log, stats = crawl(site, out, "-s", "NEWS_STATE_REBUILD=True")
    assert code == EXIT_OK, log[-3000:]
    assert article_requests(site) == []  # the rebuilt state knows every article written
    assert stats["news/skipped/known"] == ARTICLES
    assert_complete(out)
    assert list(out.glob(".state.sqlite3.set-aside-*")), "the damaged file is kept aside"


def test_a_state_locked_by_another_process_is_refused(site: SiteServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, log, _ = crawl(site, out, "-a", "limit=5")
    assert code == EXIT_OK, log[-3000:]
    with contextlib.closing(sqlite3.connect(out / ".state.sqlite3", isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")  # e.g. the sqlite3 shell in the middle of an edit
        code, log, _ = crawl(site, out)
        other.execute("ROLLBACK")
    assert code == EXIT_DATAERR, log[-3000:]
    (line,) = errors(log)
    assert "is locked by another process" in line
    assert article_requests(site) == []
    code, log, _ = crawl(site, out)
    assert code == EXIT_OK, log[-3000:]
    assert_complete(out)
    assert len(article_requests(site)) == ARTICLES - 5


def test_after_a_power_loss_the_manifest_wins_and_lost_articles_are_fetched_again(
    site: SiteServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, log, _ = crawl(site, out)
    assert code == EXIT_OK, log[-3000:]
    lost = leave_as_after_power_loss(out)

    code, log, stats = crawl(site, out)
    assert code == EXIT_OK, log[-3000:]
    assert_complete(out)
    # Exactly the four lost articles were fetched again: the sitemap's validators were
    # not sent, since articles it led to were no longer settled.
    fetched = {site.url(p) for p in article_requests(site)}
    assert fetched == set(lost), (fetched, lost)
    assert stats["news/discovery/unsettled"] == 1
    assert "dropped 2 line(s) whose file a crash lost or cut short" in log


def test_a_capped_run_hides_no_article_from_the_next_one(site: SiteServer, tmp_path: Path) -> None:
    """The reported bug, in its general form: a run that finished with articles it did not
    write (a source's max_articles here; a full disk, a crash) must not save the validators of
    the sitemap that listed them."""
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "gen"\nsitemaps = ["{site.base}/sitemap_index.xml"]\n'
        "max_articles = 10\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_crawl("news", out, "-a", f"sources={sources}", *SETTINGS)
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert "(finish reason: finished)" in result.stderr
    assert len(manifest(out)) == 10
    code, log, stats = crawl(site, out)
    assert code == EXIT_OK, log[-3000:]
    assert_complete(out)
    assert stats.get("news/discovery/not_modified", 0) == 0


def test_an_archive_read_onto_a_full_disk_is_read_again_where_it_was_refused(
    tmp_path: Path,
) -> None:
    """Pages dropped after the disk refused a write were never written: the archive's read
    position (kept in a state on another disk, which still takes writes) must not pass them,
    or the run after space is freed would skip them."""
    archive = tmp_path / "pages.warc.gz"
    urls = write_pages_archive(archive, ARTICLES)
    state = ("-s", f"NEWS_STATE_PATH={tmp_path / 'state.sqlite3'}")
    with disk(tmp_path / "disk") as mounted:
        out = mounted / "out"
        fill(mounted, leave=20 * 1024)
        result = run_crawl("news", out, "-a", f"warc={archive}", *SETTINGS, *state)
        assert_stopped_with_one_line(result.returncode, result.stderr, str(out), *DISK_FULL)
        written = len(manifest(out))
        assert written < ARTICLES

        free_space(mounted)
        result = run_crawl("news", out, "-a", f"warc={archive}", *SETTINGS, *state)
        assert result.returncode == EXIT_OK, result.stderr[-3000:]
        audit = audit_folder(out, state_path=tmp_path / "state.sqlite3")
        assert audit.ok, audit.problems
        assert sorted(r["url"] for r in audit.records) == sorted(urls)
