"""Pure article extraction: HTML bytes and URL in, a clean article out. No Scrapy imports.

trafilatura finds the main content; ``crawler.extraction.cleaning.rules`` removes what news sites leave inside
it; ``crawler.extraction.metadata`` reads what the page states about itself; langdetect names the
language. The same function serves the crawl, the CLI and the benchmarks.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError, XMLSyntaxError, XPath
from trafilatura.settings import Document

from crawler.extraction.candidates import main_content
from crawler.extraction.cleaning.rules import Block, PageContext, clean_blocks
from crawler.extraction.decoding import decode_html
from crawler.extraction.inline import (
    mark_glue,
    output_text,
    remove_glue,
    rendered_text,
)
from crawler.extraction.kicker import without_kicker
from crawler.extraction.language import detect_language
from crawler.extraction.metadata import PageMetadata, read_metadata
from crawler.extraction.options import ExtractionOptions
from crawler.extraction.pagenames import page_names
from crawler.extraction.pageprep import break_runs, prepare_tree, teaser_texts
from crawler.extraction.pagetype import NO_HEADLINE, NO_TEXT, PageType, classify
from crawler.extraction.standfirst import with_standfirst
from crawler.extraction.textnorm import contains_phrase, ends_sentence, fingerprint, words
from crawler.extraction.titles import choose_headline
from crawler.urls import canonical_url, is_http_url, registered_domain, same_site

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["ExtractedArticle", "Extraction", "ExtractionOptions", "extract_article", "extract_page"]

# Captions and credits, in one pass over the tree. Their texts are never article text.
_CAPTION_XPATH = XPath(
    "//*[self::figcaption or contains(@class, 'caption') or contains(@class, 'credit')]"
)
_COUNT_ELEMENTS = XPath("count(//*)")  # in libxml2: no Python object per element
_IMAGE_TEXT_XPATH = XPath("//img/@alt | //img/@title", smart_strings=False)
MIN_CAPTION_KEY_CHARS = 10
"""Shorter caption and alt texts ("photo", "AFP") would match body lines by chance."""
# Comments removed as trafilatura's own parser does: React pages put ``<!-- -->`` between the
# text nodes of a sentence, and trafilatura drops a comment's tail text with it.


def _new_parser() -> lxml_html.HTMLParser:
    """A parser per page: its error log tells whether libxml2 cut a too-deep tree.

    Every element of the tree is an ``HtmlElement``, chosen in C: lxml.html's own lookup calls
    back into Python for each element object it makes (half a million times over the benchmark,
    mostly inside trafilatura, which works on copies of this tree) only to give forms and inputs
    their special classes, which nothing here uses.
    """
    parser = lxml_html.HTMLParser(
        remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=False
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    return parser


_BLOCK_KINDS = {"p": "p", "head": "head", "quote": "quote", "code": "p", "table": "table"}
_CONTAINER_CHILDREN = {*_BLOCK_KINDS, "div", "list"}


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """One article as it will be written: headline, body paragraphs and stated metadata."""

    url: str
    canonical_url: str
    title: str
    paragraphs: tuple[str, ...]
    source: str | None = None
    domain: str = ""
    authors: tuple[str, ...] = ()
    published: str | None = None
    language: str | None = None
    language_probability: float | None = None

    @property
    def text(self) -> str:
        """Body paragraphs joined by blank lines (the headline is not part of it)."""
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        """Words by script (``textnorm.words``): what ``min_words`` and the manifest count."""
        return sum(words(p) for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Extraction:
    """The article of a page, or why there is none when the reason is a fault of the page."""

    article: ExtractedArticle | None
    problem: str | None = None
    """``extract/too_deep``, ``extract/too_many_elements`` or ``extract/too_long``; None when
    the page simply holds no article."""
    detail: str = ""
    page_type: PageType | None = None
    """What the page is and why (``crawler.extraction.pagetype``); None when it did not parse."""


class _RefusedError(Exception):
    """A page that breaks a limit; becomes ``Extraction.problem`` (never leaves this module)."""

    def __init__(self, problem: str, detail: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.detail = detail


def _parse(text: str) -> tuple[_Element | None, bool]:
    """The parsed tree and whether libxml2 cut it at its depth limit.

    libxml2 stops descending at 256 levels unless ``huge_tree`` is on (it stays off): a page of
    100,000 nested elements cannot exhaust the stack, but what lies below the cut is lost.
    """
    parser = _new_parser()
    try:
        tree = lxml_html.document_fromstring(text, parser=parser)
    except (ParserError, XMLSyntaxError, ValueError):
        return None, False
    cut = any("Excessive depth" in entry.message for entry in parser.error_log)
    return tree, cut


def _captions(tree: _Element) -> tuple[frozenset[str], list[_Element]]:
    """Fingerprints of caption, credit and image texts, and the caption elements to remove
    (``<figcaption>`` and WordPress's ``wp-caption-text``)."""
    nodes = _CAPTION_XPATH(tree)
    texts = [*_IMAGE_TEXT_XPATH(tree), *(rendered_text(n) for n in nodes)]
    prune = [
        n for n in nodes if n.tag == "figcaption" or "wp-caption-text" in n.get("class", "").split()
    ]
    return frozenset(fp for t in texts if len(fp := fingerprint(t)) > MIN_CAPTION_KEY_CHARS), prune


def _drop(elements: list[_Element]) -> None:
    """Remove the elements from their tree, keeping the text that follows each one."""
    for element in elements:
        if element.getparent() is not None:
            element.drop_tree()


def _block_text(element: _Element) -> tuple[str, float]:
    text = output_text(element)
    linked = sum(len(output_text(ref)) for ref in element.iter("ref"))
    stripped = len(text.strip()) or 1
    return text, min(1.0, linked / stripped)


def _line_parts(element: _Element) -> list[_Element]:
    """``element`` cut where two ``<lb/>`` follow each other: legacy pages make paragraphs with
    ``<br><br>``. A single line break stays inside its paragraph (addresses, link lists)."""
    children = list(element)
    runs = break_runs(children)
    if not runs:
        return [element]
    parts: list[_Element] = []
    current = etree.Element(element.tag)
    current.text = element.text
    start = 0
    for first, last in runs:
        for child in children[start:first]:
            current.append(deepcopy(child))
        parts.append(current)
        current = etree.Element(element.tag)
        current.text = children[last].tail
        start = last + 1
    for child in children[start:]:
        current.append(deepcopy(child))
    parts.append(current)
    return parts


def _blocks(body: _Element) -> list[Block]:
    """Flatten trafilatura's output tree into paragraph blocks with their kind and link share."""
    blocks: list[Block] = []
    for child in body:
        tag = str(child.tag)
        if tag == "list":
            for item in child.iter("item"):
                text, ratio = _block_text(item)
                blocks.append(Block(text, "list", ratio))
        elif tag == "table":
            for row in child.iter("row"):
                cells = [output_text(cell).strip() for cell in row.iter("cell")]
                blocks.append(Block(" | ".join(c for c in cells if c), "table"))
        elif tag == "div" and any(str(c.tag) in _CONTAINER_CHILDREN for c in child):
            if child.text and child.text.strip():
                blocks.append(Block(child.text, "p"))
            blocks += _blocks(child)
        elif tag in _BLOCK_KINDS or tag in {"div", "lb"}:
            for part in _line_parts(child):
                text, ratio = _block_text(part)
                blocks.append(Block(text, _BLOCK_KINDS.get(tag, "p"), ratio))
        if child.tail and child.tail.strip():
            blocks.append(Block(child.tail, "p"))
    return blocks


def _other_teasers(cards: tuple[frozenset[str], ...], headline: str) -> frozenset[str]:
    """Texts of teaser cards, except a card of this very article (a "latest news" box that
    lists it repeats its lead, and that lead stays)."""
    key = fingerprint(headline)
    others = [card for card in cards if not any(contains_phrase(text, key) for text in card)]
    return frozenset().union(*others)


def _canonical(url: str, meta: PageMetadata) -> str:
    """The page's own canonical link when it stays on the same site, else the fetched URL."""
    link = meta.canonical
    if link and is_http_url(link) and same_site(link, url):
        return canonical_url(link)
    return canonical_url(url)


def extract_article(
    body: bytes | str,
    url: str,
    options: ExtractionOptions | None = None,
    content_type: str | None = None,
) -> ExtractedArticle | None:
    """The article on a page, or None when the page holds no article of ``min_words``.

    ``body`` is the raw response (bytes are decoded from the header, the meta tag, or a
    guess); ``content_type`` is the HTTP header if there was one. Never touches the network.
    """
    return extract_page(body, url, options, content_type).article


def extract_page(
    body: bytes | str,
    url: str,
    options: ExtractionOptions | None = None,
    content_type: str | None = None,
) -> Extraction:
    """``extract_article`` that also says when a page's structure defeated the extraction."""
    options = options or ExtractionOptions()
    text = decode_html(body, content_type)
    tree, cut = _parse(text)
    if tree is None:
        return Extraction(None)
    elements = int(_COUNT_ELEMENTS(tree))
    try:
        if elements > options.max_elements:
            detail = f"{elements} elements, limit {options.max_elements}"
            raise _RefusedError("extract/too_many_elements", detail)
        fast = elements > options.fallback_max_elements
        article, kind = _extract_tree(tree, url, options, fast=fast)
    except _RefusedError as refused:
        return Extraction(None, refused.problem, refused.detail)
    if article is None and cut:
        return Extraction(None, "extract/too_deep", "nested deeper than 255 elements", kind)
    return Extraction(_encodable(article) if article else None, page_type=kind)


_SURROGATES_RE = re.compile("[\ud800-\udfff]")


def _encodable(article: ExtractedArticle) -> ExtractedArticle:
    """Drop lone surrogates (JSON-LD ``\\ud800`` escapes) from metadata: UTF-8 cannot hold them."""

    def fix(value: object) -> object:
        if isinstance(value, str):
            return _SURROGATES_RE.sub("", value)
        if isinstance(value, tuple):
            return tuple(fix(v) for v in value)
        return value

    changed = {f.name: fix(getattr(article, f.name)) for f in fields(article)}
    return replace(article, **changed)  # type: ignore[arg-type]


def _extract_tree(
    tree: _Element, url: str, options: ExtractionOptions, *, fast: bool
) -> tuple[ExtractedArticle | None, PageType]:
    meta = read_metadata(tree)
    captions, caption_elements = _captions(tree)
    addresses = (url, meta.canonical) if meta.canonical else (url,)
    teasers = teaser_texts(tree, addresses)
    prepare_tree(tree)
    _drop(caption_elements)
    names = (None, None) if meta.headline and meta.site_name else page_names(tree, url)
    body = tree.find("body")
    glued = mark_glue(body if body is not None else tree)
    document = main_content(
        tree,
        url=url,
        include_comments=False,
        include_tables=options.include_tables,
        include_links=True,
        # trafilatura's metadata is not run: a missing headline or site name comes from its
        # title and site-name steps alone (``pagenames``); authors come from the page's markup
        # (JSON-LD, meta tags, byline links and microdata).
        with_metadata=False,
        deduplicate=False,
        allow_rescue=not fast,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    remove_glue(glued)  # the headline is read from the tree below
    if not isinstance(document, Document) or document.body is None:
        return None, PageType(NO_TEXT, "no main text found")
    if len(document.text or "") > options.max_text_chars:
        detail = f"{len(document.text or '')} characters, limit {options.max_text_chars}"
        raise _RefusedError("extract/too_long", detail)
    site_name = meta.site_name or names[1] or ""
    stated = [t for t in (meta.headline, meta.og_title, meta.page_title, names[0]) if t]
    title = choose_headline(tree, stated, site_name, meta.section or "", addresses)
    domain = registered_domain(url)
    context = PageContext(
        headline=stated[0] if stated else title,
        site_name=site_name,
        domain=domain,
        authors=meta.authors,
        section=meta.section or "",
        captions=captions,
        titles=(title, *stated[1:]),
        teasers=_other_teasers(teasers, title),
    )
    blocks = without_kicker(tree, title, _blocks(document.body))
    blocks = with_standfirst(tree, title, blocks, meta.descriptions)
    paragraphs = clean_blocks(blocks, context)
    word_count = sum(words(p) for p in paragraphs)
    kind = classify(
        blocks,
        meta,
        url,
        body_words=word_count,
        min_words=options.min_words,
        min_brief_words=min(options.min_brief_words, options.min_words),
        complete=bool(paragraphs) and ends_sentence(paragraphs[-1]),
    )
    if not title and kind.is_article:
        kind = PageType(NO_HEADLINE, "no headline found")
    if not kind.is_article:
        return None, kind
    guess = detect_language(
        "\n".join(paragraphs),
        max_chars=options.language_sample_chars,
        detector=options.language_detector,
    )
    article = ExtractedArticle(
        url=url,
        canonical_url=_canonical(url, meta),
        title=title,
        paragraphs=tuple(paragraphs),
        source=site_name or None,
        domain=domain,
        authors=meta.authors,
        published=meta.published,
        language=guess.code if guess else None,
        language_probability=guess.probability if guess else None,
    )
    return article, kind
