"""Pure headline logic: the page's headline without site or section affixes.

Pages state their headline several times (``<title>``, og:title, JSON-LD, ``<h1>``), often with
``| Section | Site`` tails or a ``Site - `` head. The headline is the variant the page also shows
as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml.etree import XPath

from crawler.extraction.pageprep import links_to_page, own_addresses
from crawler.extraction.textnorm import contains_phrase, fingerprint, normalise_space, words

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lxml.html import HtmlElement

_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " / ")
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "b", "strong", "font", "td", "div", "span", "p")
# Longer texts are containers, not a printed headline.
_SHOWN_MAX_CHARS = 400
MIN_HEADLINE_WORDS = 2
"""A one-word heading is a label or the site's name, not a headline."""
MAX_SHOWN_WORDS = 30
"""Longer heading-like texts are standfirsts or paragraphs, not a printed headline."""
MIN_TITLE_REST_WORDS = 3
"""After a leading site name, a headline has at least this many words."""
MAX_LABEL_PARTS = 4
"""A title with more parts than this is a headline with dashes, not a headline and labels."""
MAX_LABEL_WORDS = 4
"""Title suffixes ("| World | Example News") are labels this short."""
MIN_LEAD_WORDS = 3
"""... and the headline before them is at least this long (and twice the longest label)."""


def headline_variants(headline: str, site_name: str = "") -> set[str]:
    """Fingerprints a repeated headline may take: with or without a ``| section`` suffix."""
    variants = {fingerprint(headline)}
    for sep in _SEPARATORS[:-1]:
        if sep in headline:
            variants.add(fingerprint(headline.split(sep, maxsplit=1)[0]))
            variants.add(fingerprint(headline.rsplit(sep, 1)[0]))
    if site_name:
        variants.add(fingerprint(strip_site_suffix(headline, site_name)))
    variants.discard("")
    return variants


def strip_site_suffix(title: str, site_name: str = "", section: str = "") -> str:
    """Drop ``| Site`` / ``- Section`` tails (and a known ``Site -`` head) from a page title.

    A part is dropped when it names the site or section, or when all the parts after the first
    are short labels next to a much longer first part (``Headline | News | Site``). A dash
    inside a headline ("Ukraine - Russia talks resume …") is not a separator of labels.
    """
    title = normalise_space(title)
    known = {fingerprint(x) for x in (site_name, section) if x}
    for sep in _SEPARATORS:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep)]
        if fingerprint(parts[-1]) in known:
            return strip_site_suffix(sep.join(parts[:-1]), site_name, section)
        if fingerprint(parts[0]) in known and words(sep.join(parts[1:])) >= MIN_TITLE_REST_WORDS:
            return strip_site_suffix(sep.join(parts[1:]), site_name, section)
        longest_tail = max(words(p) for p in parts[1:])
        if (
            len(parts) <= MAX_LABEL_PARTS
            and longest_tail <= MAX_LABEL_WORDS
            and words(parts[0]) >= max(MIN_LEAD_WORDS, 2 * longest_tail)
        ):
            return strip_site_suffix(parts[0], site_name, section)
    return title


def _shown_texts(tree: HtmlElement) -> set[str]:
    """Fingerprints of short texts the page shows in heading-like elements of its body."""
    shown: set[str] = set()
    for node in tree.iter(*_HEADING_TAGS):
        text = _short_text(node)
        if text is not None and MIN_HEADLINE_WORDS <= words(text) <= MAX_SHOWN_WORDS:
            shown.add(fingerprint(text))
    return shown


def _short_text(node: HtmlElement, limit: int = _SHOWN_MAX_CHARS) -> str | None:
    """The node's text, or None as soon as it grows past ``limit`` (a container, not a line)."""
    parts: list[str] = []
    size = 0
    for piece in node.itertext():
        size += len(piece)
        if size > limit:
            return None
        parts.append(piece)
    return normalise_space(" ".join(parts))


def _title_segments(title: str) -> list[str]:
    """The parts of a title between separators, and its leading runs of parts."""
    segments: list[str] = []
    for sep in _SEPARATORS:
        if sep in title:
            parts = [p.strip() for p in title.split(sep)]
            segments += parts
            segments += [sep.join(parts[:i]) for i in range(2, len(parts))]
    return [s for s in segments if words(s) >= MIN_HEADLINE_WORDS]


_LINKED_HEADINGS = XPath("(//h1 | //h2 | //h3)[.//a[@href]]")  # in C: most headings hold no link


def _permalink_heading(tree: HtmlElement, stated: list[str], urls: Sequence[str]) -> str | None:
    """A heading that links to the page itself and is part of a stated title: a blog post's
    title printed as its permalink (the page's ``h1`` is then often the blog's name)."""
    own = own_addresses(urls)
    for heading in _LINKED_HEADINGS(tree):
        if not links_to_page(heading, own):
            continue
        text = _short_text(heading)
        if text and words(text) >= MIN_HEADLINE_WORDS:
            key = fingerprint(text)
            if any(contains_phrase(fingerprint(s), key) for s in stated):
                return text
    return None


def choose_headline(
    tree: HtmlElement,
    stated: list[str],
    site_name: str = "",
    section: str = "",
    urls: Sequence[str] = (),
) -> str:
    """The headline: the stated title (or its segment) that the page also prints as text.

    ``stated`` lists the page's own titles, best first (JSON-LD, og:title, ``<title>``). When
    none of their segments is printed in the body, the first stated title loses its affixes.
    A heading that links to the page itself (``urls``: its fetched and canonical URLs) and is
    part of a stated title comes first.
    """
    stated = [normalise_space(s) for s in stated if s and s.strip()]
    if urls and (own := _permalink_heading(tree, stated, urls)):
        return own
    site_key = fingerprint(site_name)
    printed = [
        h1
        for h1 in (normalise_space(h.text_content()) for h in tree.iter("h1"))
        if words(h1) >= MIN_HEADLINE_WORDS and fingerprint(h1) != site_key
    ]
    in_title = [h1 for h1 in printed if any(_covers(h1, s, site_name) for s in stated)]
    if in_title:
        return max(in_title, key=words)
    shown = _shown_texts(tree)
    for title in stated:
        proper = [
            s
            for s in _title_segments(title)
            if fingerprint(s) in shown and _covers(s, title, site_name)
        ]
        if proper:
            return max(proper, key=words)
        if fingerprint(title) in shown:
            return title
    if stated:
        return strip_site_suffix(stated[0], site_name, section)
    return printed[0] if printed else ""


def _covers(h1: str, title: str, site_name: str) -> bool:
    """True when ``h1`` is the headline part of ``title`` (not a logo or a section name)."""
    headline = strip_site_suffix(title, site_name)
    return contains_phrase(fingerprint(title), fingerprint(h1)) and words(h1) >= 0.5 * words(
        headline
    )
