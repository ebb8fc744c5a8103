"""JSON-LD ``articleBody``: read, cleaned, and used only where the DOM has no article."""

from __future__ import annotations

import json

from lxml import html

from crawler.extraction.article import ExtractionOptions, extract_article
from crawler.extraction.jsonld import is_teaser, paragraphs, raw_article_body

_BODY = [
    f"Paragraph {i}: the river authority said on Friday that the flood barrier would stay "
    "closed until the water level at the harbour gauge fell below the spring mark."
    for i in range(6)
]


def _page(body: str, dom: str = "<div id='app'>Loading…</div>") -> str:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Example News"},
            {"@type": "NewsArticle", "headline": "Barrier stays closed", "articleBody": body},
        ],
    }
    return (
        "<html><head><title>Barrier stays closed</title>"
        f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
        f"<body>{dom}</body></html>"
    )


def test_raw_article_body_is_found_in_a_graph() -> None:
    tree = html.document_fromstring(_page("one\n\ntwo"))
    assert raw_article_body(tree) == "one\n\ntwo"
    assert raw_article_body(html.document_fromstring("<html><body>x</body></html>")) is None


def test_paragraphs_from_text_and_from_markup() -> None:
    assert paragraphs("First  line.\n\n Second&nbsp;line &amp; more.\n") == [
        "First line.",
        "Second line & more.",
    ]
    markup = '<p class="x">One &amp; two.</p><p>&nbsp;</p><ul><li>Three</li></ul>'
    assert paragraphs(markup) == ["One & two.", "Three"]


def test_teasers() -> None:
    assert is_teaser(["Intro.", "The council said that…"])
    assert is_teaser(["The council said that the&hellip;".replace("&hellip;", "...")])
    assert is_teaser(["Intro. Read more"])
    assert is_teaser([])
    assert not is_teaser(["The council said so."])


def test_client_rendered_page_gets_its_text_from_json_ld() -> None:
    page = _page("\n\n".join(_BODY))
    article = extract_article(page.encode(), "https://example.org/a", ExtractionOptions())
    assert article is not None
    assert article.paragraphs == tuple(_BODY)


def test_teaser_is_not_used() -> None:
    page = _page("\n\n".join([*_BODY[:5], "The river authority said that…"]))
    assert extract_article(page.encode(), "https://example.org/a", ExtractionOptions()) is None


def test_dom_article_wins_over_json_ld() -> None:
    dom = (
        "<article>" + "".join(f"<p>{p.replace('river', 'canal')}</p>" for p in _BODY) + "</article>"
    )
    page = _page("\n\n".join(_BODY), dom)
    article = extract_article(page.encode(), "https://example.org/a", ExtractionOptions())
    assert article is not None
    assert all("canal" in p for p in article.paragraphs)
