"""Every page in ``fixtures/articles`` gives exactly its expected article, or no article.

Each case is ``<case>.html`` with ``<case>.json`` (url, title, language, published, authors,
article) and, for articles, ``<case>.txt`` in the seed format: what a careful editor keeps.
The same pages go through ``python -m crawler.extract`` as a user would run it.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from typing import Any
from urllib.parse import urlsplit

import pytest
from lxml import html

from crawler.extraction.article import _captions, _parse, extract_article
from crawler.store.seedformat import is_valid_seed_text, render
from tests import FIXTURES, ROOT

ARTICLES = FIXTURES / "articles"
CASES = sorted(p.stem for p in ARTICLES.glob("*.html"))
_ARTICLE_KEYS = ["article", "authors", "language", "published", "title", "url"]
_RESERVED_SUFFIXES = (".example", "example.com", "example.org", "example.net")


def expected(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ARTICLES / f"{case}.json").read_text(encoding="utf-8"))
    return data


def expected_text(case: str) -> str:
    return (ARTICLES / f"{case}.txt").read_text(encoding="utf-8")


ARTICLE_CASES = [c for c in CASES if expected(c)["article"]]
OTHER_CASES = [c for c in CASES if not expected(c)["article"]]


def test_enough_fixtures() -> None:
    assert len(CASES) >= 14
    assert len(OTHER_CASES) >= 4
    assert {expected(c)["language"] for c in ARTICLE_CASES} >= {"ar", "en", "ja"}


@pytest.mark.parametrize("case", CASES)
def test_fixture_files_are_well_formed(case: str) -> None:
    raw = (ARTICLES / f"{case}.json").read_text(encoding="utf-8")
    meta = json.loads(raw)
    assert list(meta) == sorted(meta), "keys must be sorted"
    host = urlsplit(meta["url"]).hostname or ""
    assert meta["url"].startswith(("https://", "http://"))
    assert host.endswith(_RESERVED_SUFFIXES), f"{host} is not a reserved example domain"
    if meta["article"]:
        assert sorted(meta) == _ARTICLE_KEYS
        text = expected_text(case)
        assert is_valid_seed_text(text)
        assert text.split("\n\n", 1)[0] == meta["title"]
    else:
        assert sorted(meta) == ["article", "url"]
        assert not (ARTICLES / f"{case}.txt").exists()


@pytest.mark.parametrize("case", ARTICLE_CASES)
def test_article_fixture(case: str) -> None:
    meta = expected(case)
    article = extract_article((ARTICLES / f"{case}.html").read_bytes(), meta["url"])
    assert article is not None, f"{case}: no article found"
    assert render(article.title, article.paragraphs) == expected_text(case)
    assert article.title == meta["title"]
    assert article.language == meta["language"]
    assert article.published == meta["published"]
    assert list(article.authors) == meta["authors"]


@pytest.mark.parametrize("case", ARTICLE_CASES)
def test_article_fixture_served_without_charset(case: str) -> None:
    """A plain ``text/html`` header (what a static server sends) changes nothing."""
    meta = expected(case)
    body = (ARTICLES / f"{case}.html").read_bytes()
    article = extract_article(body, meta["url"], content_type="text/html")
    assert article is not None
    assert render(article.title, article.paragraphs) == expected_text(case)


@pytest.mark.parametrize("case", OTHER_CASES)
def test_non_article_fixture(case: str) -> None:
    body = (ARTICLES / f"{case}.html").read_bytes()
    assert extract_article(body, expected(case)["url"]) is None


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler.extract", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_cli_prints_the_seed_format() -> None:
    case = "ar_legacy_table_cp1256"
    result = run_cli(str(ARTICLES / f"{case}.html"), "--url", expected(case)["url"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_text(case)
    assert result.stderr == ""


def test_cli_reads_gzipped_pages(tmp_path: Any) -> None:
    case = "en_wire_story"
    page = tmp_path / f"{case}.html.gz"
    page.write_bytes(gzip.compress((ARTICLES / f"{case}.html").read_bytes()))
    result = run_cli(str(page), "--url", expected(case)["url"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_text(case)


def test_cli_non_article_is_a_clear_error() -> None:
    page = ARTICLES / "section_front.html"
    result = run_cli(str(page))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no article found in" in result.stderr
    assert str(page) in result.stderr


def test_cli_jsonl_reports_errors_and_goes_on() -> None:
    first, bad, last = "ar_read_also_box", "login_page", "en_local_news"
    files = [str(ARTICLES / f"{case}.html") for case in (first, bad, last)]
    result = run_cli("--jsonl", *files)
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in records] == files
    assert "error" in records[1]
    assert "title" not in records[1]
    for record, case in ((records[0], first), (records[2], last)):
        meta = expected(case)
        assert "error" not in record
        assert record["title"] == meta["title"]
        assert record["text"] == expected_text(case).split("\n\n", 1)[1]
        assert record["language"] == meta["language"]
        assert record["published"] == meta["published"]
        assert record["authors"] == meta["authors"]
    assert "login_page.html" in result.stderr


def test_card_of_the_article_itself_does_not_remove_its_lead() -> None:
    lead = "The city will replace every lead water pipe within three years, officials said."
    body = " ".join(
        f"<p>Paragraph {n} explains the plan in detail, with costs, dates and the streets"
        " affected, so that residents know what to expect.</p>"
        for n in range(6)
    )
    page = (
        "<html><head><title>City to replace lead pipes | Gazette</title></head><body>"
        f"<article><h1>City to replace lead pipes</h1><p>{lead}</p>{body}</article>"
        '<aside><div class="card"><h3><a href="/news/lead-pipes">City to replace lead pipes</a>'
        f"</h3><p>{lead}</p></div>"
        '<div class="card"><h3><a href="/news/other">Library opens late</a></h3>'
        "<p>The library now opens until ten at night on weekdays.</p></div></aside>"
        "</body></html>"
    )
    article = extract_article(page.encode(), "https://gazette.example/news/lead-pipes")
    assert article is not None
    assert article.paragraphs[0] == lead


def test_captions_are_removed_and_the_text_around_them_kept() -> None:
    body = " ".join(
        f"<p>Paragraph {n} explains the plan in detail, with costs, dates and the streets"
        " affected, so that residents know what to expect.</p>"
        for n in range(6)
    )
    page = (
        "<html><head><title>City to replace lead pipes | Gazette</title></head><body>"
        f"<article><h1>City to replace lead pipes</h1>{body}"
        '<figure><img src="p.jpg" alt="Workers digging up a street to reach the old pipes">'
        "<figcaption>Crews on Elm Street last week, where the first pipes were replaced."
        "</figcaption></figure>"
        '<p><img src="q.jpg"><span class="wp-caption-text">The mayor at the announcement on'
        " Monday morning.</span> Residents will be told a week before work starts on their"
        " street, the council said in a letter to every household on the list.</p>"
        f"{body.replace('Paragraph', 'Point')}</article></body></html>"
    )
    article = extract_article(page.encode(), "https://gazette.example/news/lead-pipes")
    assert article is not None
    assert "Crews on Elm Street" not in article.text
    assert "mayor at the announcement" not in article.text
    assert "Residents will be told a week before work starts on their street," in article.text


def test_caption_texts_and_the_elements_to_remove() -> None:
    tree = html.document_fromstring(
        "<html><body><figure><img src='a.jpg' alt='A crane lifts the new bridge span'>"
        "<figcaption>The new bridge span on Tuesday</figcaption></figure>"
        "<p class='entry wp-caption-text'>The old bridge in 1950</p>"
        "<div class='wp-caption'><p>Kept in the tree: only its caption line goes</p></div>"
        "<span class='photo-credit'>Photo by Jane Roe</span></body></html>"
    )
    captions, prune = _captions(tree)
    assert [element.text for element in prune] == [
        "The new bridge span on Tuesday",
        "The old bridge in 1950",
    ]
    assert {
        "a crane lifts the new bridge span",
        "the new bridge span on tuesday",
        "the old bridge in 1950",
        "photo by jane roe",
    } <= captions


def test_every_parsed_element_is_an_html_element() -> None:
    # trafilatura only accepts lxml.html elements; ours are made without lxml.html's
    # per-element Python lookup, so forms and inputs are plain HtmlElements too.
    tree, cut = _parse(
        "<html><body><form><input name='q'><label>Q</label></form><p>x</p></body></html>"
    )
    assert tree is not None
    assert not cut
    assert {type(element) for element in tree.iter()} == {html.HtmlElement}
