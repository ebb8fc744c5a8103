"""``scrapy demo``, the README's first command: the mock news site crawled offline, twice."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from crawler.store.seedformat import is_valid_seed_text, parse_file_name
from tests import ROOT
from tests.conftest import crawl_env, manifest

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

# fixtures/site: 14 articles in its sitemaps and 4 more in the home page's feeds (the
# syndicated copy, the not-an-article page and robots.txt's /private/ page are not written).
SITE_ARTICLES = 18


def run_demo(cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m scrapy demo`` in a folder of its own, with the project's settings module."""
    env = {**crawl_env(), "SCRAPY_SETTINGS_MODULE": "crawler.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "demo", "-s", "CLOSESPIDER_TIMEOUT=120"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def folder(out: Path) -> dict[str, str]:
    """Each seed file's name and text."""
    return {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if parse_file_name(p.name)}


def test_demo_writes_the_site_into_demo_output_then_nothing_new(tmp_path: Path) -> None:
    first = run_demo(tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    out = tmp_path / "demo-output"
    summary, where = first.stdout.splitlines()
    assert summary.startswith("summary: ")
    assert f"written={SITE_ARTICLES} " in summary
    assert "errors=0 " in summary
    assert where == f"{SITE_ARTICLES} articles and manifest.jsonl in {out}"
    files = folder(out)
    records = manifest(out)
    assert sorted(str(r["file"]) for r in records) == sorted(files)
    assert len(files) == SITE_ARTICLES
    assert all(is_valid_seed_text(text) for text in files.values())
    assert {r["language"] for r in records} == {"ar", "en"}
    assert not [r["url"] for r in records if "/private/" in str(r["url"])]

    second = run_demo(tmp_path)
    assert second.returncode == 0, second.stderr[-2000:]
    assert " written=0 " in second.stdout
    assert folder(out) == files
    assert manifest(out) == records
