"""Articles split over pages (issue 15): which page a URL is, the link to the next one, and
the pages' text joined once."""

from __future__ import annotations

import asyncio

import pytest

from crawler.bench.sitegen import article_html, paragraphs
from crawler.discovery.continuation import article_page, is_continuation, next_article_page
from crawler.extraction.article import ExtractedArticle, Extraction
from crawler.extraction.options import ExtractionOptions
from crawler.pipelines.continued import join_pages, joined, later_page_options
from crawler.pipelines.workers import Extracted, InProcessRunner

BASE = "https://news.example"
STORY = f"{BASE}/news/2025/11/a-long-story-in-several-parts.html"


@pytest.mark.parametrize(
    ("url", "first", "number"),
    [
        (f"{STORY}?page=2", STORY, 2),
        (f"{BASE}/news/2025/11/a-long-story/3/", f"{BASE}/news/2025/11/a-long-story/", 3),
        (STORY, STORY, 1),
        (f"{BASE}/news/2025/11/3.html", f"{BASE}/news/2025/11/3.html", 1),  # an article id
        (f"{BASE}/politics/?page=2", f"{BASE}/politics/?page=2", 1),  # a section's page
        (f"{STORY}?page=4000", f"{STORY}?page=4000", 1),
    ],
)
def test_which_page_of_an_article(url: str, first: str, number: int) -> None:
    assert article_page(url) == (first, number)
    assert is_continuation(url) is (number > 1)


def _page(links: str, head: str = "") -> bytes:
    return (
        f"<html><head>{head}</head><body><article><p>x</p>{links}</article></body></html>".encode()
    )


def test_the_next_page_of_an_article() -> None:
    pager = '<a href="?page=1">الصفحة 1</a> <a href="?page=2">الصفحة 2</a> <a href="?page=3">3</a>'
    assert next_article_page(_page(pager), STORY) == f"{STORY}?page=2"
    assert next_article_page(_page(pager), f"{STORY}?page=2") == f"{STORY}?page=3"
    assert next_article_page(_page(pager), f"{STORY}?page=3") is None
    head = f'<link rel="next" href="{STORY}?page=2">'
    assert next_article_page(_page("", head), STORY) == f"{STORY}?page=2"


def test_the_next_page_in_the_path() -> None:
    story = f"{BASE}/news/2025/11/a-long-story-in-parts/"
    pager = '<a href="/news/2025/11/a-long-story-in-parts/2/">2</a> <a href="3/">3</a>'
    assert next_article_page(_page(pager), story) == f"{story}2/"
    pager = f'<a href="{story}3/">3</a>'
    assert next_article_page(_page(pager), f"{story}2/") == f"{story}3/"
    split = f"{BASE}/news/2025/11/a-long-story-p2.html"
    first = f"{BASE}/news/2025/11/a-long-story.html"
    assert next_article_page(_page('<a href="a-long-story-p2.html">2</a>'), first) == split


def test_a_next_article_is_not_a_next_page() -> None:
    other = f"{BASE}/news/2025/11/the-following-story-of-the-day.html"
    assert next_article_page(_page(f'<a rel="next" href="{other}">Next</a>'), STORY) is None
    assert next_article_page(_page('<a href="/news/2025/11/4.html">4</a>'),
                             f"{BASE}/news/2025/11/3.html") is None  # fmt: skip
    section = f'<a href="{BASE}/politics/?page=2">2</a>'
    assert next_article_page(_page(section), STORY) is None


def test_the_pages_are_joined_once_under_the_first_page() -> None:
    first = ExtractedArticle(STORY, STORY, "Headline", ("one", "two"), language="en")
    whole = joined(first, [("two", "three"), ("four",)])
    assert whole.paragraphs == ("one", "two", "three", "four")
    assert (whole.url, whole.title, whole.language) == (STORY, "Headline", "en")
    assert later_page_options(ExtractionOptions()).min_words == 1


def test_join_pages_extracts_the_later_pages_even_short_ones() -> None:
    texts = paragraphs("split", "en", count=4)
    page_one = article_html("split", title="Split", body=texts[:3]).encode()
    page_two = article_html("split", title="Split", body=texts[3:]).encode()  # ~40 words
    runner = InProcessRunner(ExtractionOptions(), shingles=True)
    try:

        async def run() -> tuple[Extracted, int]:
            first = await runner.prepare(page_one, STORY, "text/html")
            later = [(f"{STORY}?page=2", page_two, "text/html"), (f"{STORY}?page=3", b"", None)]
            return await join_pages(runner, first, later, ExtractionOptions(), shingles=True)

        result, missing = asyncio.run(run())
    finally:
        runner.close()
    article = result.extraction.article
    assert article is not None
    assert article.paragraphs == tuple(texts)
    assert missing == 1  # the empty third page
    assert result.fingerprint is not None
    assert result.fingerprint.text is not None
    assert texts[3] in result.fingerprint.text
    assert isinstance(result.extraction, Extraction)
