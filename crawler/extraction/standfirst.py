"""The standfirst: a summary printed under the headline but outside the body container.

News pages print a lead, summary or subtitle (``div.lead``, ``p.summary``, an ``h2`` under the
``h1``, a bare text line after the hero image) between the headline and the body. trafilatura
takes the body container and leaves it out, yet it is the article's first paragraph as the
reader sees it. Here the page is walked from the ``h1`` forward, only up to the element that
holds the body's first paragraph, and the first element that is a standfirst by structure is
returned: a class, id or ``itemprop`` of the general vocabulary below, the heading or paragraph
right after the ``h1``, or the page's own description (``og:description``, JSON-LD) printed
there. Never a site's class names; never anything after the body starts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from lxml.etree import XPath

from crawler.extraction.cleaning.blocks import Block
from crawler.extraction.inline import rendered_text, string_value
from crawler.extraction.textnorm import fingerprint, fingerprint_holds, normalise_space, words

if TYPE_CHECKING:
    from lxml.etree import _Element

MIN_STANDFIRST_WORDS = 6
"""Shorter lines under a headline are labels, bylines or dates, not a summary."""
MAX_STANDFIRST_WORDS = 120
"""A longer block before the body is a body of its own (or a teaser list), not a standfirst."""
MAX_CHARS = 2000
"""Characters of a block worth rendering as a candidate (``MAX_STANDFIRST_WORDS`` and markup)."""
MAX_LINK_SHARE = 0.3
"""A standfirst is prose; a line that is mostly links is a kicker, a tag list or a teaser."""
MAX_ANCESTOR_LEVELS = 3
"""The walk leaves the ``h1``'s own container at most this far up (header, hgroup, article)."""
MAX_ELEMENTS = 12
"""Elements looked at after the headline before giving up: the standfirst comes right after."""
KEY_WORDS = 8
"""The body's start is found by the first words of its first paragraph."""
FIRST_BLOCKS = 5
"""The body's start is its first block of ``KEY_WORDS`` words among this many."""

# Class, id and itemprop words that name a standfirst across sites and languages (Arabic pages
# use the same English class names). Compared word by word: "lead" is not "leader".
_VOCABULARY = frozenset(
    {
        "lead",
        "lede",
        "standfirst",
        "strapline",
        "summary",
        "subtitle",
        "subheadline",
        "subhead",
        "dek",
        "deck",
        "excerpt",
        "description",
        "teaser",
        "intro",
        "abstract",
        "alternativeheadline",
    }
)
_PAIRS = frozenset({("sub", "title"), ("sub", "headline"), ("sub", "head"), ("stand", "first")})
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PART_RE = re.compile(r"[^a-z0-9]+")
_SKIP_TAGS = frozenset(
    {"nav", "aside", "form", "script", "style", "noscript", "button", "time", "ul", "ol", "menu"}
)
_SUBTITLE_TAGS = frozenset({"h2"})
# Elements after which a bare text line is the standfirst: the headline and the hero image.
_IMAGE_TAGS = frozenset({"img", "picture", "figure"})

_H1 = XPath("//h1")
# What a summary never holds: a byline or date, an image and its credit, a list, share buttons.
# (A "lead" class also names the lead image; a "summary" block may be the byline and date.)
_FURNITURE_INSIDE = XPath(
    "descendant-or-self::*[self::time or self::figure or self::img or self::picture"
    " or self::video or self::iframe or self::ul or self::ol or self::figcaption"
    " or @rel='author' or @itemprop='author' or contains(@class, 'author')"
    " or contains(@class, 'byline') or contains(@class, 'caption') or contains(@class, 'credit')"
    " or contains(@class, 'share')][1]"
)


def _names_standfirst(element: _Element) -> bool:
    """Whether the element's class, id or itemprop holds a word of the vocabulary."""
    return any(
        (value := element.get(attribute)) and _is_standfirst_name(value)
        for attribute in ("class", "id", "itemprop")
    )


@lru_cache(maxsize=2048)
def _is_standfirst_name(value: str) -> bool:
    """Cached: a page repeats its class names on many elements, and pages of a site alike."""
    parts = [p for p in _PART_RE.split(_CAMEL_RE.sub("-", value).lower()) if p]
    return any(p in _VOCABULARY for p in parts) or any(pair in _PAIRS for pair in pairwise(parts))


def headline_element(tree: _Element, headline: str) -> _Element | None:
    """The ``h1`` that prints ``headline`` (or a part of it), if the page has one."""
    key = fingerprint(headline)
    if not key:
        return None
    for h1 in _H1(tree):
        shown = fingerprint(rendered_text(h1))
        if shown and (shown in key or key in shown):
            return h1
    return None


def _same_summary(shown: str, description: str) -> bool:
    """Whether a printed text is the page's description: the same, or the description cut
    short (``…``), never a block that merely starts with it."""
    return shown == description or (description.startswith(shown) and words(shown) >= KEY_WORDS)


def _is_image(node: _Element, text: str) -> bool:
    """The hero image: an image element, or a block that holds one and no text."""
    if node.tag in _IMAGE_TAGS:
        return True
    return not text and next(node.iter("img"), None) is not None


def _prose(text: str) -> bool:
    return MIN_STANDFIRST_WORDS <= words(text) <= MAX_STANDFIRST_WORDS


def _linked_share(element: _Element, text: str) -> float:
    linked = sum(len(normalise_space(rendered_text(a))) for a in element.iter("a"))
    return linked / (len(text) or 1)


class _Walk:
    """One forward walk from the headline to the body's start."""

    def __init__(self, body_key: str, descriptions: set[str]) -> None:
        self.body_key = body_key
        self.descriptions = descriptions
        self.seen = 0
        self.reached_body = False

    def accept(self, element: _Element, text: str, right_after_h1: bool) -> bool:
        """Whether ``element`` (holding ``text``) is a standfirst by structure."""
        if not _prose(text) or _linked_share(element, text) > MAX_LINK_SHARE:
            return False
        if _FURNITURE_INSIDE(element):
            return False
        if _names_standfirst(element):
            return True
        if right_after_h1 and element.tag in _SUBTITLE_TAGS:
            return True
        key = fingerprint(text)
        return any(_same_summary(key, d) for d in self.descriptions)

    def scan(self, nodes: list[_Element], right_after_h1: bool) -> str | None:
        """The first standfirst among ``nodes`` (in page order), descending into the node that
        holds the body's start and stopping there."""
        for node in nodes:
            if self.reached_body or self.seen >= MAX_ELEMENTS:
                return None
            if not isinstance(node.tag, str) or node.tag in _SKIP_TAGS:
                right_after_h1 = False
                continue
            raw = string_value(node)  # in C: the body's container is large
            if raw.strip():
                self.seen += 1
            if self.body_key and fingerprint_holds(raw, self.body_key):
                found = self.scan(list(node), right_after_h1) if len(node) else None
                self.reached_body = True
                return found
            # Only a short block is a standfirst (or holds one); it alone is rendered.
            text = normalise_space(rendered_text(node)) if len(raw) <= MAX_CHARS else ""
            if text and self.accept(node, text, right_after_h1):
                return text
            if _is_image(node, raw.strip()) and _prose(tail := normalise_space(node.tail or "")):
                return tail  # a bare text line after the hero image
            if text and len(node) and (found := self._inside(node)):
                return found
            if raw.strip():
                right_after_h1 = False
        return None

    def _inside(self, node: _Element) -> str | None:
        """A standfirst named by its class inside a small header block (``div.meta > p.dek``)."""
        for element in node.iterdescendants():
            if isinstance(element.tag, str) and _names_standfirst(element):
                text = normalise_space(rendered_text(element))
                if text and self.accept(element, text, False):
                    return text
        return None


def find_standfirst(
    tree: _Element, headline: str, first_paragraphs: list[str], descriptions: tuple[str, ...]
) -> str | None:
    """The standfirst printed between the headline ``h1`` and the body, or None.

    ``first_paragraphs`` are the extracted body's first texts: the walk stops at the element
    that holds the first of them with ``KEY_WORDS`` words or more (the body starts there).
    ``descriptions`` are the page's own summaries (meta tags, JSON-LD).
    """
    h1 = headline_element(tree, headline)
    if h1 is None:
        return None
    if _prose(tail := normalise_space(h1.tail or "")):
        return tail  # a bare text line right under the headline
    start = next((p for p in first_paragraphs if words(p) >= KEY_WORDS), "")
    body_key = " ".join(fingerprint(start).split()[:KEY_WORDS])
    keys = {fingerprint(d) for d in descriptions}
    walk = _Walk(body_key, {d for d in keys if words(d) >= MIN_STANDFIRST_WORDS})
    node: _Element | None = h1
    first = True
    for _ in range(MAX_ANCESTOR_LEVELS + 1):
        if node is None or node.tag in {"body", "html"}:
            return None
        found = walk.scan(list(node.itersiblings()), right_after_h1=first)
        if found or walk.reached_body or walk.seen >= MAX_ELEMENTS:
            return found
        first = first and not any(
            normalise_space(rendered_text(s)) for s in node.itersiblings() if isinstance(s.tag, str)
        )
        node = node.getparent()
    return None


def with_standfirst(
    tree: _Element, headline: str, blocks: list[Block], descriptions: tuple[str, ...]
) -> list[Block]:
    """``blocks`` with the page's standfirst first, unless the body already holds it."""
    texts = [block.text for block in blocks]
    lead = find_standfirst(tree, headline, texts[:FIRST_BLOCKS], descriptions)
    if lead is None or is_repeat(lead, texts):
        return blocks
    return [Block(lead, "p"), *blocks]


def is_repeat(standfirst: str, paragraphs: list[str]) -> bool:
    """Whether the standfirst is already in the body: a paragraph holds it, or it holds the
    first paragraph (a description cut short, a lead repeated in bold)."""
    key = fingerprint(standfirst)
    body = fingerprint(" \n ".join(paragraphs))
    if f" {key} " in f" {body} ":
        return True
    first = fingerprint(paragraphs[0]) if paragraphs else ""
    return bool(first) and f" {first} " in f" {key} "
