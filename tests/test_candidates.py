"""When the fast trafilatura body is trusted, and when the full cascade is asked instead."""

from __future__ import annotations

from lxml import html
from lxml.etree import Element, SubElement
from trafilatura.settings import Document

from crawler.extraction.candidates import (
    MAX_CHECKED_WORDS,
    MIN_PLAUSIBLE_WORDS,
    _text,
    main_content,
    missed_prose,
    needs_rescue,
    plausible,
    visible_chars,
)

_SENTENCE = "The harbour board met again on Monday to discuss the dredging contract. "


def _page(article: str, chrome: str = "") -> html.HtmlElement:
    return html.document_fromstring(
        "<html><head><style>p { color: red }</style></head><body>"
        f"<nav>{chrome}</nav><script>var state = {{'long': '{'x' * 5000}'}};</script>"
        f"<article>{article}</article></body></html>"
    )


def test_visible_chars_ignores_scripts_and_styles() -> None:
    tree = _page("<p>one two three</p>", "<a href='/'>Home</a>")
    # an estimate: whitespace next to a removed script may count once more or less
    assert abs(visible_chars(tree) - len("Home one two three")) <= 2
    assert visible_chars(html.fragment_fromstring("<div>no body</div>")) == 0


def test_plausible_bodies() -> None:
    body = _SENTENCE * 20  # 240 words
    page = len(body) * 3
    assert plausible(body, page)
    assert not plausible(_SENTENCE * 2, page)  # too short for an article body
    assert not plausible(body, len(body))  # the whole page: a dump
    assert plausible(body, 0)  # unknown page size: length alone decides
    assert len((_SENTENCE * 8).split()) < MIN_PLAUSIBLE_WORDS < len((_SENTENCE * 9).split())


def test_main_content_returns_the_article() -> None:
    paragraphs = "".join(f"<p>Meeting {i}. {_SENTENCE * 3}</p>" for i in range(8))
    links = " ".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(30))
    document = main_content(_page(paragraphs, links), url="https://example.org/a", fast=False)
    assert document is not None
    assert document.text is not None
    assert document.text.count("harbour board") == 24
    assert "Section" not in document.text


def _document(*paragraphs: str) -> Document:
    document = Document()
    document.body = Element("body")
    for text in paragraphs:
        SubElement(document.body, "p").text = text
    return document


def test_rescue_is_asked_for_failures_only() -> None:
    tree = _page("<p>x</p>", "<a href='/'>Home</a>" * 2000)  # a page with much more text
    long_text = _SENTENCE * 12
    assert not needs_rescue(_document(long_text, long_text), tree)
    assert needs_rescue(_document(long_text), tree)  # one undivided block: a text dump
    assert needs_rescue(_document(_SENTENCE, _SENTENCE), tree)  # too short
    assert needs_rescue(None, tree)
    small_page = _page("<p>x</p>")
    assert needs_rescue(_document(long_text, long_text), small_page)  # the whole page


def test_a_rescued_body_keeps_the_metadata_of_the_first_run() -> None:
    # Too short to trust: the full cascade runs again, without reading the metadata twice.
    tree = _page(f"<h1>Dredging deal signed</h1><p>{_SENTENCE * 3}</p>")
    head = tree.find("head")
    assert head is not None
    head.append(html.fragment_fromstring('<meta property="og:site_name" content="Harbour News">'))
    assert needs_rescue(main_content(tree, url="https://example.org/a"), tree)
    document = main_content(tree, url="https://example.org/a", with_metadata=True)
    assert document is not None
    assert document.text is not None
    assert "harbour board" in document.text
    assert (document.title, document.sitename) == ("Dredging deal signed", "Harbour News")


def test_a_short_body_that_misses_more_prose_than_it_holds_is_rescued() -> None:
    held = _SENTENCE * 5  # 60 words: two paragraphs of 120 words in all
    body = _document(held, held)
    opening = "".join(f"<div class='txt'>Part {i}. {_SENTENCE * 3}</div>" for i in range(4))
    tree = _page(f"{opening}<p>{held}</p><p>{held}</p>")
    assert missed_prose(tree, _text(body))
    assert needs_rescue(body, tree)
    # Prose after the body's own text (the next post of a blog page) is not its opening.
    assert not missed_prose(_page(f"<p>{held}</p><p>{held}</p>{opening}"), _text(body))
    # The same prose in a footer, a form or a script is no article text it missed.
    for wrapper in ("footer", "form", "script"):
        elsewhere = _page(f"<{wrapper}>{opening}</{wrapper}><p>{held}</p><p>{held}</p>")
        assert not missed_prose(elsewhere, _text(body)), wrapper
    # A body that holds the opening misses nothing; a long body is not checked at all.
    assert not missed_prose(
        _page(opening), _text(_document(*[f"Part {i}. {_SENTENCE * 3}" for i in range(4)]))
    )
    long_body = _SENTENCE * 26
    assert len(long_body.split()) > MAX_CHECKED_WORDS
    assert not missed_prose(tree, long_body)


def test_an_article_copied_as_one_block_is_cut_into_its_own_blocks() -> None:
    # Too little text for trafilatura's extractor: its last resort copies the <article>
    # whole, headline, byline and text as one paragraph.
    tree = html.document_fromstring(
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Election night live</h1>"
        "<p class='byline'>By Owen <b>Marsh</b> · <time>6 May 2024</time></p>"
        "<p>Follow the count here from 10pm. Results will appear on this page.</p>"
        "</article></body></html>"
    )
    document = main_content(tree, include_comments=False, with_metadata=False)
    assert document is not None
    assert document.body is not None
    assert [(str(b.tag), b.text) for b in document.body] == [
        ("head", "Election night live"),
        ("p", "By Owen Marsh · 6 May 2024"),
        ("p", "Follow the count here from 10pm. Results will appear on this page."),
    ]
