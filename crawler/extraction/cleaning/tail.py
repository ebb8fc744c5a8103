"""The one tail rule: where an article ends, and what after that end still belongs to it.

An article ends at a tail heading ("Related articles", "Leave a Reply", "اقرأ المزيد") in
its later part, or else after its last paragraph of prose. Everything from a tail heading on
goes. After the last prose, headings and link-heavy lines go, and so do list items when most
of them carry a link (a related-stories list; a closing list of facts rarely links every
item); any other block there (a short closing line, a table) stays, and so does a heading
over a list that stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extraction.cleaning import vocabulary as v
from crawler.extraction.textnorm import ends_sentence, words

if TYPE_CHECKING:
    from crawler.extraction.cleaning.blocks import Block

TAIL_LINK_RATIO = 0.5
"""After the last prose, blocks this link-heavy are related-story lists."""
MIN_PROSE_WORDS = 12
"""A block of at least this many words that ends a sentence is prose (it stops the tail sweep)."""
MARKER_FROM_SHARE = 0.4
"""A tail heading counts only after this share of the text: an article about comments may open
with the word."""
MAX_MARKER_WORDS = 8
"""Tail headings are short ("You may also like"); a longer line is a sentence."""


def _is_prose(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.kind in {"p", "quote", "list"}
        and block.link_ratio < TAIL_LINK_RATIO
        and words(text) >= MIN_PROSE_WORDS
        and ends_sentence(text)
    )


def _before_marker(blocks: list[Block]) -> list[Block]:
    """The blocks before the first tail heading in the later part of the text."""
    total = sum(len(b.text) for b in blocks) or 1
    seen_chars = 0
    for index, block in enumerate(blocks):
        if (
            seen_chars >= total * MARKER_FROM_SHARE
            and words(block.text) <= MAX_MARKER_WORDS
            and v.TAIL_MARKERS.match(block.text.rstrip(v.TAIL_MARKER_TRAILING))
        ):
            return blocks[:index]
        seen_chars += len(block.text)
    return blocks


def cut_tail(blocks: list[Block]) -> list[Block]:
    """The blocks without the page furniture after the end of the article."""
    kept = _before_marker(blocks)
    last_prose = max((i for i, b in enumerate(kept) if _is_prose(b)), default=-1)
    if last_prose < 0:
        return kept
    tail = kept[last_prose + 1 :]
    items = [b for b in tail if b.kind == "list"]
    linked_list = sum(1 for b in items if b.link_ratio > 0) * 2 > len(items)
    stays = [
        b.kind != "head"
        and b.link_ratio < TAIL_LINK_RATIO
        and not (b.kind == "list" and linked_list)
        for b in tail
    ]
    # A subheading over a closing list that stays ("What comes next" and its points) is text.
    for index, block in enumerate(tail[:-1]):
        following = tail[index + 1]
        if block.kind == "head" and following.kind == "list" and stays[index + 1]:
            stays[index] = block.link_ratio < TAIL_LINK_RATIO
    return kept[: last_prose + 1] + [b for b, stay in zip(tail, stays, strict=True) if stay]
