"""``pagenames.page_names`` gives the headline and site name trafilatura's full metadata gives."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from trafilatura.metadata import extract_metadata

from crawler.extraction.article import _parse
from crawler.extraction.decoding import decode_html
from crawler.extraction.pagenames import page_names
from tests import FIXTURES

if TYPE_CHECKING:
    from pathlib import Path

PAGES = sorted((FIXTURES / "articles").glob("*.html"))


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_same_names_as_trafilatura_metadata(path: Path) -> None:
    tree, _ = _parse(decode_html(path.read_bytes()))
    assert tree is not None
    url = "https://news.example.com/2024/05/story.html"
    full = extract_metadata(tree, url, {"extensive_search": False, "original_date": True})
    assert page_names(tree, url) == (full.title or None, full.sitename or None)


def test_a_page_without_names_is_named_after_its_host() -> None:
    tree, _ = _parse("<html><body><p>Plain text, no title anywhere.</p></body></html>")
    assert tree is not None
    assert page_names(tree, "https://www.daily.example/a/b.html") == (None, "daily.example")
