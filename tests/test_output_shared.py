"""The output folder shared by distributed workers: locks, per-worker manifests, orphans."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from crawler.store.output import OutputFolder, OutputLockedError, tmp_target

if TYPE_CHECKING:
    from pathlib import Path

A = "000_aaaaaaaaaaaaaaaa.txt"
B = "001_bbbbbbbbbbbbbbbb.txt"
C = "002_cccccccccccccccc.txt"


def record(name: str) -> dict[str, str]:
    return {"file": name, "url": f"https://example.com/{name}"}


def test_workers_share_a_folder_that_a_single_run_cannot_enter(tmp_path: Path) -> None:
    one, two = OutputFolder(tmp_path, writer="w1"), OutputFolder(tmp_path, writer="w2")
    one.open()
    two.open()
    with pytest.raises(OutputLockedError, match="needs the folder alone"):
        OutputFolder(tmp_path).open()
    one.close()
    two.close()
    single = OutputFolder(tmp_path)
    single.open()
    with pytest.raises(OutputLockedError):
        OutputFolder(tmp_path, writer="w3").open()
    single.close()


def test_one_worker_id_cannot_run_twice_at_once(tmp_path: Path) -> None:
    first = OutputFolder(tmp_path, writer="w1")
    first.open()
    with pytest.raises(OutputLockedError, match="NEWS_WORKER_ID"):
        OutputFolder(tmp_path, writer="w1").open()
    first.close()
    again = OutputFolder(tmp_path, writer="w1")  # a restarted worker reuses its manifest
    again.open()
    again.close()


def test_each_worker_appends_to_its_own_manifest_and_all_are_read(tmp_path: Path) -> None:
    single = OutputFolder(tmp_path)
    single.open()
    single.write_article(A, "Headline\n\nBody.", record(A))
    single.close()
    one, two = OutputFolder(tmp_path, writer="w1"), OutputFolder(tmp_path, writer="w2")
    one.open()
    two.open()
    one.write_article(B, "Headline\n\nBody.", record(B))
    two.write_article(C, "Headline\n\nBody.", record(C))
    assert [p.name for p in one.manifest_paths()] == [
        "manifest.jsonl",
        "manifest-w1.jsonl",
        "manifest-w2.jsonl",
    ]
    assert [r["file"] for r in two.manifest_records()] == [A, B, C]
    lines = (tmp_path / "manifest-w2.jsonl").read_text().splitlines()
    assert [json.loads(line)["file"] for line in lines] == [C]
    one.close()
    two.close()


def test_a_torn_line_is_cut_only_in_the_workers_own_manifest(tmp_path: Path) -> None:
    (tmp_path / "manifest-w1.jsonl").write_text(json.dumps(record(A)) + '\n{"file": "00')
    (tmp_path / "manifest-w2.jsonl").write_text(json.dumps(record(B)) + '\n{"file": "00')
    folder = OutputFolder(tmp_path, writer="w1")
    folder.open()
    assert (tmp_path / "manifest-w1.jsonl").read_text().endswith("\n")
    assert not (tmp_path / "manifest-w2.jsonl").read_text().endswith("\n")  # not ours to cut
    assert [r["file"] for r in folder.manifest_records()] == [A, B]
    folder.close()


def test_shared_cleanup_spares_what_a_live_writer_owns(tmp_path: Path) -> None:
    for name in (A, B, C):
        (tmp_path / name).write_text("Headline\n\nBody.")
    live_tmp, dead_tmp, other_tmp = f".{B}.w2.tmp", f".{C}.w3.tmp", ".corpus-id.1.ab.new.tmp"
    for name in (live_tmp, dead_tmp, other_tmp):
        (tmp_path / name).write_text("partial")
    folder = OutputFolder(tmp_path, writer="w1")
    folder.open()
    removed = folder.remove_orphans(listed={A}, in_use=lambda name: name == B)
    assert removed == [C]
    remaining = sorted(p.name for p in tmp_path.iterdir())
    assert remaining == sorted([A, B, live_tmp, other_tmp, ".lock", "manifest-w1.jsonl"])
    folder.close()


def test_a_single_run_removes_every_unlisted_and_temporary_file(tmp_path: Path) -> None:
    for name in (A, B):
        (tmp_path / name).write_text("Headline\n\nBody.")
    (tmp_path / f".{B}.w2.tmp").write_text("partial")
    folder = OutputFolder(tmp_path)
    folder.open()
    assert folder.remove_orphans(listed={A}) == [B]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([A, ".lock", "manifest.jsonl"])
    folder.close()


def test_temporary_names_tell_their_target() -> None:
    assert tmp_target(f".{A}.host-12.tmp") == A
    assert tmp_target(f".{A}.w1.a1b2c3d4.tmp") == A
    assert tmp_target(f".{A}.1234.tmp") == A
    assert tmp_target(".corpus-id.1.tmp") is None
    assert tmp_target(f"{A}.w1.tmp") is None
