"""Which trafilatura run to trust: its fast extractor, and its full cascade only as a rescue.

trafilatura's full mode compares its own result with readability and jusText and may swap it
for theirs. On the public article benchmark that swap rescues a few pages where the main
extractor failed, but it also replaces good bodies with whole-page dumps (a newsletter page,
a short essay next to a list of other essays), and it costs about 40% of the run time.
``fast=True`` skips the comparison. We run fast first and pay for the full cascade only when
the fast body looks like a failure: too short to be an article body, or nearly all of the
page's visible text (a page dump, since every news page has some navigation around the
article). See BENCHMARKS.md for the figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trafilatura import bare_extraction
from trafilatura.settings import Document

if TYPE_CHECKING:
    from lxml.etree import _Element

MIN_PLAUSIBLE_WORDS = 100
"""A fast body with fewer words is re-extracted with the full cascade (real ones rarely are)."""
MAX_PLAUSIBLE_COVERAGE = 0.9
"""A fast body holding this share of the page's visible characters is taken for a page dump."""

# Elements whose text is not visible on the page.
_HIDDEN_TEXT = ".//script/text() | .//style/text() | .//noscript/text() | .//template/text()"


def visible_chars(tree: _Element) -> int:
    """About how many characters of text the page's body shows (scripts and styles excluded)."""
    body = tree.find("body")
    if body is None:
        return 0
    shown = int(body.xpath("string-length(normalize-space(.))"))
    hidden = sum(len(" ".join(str(t).split())) for t in body.xpath(_HIDDEN_TEXT))
    return max(0, shown - hidden)


def plausible(text: str, page_chars: int) -> bool:
    """Whether an extracted body looks like an article body rather than a failure."""
    if len(text.split()) < MIN_PLAUSIBLE_WORDS:
        return False
    return not (page_chars and len(" ".join(text.split())) >= MAX_PLAUSIBLE_COVERAGE * page_chars)


def main_content(tree: _Element, **kwargs: Any) -> Document | None:
    """``bare_extraction(tree, **kwargs)`` in fast mode, rescued by the full cascade if needed.

    ``kwargs`` are trafilatura's own (``fast`` is set here). The full result replaces the fast
    one only when the fast one is implausible and the full one is not empty.
    """
    kwargs.pop("fast", None)
    document = bare_extraction(tree, fast=True, **kwargs)
    text = document.text or "" if isinstance(document, Document) else ""
    if plausible(text, visible_chars(tree)):
        return document if isinstance(document, Document) else None
    rescue = bare_extraction(tree, fast=False, **kwargs)
    if isinstance(rescue, Document) and rescue.text and rescue.body is not None:
        return rescue
    return document if isinstance(document, Document) else None
