"""Kicker lines: a label printed above the headline is not the article's first paragraph."""

from __future__ import annotations

from lxml import html

from crawler.extraction.cleaning.blocks import Block
from crawler.extraction.kicker import without_kicker

HEADLINE = "Grid operator asks factories to shift their night shifts"
TEXT = Block("The regional grid operator has asked the largest factories to move production.")


def _page(before: str, after: str = "") -> html.HtmlElement:
    return html.document_fromstring(
        f"<html><body><div class='head'>{before}<h1>{HEADLINE}</h1>{after}</div>"
        f"<p>{TEXT.text}</p></body></html>"
    )


def test_a_label_printed_above_the_headline_goes() -> None:
    kicker = "Energy crunch: the winter ahead"
    tree = _page(f"<p class='eyebrow'>{kicker}</p>")
    assert without_kicker(tree, HEADLINE, [Block(kicker), TEXT]) == [TEXT]
    # also one level up: header > div.kicker + div > h1
    nested = html.document_fromstring(
        f"<html><body><header><div><span>{kicker}</span></div><div><h1>{HEADLINE}</h1></div>"
        f"</header><p>{TEXT.text}</p></body></html>"
    )
    assert without_kicker(nested, HEADLINE, [Block(kicker), TEXT]) == [TEXT]


def test_a_label_printed_elsewhere_stays() -> None:
    line = Block("Energy crunch: the winter ahead")
    tree = _page("", f"<p>{line.text}</p>")  # under the headline: a subheading or a dek
    assert without_kicker(tree, HEADLINE, [line, TEXT]) == [line, TEXT]
    assert without_kicker(_page(""), "Another headline", [line, TEXT]) == [line, TEXT]


def test_a_sentence_above_the_headline_stays() -> None:
    sentence = "Factories were asked to move shifts."
    tree = _page(f"<p>{sentence}</p>")
    assert without_kicker(tree, HEADLINE, [Block(sentence), TEXT]) == [Block(sentence), TEXT]
