"""Which trafilatura result to trust, and how to repair the few that fail.

trafilatura's full mode compares its own result with readability's and jusText's and may swap
it for theirs. On the public article benchmark that swap rescues a few pages where the main
extractor failed, but it also replaces good bodies with whole-page dumps (a newsletter page,
a short essay next to a list of other essays), and full mode takes about 1.4 times as long.
So we run ``fast=True`` first and pay for the full cascade only when the fast body looks like
a failure: too short to be an article body, one undivided block (trafilatura's last-resort
dump of the page's text), nearly all of the page's visible text, or short while more prose
stands above it than it holds (a wrong container: the article's last paragraphs and a
promotion; ``missed_prose``). Then two rarer repairs:
an article split into twin containers (``crawler.extraction.sections``) and a page whose article is only
in its JSON-LD (``crawler.extraction.jsonld``). See BENCHMARKS.md for the figures.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml.etree import Element, SubElement
from trafilatura import bare_extraction
from trafilatura.settings import Document

from crawler.extraction import jsonld
from crawler.extraction.inline import GLUE, output_text, rendered_blocks
from crawler.extraction.sections import joined_copy, missed_twins, twin_groups
from crawler.extraction.textnorm import words

if TYPE_CHECKING:
    from lxml.etree import _Element

MIN_PLAUSIBLE_WORDS = 100
"""A fast body with fewer words is re-extracted with the full cascade (real ones rarely are)."""
MAX_PLAUSIBLE_COVERAGE = 0.9
"""A fast body holding this share of the page's visible characters is taken for a page dump."""
MIN_BODY_BLOCKS = 2
"""A body of one block is trafilatura's last-resort page dump, not a found container."""

MAX_CHECKED_WORDS = 300
"""Fast bodies shorter than this are checked for prose they missed (a wrong container that
looks plausible is short: two paragraphs and a promotion); longer ones are trusted."""
MIN_MISSED_RUN_WORDS = 30
"""A block of its own text this long is article prose the body should have held."""
MISSED_KEY_WORDS = 8
"""A block of text is recognised in the body by its first words (and one this short is not)."""
_NOT_PROSE = frozenset(
    {"script", "style", "noscript", "template", "textarea", "option", "select", "code", "pre"}
)
_OUTSIDE_ARTICLE = frozenset({"footer", "nav", "aside", "header", "form"})

_WORD_RE = re.compile(r"\w+")
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
    if words(text) < MIN_PLAUSIBLE_WORDS:
        return False
    return not (page_chars and len(" ".join(text.split())) >= MAX_PLAUSIBLE_COVERAGE * page_chars)


def _run(tree: _Element, fast: bool, kwargs: dict[str, Any]) -> Document | None:
    if not kwargs.get("with_metadata"):
        # Without metadata the URL only resolves link targets, and only link text is used.
        kwargs = {**kwargs, "url": None}
    document = bare_extraction(tree, fast=fast, **kwargs)
    return document if isinstance(document, Document) and document.body is not None else None


def _text(document: Document | None) -> str:
    """The body's text, one line per block (``document.text`` would carry link markup)."""
    if document is None or document.body is None:
        return ""
    return "\n".join(" ".join(output_text(block).split()) for block in document.body)


def main_content(tree: _Element, *, allow_rescue: bool = True, **kwargs: Any) -> Document | None:
    """``bare_extraction(tree, **kwargs)``, made more reliable in three rare cases.

    ``kwargs`` are trafilatura's own (``fast`` is chosen here). Fast mode first; the full
    cascade replaces its body only when ``needs_rescue`` and the full one is not empty (and
    ``allow_rescue``: on huge pages its fallback extractors can take minutes). Then,
    if the body holds part of an article split into twin containers, the same mode runs
    again on a copy with the twins joined, and that body is kept when it is longer and keeps
    what the first one had. Last, where the DOM gave no article of its own, the JSON-LD
    ``articleBody`` is used with its paragraphs, unless it is a teaser.
    """
    kwargs.pop("fast", None)
    fast = True
    first = document = _run(tree, fast, kwargs)
    text = _text(document)
    # Metadata is read from the page, not from the body, so a second run needs none of it.
    again = {**kwargs, "with_metadata": bool(kwargs.get("with_metadata")) and first is None}
    if allow_rescue and _needs_rescue(document, text, tree):
        rescue = _run(tree, False, again)
        if rescue_text := _text(rescue):
            document, text, fast = rescue, rescue_text, False
    groups = twin_groups(tree) if document is not None else []
    missed = missed_twins(groups, text) if groups else None
    if missed is not None:
        fuller = _run(joined_copy(tree, missed), fast, again)
        if _extends(fuller_text := _text(fuller), text):
            document, text = fuller, fuller_text
    return _split_dumps(tree, _with_json_ld(tree, _metadata_of(first, document), text))


# Fields of a trafilatura Document that describe the extracted body, not the page.
_BODY_FIELDS = frozenset({"body", "comments", "commentsbody", "raw_text", "text"})


def _metadata_of(source: Document | None, document: Document | None) -> Document | None:
    """``document``'s body with ``source``'s metadata (the run that read it)."""
    if source is None or document is None or document is source:
        return document
    result = copy.copy(document)
    for name in Document.__slots__:
        if name not in _BODY_FIELDS:
            setattr(result, name, getattr(source, name))
    return result


def needs_rescue(document: Document | None, tree: _Element) -> bool:
    """Whether a body looks like a failed extraction.

    That is: none, fewer than ``MIN_PLAUSIBLE_WORDS``, a single block (trafilatura's
    last-resort dump of the page's text comes as one block; real extractions have
    paragraphs), most of the page's visible text, or a short body below the prose it missed.
    """
    return _needs_rescue(document, _text(document), tree)


def _needs_rescue(document: Document | None, text: str, tree: _Element) -> bool:
    """``needs_rescue`` with the body's ``_text`` already made."""
    if _is_thin(document, text):
        return True
    return not plausible(text, visible_chars(tree)) or missed_prose(tree, text)


def missed_prose(tree: _Element, text: str) -> bool:
    """Whether a short body left out more prose before its own text than it holds: the fast
    pass took a wrong container (the article's last paragraphs and a promotion after them)
    while the opening, runs of text outside headers, footers, navigation and forms, stands
    above it. Prose after the body (the next post on a blog page) does not count."""
    held = words(text)
    if held >= MAX_CHECKED_WORDS:
        return False
    body_key = " ".join(_words(text))
    missed = 0
    for element in tree.iter(etree.Element):
        if element.tag in _NOT_PROSE:
            continue
        own = " ".join(
            t for t in (element.text, *(c.tail for c in element)) if t and not t.isspace()
        ).replace(GLUE, "")
        found = _words(own)
        if len(found) < MISSED_KEY_WORDS:
            continue
        if " ".join(found[:MISSED_KEY_WORDS]) in body_key:
            return False  # the body's own text: what follows it is not its lost opening
        if len(found) < MIN_MISSED_RUN_WORDS:
            continue
        if any(a.tag in _OUTSIDE_ARTICLE for a in element.iterancestors()):
            continue
        missed += len(found)
        if missed > held:
            return True
    return False


def _is_thin(document: Document | None, text: str) -> bool:
    """No body, one block only, or too few words (``text`` is the body's ``_text``)."""
    if document is None or document.body is None or len(document.body) < MIN_BODY_BLOCKS:
        return True
    return words(text) < MIN_PLAUSIBLE_WORDS


def _extends(longer: str, shorter: str) -> bool:
    """``longer`` has more words and keeps nearly all of ``shorter``'s paragraphs."""
    if words(longer) <= words(shorter):
        return False
    lines = [line for line in shorter.splitlines() if line.strip()]
    kept = sum(1 for line in lines if line in longer)
    return kept >= 0.9 * len(lines)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


MAX_DUMP_BLOCKS = 3
"""trafilatura's last resort on a page with little text copies each ``<article>`` as one block;
a body of more blocks is its own extraction."""
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _split_dumps(tree: _Element, document: Document | None) -> Document | None:
    """A block that is an ``<article>``'s whole text run together, cut into that article's
    own blocks (headline, byline, paragraphs), so that cleaning sees each line by itself.

    trafilatura's baseline takes over when the main extractor found less than a few hundred
    characters (a short page) and copies every ``<article>`` element as a single paragraph:
    "Live updates By Jane Porter · 2025-11-22 Live coverage …" where the page has a
    headline, a byline and a sentence.
    """
    if document is None or document.body is None or len(document.body) > MAX_DUMP_BLOCKS:
        return document
    articles = tree.findall(".//article")
    if not articles:
        return document
    keys = {_squeezed(output_text(block)): block for block in document.body if block.tag == "p"}
    replaced = False
    body = Element("body")
    for block in document.body:
        body.append(copy.deepcopy(block))
    for article in articles:
        parts = rendered_blocks(article)
        found = keys.get("".join(_squeezed(text) for _, text in parts))
        if found is None or len(parts) < MIN_BODY_BLOCKS:
            continue
        position = list(document.body).index(found)
        target = body[position]
        for tag, text in reversed(parts):
            part = Element("head" if tag in _HEADING_TAGS else "p")
            part.text = text.replace(GLUE, "")
            target.addnext(part)
        body.remove(target)
        replaced = True
    if not replaced:
        return document
    result = copy.copy(document)
    result.body = body
    return result


def _squeezed(text: str) -> str:
    """The text with no whitespace and no glue marks: the same characters however spaced."""
    return "".join(text.replace(GLUE, "").split())


def _with_json_ld(tree: _Element, document: Document | None, text: str) -> Document | None:
    """Use the page's JSON-LD ``articleBody`` where the DOM gave no article of its own.

    That is when the body is too short, or is that very ``articleBody`` (trafilatura's own
    last resort copies it as one block). A longer ``articleBody`` then becomes the body, one
    block per paragraph; a teaser (cut with "…" or "read more") is never an article, so a
    body that merely copied one is dropped.
    """
    if not _is_thin(document, text):
        return document
    raw = jsonld.raw_article_body(tree)
    if raw is None:
        return document
    parts = jsonld.paragraphs(raw)
    current = _words(text)
    copied = bool(current) and current == _words(" ".join(parts))
    if not copied and words(text) >= MIN_PLAUSIBLE_WORDS:
        return document
    if jsonld.is_teaser(parts):
        return None if copied else document
    if not copied and words(" ".join(parts)) <= words(text):
        return document
    result = copy.copy(document) if document is not None else Document()
    result.body = Element("body")
    for part in parts:
        SubElement(result.body, "p").text = part
    result.text = "\n".join(parts)
    return result
