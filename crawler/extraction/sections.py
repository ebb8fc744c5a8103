"""Articles split into several sibling containers: find the parts the extractor left out.

Some sites cut an article body into several containers with the same tag and class, with ads
or promotions between them (``div.article__body`` twice under one ``div``). trafilatura takes
the first container that matches its body patterns and stops there, so the article loses its
second half. Here a *split section* is a set of two or more such twins, close in the tree
(sharing a parent or grandparent), each holding at least two paragraphs of real prose, with
the shorter chunks of the same name between them (one paragraph between two ad rows). When
the extracted text covers some twins but not others, the caller re-extracts from a copy of the
page where the twins are joined into one container.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from lxml import html as lxml_html
from lxml.etree import XPath

from crawler.extraction.inline import unglue

if TYPE_CHECKING:
    from lxml.etree import _Element

MIN_PARAGRAPH_CHARS = 80
"""A paragraph of prose, not a caption or a teaser line."""
MAX_COMMON_ANCESTOR_LEVELS = 2
"""Twins must share their parent or grandparent: parts of one body, not distant widgets."""
MIN_TWINS = 2
"""A body split into sections has at least two same-class containers."""
COVERED_SHARE = 0.5
"""A twin counts as extracted when this share of its text is in the extracted body."""

_WORD_RE = re.compile(r"\w+")
_PROSE_HOLDERS = (
    f"//*[@class][count(p[string-length(normalize-space(.)) >= {MIN_PARAGRAPH_CHARS}]) >= 2]"
)
# Comment threads repeat their containers too, but they are never the article.
_COMMENT_CLASS = re.compile(r"comment|reply|respon", re.IGNORECASE)


def _normal(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower()))


def _prose(element: _Element) -> list[str]:
    texts = (_normal(unglue(p.text_content())) for p in element.iterchildren("p"))
    return [t for t in texts if len(t) >= MIN_PARAGRAPH_CHARS * 0.8]


def _close(first: _Element, other: _Element) -> bool:
    ancestors = list(first.iterancestors())[:MAX_COMMON_ANCESTOR_LEVELS]
    return any(a in ancestors for a in list(other.iterancestors())[:MAX_COMMON_ANCESTOR_LEVELS])


def twin_groups(tree: _Element) -> list[list[_Element]]:
    """Groups of same-tag, same-class prose containers that sit close together, in page order."""
    groups: dict[tuple[str, str], list[_Element]] = defaultdict(list)
    for element in tree.xpath(_PROSE_HOLDERS):
        cls = " ".join(str(element.get("class", "")).split())
        if not _COMMENT_CLASS.search(cls):
            groups[(str(element.tag), cls)].append(element)
    found = []
    for members in groups.values():
        if len(members) < MIN_TWINS or any(
            m in a.iterancestors() for m in members for a in members
        ):
            continue
        if all(_close(members[0], m) for m in members[1:]):
            found.append(_all_chunks(tree, members))
    return found


_SAME_NAME = XPath("//*[name() = $tag][normalize-space(@class) = $cls]")


def _all_chunks(tree: _Element, members: list[_Element]) -> list[_Element]:
    """The group with its shorter chunks: a body cut into N parts by ad rows has parts of one
    paragraph too, with the same tag and class, close to the others and *between* two of them
    in page order (a short block of that name after the last part is a promotion)."""
    first = members[0]
    cls = " ".join(str(first.get("class", "")).split())
    named = [
        chunk
        for chunk in _SAME_NAME(tree, tag=str(first.tag), cls=cls)
        if chunk in members or (_close(first, chunk) and _prose(chunk))
    ]
    named = [c for c in named if not any(o in c.iterancestors() for o in named)]
    inside = [i for i, chunk in enumerate(named) if chunk in members]
    return named[inside[0] : inside[-1] + 1] if inside else members


def missed_twins(groups: list[list[_Element]], extracted: str) -> list[_Element] | None:
    """The first group of which the extracted text holds some twins but not all, or None."""
    text = _normal(extracted)
    for members in groups:
        covered = [_share_in(m, text) >= COVERED_SHARE for m in members]
        if any(covered) and not all(covered):
            return members
    return None


def _share_in(element: _Element, text: str) -> float:
    paragraphs = _prose(element)
    if not paragraphs:
        return 0.0
    return sum(1 for p in paragraphs if p in text) / len(paragraphs)


def joined_copy(tree: _Element, members: list[_Element]) -> _Element:
    """A copy of the page where every twin's content follows the first twin's, in page order."""
    root = tree.getroottree()
    paths = [root.getpath(m) for m in members]
    clone = copy.deepcopy(tree)
    twins = [clone.getroottree().xpath(path)[0] for path in paths]
    first = twins[0]
    for twin in twins[1:]:
        for child in list(twin):
            first.append(child)
        if twin.text and twin.text.strip():
            first.append(_paragraph(twin.text))
        twin.drop_tree()  # keeps the tail text
    return clone


def _paragraph(text: str) -> _Element:
    element: _Element = lxml_html.Element("p")
    element.text = text
    return element
