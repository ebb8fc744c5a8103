"""Text as rendered: no space where the markup has none, one where a block or line starts."""

from __future__ import annotations

from lxml import etree, html

from crawler.extraction.article import extract_article
from crawler.extraction.inline import GLUE, mark_glue, remove_glue, rendered_text, unglue
from crawler.extraction.pageprep import prepare_tree
from crawler.extraction.textnorm import normalise_space


def _text(fragment: str) -> str:
    return normalise_space(rendered_text(html.fragment_fromstring(fragment, create_parent="div")))


def test_inline_elements_inside_a_word_or_before_punctuation_add_no_space() -> None:
    assert _text("<p>used them i<a href='/x'>n</a> their</p>") == "used them in their"
    assert _text("<p>the <a href='/s'>Speech</a>, given</p>") == "the Speech, given"
    assert _text("<p>work<span>able</span> and <b>bold</b>.</p>") == "workable and bold."
    assert _text("<p>(<a href='/r'>read</a>)</p>") == "(read)"


def test_blocks_and_line_breaks_separate_text() -> None:
    assert _text("<ul><li>one</li><li>two</li></ul><p>three</p>") == "one two three"
    assert rendered_text(html.fragment_fromstring("<p>line one<br>line two</p>")) == (
        "line one\nline two"
    )


def test_japanese_links_and_ruby_read_as_printed() -> None:
    fragment = (
        "<p>東京都は<a href='/t'>新しい計画</a>を発表した。"
        "<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>の読み方も示された。</p>"
    )
    assert _text(fragment) == "東京都は新しい計画を発表した。漢字の読み方も示された。"


def test_trafilatura_output_tags_are_inline_or_blocks_as_in_html() -> None:
    body = etree.fromstring(
        "<body><p>a <hi rend='#b'>b</hi>c<ref target='/x'>d</ref>.</p><list><item>e</item>"
        "<item>f</item></list></body>"
    )
    assert normalise_space(rendered_text(body)) == "a bcd. e f"


def test_page_preparation_drops_ruby_readings_but_keeps_the_text_after_them() -> None:
    tree = html.document_fromstring(
        "<html><body><p><ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp>字</ruby>です</p></body></html>"
    )
    prepare_tree(tree)
    assert "".join(tree.find(".//p").itertext()) == "漢字です"


def test_marks_survive_a_trim_and_leave_no_trace() -> None:
    tree = html.fragment_fromstring(
        "<p>used i<a href='/x'>n</a> their <strong><a href='/m'>Mac</a></strong> now, "
        "the <a href='/s'>Speech</a>, 東京都は<a href='/t'>計画</a>を発表</p>"
    )
    changed = mark_glue(tree)
    # What trafilatura leaves: every text trimmed, parts joined with spaces.
    trimmed = " ".join(part.strip() for part in tree.itertext())
    assert unglue(trimmed) == "used in their Mac now, the Speech, 東京都は計画を発表"
    remove_glue(changed)
    assert GLUE not in "".join(tree.itertext())


def test_extracted_paragraphs_keep_words_whole_and_punctuation_attached() -> None:
    para = (
        "<p>Paragraph {n}: residents used the buses i<a href='/x'>n</a> their first months, "
        "and the <a href='/s'>Speech</a>, given in March, promised more routes for shift "
        "workers across the river at night.</p>"
    )
    page = (
        "<html><head><title>Buses kept</title></head><body><article><h1>Buses kept at night"
        f"</h1>{''.join(para.format(n=n) for n in range(6))}</article></body></html>"
    )
    article = extract_article(page.encode(), "https://courier.example/news/buses")
    assert article is not None
    assert article.paragraphs[0].startswith("Paragraph 0: residents used the buses in their")
    assert "the Speech, given" in article.paragraphs[0]
