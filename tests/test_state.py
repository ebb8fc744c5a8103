"""The SQLite state store and the output folder's repair after a killed run."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from crawler.store.articles import ArticleStore
from crawler.store.output import OutputFolder, OutputLockedError, read_manifest
from crawler.store.seedformat import render, text_sha1
from crawler.store.state import NearDuplicateIndex, SqliteState

if TYPE_CHECKING:
    from pathlib import Path

NEAR = NearDuplicateIndex(threshold=0.8)
STORY = [
    (
        "The river burst its banks on Tuesday night, flooding three villages in the valley and "
        "forcing hundreds of families to leave their homes before dawn."
    ),
    (
        "Rescue teams worked through the morning, and the regional governor said the army would "
        "send boats and helicopters to reach the people still cut off by the water."
    ),
]


def test_state_remembers_urls_texts_and_counter_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    state = SqliteState(path, NEAR)
    assert state.next_number(-1) == 0
    assert state.next_number(-1) == 1
    assert state.next_number(10) == 11  # files already in the folder raise the floor
    state.record_article(["http://a.example/1"], "sha", NEAR.signature(STORY), "011_x.txt")
    state.mark_not_article("http://a.example/section")
    state.close()
    state = SqliteState(path, NEAR)
    assert state.url_status("http://a.example/1") == "written"
    assert state.url_status("http://a.example/section") == "not_article"
    assert state.url_status("http://a.example/2") is None
    assert state.file_for_text("sha") == "011_x.txt"
    assert state.next_number(-1) == 0  # numbering follows the folder, not a stored counter
    near_copy = [STORY[0], STORY[1] + " (Reporting by a correspondent.)"]
    assert state.near_duplicate_of(NEAR.signature(near_copy)) == "011_x.txt"
    other = ["A completely different story about a football match and its result today."] * 2
    assert state.near_duplicate_of(NEAR.signature(other)) is None
    state.forget_file("011_x.txt")
    assert state.url_status("http://a.example/1") is None
    assert state.near_duplicate_of(NEAR.signature(near_copy)) is None
    state.close()


def test_near_duplicate_detection_can_be_turned_off(tmp_path: Path) -> None:
    off = NearDuplicateIndex(threshold=0)
    state = SqliteState(tmp_path / "s.sqlite3", off)
    state.record_article(["u"], "sha", None, "000_x.txt")
    assert state.near_duplicate_of(NEAR.signature(STORY)) is None
    state.close()


def test_output_folder_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    first = OutputFolder(tmp_path)
    first.open()
    second = OutputFolder(tmp_path)
    with pytest.raises(OutputLockedError, match="in use by another crawl"):
        second.open()
    first.close()
    second.open()
    second.close()


def _record(name: str, url: str) -> dict[str, object]:
    return {"file": name, "url": url, "canonical_url": url, "text_sha1": text_sha1(STORY)}


def test_repair_after_kill_keeps_manifest_as_truth(tmp_path: Path) -> None:
    out = tmp_path
    (out / "000_0000000000000001.txt").write_text(render("T", STORY), encoding="utf-8")
    (out / "001_0000000000000002.txt").write_text(render("T2", STORY), encoding="utf-8")  # orphan
    (out / ".002_0000000000000003.txt.123.tmp").write_text("half", encoding="utf-8")
    line = json.dumps(_record("000_0000000000000001.txt", "http://a.example/1"))
    (out / "manifest.jsonl").write_text(line + "\n" + '{"file": "torn', encoding="utf-8")
    resources = ArticleStore(
        OutputFolder(out, "manifest.jsonl"), lambda: SqliteState(out / ".state.sqlite3", NEAR), NEAR
    )
    resources.open()
    try:
        names = sorted(p.name for p in out.iterdir() if p.suffix == ".txt")
        assert names == ["000_0000000000000001.txt"]
        assert [r["file"] for r in read_manifest(out / "manifest.jsonl")] == [
            "000_0000000000000001.txt"
        ]
        assert (out / "manifest.jsonl").read_bytes().endswith(b"\n")
        # The manifest line the state missed was re-recorded.
        assert resources.state.url_status("http://a.example/1") == "written"
        assert resources.state.file_for_text(text_sha1(STORY)) == "000_0000000000000001.txt"
        assert resources.next_number() == 1
    finally:
        resources.close()
