"""Kicker lines: the short label a news page prints above its headline.

A kicker ("Energy crisis: the winter ahead", "Exclusive", "Analysis | Middle East") names the
story's series, section or genre. It sits above the ``h1``, inside the headline's own block,
and main-content extractors take it in when that block is part of the body container: it then
opens the text as a line of its own. Cleaning already drops labels of up to three words before
the first paragraph (``rules._trim_edges``); longer ones are recognised here by where the page
prints them, and only there: the body's first lines are compared with the text printed before
the ``h1`` in its container (a few elements, no walk over the page), so the test costs nothing
on the pages (nearly all) whose text does not open with a short label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extraction.inline import rendered_text, string_value
from crawler.extraction.standfirst import headline_element
from crawler.extraction.textnorm import ends_sentence, fingerprint, normalise_space, words

if TYPE_CHECKING:
    from lxml.etree import _Element

    from crawler.extraction.cleaning.blocks import Block

MAX_KICKER_WORDS = 8
"""A kicker is a label, at most this long (and no sentence)."""
MAX_LEADING_LABELS = 2
"""Only the body's first lines are looked at: a kicker opens the text."""
MAX_LEVELS = 2
"""The headline's block is the ``h1``'s parent or grandparent (``header > div > h1``)."""
MAX_CHARS = 300
"""Text printed before the headline longer than this is no label (and is not rendered)."""


def _is_label(block: Block) -> bool:
    text = block.text
    return 0 < words(text) <= MAX_KICKER_WORDS and not ends_sentence(text.strip())


def _printed_above(h1: _Element) -> set[str]:
    """Fingerprints of the short texts printed before ``h1`` inside its block."""
    found: set[str] = set()
    node: _Element | None = h1
    for _ in range(MAX_LEVELS):
        if node is None or node.tag in {"body", "html"}:
            break
        for before in node.itersiblings(preceding=True):
            if not isinstance(before.tag, str) or len(string_value(before)) > MAX_CHARS:
                continue
            for element in before.iter():
                if isinstance(element.tag, str) and (key := fingerprint(rendered_text(element))):
                    found.add(key)
        node = node.getparent()
    return found


def without_kicker(tree: _Element, headline: str, blocks: list[Block]) -> list[Block]:
    """``blocks`` without the leading lines that the page prints as a label above the headline."""
    leading = 0
    while leading < min(MAX_LEADING_LABELS, len(blocks)) and _is_label(blocks[leading]):
        leading += 1
    if not leading:
        return blocks
    h1 = headline_element(tree, headline)
    if h1 is None:
        return blocks
    above = _printed_above(h1)
    kept = [b for b in blocks[:leading] if fingerprint(normalise_space(b.text)) not in above]
    return [*kept, *blocks[leading:]]
