"""Pure news-specific cleaning of trafilatura's paragraphs: what a careful editor deletes.

trafilatura finds the article container; inside it news sites still leave repeated headlines,
captions, bylines, "read also" boxes, comment forms and widget lists. Every rule here is
general (no site names); each is a function of a paragraph and the page context. The
vocabulary of widgets lives in ``crawler.extraction.cleaning.widgets``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from crawler.extraction.cleaning import widgets
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

# A block of this many lines or more whose median line has fewer words is a flattened menu.
_FLATTENED_MIN_LINES = 10
_FLATTENED_MAX_LINE_WORDS = 4
# Shorter paragraphs are never judged "contained in another" (common phrases repeat).
_CONTAINED_MIN_WORDS = 6
# A paragraph whose every trigram is this common is boilerplate-like; not worth comparing.
_CONTAINED_MAX_CANDIDATES = 50
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ")
_PARENTHESISED = re.compile(r"^\(\s*\w+(?:[\s.]+\w+){0,2}\s*\)\.?$")
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-level unit from the extractor."""

    text: str
    kind: str = "p"
    """``p``, ``head`` (subheading), ``list`` (list item), ``quote``, ``table`` or ``caption``."""
    link_ratio: float = 0.0
    """Share of the block's characters that are link text (1.0: a pure link)."""


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the page says about itself, so repeats of it can be recognised in the body."""

    headline: str = ""
    site_name: str = ""
    domain: str = ""
    authors: tuple[str, ...] = ()
    section: str = ""
    captions: frozenset[str] = field(default_factory=frozenset)
    """Normalised texts of figcaptions and image alt texts."""
    titles: tuple[str, ...] = ()
    """Other statements of the headline (og:title, ``<title>``, ``<h1>``)."""
    teasers: frozenset[str] = field(default_factory=frozenset)
    """Fingerprints of the texts in teaser cards (linked heading plus summary) on the page."""


def _is_short_label(text: str, max_words: int = 4) -> bool:
    return words(text) <= max_words and not ends_sentence(text)


def _is_caption(block: Block, context: PageContext) -> bool:
    fp = fingerprint(block.text)
    if block.kind == "caption":
        return True
    if fp and fp in context.captions:
        return True
    return (
        words(block.text) <= 25
        and bool(widgets.CREDIT.search(block.text))
        and (
            " - " in block.text
            or " – " in block.text
            or "|" in block.text
            or block.text.endswith(")")
            or words(block.text) <= 6
        )
    )


def _is_byline(block: Block, context: PageContext) -> bool:
    text = block.text
    if widgets.CREDIT_LINE.match(text) and words(text) <= 30:
        return True
    if words(text) > 10:
        return False
    fp = fingerprint(text)
    authors = [fingerprint(a) for a in context.authors]
    if any(fp == a for a in authors):
        return True
    if ends_sentence(text.rstrip(".")):
        return False
    # "Dana Whitfield | Staff Writer", "منى عبد الحميد - القاهرة"
    return bool(widgets.BYLINE.match(text)) or any(
        a and words(text) <= 8 and fp.startswith(a + " ") for a in authors
    )


def _is_signature(text: str, context: PageContext) -> bool:
    """A closing line that only names the source (``سيريانيوز``, ``Source: AFP``)."""
    if words(text) > 6:
        return False
    fp = fingerprint(text)
    names = {fingerprint(x) for x in (context.site_name, context.domain.split(".")[0]) if x}
    compact = fp.replace(" ", "")
    if fp in names or any(n.replace(" ", "") == compact for n in names):
        return True
    if widgets.SOURCE_SIGNATURE.match(text) or _PARENTHESISED.match(text):
        return True
    return words(text) <= 2 and not ends_sentence(text) and widgets.is_name_like(text)


def _is_noise_line(block: Block, context: PageContext) -> bool:
    """A line of widget, form, footer or page-tool text, wherever it stands."""
    text = block.text
    fp = fingerprint(text)
    n_words = words(text)
    return (
        (n_words <= 30 and bool(widgets.WIDGET_LINE.search(text)))
        or widgets.is_label_line(text)
        or (widgets.TAG_LINE.match(text) is not None and n_words <= 30 and not ends_sentence(text))
        or (
            block.kind != "table"
            and (widgets.is_date_line(text) or not any(c.isalpha() for c in text))
        )
        or (bool(context.section) and fp == fingerprint(context.section) and _is_short_label(text))
        or (n_words >= 4 and fp in context.teasers)
        # A raw URL printed as text is a reference for the reader, not a menu entry.
        or (
            block.link_ratio >= 0.8
            and block.kind != "head"
            and n_words <= 25
            and not _BARE_URL.match(text)
        )
    )


def _split_flattened(block: Block) -> list[Block]:
    """A block of many short lines is a flattened menu or page (trafilatura's fallback when it
    finds no container): keep its lines that read like text, one block each."""
    lines = [line for line in block.text.splitlines() if line.strip()]
    if (
        len(lines) >= _FLATTENED_MIN_LINES
        and median(words(line) for line in lines) < _FLATTENED_MAX_LINE_WORDS
    ):
        return [
            Block(line, block.kind, block.link_ratio)
            for line in lines
            if words(line) > _FLATTENED_MAX_LINE_WORDS or ends_sentence(line)
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
    normalised = _cut_tail(normalised)
    normalised = _drop_boxes(normalised)
    headlines: set[str] = set()
    for title in (context.headline, *context.titles):
        if title:
            headlines |= headline_variants(title, context.site_name)
    kept: list[Block] = []
    seen: set[str] = set()
    for block in normalised:
        fp = fingerprint(block.text)
        if fp in seen or _repeats_headline(block.text, headlines):
            continue
        if (
            _is_caption(block, context)
            or _is_byline(block, context)
            or _is_noise_line(block, context)
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
        if found and words(tail) <= 6 and fingerprint(head) in headlines:
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
        if len(tokens[position]) >= _CONTAINED_MIN_WORDS:
            # Every paragraph that contains this one holds its rarest trigram too.
            candidates = min(map(index.__getitem__, grams[position]), key=len)
            if len(candidates) <= _CONTAINED_MAX_CANDIDATES and any(
                len(keys[other]) > len(key) and contains_phrase(keys[other], key)
                for other in candidates
                if other != position
            ):
                continue
        kept.append(block)
    return kept


def _cut_tail(blocks: list[Block]) -> list[Block]:
    """Drop a widget heading ("Recent Posts", "Leave a Reply") and everything after it.

    Only in the second half of the text, so an article about comments is not cut at its top.
    """
    total = sum(len(b.text) for b in blocks) or 1
    seen_chars = 0
    for index, block in enumerate(blocks):
        if (
            seen_chars >= total * 0.4
            and words(block.text) <= 8
            and widgets.TAIL_MARKERS.match(block.text.rstrip(" :.-–…"))
        ):
            return blocks[:index]
        seen_chars += len(block.text)
    return blocks


def _drop_boxes(blocks: list[Block]) -> list[Block]:
    """Remove "read also" boxes: the marker and the short link lines that follow it."""
    kept: list[Block] = []
    in_box = False
    for block in blocks:
        text = block.text
        marker = widgets.BOX_MARKERS.match(text)
        if marker and (words(text) <= 3 or block.kind == "head"):
            in_box = True
            continue
        if marker and (block.link_ratio >= 0.5 or (words(text) <= 20 and ":" in text[:20])):
            continue  # "اقرأ أيضا: <linked headline>" on one line
        if in_box and (
            block.link_ratio >= 0.5 or block.kind == "list" or _is_short_label(text, 16)
        ):
            continue
        in_box = False
        kept.append(block)
    return kept


def _trim_edges(blocks: list[Block], context: PageContext) -> list[Block]:
    """Leading category labels; trailing signatures, contact lines and orphan headings."""
    while (
        blocks
        and blocks[0].kind != "head"
        and _is_short_label(blocks[0].text, 3)
        and len(blocks) > 1
        and words(blocks[1].text) > 8
    ):
        blocks = blocks[1:]
    while blocks and (
        _is_signature(blocks[-1].text, context)
        or blocks[-1].kind == "head"
        or (words(blocks[-1].text) <= 25 and widgets.CONTACT.search(blocks[-1].text))
    ):
        blocks = blocks[:-1]
    return blocks
