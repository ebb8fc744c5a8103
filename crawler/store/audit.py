"""Check an output folder against the writer's promises (used by tests and benchmarks).

The promises: every ``NNN_<id>.txt`` is complete and in the seed format; every manifest line
parses and names a file that exists and holds the text its line's hash states; every file is
named by exactly one line; no article is there twice; and the state store knows exactly the files the manifest lists. Right after a
SIGKILL (before the next run repairs the folder) one file may lack its manifest line and the
state may lag one article behind the manifest; ``after_kill=True`` allows exactly that.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.store.output import TMP_SUFFIX
from crawler.store.seedformat import is_valid_seed_text, matches_record, parse_file_name

if TYPE_CHECKING:
    from pathlib import Path


@dataclass
class Audit:
    """What was found; ``problems`` is empty when the folder keeps every promise."""

    files: set[str] = field(default_factory=set)
    records: list[dict[str, Any]] = field(default_factory=list)
    orphans: set[str] = field(default_factory=set)
    """Seed files no manifest line names (allowed once right after a kill)."""
    temporaries: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_manifest(path: Path, audit: Audit) -> None:
    if not path.exists():
        return
    data = path.read_bytes()
    lines = data.split(b"\n")
    if lines and lines[-1]:
        audit.problems.append(f"manifest ends with a torn line: {lines[-1][:80]!r}")
    for number, raw in enumerate(lines[:-1], 1):
        try:
            record = json.loads(raw.decode("utf-8"))
        except ValueError:
            audit.problems.append(f"manifest line {number} does not parse: {raw[:80]!r}")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("file"), str):
            audit.problems.append(f"manifest line {number} names no file")
            continue
        audit.records.append(record)


def _state_files(state_path: Path) -> set[str] | None:
    if not state_path.exists():
        return None
    with contextlib.closing(sqlite3.connect(f"file:{state_path}?mode=ro", uri=True)) as db:
        texts = {str(r[0]) for r in db.execute("SELECT file FROM texts")}
        urls = {
            str(r[0]) for r in db.execute("SELECT DISTINCT file FROM urls WHERE status = 'written'")
        }
    return texts | urls


def _check_repeats(audit: Audit) -> None:
    for key in ("id", "url", "text_sha1"):
        values = Counter(r.get(key) for r in audit.records if r.get(key))
        twice = sorted(str(v) for v, n in values.items() if n > 1)
        if twice:
            audit.problems.append(f"the same {key} is in the manifest twice: {twice[:3]}")


def _check_files(folder: Path, audit: Audit) -> None:
    """Each listed file holds the text its line's hash states (not cut short by a crash)."""
    for record in audit.records:
        name = str(record["file"])
        if name not in audit.files:
            continue
        with contextlib.suppress(UnicodeDecodeError):  # reported with the file above
            text = (folder / name).read_bytes().decode("utf-8")
            sha1 = record.get("text_sha1")
            if is_valid_seed_text(text) and not matches_record(
                text, sha1 if isinstance(sha1, str) else None
            ):
                audit.problems.append(f"{name} does not hold the text its manifest line states")


def audit_folder(
    folder: Path,
    manifest_name: str = "manifest.jsonl",
    state_path: Path | None = None,
    *,
    after_kill: bool = False,
    with_state: bool = True,
) -> Audit:
    """Audit ``folder``; the state file defaults to the one the crawl keeps inside it.

    ``with_state=False`` audits the folder alone (a state known to be damaged).
    """
    audit = Audit()
    for path in sorted(folder.iterdir()) if folder.exists() else []:
        if path.name.endswith(TMP_SUFFIX):
            audit.temporaries.append(path.name)
        elif parse_file_name(path.name):
            audit.files.add(path.name)
            try:
                text = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                audit.problems.append(f"{path.name} is not UTF-8")
                continue
            if not is_valid_seed_text(text):
                audit.problems.append(f"{path.name} is not in the seed format (partial?)")
    _read_manifest(folder / manifest_name, audit)
    named = Counter(str(r["file"]) for r in audit.records)
    for name, times in named.items():
        if times > 1:
            audit.problems.append(f"{name} is named by {times} manifest lines")
        if name not in audit.files:
            audit.problems.append(f"manifest names {name}, which does not exist")
    audit.orphans = audit.files - set(named)
    if audit.orphans and (not after_kill or len(audit.orphans) > 1):
        audit.problems.append(f"files without a manifest line: {sorted(audit.orphans)}")
    if audit.temporaries and not after_kill:
        audit.problems.append(f"temporary files left: {audit.temporaries}")
    _check_repeats(audit)
    _check_files(folder, audit)
    if with_state:
        _audit_state(state_path or folder / ".state.sqlite3", set(named), audit, after_kill)
    return audit


def _audit_state(state_path: Path, listed: set[str], audit: Audit, after_kill: bool) -> None:
    try:
        known = _state_files(state_path)
    except sqlite3.DatabaseError as exc:
        audit.problems.append(f"the state store cannot be read: {exc}")
        return
    if known is None:
        if listed:
            audit.problems.append("the manifest lists files but there is no state store")
        return
    unknown_to_manifest = known - listed
    missing_from_state = listed - known
    if unknown_to_manifest:
        audit.problems.append(
            f"state knows files the manifest lacks: {sorted(unknown_to_manifest)}"
        )
    if missing_from_state and (not after_kill or len(missing_from_state) > 1):
        audit.problems.append(f"state lacks manifest files: {sorted(missing_from_state)}")
