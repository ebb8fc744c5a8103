"""trafilatura's metadata runs only when the page's own markup leaves a gap, with the same result."""

from __future__ import annotations

import json

import pytest

from crawler.extraction.article import extract_article

_BODY = "".join(
    f"<p>Paragraph {i}: the ferry company said the winter timetable starts on Monday, with two "
    "fewer crossings a day and a later first boat from the island.</p>"
    for i in range(5)
)


def _page(head: str, byline: str = "") -> bytes:
    return (
        f"<html><head>{head}</head><body><article><h1>Ferry timetable cut</h1>{byline}"
        f"{_BODY}</article></body></html>"
    ).encode()


def test_page_with_complete_metadata() -> None:
    data = {
        "@type": "NewsArticle",
        "headline": "Ferry timetable cut",
        "author": {"@type": "Person", "name": "Jane Roe"},
        "publisher": {"@type": "Organization", "name": "Island News"},
    }
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    article = extract_article(_page(head), "https://example.org/ferry")
    assert article is not None
    assert (article.title, article.source, article.authors) == (
        "Ferry timetable cut",
        "Island News",
        ("Jane Roe",),
    )


@pytest.mark.parametrize("with_site_name", [True, False])
def test_gaps_are_filled_by_trafilatura(with_site_name: bool) -> None:
    head = "<title>Ferry timetable cut</title>"
    if with_site_name:
        head += '<meta property="og:site_name" content="Island News">'
    byline = '<p class="byline">By <a rel="author" href="/staff/jane">Jane Roe</a></p>'
    article = extract_article(_page(head, byline), "https://example.org/ferry")
    assert article is not None
    assert article.title == "Ferry timetable cut"  # no og:title, no JSON-LD: from <title>
    assert article.authors == ("Jane Roe",)  # from the byline markup
    assert article.source == ("Island News" if with_site_name else "example.org")


def test_no_author_search_by_class_name_when_the_page_states_the_rest() -> None:
    # Headline and site name are stated, so trafilatura's metadata pass (whose author search
    # guesses from class names) does not run: a class name alone names no author.
    head = (
        '<meta property="og:title" content="Ferry timetable cut">'
        '<meta property="og:site_name" content="Island News">'
    )
    byline = '<div class="author-box"><span class="author-name">Jane Roe</span></div>'
    article = extract_article(_page(head, byline), "https://example.org/ferry")
    assert article is not None
    assert (article.title, article.source, article.authors) == (
        "Ferry timetable cut",
        "Island News",
        (),
    )
