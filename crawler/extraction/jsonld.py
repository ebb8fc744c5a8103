"""The schema.org ``articleBody`` a page ships in its JSON-LD, as clean paragraphs.

Client-rendered news pages often carry no article in their HTML but the whole text in
JSON-LD. Elsewhere the field is a poor substitute for the page: on the public benchmark it is
present on about one page in ten, sometimes a teaser cut with "…", sometimes raw HTML with
entities, and never better than the extracted DOM text when that looks right (BENCHMARKS.md).
So it is only a fallback, used by ``crawler.extraction.candidates`` when the DOM gives no plausible body.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any

from lxml import html as lxml_html
from lxml.etree import ParserError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.etree import _Element

_TEASER_END = re.compile(
    r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|\bread more|\bcontinue reading)\W*$", re.IGNORECASE
)
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "blockquote", "div")


def json_ld_objects(
    tree: _Element, descend: frozenset[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Every object in the page's JSON-LD blocks, outer ones first within each block.

    Nested objects are reached through the keys in ``descend`` (None: through every key).
    A block that is not JSON is skipped.
    """
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null", strict=False)
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                yield node
                stack.extend(
                    v
                    for k, v in node.items()
                    if (descend is None or k in descend) and isinstance(v, (list, dict))
                )


def raw_article_body(tree: _Element) -> str | None:
    """The longest ``articleBody`` string in the page's JSON-LD blocks, or None."""
    bodies = [
        body
        for obj in json_ld_objects(tree)
        if isinstance(body := obj.get("articleBody"), str) and body.strip()
    ]
    return max(bodies, key=len) if bodies else None


def paragraphs(raw: str) -> list[str]:
    """Paragraphs of an ``articleBody``: HTML markup and entities resolved, space normalised."""
    if _TAG_RE.search(raw):
        try:
            fragment = lxml_html.fragment_fromstring(raw, create_parent="div")
        except (ParserError, ValueError):
            fragment = None
        if fragment is not None:
            blocks = [
                " ".join(el.text_content().split())
                for el in fragment.iter(*_BLOCK_TAGS)
                if not any(child.tag in _BLOCK_TAGS for child in el)
            ]
            loose = " ".join((fragment.text or "").split())
            return [b for b in [loose, *blocks] if b]
    text = html.unescape(raw)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def is_teaser(parts: list[str]) -> bool:
    """A body cut short on purpose: it ends with an ellipsis or a "read more"."""
    return not parts or bool(_TEASER_END.search(parts[-1]))
