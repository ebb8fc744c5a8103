"""``write_report``: an output folder's report page, written atomically beside its articles."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from crawler.report.page import render
from crawler.report.queries import load

REPORT_NAME = "report.html"
"""The page's file name inside the output folder (its links to the seed files are relative)."""


def write_report(
    folder: Path,
    *,
    manifest_name: str = "manifest.jsonl",
    state: Path | None = None,
    now: datetime | None = None,
) -> Path:
    """Write ``folder/report.html`` (a temporary file renamed over it); return its path."""
    corpus = load(folder, manifest_name=manifest_name, state=state)
    generated = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    html = render(corpus, str(folder), generated)
    target = folder / REPORT_NAME
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".report-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        Path(temporary).chmod(0o644)  # mkstemp's 0600 would keep a web server from it
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
