"""Visibility comes from what hides an element, not from "hidden" in its class or id."""

from __future__ import annotations

from lxml import html

from crawler.extraction.visibility import neutralise_hidden_names

PROSE = (
    "<p>The council agreed on Monday to fund two more part-time posts at the library for a "
    "year, paid for by the rent from the new café.</p>"
)


def _tree(body: str) -> html.HtmlElement:
    return html.document_fromstring(f"<html><body>{body}</body></html>")


def _classes(body: str) -> list[str | None]:
    tree = _tree(body)
    neutralise_hidden_names(tree)
    return [d.get("class") for d in tree.xpath("//body/div")]


def test_a_visible_body_container_loses_the_hide_words_of_its_names() -> None:
    tree = _tree(
        f'<div id="story-hidden-part" class="story-rest hideable hidden-print">{PROSE}</div>'
    )
    neutralise_hidden_names(tree)
    [div] = tree.xpath("//div")
    assert div.get("class") == "story-rest -print"
    assert div.get("id") == "story--part"


def test_hiding_classes_and_hidden_elements_keep_their_names() -> None:
    assert _classes(
        f'<div class="menu hidden">{PROSE}</div>'
        f'<div class="mobile-copy hide-on-desktop">{PROSE}</div>'
        f'<div class="x-hideable" style="display: none">{PROSE}</div>'
        f'<div class="y-hideable" style="visibility:hidden">{PROSE}</div>'
        f'<div class="z-hideable" aria-hidden="true">{PROSE}</div>'
    ) == ["menu hidden", "mobile-copy hide-on-desktop", "x-hideable", "y-hideable", "z-hideable"]


def test_furniture_without_prose_keeps_its_names() -> None:
    assert _classes('<div class="flap hideContent"><p>Contact</p></div>') == ["flap hideContent"]


def test_the_hidden_attribute_hides() -> None:
    tree = _tree(
        "<p>shown</p><div hidden><p>search panel</p></div>tail"
        '<div hidden="until-found"><p>found by search</p></div>'
    )
    neutralise_hidden_names(tree)
    text = tree.text_content()
    assert "search panel" not in text
    assert "shown" in text
    assert "tail" in text
    assert "found by search" in text
