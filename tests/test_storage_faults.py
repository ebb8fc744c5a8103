"""The store against a disk that refuses writes, and a state file it cannot trust (issue 17).

The faults are real: a file-size limit (``RLIMIT_FSIZE``: the kernel refuses the write with
EFBIG, as a full disk does with ENOSPC) and real damaged, newer or locked SQLite files. The
end-to-end cases with full and read-only file systems are in test_storage_faults_e2e.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import signal
import sqlite3
from typing import TYPE_CHECKING

import pytest
from scrapy.settings import Settings

from crawler import settings
from crawler.commands.runstatus import EXIT_DATAERR, EXIT_IOERR, exit_status
from crawler.store.articles import ArticleStore
from crawler.store.audit import audit_folder
from crawler.store.faults import StateDamagedError, StorageError
from crawler.store.output import OutputFolder, read_manifest
from crawler.store.seedformat import render, text_sha1
from crawler.store.state import SCHEMA_VERSION, NearDuplicateIndex, SqliteState

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

NEAR = NearDuplicateIndex(threshold=0.8)
STORY = [
    "The river rose two metres overnight and the old bridge was closed to all traffic.",
    "Residents of the lower town were moved to the school gymnasium before dawn today.",
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ArticleStore]:
    made = ArticleStore.from_settings(Settings({**vars(settings), "NEWS_OUTPUT_DIR": tmp_path}))
    made.open()
    yield made
    made.close()


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Writes past ``limit`` bytes fail with EFBIG in this process (SIGXFSZ ignored)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def _add(store: ArticleStore, n: int) -> str:
    url = f"https://news.example/{n}.html"
    paragraphs = [f"{p} Story number {n}." for p in STORY]
    candidate = store.candidate(url, url, f"Story {n}", paragraphs)
    outcome = asyncio.run(store.add_async(candidate, f"{n:016x}", {"url": url, "n": n}, None))
    assert isinstance(outcome, str)
    return outcome


def test_a_manifest_line_the_disk_refuses_leaves_no_file_and_no_torn_line(
    store: ArticleStore, tmp_path: Path
) -> None:
    for n in range(3):
        _add(store, n)
    manifest = tmp_path / "manifest.jsonl"
    before = manifest.read_bytes()
    files = sorted(p.name for p in tmp_path.glob("*.txt"))
    # Room for the seed file (shorter than the manifest) but for 10 bytes of the next line.
    with file_size_limit(len(before) + 10), pytest.raises(StorageError, match="output folder"):
        _add(store, 3)
    assert manifest.read_bytes() == before  # the 10 bytes written were cut off again
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == files
    assert not list(tmp_path.glob(".*.tmp"))
    assert store.failed is not None
    assert store.written.total() == 3
    with pytest.raises(StorageError):  # nothing more is written once the disk refused
        _add(store, 4)
    assert store.state.known_files() == set(files)


def test_a_seed_file_the_disk_refuses_leaves_nothing(store: ArticleStore, tmp_path: Path) -> None:
    _add(store, 0)
    with file_size_limit(100), pytest.raises(StorageError, match="File too large"):
        _add(store, 1)
    assert len(list(tmp_path.glob("*.txt"))) == 1
    assert not list(tmp_path.glob(".*.tmp"))
    assert len(list(read_manifest(tmp_path / "manifest.jsonl"))) == 1


def _old_state(path: Path) -> None:
    """A state file as the program wrote it before the schema version was kept."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(
            "CREATE TABLE urls (key TEXT PRIMARY KEY, status TEXT NOT NULL, file TEXT);"
            "CREATE TABLE documents (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
            " lastmod TEXT);"
            "INSERT INTO urls VALUES ('https://a.example/1', 'written', '000_a.txt');"
            "INSERT INTO documents VALUES ('https://a.example/sitemap.xml', '\"v\"', NULL, NULL);"
        )


def test_an_old_state_is_upgraded_and_its_validators_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _old_state(path)
    state = SqliteState(path, NEAR)
    try:
        assert state.url_status("https://a.example/1") == "written"
        # Saved before documents knew their articles: they might hide unwritten ones.
        assert state.document("https://a.example/sitemap.xml") is None
    finally:
        state.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def _newer(path: Path) -> None:
    SqliteState(path, NEAR).close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


def _truncated(path: Path) -> None:
    state = SqliteState(path, NEAR)
    for n in range(300):
        state.mark_not_article(f"https://a.example/{n}-{'x' * 200}")
    state.close()
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00" * 4096)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_newer, "newer version of the program"),
        (_truncated, "is damaged"),
        (_garbage, "is not an SQLite database"),
    ],
)
def test_a_state_that_cannot_be_trusted_is_refused(
    tmp_path: Path, damage: object, words: str
) -> None:
    path = tmp_path / "state.sqlite3"
    assert callable(damage)
    damage(path)
    before = path.read_bytes()
    with pytest.raises(StateDamagedError, match=words) as caught:
        SqliteState(path, NEAR)
    assert "NEWS_STATE_REBUILD=True" in str(caught.value)
    assert path.read_bytes() == before  # refused, not repaired or started afresh
    assert exit_status({}, caught.value) == (EXIT_DATAERR, str(caught.value))


def test_a_state_held_by_another_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first = SqliteState(path, NEAR)  # its flock is what another crawl would hold
    try:
        with pytest.raises(StateDamagedError, match="locked by another process"):
            SqliteState(path, NEAR)
    finally:
        first.close()
    SqliteState(path, NEAR).close()  # free again once the holder is gone


def test_a_storage_failure_is_exit_status_74() -> None:
    assert exit_status({"news/errors/storage": 1, "finish_reason": "storage_error"}, None) == (
        EXIT_IOERR,
        None,
    )
    error = StorageError("cannot write to the output folder /x: Read-only file system")
    assert exit_status({}, error) == (EXIT_IOERR, str(error))


def _write(folder: Path, n: int, text: str) -> dict[str, object]:
    name = f"{n:03d}_{n:016x}.txt"
    (folder / name).write_text(text, encoding="utf-8")
    return {"file": name, "url": f"https://a.example/{n}", "text_sha1": text_sha1(STORY)}


@pytest.mark.parametrize("crashed", [True, False])
def test_lines_whose_file_a_crash_lost_or_cut_short_are_dropped(
    tmp_path: Path, crashed: bool
) -> None:
    whole = render("Flood", STORY)
    records = [_write(tmp_path, 0, whole), _write(tmp_path, 1, whole[: len(whole) // 2])]
    records.append({"file": "002_0000000000000002.txt", "url": "https://a.example/2"})
    (tmp_path / "manifest.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    (tmp_path / ".lock").write_text("4242\n" if crashed else "", encoding="utf-8")
    folder = OutputFolder(tmp_path)
    folder.open()
    folder.close()
    kept = [r["file"] for r in read_manifest(tmp_path / "manifest.jsonl")]
    # A missing file always loses its line; a cut-short one is looked for after a crash only
    # (a clean close fsynced every file before it emptied the lock file).
    assert kept == ([records[0]["file"]] if crashed else [records[0]["file"], records[1]["file"]])
    assert (tmp_path / str(records[1]["file"])).exists() is not crashed
    assert (tmp_path / ".lock").read_text(encoding="utf-8") == ""  # closed cleanly


def test_the_audit_finds_a_file_cut_short_to_another_valid_text(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path)
    folder.open()
    text = render("Flood", STORY)
    record = {"file": "000_0000000000000000.txt", "url": "u", "text_sha1": text_sha1(STORY)}
    folder.write_article(str(record["file"]), text, record)
    folder.close()
    assert audit_folder(tmp_path, with_state=False).ok
    # Cut after its first paragraph: still in the seed format, but not what was written.
    (tmp_path / str(record["file"])).write_text(text.rsplit("\n\n", 1)[0], encoding="utf-8")
    assert audit_folder(tmp_path, with_state=False).problems == [
        "000_0000000000000000.txt does not hold the text its manifest line states"
    ]
