"""Decoding and extraction of hostile pages, without a crawl: the pure functions' guards."""

from __future__ import annotations

import pytest

from crawler.bench.sitegen import article_html, paragraphs
from crawler.extraction.article import ExtractionOptions, extract_article, extract_page
from crawler.extraction.cleaning.rules import normalise_space
from crawler.extraction.decoding import decode_html

URL = "http://127.0.0.1/news/2024/article.html"


def test_control_characters_do_not_cost_the_article() -> None:
    # lxml refuses text with C0 controls and trafilatura then discards the whole page.
    texts = [p.replace(" ", " \x01\x08\x0b\x1b ", 5) for p in paragraphs("controls")]
    article = extract_article(article_html("controls", body=texts).encode(), URL)
    assert article is not None
    assert not any(ch in article.text for ch in "\x00\x01\x08\x0b\x1b")


def test_decoding_removes_what_no_tree_may_hold() -> None:
    assert decode_html("a\x00b\x01c\x0cd\ud800e\uffff") == "abc de"
    assert decode_html(b"<p>a\x00b\x1fc</p>") == "<p>abc</p>"


def test_a_legacy_header_loses_to_a_valid_utf8_page_that_says_so() -> None:
    page = article_html("header says 1256", lang="ar").encode("utf-8")
    phrase = paragraphs("header says 1256", "ar")[0][:40]
    assert phrase in decode_html(page, "text/html; charset=windows-1256")


def test_a_utf8_header_loses_to_a_windows_1256_page_that_says_so() -> None:
    page = article_html("header says utf8", lang="ar", charset="windows-1256").encode("cp1256")
    phrase = paragraphs("header says utf8", "ar")[0][:40]
    assert phrase in decode_html(page, "text/html; charset=utf-8")


def test_a_real_windows_1256_header_is_still_obeyed() -> None:
    page = article_html("no meta", lang="ar", charset=None).encode("cp1256")
    phrase = paragraphs("no meta", "ar")[0][:40]
    assert phrase in decode_html(page, "text/html; charset=windows-1256")


def test_bidi_overrides_are_removed_and_marks_kept() -> None:
    assert normalise_space("\u202eabc\u202c \u2067def\u2069 \u200fghi") == "abc def \u200fghi"


def _nested(depth: int, inside: bool) -> bytes:
    page = article_html("nested")
    nest = "<div>" * depth, "</div>" * depth
    if inside:
        return (
            page.replace("<article>", nest[0] + "<article>")
            .replace("</article>", "</article>" + nest[1])
            .encode()
        )
    return page.replace("</article>", "</article>" + nest[0] + "x" + nest[1]).encode()


def test_an_article_below_the_depth_limit_is_reported_too_deep() -> None:
    result = extract_page(_nested(1000, inside=True), URL)
    assert result.article is None
    assert result.problem == "extract/too_deep"


def test_deep_nesting_after_the_article_costs_nothing() -> None:
    result = extract_page(_nested(100_000, inside=False), URL)
    assert result.problem is None
    assert result.article is not None


def test_too_many_elements_are_refused_before_trafilatura() -> None:
    page = article_html("many").replace("</article>", "</article>" + "<i>x</i>" * 2000)
    result = extract_page(page.encode(), URL, ExtractionOptions(max_elements=1000))
    assert (result.article, result.problem) == (None, "extract/too_many_elements")
    assert extract_page(page.encode(), URL).article is not None


def test_without_fallbacks_big_pages_still_extract() -> None:
    page = article_html("fast").encode()
    assert extract_page(page, URL, ExtractionOptions(fallback_max_elements=0)).article


def test_too_long_text_is_refused() -> None:
    page = article_html("long").encode()
    result = extract_page(page, URL, ExtractionOptions(max_text_chars=500))
    assert (result.article, result.problem) == (None, "extract/too_long")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00" * 100,
        b"<",
        b"<html",
        b"\xff\xfe\x00",
        "<p>\ud800</p>",
        b"<?xml version='1.0'?>",
    ],
)
def test_degenerate_bodies_give_no_article_and_no_problem(body) -> None:
    result = extract_page(body, URL)
    assert (result.article, result.problem) == (None, None)
