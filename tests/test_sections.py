"""Articles split into twin containers are extracted whole."""

from __future__ import annotations

from lxml import html

from crawler.extraction.candidates import main_content
from crawler.extraction.sections import joined_copy, missed_twins, twin_groups


def _p(i: int) -> str:
    return (
        f"<p>Paragraph {i} of the story tells what the harbour board decided about the "
        "dredging contract and why it matters to the town.</p>"
    )


def _chunk(cls: str, first: int, last: int) -> str:
    return f'<div class="wrap"><div class="{cls}">{"".join(_p(i) for i in range(first, last))}</div></div>'


def _page(cls: str = "article__body") -> str:
    return (
        '<html><body><nav><a href="/">Home</a></nav><main><div class="chunks">'
        f'{_chunk(cls, 0, 4)}<div class="ad">Advertisement</div>{_chunk(cls, 4, 9)}'
        "</div></main><footer>Footer text</footer></body></html>"
    )


def test_split_article_is_extracted_whole() -> None:
    document = main_content(html.document_fromstring(_page()), url="https://example.org/a")
    assert document is not None
    assert document.text is not None
    assert [f"Paragraph {i} " in document.text for i in range(9)] == [True] * 9
    assert "Advertisement" not in document.text


def test_twins_are_found_and_joined_in_page_order() -> None:
    tree = html.document_fromstring(_page())
    [group] = twin_groups(tree)
    assert [len(g.findall("p")) for g in group] == [4, 5]
    first_half = " ".join(g.text_content() for g in group[:1])
    assert missed_twins([group], first_half) == group
    assert missed_twins([group], " ".join(g.text_content() for g in group)) is None
    joined = joined_copy(tree, group)
    [body] = joined.xpath("//div[@class='article__body']")
    assert [p.text_content().split()[1] for p in body.findall("p")] == [str(i) for i in range(9)]
    assert len(tree.xpath("//div[@class='article__body']")) == 2  # the original is untouched


def test_comment_threads_and_distant_twins_are_not_sections() -> None:
    assert twin_groups(html.document_fromstring(_page("comment-body"))) == []
    far = (
        f"<html><body><div><div><div>{_chunk('text', 0, 3)}</div></div></div>"
        f"<aside><div><div>{_chunk('text', 3, 6)}</div></div></aside></body></html>"
    )
    assert twin_groups(html.document_fromstring(far)) == []


def test_a_body_cut_into_n_chunks_keeps_its_one_paragraph_chunks() -> None:
    cls = "article-body"
    chunks = [_chunk(cls, 0, 4), _chunk(cls, 4, 5), _chunk(cls, 5, 8)]
    between = (
        '<div class="ad">Advertisement</div><div class="more"><a href="/x">More news</a></div>'
    )
    page = (
        f'<html><body><main><div class="chunks">{between.join(chunks)}</div></main></body></html>'
    )
    tree = html.document_fromstring(page)
    [group] = twin_groups(tree)
    assert len(group) == 3  # the one-paragraph chunk between the two ad rows is a part too
    document = main_content(tree, url="https://example.org/a")
    assert document is not None
    assert document.text is not None
    assert [f"Paragraph {i} " in document.text for i in range(8)] == [True] * 8
    assert "Advertisement" not in document.text
