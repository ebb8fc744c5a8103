"""An element's text as a browser renders it: inline markup glued, blocks and line breaks spaced.

``" ".join(element.itertext())`` puts a space at every element boundary, so a link inside a
word reads "i n their", a link before a comma reads "Speech ,", and Japanese or Chinese text,
which has no spaces at all, gets one around every link. ``text_content()`` errs the other way
and glues two paragraphs or list items into one word. Here only the elements that start a new
block (in HTML and in trafilatura's output tree) and line breaks separate text; everything else
(links, ``<span>``, ``<b>``, trafilatura's ``hi``/``ref``) joins its text to its neighbours
exactly as the markup does. Ruby annotations (``<rt>``, ``<rp>``) are readings printed above
the line, not part of the sentence, and are left out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml.etree import XPath

if TYPE_CHECKING:
    from lxml.etree import _Element

# Elements that begin a block of their own: HTML's block-level elements and the block tags of
# trafilatura's output (head, item, list, quote, row, cell).
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol",
        "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "ul", "option", "select", "textarea", "iframe", "img", "video", "audio", "picture",
        "head", "item", "list", "quote", "row", "cell", "graphic",
    }
)  # fmt: skip
# Line breaks: HTML's and trafilatura's.
BREAK_TAGS = frozenset({"br", "lb"})
# Never rendered in the line of text.
SKIPPED_TAGS = frozenset({"rt", "rp", "script", "style", "template", "noscript"})


_STRING_VALUE = XPath("string()", smart_strings=False)


def string_value(element: _Element) -> str:
    """All the text under ``element`` run together, as ``"".join(element.itertext())`` gives it
    on our trees (parsed without comments and processing instructions), built in libxml2:
    several times faster on a large container. Script and style text included."""
    return str(_STRING_VALUE(element))


def rendered_text(element: _Element) -> str:
    """The element's text with a space only where a block starts or ends, a newline per break.

    Whitespace is not collapsed (``textnorm.normalise_space`` does that); the caller's own
    tail text is not included.
    """
    parts: list[str] = []
    _walk(element, parts)
    return "".join(parts)


def rendered_blocks(element: _Element) -> list[tuple[str, str]]:
    """The element's text cut where a block starts or ends: ``(tag, text)`` per block, the tag of
    the block element the text sits in directly; whitespace collapsed, empty blocks left out."""
    blocks: list[tuple[str, str]] = []
    _walk_blocks(element, str(element.tag), [], blocks)
    return blocks


def _flush(tag: str, parts: list[str], blocks: list[tuple[str, str]]) -> None:
    text = " ".join("".join(parts).split())
    if text:
        blocks.append((tag, text))
    parts.clear()


def _walk_blocks(
    element: _Element, tag: str, parts: list[str], blocks: list[tuple[str, str]]
) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        child_tag = child.tag
        if isinstance(child_tag, str):
            if child_tag in BREAK_TAGS:
                parts.append("\n")
            elif child_tag in BLOCK_TAGS:
                _flush(tag, parts, blocks)
                _walk_blocks(child, child_tag, parts, blocks)
                _flush(child_tag, parts, blocks)
            elif child_tag not in SKIPPED_TAGS:
                _walk_blocks(child, tag, parts, blocks)
        if child.tail:
            parts.append(child.tail)


def _walk(element: _Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if isinstance(tag, str):  # comments and processing instructions: only their tail
            if tag in BREAK_TAGS:
                parts.append("\n")
            elif tag in BLOCK_TAGS:
                parts.append(" ")
                _walk(child, parts)
                parts.append(" ")
            elif tag not in SKIPPED_TAGS:
                _walk(child, parts)
        if child.tail:
            parts.append(child.tail)


# trafilatura trims the text around every element it keeps, so its output tree no longer says
# whether "Speech" and "," were glued or spaced: joining its parts with spaces gives "Speech ,",
# joining them without gives "MacBook Prowas". So before it runs, each inline boundary where
# the page has no whitespace gets this private-use character, which no trim removes; ``unglue``
# then removes it with the spaces joined around it.
GLUE = "\ue000"
_GLUE_RE = re.compile(rf"\s*{GLUE}\s*")


_NOT_INLINE = BLOCK_TAGS | BREAK_TAGS | SKIPPED_TAGS


def _inline(element: _Element) -> bool:
    tag = element.tag
    return isinstance(tag, str) and tag not in _NOT_INLINE


def _text_before(element: _Element) -> str:
    """The text that precedes ``element`` on its line (through inline ancestors it opens)."""
    node = element
    while True:
        previous, parent = node.getprevious(), node.getparent()
        if previous is not None:
            return previous.tail or ""
        if parent is None:
            return ""
        if parent.text or not _inline(parent):
            return parent.text or ""
        node = parent


def _text_at_end(element: _Element) -> str:
    """The text that ends ``element``'s content (through inline children that close it)."""
    node = element
    while len(node):
        last = node[-1]
        if last.tail:
            return str(last.tail)
        if not _inline(last):
            return ""
        node = last
    return node.text or ""


def _ends_glued(text: str) -> bool:
    return bool(text) and not text[-1].isspace()


def mark_glue(root: _Element) -> list[_Element]:
    """Mark every inline element's glued edges with ``GLUE``; the elements changed, for
    ``remove_glue``. The text of ``<script>`` and ``<style>`` is never touched."""
    changed = []
    not_inline = _NOT_INLINE
    # One pass over every element of the page: the cheap tests come first (most elements
    # have no text that starts glued), the walks to the neighbouring text only then.
    for element in root.iter():
        text, tail = element.text, element.tail
        glued_text = bool(text and not text[0].isspace())
        glued_tail = bool(tail and not tail[0].isspace())
        if not (glued_text or glued_tail):
            continue
        tag = element.tag
        if tag in not_inline or not isinstance(tag, str) or element.getparent() is None:
            continue
        if text and glued_text and _ends_glued(_text_before(element)):
            element.text = GLUE + text
            changed.append(element)
        if tail and glued_tail and _ends_glued(_text_at_end(element)):
            element.tail = GLUE + tail
            changed.append(element)
    return changed


def remove_glue(elements: list[_Element]) -> None:
    """Undo ``mark_glue`` on the elements it changed."""
    for element in elements:
        if element.text:
            element.text = element.text.replace(GLUE, "")
        if element.tail:
            element.tail = element.tail.replace(GLUE, "")


def unglue(text: str) -> str:
    """Text made from a marked tree, with each mark and the spaces around it removed."""
    return _GLUE_RE.sub("", text) if GLUE in text else text


def output_text(element: _Element) -> str:
    """The text of an element of trafilatura's output: its parts joined by spaces where the
    page had whitespace (trafilatura trimmed it), glued where it had none."""
    return unglue(" ".join(element.itertext()))
