"""Tests; ``FIXTURES`` and ``read_fixture`` follow Scrapy's get_testdata pattern."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def read_fixture(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()
