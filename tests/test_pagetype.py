"""The page-type decision: each signal on its own, their vote, and where the reason shows."""

from __future__ import annotations

import json

import pytest

from crawler.extraction.article import extract_page
from crawler.extraction.cleaning.blocks import Block
from crawler.extraction.metadata import PageMetadata
from crawler.extraction.pagetype import ARTICLE, LISTING, SHORT, classify
from crawler.urls import has_article_path
from tests import FIXTURES
from tests.test_extraction import expected, run_cli

ARTICLES = FIXTURES / "articles"
ARTICLE_URL = "https://news.example/world/2024/05/12/flood-barrier-opens"
SECTION_URL = "https://news.example/world/"
PROSE = (
    "The barrier, six years in the building, closed for the first time on Sunday night as the"
    " river rose two metres above its usual level, and the streets behind it stayed dry."
)
NEWS = PageMetadata(stated_types=frozenset({"newsarticle", "og:article"}))
COLLECTION = PageMetadata(stated_types=frozenset({"collectionpage", "og:website"}))
UNSTATED = PageMetadata()


def item(n: int, stamp: str = "") -> Block:
    """A teaser: a linked headline (most of the text) and a few words after it."""
    return Block(f"Headline number {n} about the council budget vote today {stamp}", "p", 0.7)


def stamped(n: int) -> Block:
    return Block(f"Teaser {n} says what the story is about in one line. {n + 1} hours ago")


def decide(blocks: list[Block], meta: PageMetadata, url: str, min_words: int = 50) -> str:
    words = sum(len(b.text.split()) for b in blocks if b.link_ratio < 0.5)
    return classify(blocks, meta, url, body_words=words, min_words=min_words).kind


def test_linked_items_with_a_stated_collection_are_a_listing() -> None:
    blocks = [item(n) for n in range(8)]
    kind = classify(blocks, COLLECTION, SECTION_URL, body_words=200, min_words=50)
    assert kind.kind == LISTING
    assert kind.reason == "8 linked items, 72 of 72 words; stated collectionpage; section-like URL"


def test_relative_time_stamps_under_a_section_url_are_a_listing() -> None:
    blocks = [stamped(n) for n in range(6)]
    assert decide(blocks, UNSTATED, SECTION_URL) == LISTING


def test_a_stated_type_and_url_alone_never_refuse_prose() -> None:
    blocks = [Block(PROSE)] * 4
    assert decide(blocks, COLLECTION, SECTION_URL) == ARTICLE


def test_a_short_brief_with_a_list_of_links_is_an_article() -> None:
    # Two paragraphs of prose and a "most read" list of four links: the prose, the stated
    # type and the URL outvote the list.
    blocks = [Block(PROSE), Block(PROSE)] + [item(n) for n in range(4)]
    assert decide(blocks, NEWS, ARTICLE_URL) == ARTICLE


def test_an_article_ending_in_a_latest_news_box_stays_an_article() -> None:
    blocks = [Block(PROSE)] * 6 + [item(n, f"{n} hours ago") for n in range(1, 7)]
    assert decide(blocks, NEWS, ARTICLE_URL) == ARTICLE


def test_links_without_prose_or_stamps_are_not_refused_by_structure_alone() -> None:
    # Show notes or a list of resources under an article URL: linked items, no prose run,
    # no time stamps. The items' vote ties with the URL's, and a tie keeps the page.
    blocks = [item(n) for n in range(13)]
    kind = classify(blocks, UNSTATED, ARTICLE_URL, body_words=117, min_words=50)
    assert (kind.kind, kind.reason) == (ARTICLE, "article URL")
    assert decide(blocks, UNSTATED, SECTION_URL) == LISTING


def test_the_same_box_without_the_article_is_a_listing() -> None:
    blocks = [item(n, f"{n} hours ago") for n in range(1, 7)]
    assert decide(blocks, UNSTATED, ARTICLE_URL) == LISTING


def test_teasers_between_time_stamps_are_no_prose_run() -> None:
    # Each teaser is prose-like, but a stamp closes it: no run reaches a brief's length.
    blocks = [b for n in range(5) for b in (Block(PROSE[:80]), Block(f"{n + 1} hours ago"))]
    kind = classify(blocks, UNSTATED, "file:///tmp/page.html", body_words=150, min_words=50)
    assert kind.kind == LISTING
    assert kind.reason == "5 relative time stamps; no prose run of 40 words"
    # Even under an article-shaped URL (a saved page served as /section_front.html).
    assert decide(blocks, UNSTATED, "http://127.0.0.1:8080/ar_section_front.html") == LISTING


def test_a_short_body_is_named_with_its_count() -> None:
    kind = classify([Block(PROSE)], NEWS, ARTICLE_URL, body_words=31, min_words=50)
    assert (kind.kind, kind.reason) == (SHORT, "31 words, fewer than 50")


def test_a_saved_file_path_casts_no_vote() -> None:
    blocks = [stamped(n) for n in range(3)] + [Block(PROSE), Block(PROSE)]
    # Stamps against a prose run: a tie, so the page stays an article without a URL vote.
    assert decide(blocks, UNSTATED, "file:///tmp/page.html") == ARTICLE
    assert decide(blocks, UNSTATED, SECTION_URL) == LISTING


@pytest.mark.parametrize(
    ("url", "shaped"),
    [
        (ARTICLE_URL, True),
        ("https://news.example/ar/economy/", False),
        ("https://news.example/tag/transport", False),
        ("https://news.example/story/a81f2c90", True),
        ("https://news.example/tag/transport?page=2", False),
    ],
)
def test_article_path_shape(url: str, shaped: bool) -> None:
    assert has_article_path(url) is shaped


@pytest.mark.parametrize(
    ("case", "kind", "signal"),
    [
        ("ar_section_relative_times", LISTING, "relative time stamps"),
        ("en_tag_relative_times", LISTING, "linked items"),
        ("ar_news_brief", ARTICLE, "prose run"),
        ("en_news_brief", ARTICLE, "prose run"),
    ],
)
def test_fixture_page_type_and_reason(case: str, kind: str, signal: str) -> None:
    result = extract_page((ARTICLES / f"{case}.html").read_bytes(), expected(case)["url"])
    assert result.page_type is not None
    assert result.page_type.kind == kind
    assert signal in result.page_type.reason
    assert (result.article is not None) is (kind == ARTICLE)


def test_cli_jsonl_prints_the_page_type() -> None:
    cases = ("en_news_brief", "ar_section_relative_times")
    files = [str(ARTICLES / f"{case}.html") for case in cases]
    result = run_cli("--jsonl", *files)
    brief, front = (json.loads(line) for line in result.stdout.splitlines())
    assert brief["page_type"]["kind"] == ARTICLE
    assert front["page_type"]["kind"] == LISTING
    assert "relative time stamps" in front["page_type"]["reason"]
    assert "(listing: " in front["error"]


def _brief(meta: PageMetadata, url: str, *, complete: bool = True) -> str:
    blocks = [Block(PROSE)]  # 31 words, under min_words
    return classify(
        blocks, meta, url, body_words=31, min_words=50, min_brief_words=20, complete=complete
    ).kind


def test_a_short_page_that_claims_to_be_an_article_is_a_brief() -> None:
    assert _brief(NEWS, ARTICLE_URL) == ARTICLE
    assert _brief(UNSTATED, ARTICLE_URL) == ARTICLE  # the URL is the page's own claim too


def test_a_short_page_without_a_claim_cut_short_or_listed_is_too_short() -> None:
    assert _brief(UNSTATED, "file:///saved/page.html") == SHORT  # prose alone is no claim
    assert _brief(NEWS, ARTICLE_URL, complete=False) == SHORT  # a page cut mid-sentence
    assert _brief(COLLECTION, SECTION_URL) == SHORT
    words_too_few = classify(
        [Block(PROSE)], NEWS, ARTICLE_URL, body_words=12, min_words=50, min_brief_words=20
    )
    assert words_too_few.kind == SHORT
