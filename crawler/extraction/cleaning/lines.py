"""Tests of one block at a time: is it a widget, a caption, a byline, a signature or a label?

Each test reads the block and the page context only; where a block stands is the business of
``tail`` (what ends an article) and ``rules`` (boxes, repeats, edges). The phrases come from
``vocabulary``; the limits below say how short a line must be for a phrase to count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extraction.cleaning import vocabulary as v
from crawler.extraction.textnorm import ends_sentence, fingerprint, words

if TYPE_CHECKING:
    from crawler.extraction.cleaning.blocks import Block, PageContext

MAX_WIDGET_WORDS = 30
"""Longer blocks are prose even when they use widget, tag or credit words."""
MIN_MENU_SEPARATORS = 4
"""A block with this many free-standing separators between short entries is a menu."""
MAX_MENU_ENTRY_WORDS = 4
"""Menu and breadcrumb entries are this short on average; sentences are longer."""
MIN_BRACKET_LABELS = 2
"""One "[VIDEO]" can open a sentence; two in a line are labels of a teaser list."""
SHORT_LABEL_WORDS = 4
"""A line this short that does not end a sentence is a label (section name, kicker)."""
MAX_CAPTION_WORDS = 25
"""Photo captions with a credit are at most a couple of short sentences."""
MAX_BARE_CREDIT_WORDS = 6
"""A credit line this short needs no separator to be a credit ("Photo: AFP")."""
MIN_REPEATED_CAPTION_WORDS = 6
"""A caption found again with a credit added has this many words of its own."""
MAX_REPEATED_CAPTION_WORDS = 80
"""Longer paragraphs are not compared with the captions (a caption is a sentence or two)."""
_CREDIT_TAIL_CHARS = 120  # more than a credit's words ("photo by jason kempin getty images")
MAX_BYLINE_WORDS = 10
"""A byline names one or two people and a role; longer lines are sentences."""
MAX_AUTHOR_PREFIX_WORDS = 8
"""An author's name followed by a role or place ("Dana Whitfield, Staff Writer") is this short."""
MAX_SIGNATURE_WORDS = 6
"""A closing source signature ("Source: AFP", the site's name) is this short."""
MAX_NAME_SIGNATURE_WORDS = 2
"""A bare name at the end of the text (no "Source:") counts only when this short."""
MIN_TEASER_WORDS = 4
"""Shorter lines match teaser cards by chance ("Read more")."""
LINK_LINE_RATIO = 0.8
"""A line whose text is mostly a link is navigation, not reporting."""
MAX_LINK_LINE_WORDS = 25
"""Longer linked lines are quoted text that happens to be linked."""
MAX_DATE_LINE_WORDS = 10
"""A date stamp with weekday, time and "Updated" fits in this many words."""
MAX_CONTACT_WORDS = 25
"""A closing contact line ("Reach her at ...@...") is short; a sentence with an address is not."""


def is_short_label(text: str, max_words: int = SHORT_LABEL_WORDS) -> bool:
    """A few words that do not end a sentence."""
    return words(text) <= max_words and not ends_sentence(text)


def is_name_like(text: str) -> bool:
    """Words with no digits, each starting with a letter: a signature or a name, not a sentence."""
    return not any(ch.isdigit() for ch in text) and all(w[:1].isalpha() for w in text.split())


def is_label_line(text: str) -> bool:
    """Relative times, share bars, ad labels, comment metadata and page-tool rows."""
    return any(
        pattern.match(text) is not None
        for pattern in (v.RELATIVE_TIME, v.TOOLS_LINE, v.SHARE_BAR, v.COMMENT_META)
    ) or bool(v.AD_LABEL.match(text.strip(" .:-–—")))


def is_date_line(text: str) -> bool:
    """A line that holds only a date or time stamp ("June 2, 2023 at 8:14 am")."""
    return (
        words(text) <= MAX_DATE_LINE_WORDS
        and any(ch.isdigit() for ch in text)
        and not v.DATE_WORDS.sub(" ", text).strip()
    )


def is_menu(block: Block) -> bool:
    """Navigation, ticker or breadcrumb entries run together: "Home | Local | Sport | ..."."""
    if block.kind == "table":  # data tables have short cells too
        return False
    tokens = block.text.split()
    separators = sum(1 for t in tokens if t in v.MENU_SEPARATORS)
    entries = len(tokens) - separators
    return separators >= MIN_MENU_SEPARATORS and entries <= MAX_MENU_ENTRY_WORDS * (separators + 1)


def is_widget(block: Block) -> bool:
    """A block that speaks to the reader about the page, not about the news."""
    text = " ".join(block.text.split())
    if not text:
        return False
    if is_menu(block):
        return True
    if text.count("[") >= MIN_BRACKET_LABELS and (
        len(v.BRACKET_LABEL.findall(text)) >= MIN_BRACKET_LABELS
    ):
        return True
    return words(text) <= MAX_WIDGET_WORDS and v.WIDGET.search(text)


def is_caption(block: Block, context: PageContext) -> bool:
    """A figure caption, an image's alt text, or a line with a photo credit."""
    fp = fingerprint(block.text)
    if block.kind == "caption":
        return True
    if fp and (fp in context.captions or _caption_and_credit(fp, context.captions)):
        return True
    return (
        words(block.text) <= MAX_CAPTION_WORDS
        and bool(v.CREDIT.search(block.text))
        and (
            any(sep in block.text for sep in v.CREDIT_SEPARATORS)
            or block.text.endswith(")")
            or words(block.text) <= MAX_BARE_CREDIT_WORDS
        )
    )


def _caption_and_credit(key: str, captions: frozenset[str]) -> bool:
    """A caption printed again with a credit after it ("… the old harbour. Photo: J. Doe/AFP"):
    the block opens with a caption's words and what follows is a credit-sized tail. (A caption
    that adds a credit to a paragraph of the body is the body's own sentence: not this.)
    Only the block's few possible cuts are looked up, not every caption."""
    if not captions:
        return False
    # No credit word at the end: nearly every paragraph stops here, before any split of it.
    if v.CREDIT_WORDS.isdisjoint(key[-_CREDIT_TAIL_CHARS:].split()[-MAX_BARE_CREDIT_WORDS:]):
        return False
    parts = key.split()
    if len(parts) > MAX_REPEATED_CAPTION_WORDS:
        return False
    first = max(MIN_REPEATED_CAPTION_WORDS, len(parts) - MAX_BARE_CREDIT_WORDS)
    return any(
        " ".join(parts[:cut]) in captions and not v.CREDIT_WORDS.isdisjoint(parts[cut:])
        for cut in range(first, len(parts))
    )


def is_byline(block: Block, context: PageContext) -> bool:
    """A credit line, an author's name alone, or "By ..." / "بقلم ..." with a name."""
    text = block.text
    if v.CREDIT_LINE.match(text) and words(text) <= MAX_WIDGET_WORDS:
        return True
    if words(text) > MAX_BYLINE_WORDS:
        return False
    fp = fingerprint(text)
    authors = [fingerprint(a) for a in context.authors]
    if any(fp == a for a in authors):
        return True
    if ends_sentence(text.rstrip(".")):
        return False
    # "Dana Whitfield | Staff Writer", "منى عبد الحميد - القاهرة"
    return bool(v.BYLINE.match(text)) or any(
        a and words(text) <= MAX_AUTHOR_PREFIX_WORDS and fp.startswith(a + " ") for a in authors
    )


def is_signature(text: str, context: PageContext) -> bool:
    """A closing line that only names the source (``سيريانيوز``, ``Source: AFP``)."""
    if words(text) > MAX_SIGNATURE_WORDS:
        return False
    fp = fingerprint(text)
    names = {fingerprint(x) for x in (context.site_name, context.domain.split(".")[0]) if x}
    compact = fp.replace(" ", "")
    if fp in names or any(n.replace(" ", "") == compact for n in names):
        return True
    if v.SOURCE_SIGNATURE.match(text) or v.PARENTHESISED.match(text):
        return True
    return (
        words(text) <= MAX_NAME_SIGNATURE_WORDS and not ends_sentence(text) and is_name_like(text)
    )


def without_trailing_credit(text: str) -> str:
    """The last paragraph without an agency token run on after its final sentence
    ("… لتنظيم السير.--(بترا)" → "… لتنظيم السير.")."""
    return v.TRAILING_CREDIT.sub("", text)


def is_contact(text: str) -> bool:
    """A short line with the reporter's or newsroom's e-mail address or handle."""
    return words(text) <= MAX_CONTACT_WORDS and bool(v.CONTACT.search(text))


def is_noise_line(block: Block, context: PageContext) -> bool:
    """A line of label, tag, date, section, teaser or link text, wherever it stands."""
    text = block.text
    fp = fingerprint(text)
    n_words = words(text)
    return (
        is_label_line(text)
        or (
            v.TAG_LINE.match(text) is not None
            and n_words <= MAX_WIDGET_WORDS
            and not ends_sentence(text)
        )
        or (block.kind != "table" and (is_date_line(text) or not any(c.isalpha() for c in text)))
        or (bool(context.section) and fp == fingerprint(context.section) and is_short_label(text))
        or (n_words >= MIN_TEASER_WORDS and fp in context.teasers)
        or (
            block.link_ratio >= LINK_LINE_RATIO
            and block.kind != "head"
            and n_words <= MAX_LINK_LINE_WORDS
            and not v.BARE_URL.match(text)
        )
    )
