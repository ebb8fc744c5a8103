"""The standfirst printed between the headline and the body is kept as the first paragraph."""

from __future__ import annotations

import pytest
from lxml import html

from crawler.extraction.cleaning.blocks import Block
from crawler.extraction.standfirst import find_standfirst, is_repeat, with_standfirst

HEADLINE = "Harbour board approves the dredging contract"
LEAD = "The town will pay a third of the cost, and the work starts before the summer season."
BODY = [
    (
        "The harbour board voted on Tuesday evening to award the dredging contract to a firm from "
        "the coast after two years of delays and three rounds of bidding."
    ),
    (
        "Fishermen have complained for years that the channel is too shallow at low tide for the "
        "larger boats, which now wait outside the harbour for hours."
    ),
]


def _page(between: str, after: str = "", head: str = "") -> html.HtmlElement:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return html.document_fromstring(
        f"<html><head>{head}</head><body><header><h1>{HEADLINE}</h1>{between}</header>"
        f'<div class="story-body">{paragraphs}</div>{after}</body></html>'
    )


def _found(tree: html.HtmlElement, descriptions: tuple[str, ...] = ()) -> str | None:
    return find_standfirst(tree, HEADLINE, BODY, descriptions)


@pytest.mark.parametrize(
    "between",
    [
        f'<div class="article-lead">{LEAD}</div>',
        f'<p class="c-standfirst">{LEAD}</p>',
        f'<div class="entry-summary"><p>{LEAD}</p></div>',
        f'<span itemprop="description">{LEAD}</span>',
        f"<h2>{LEAD}</h2>",
        f'<figure><img src="/hero.jpg" alt=""></figure>{LEAD}',
        f'<div class="meta"><p class="articleSubTitle">{LEAD}</p></div>',
    ],
    ids=["div.lead", "p.standfirst", "summary>p", "itemprop", "h2", "after-image", "camel"],
)
def test_standfirst_by_structure(between: str) -> None:
    assert _found(_page(between)) == LEAD


def test_standfirst_is_the_description_printed_under_the_headline() -> None:
    tree = _page(f"<p>{LEAD}</p>".replace("<p>", '<p class="x1">'))
    assert _found(tree) is None  # a paragraph of no standfirst class, and no description
    assert _found(tree, (LEAD,)) == LEAD


@pytest.mark.parametrize(
    "between",
    [
        '<p class="summary-data">By Jane Roe, <time>3 May 2024</time>, updated at noon today</p>',
        '<div class="lead"><img src="/a.jpg"><span>Harbour workers at dawn on the quay in May</span></div>',
        '<div class="leader-board">An advertisement row of six words or more here</div>',
        '<p class="standfirst"><a href="/a">A line of links</a> <a href="/b">to other stories here</a></p>',
        "<h2>Short kicker</h2>",
    ],
    ids=["byline-date", "lead-image", "leader-not-lead", "links", "too-short"],
)
def test_not_a_standfirst(between: str) -> None:
    assert _found(_page(between)) is None


def test_nothing_after_the_body_start_is_taken() -> None:
    assert _found(_page("", after=f'<div class="intro">{LEAD}</div>')) is None


def test_a_lead_the_body_repeats_is_not_added_twice() -> None:
    tree = _page(f'<div class="lead">{BODY[0]}</div>')
    blocks = [Block(text) for text in BODY]
    assert with_standfirst(tree, HEADLINE, blocks, ()) == blocks
    assert is_repeat(BODY[0].upper() + "!", BODY)
    assert is_repeat(LEAD + " " + BODY[0], [BODY[0]])  # holds the first paragraph
    assert not is_repeat(LEAD, BODY)


def test_standfirst_becomes_the_first_block() -> None:
    tree = _page(f'<div class="lead">{LEAD}</div>')
    blocks = with_standfirst(tree, HEADLINE, [Block(text) for text in BODY], ())
    assert [b.text for b in blocks] == [LEAD, *BODY]
