"""Pure news-specific cleaning of trafilatura's paragraphs: what a careful editor deletes.

trafilatura finds the article container; inside it news sites still leave repeated headlines,
captions, bylines, "read also" boxes, comment forms and widget lists. Every rule here is
general (no site names); each is a function of a paragraph and the page context. The phrases
live in ``vocabulary``, the one-block tests in ``lines``, the end of the article in ``tail``.
"""

from __future__ import annotations

from dataclasses import replace
from statistics import median

from crawler.extraction.cleaning import lines
from crawler.extraction.cleaning import vocabulary as v
from crawler.extraction.cleaning.blocks import Block, PageContext
from crawler.extraction.cleaning.tail import cut_tail
from crawler.extraction.textnorm import (
    contains_phrase,
    ends_sentence,
    fingerprint,
    normalise_space,
    words,
)
from crawler.extraction.titles import headline_variants, strip_site_suffix

__all__ = [
    "Block",
    "PageContext",
    "clean_blocks",
    "fingerprint",
    "headline_variants",
    "normalise_space",
    "strip_site_suffix",
]

FLATTENED_MIN_LINES = 10
"""A block of this many lines or more whose median line is short is a flattened menu."""
FLATTENED_MAX_LINE_WORDS = 4
"""... and a line of a flattened block this short is a menu entry."""
CONTAINED_MIN_WORDS = 6
"""Shorter paragraphs are never judged "contained in another" (common phrases repeat)."""
CONTAINED_MAX_CANDIDATES = 50
"""A paragraph whose every trigram is this common is boilerplate-like; not worth comparing."""
MIN_REPEAT_WORDS = 15
"""A paragraph this long said twice word for word is a second copy (a mobile or print copy
of the body, a pull quote); shorter lines repeat in the text itself (a meal plan's "Eat every
2-3 hours", a table's header row, the steps of two variants of a recipe)."""
MAX_TITLE_TAIL_WORDS = 6
"""The headline again with a ``| section`` or ``- site`` tail this short is a repeat."""
MAX_BOX_MARKER_WORDS = 3
"""A "read also" marker that opens a box is a label this short (or a heading)."""
MAX_NAMED_BOX_MARKER_WORDS = 6
"""A marker of two words or more ("Weitere Artikel zum Thema", "Lesen Sie auch die folgenden
Beiträge:") opens a box in a label line this short that is no sentence."""
BOX_LINK_RATIO = 0.5
"""Inside a box, lines this link-heavy are the box's links."""
MAX_INLINE_BOX_WORDS = 20
"""A marker and its linked headline on one line ("اقرأ أيضا: <headline>") fit in this many words."""
INLINE_BOX_COLON_CHARS = 20
"""... and its colon comes within this many characters (right after the marker)."""
MAX_BOX_LINE_WORDS = 16
"""A headline listed in a box is this short and does not end a sentence."""
MAX_LEADING_LABEL_WORDS = 3
"""A category label before the first paragraph ("World", "اقتصاد") is this short."""
MIN_LEAD_WORDS = 8
"""... and is dropped only when a real paragraph of this many words follows it."""
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ")


def _split_flattened(block: Block) -> list[Block]:
    """A block of many short lines is a flattened menu or page (trafilatura's fallback when it
    finds no container): keep its lines that read like text, one block each."""
    parts = [line for line in block.text.splitlines() if line.strip()]
    if (
        len(parts) >= FLATTENED_MIN_LINES
        and median(words(line) for line in parts) < FLATTENED_MAX_LINE_WORDS
    ):
        return [
            Block(line, block.kind, block.link_ratio)
            for line in parts
            if words(line) > FLATTENED_MAX_LINE_WORDS or ends_sentence(line)
        ]
    return [block]


def clean_blocks(blocks: list[Block], context: PageContext) -> list[str]:
    """The article's paragraphs, in order, without the news-site noise around them."""
    normalised = [
        Block(normalise_space(part.text), part.kind, part.link_ratio)
        for b in blocks
        if b.text.strip()
        for part in _split_flattened(b)
    ]
    normalised = [b for b in normalised if b.text and fingerprint(b.text)]
    normalised = [b for b in normalised if not lines.is_widget(b)]
    normalised = _drop_boxes(cut_tail(normalised))
    headlines: set[str] = set()
    for title in (context.headline, *context.titles):
        if title:
            headlines |= headline_variants(title, context.site_name)
    kept: list[Block] = []
    seen: set[str] = set()
    for block in normalised:
        fp = fingerprint(block.text)
        if (fp in seen and words(block.text) >= MIN_REPEAT_WORDS) or _repeats_headline(
            block.text, headlines
        ):
            continue
        if (
            lines.is_caption(block, context)
            or lines.is_byline(block, context)
            or lines.is_noise_line(block, context)
        ):
            continue
        seen.add(fp)
        kept.append(block)
    kept = _drop_contained(kept)
    kept = _trim_edges(kept, context)
    return [b.text for b in kept]


def _repeats_headline(text: str, headlines: set[str]) -> bool:
    """The headline again, also with a ``| section`` or ``- site`` tail of its own."""
    if fingerprint(text) in headlines:
        return True
    for sep in _TITLE_SEPARATORS:
        head, found, tail = text.partition(sep)
        if found and words(tail) <= MAX_TITLE_TAIL_WORDS and fingerprint(head) in headlines:
            return True
    return False


def _drop_contained(blocks: list[Block]) -> list[Block]:
    """Drop a paragraph repeated inside a longer one (a standfirst or pull quote echoing the body).

    The longer paragraph stays: it carries everything the shorter one says (a dateline, the
    rest of the quoted sentence). Candidates are found through an index of word trigrams, so
    long pages are not compared pair by pair.
    """
    keys = [fingerprint(b.text) for b in blocks]
    tokens = [key.split() for key in keys]
    if len(blocks) <= CONTAINED_MAX_CANDIDATES:
        # Few blocks: comparing every pair is cheaper than the index, and gives its answer
        # (no candidate list can then pass the cap).
        # The longer keys, longest first, in one string: a key is in some longer one when it
        # is found before the end of the part that holds the keys longer than itself (a key
        # holds no newline, so no match runs across two of them).
        order = sorted(range(len(keys)), key=lambda i: -len(keys[i]))
        joined = "\n".join(f" {keys[i]} " for i in order)
        ends: dict[int, int] = {}  # key length -> end of the keys longer than it in ``joined``
        offset = 0
        for i in order:
            ends.setdefault(len(keys[i]), offset)
            offset += len(keys[i]) + 3
        return [
            block
            for position, block in enumerate(blocks)
            if block.kind == "head"
            or len(tokens[position]) < CONTAINED_MIN_WORDS
            or joined.find(f" {keys[position]} ", 0, ends[len(keys[position])]) < 0
        ]
    grams = [set(zip(own, own[1:], own[2:], strict=False)) for own in tokens]
    index: dict[tuple[str, str, str], list[int]] = {}
    for position, own in enumerate(grams):
        for gram in own:
            if (found := index.get(gram)) is None:
                index[gram] = [position]
            else:
                found.append(position)
    kept: list[Block] = []
    for position, (block, key) in enumerate(zip(blocks, keys, strict=True)):
        # A subheading stays where it is even when a paragraph repeats its words.
        if block.kind != "head" and len(tokens[position]) >= CONTAINED_MIN_WORDS:
            # Every paragraph that contains this one holds its rarest trigram too.
            candidates = min(map(index.__getitem__, grams[position]), key=len)
            if len(candidates) <= CONTAINED_MAX_CANDIDATES and any(
                len(keys[other]) > len(key) and contains_phrase(keys[other], key)
                for other in candidates
                if other != position
            ):
                continue
        kept.append(block)
    return kept


def _drop_boxes(blocks: list[Block]) -> list[Block]:
    """Remove "read also" boxes: the marker and the short link lines that follow it."""
    kept: list[Block] = []
    in_box = False
    for block in blocks:
        text = block.text
        marker = v.BOX_MARKERS.match(text)
        if marker and (
            words(text) <= MAX_BOX_MARKER_WORDS
            or block.kind == "head"
            or (
                words(marker.group(0)) > 1
                and words(text) <= MAX_NAMED_BOX_MARKER_WORDS
                and not text.rstrip().endswith((".", "!"))
            )
        ):
            in_box = True
            continue
        if marker and (
            block.link_ratio >= BOX_LINK_RATIO
            or (words(text) <= MAX_INLINE_BOX_WORDS and ":" in text[:INLINE_BOX_COLON_CHARS])
        ):
            continue  # "اقرأ أيضا: <linked headline>" on one line
        if in_box and (
            block.link_ratio >= BOX_LINK_RATIO
            or block.kind == "list"
            or lines.is_short_label(text, MAX_BOX_LINE_WORDS)
        ):
            continue
        in_box = False
        kept.append(block)
    return kept


def _trim_edges(blocks: list[Block], context: PageContext) -> list[Block]:
    """Leading category labels; trailing signatures, contact lines, orphan headings and an
    agency token after the last sentence."""
    while (
        blocks
        and blocks[0].kind != "head"
        and lines.is_short_label(blocks[0].text, MAX_LEADING_LABEL_WORDS)
        and len(blocks) > 1
        and words(blocks[1].text) > MIN_LEAD_WORDS
    ):
        blocks = blocks[1:]
    while blocks and (
        lines.is_signature(blocks[-1].text, context)
        or blocks[-1].kind == "head"
        or lines.is_contact(blocks[-1].text)
    ):
        blocks = blocks[:-1]
    if blocks and (text := lines.without_trailing_credit(blocks[-1].text)) != blocks[-1].text:
        blocks = [*blocks[:-1], replace(blocks[-1], text=text)]
    return blocks
