"""The folder audit that the crash and fault tests rely on must see every broken promise."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from crawler.store.audit import audit_folder
from crawler.store.output import OutputFolder
from crawler.store.seedformat import render
from crawler.store.state import NearDuplicateIndex, SqliteState

if TYPE_CHECKING:
    from pathlib import Path

NEAR = NearDuplicateIndex(threshold=0)


def _write(folder: Path, n: int, *, record_state: bool = True) -> str:
    name = f"{n:03d}_{n:016x}.txt"
    output = OutputFolder(folder)
    output.open()
    output.write_article(
        name,
        render(f"Headline {n}", [f"Paragraph {n} one.", "Two."]),
        {"file": name, "id": f"{n:016x}", "url": f"http://x/{n}", "text_sha1": f"s{n}"},
    )
    output.close()
    if record_state:
        state = SqliteState(folder / ".state.sqlite3", NEAR)
        state.record_article([f"http://x/{n}"], f"s{n}", None, name)
        state.close()
    return name


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for n in range(3):
        _write(tmp_path, n)
    return tmp_path


def test_a_good_folder_passes(folder: Path) -> None:
    audit = audit_folder(folder)
    assert audit.ok, audit.problems
    assert len(audit.records) == 3


def test_a_partial_file_is_caught(folder: Path) -> None:
    (folder / "001_0000000000000001.txt").write_text("Headline 1\n\nParagraph", encoding="utf-8")
    (folder / "000_0000000000000000.txt").write_text("Headline only", encoding="utf-8")
    assert any("000_" in p for p in audit_folder(folder).problems)


def test_a_missing_file_is_caught(folder: Path) -> None:
    (folder / "002_0000000000000002.txt").unlink()
    assert any("does not exist" in p for p in audit_folder(folder).problems)


def test_a_torn_or_broken_manifest_line_is_caught(folder: Path) -> None:
    manifest = folder / "manifest.jsonl"
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write('{"file": "003_')
    assert any("torn" in p for p in audit_folder(folder, after_kill=True).problems)
    manifest.write_text(manifest.read_text(encoding="utf-8") + "x\n", encoding="utf-8")
    assert any("does not parse" in p for p in audit_folder(folder).problems)


def test_a_file_named_twice_or_a_duplicate_url_is_caught(folder: Path) -> None:
    manifest = folder / "manifest.jsonl"
    first = manifest.read_text(encoding="utf-8").splitlines()[0]
    manifest.write_text(manifest.read_text(encoding="utf-8") + first + "\n", encoding="utf-8")
    problems = audit_folder(folder).problems
    assert any("named by 2" in p for p in problems)
    assert any("same url" in p for p in problems)


def test_one_orphan_is_allowed_only_right_after_a_kill(folder: Path) -> None:
    (folder / "009_0000000000000009.txt").write_text("H\n\nP", encoding="utf-8")
    assert audit_folder(folder, after_kill=True).ok
    assert not audit_folder(folder).ok
    (folder / "010_000000000000000a.txt").write_text("H\n\nP", encoding="utf-8")
    assert not audit_folder(folder, after_kill=True).ok


def test_the_state_must_agree_with_the_manifest(folder: Path) -> None:
    _write(folder, 3, record_state=False)  # killed between manifest and state
    assert audit_folder(folder, after_kill=True).ok
    assert any("state lacks" in p for p in audit_folder(folder).problems)
    state = SqliteState(folder / ".state.sqlite3", NEAR)
    state.record_article(["http://x/ghost"], "ghost", None, "099_0000000000000063.txt")
    state.close()
    assert any("state knows" in p for p in audit_folder(folder, after_kill=True).problems)


def test_temporary_files_are_allowed_only_right_after_a_kill(folder: Path) -> None:
    (folder / ".003_0000000000000003.txt.123.tmp").write_text("Head", encoding="utf-8")
    assert audit_folder(folder, after_kill=True).ok
    assert any("temporary" in p for p in audit_folder(folder).problems)


def test_non_utf8_file_is_caught(folder: Path) -> None:
    (folder / "000_0000000000000000.txt").write_bytes("عنوان\n\nنص".encode("cp1256"))
    assert any("not UTF-8" in p for p in audit_folder(folder).problems)


def test_manifest_lines_are_json_objects_naming_a_file(folder: Path) -> None:
    manifest = folder / "manifest.jsonl"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + json.dumps(["x"]) + "\n", encoding="utf-8"
    )
    assert any("names no file" in p for p in audit_folder(folder).problems)
