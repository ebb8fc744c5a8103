"""RSS 2.0, Atom and RDF (RSS 1.0) feeds, and the feed links a home page advertises.

Feeds are untrusted XML: lxml parses them with entity resolution, DTD loading and network
access off (no XXE, no billion laughs), in recovery mode so a sloppy feed still yields its
good items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError, XMLSyntaxError

from crawler.extraction.decoding import decode_html
from crawler.urls import is_http_url

if TYPE_CHECKING:
    from lxml.etree import _Element

DocumentKind = Literal["sitemapindex", "urlset", "rss", "atom", "rdf"]

_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_PUBLISHED_TAGS = ("pubDate", "published", "date", "issued", "created")
_UPDATED_TAGS = ("updated", "modified")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: its page URL and the date the feed states for it."""

    url: str
    published: str | None = None
    """Publication date as written (RSS ``pubDate``, Atom ``published``, Dublin Core date)."""
    updated: str | None = None
    """Last change as written (Atom ``updated``): an upper bound on the publication date."""
    title: str | None = None

    @property
    def age_date(self) -> str | None:
        """The date to compare with an age cut-off (a change date bounds the publication)."""
        return self.published or self.updated


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def _parse_xml(body: bytes) -> _Element | None:
    try:
        root = etree.fromstring(body.lstrip(), parser=_parser())
    except (XMLSyntaxError, ValueError):
        return None
    return root


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def document_kind(body: bytes) -> DocumentKind | None:
    """What an XML discovery document is, from its root element; None if not XML we read."""
    root = _parse_xml(body)
    if root is None:
        return None
    name = _local(root.tag)
    kinds: dict[str, DocumentKind] = {
        "sitemapindex": "sitemapindex",
        "urlset": "urlset",
        "rss": "rss",
        "feed": "atom",
        "RDF": "rdf",
    }
    return kinds.get(name)


def _child_text(element: _Element, names: tuple[str, ...]) -> str | None:
    for name in names:
        for child in element:
            if _local(child.tag) == name and child.text and child.text.strip():
                return str(child.text).strip()
    return None


def _atom_link(entry: _Element) -> str | None:
    fallback = None
    for child in entry:
        if _local(child.tag) != "link" or not child.get("href"):
            continue
        rel = (child.get("rel") or "alternate").strip().lower()
        if rel == "alternate" and (child.get("type") or "text/html").startswith("text/html"):
            return str(child.get("href")).strip()
        if rel == "alternate" and fallback is None:
            fallback = str(child.get("href")).strip()
    return fallback


def _rss_link(item: _Element) -> str | None:
    # Feed proxies (FeedBurner) put the real article URL in origLink.
    link = _child_text(item, ("origLink", "link"))
    if link:
        return link
    for child in item:
        permalink = (child.get("isPermaLink") or "true").strip().lower() == "true"
        if _local(child.tag) == "guid" and child.text and permalink:
            return str(child.text).strip()
    return None


def read_feed(body: bytes, base_url: str) -> list[FeedEntry] | None:
    """The items of an RSS, Atom or RDF feed, in feed order; None when ``body`` is no feed."""
    root = _parse_xml(body)
    if root is None:
        return None
    kind = _local(root.tag)
    if kind == "rss":
        items = [e for e in root.iter() if _local(e.tag) == "item"]
    elif kind == "RDF":
        items = [e for e in root if _local(e.tag) == "item"]
    elif kind == "feed":
        items = [e for e in root if _local(e.tag) == "entry"]
    else:
        return None
    entries: list[FeedEntry] = []
    base = root.get("{http://www.w3.org/XML/1998/namespace}base") or base_url
    for item in items:
        link = _atom_link(item) if kind == "feed" else _rss_link(item)
        if not link:
            continue
        url = urljoin(base, link)
        if not is_http_url(url):
            continue
        entries.append(
            FeedEntry(
                url=url,
                published=_child_text(item, _PUBLISHED_TAGS),
                updated=_child_text(item, _UPDATED_TAGS),
                title=_child_text(item, ("title",)),
            )
        )
    return entries


def feed_links(body: bytes, page_url: str, content_type: str | None = None) -> list[str]:
    """The RSS/Atom feeds a page advertises with ``<link rel="alternate" type=...>``."""
    try:
        tree = lxml_html.document_fromstring(decode_html(body, content_type))
    except (ParserError, ValueError):
        return []
    found: list[str] = []
    base = next(iter(tree.xpath("//base/@href")), None)
    for link in tree.xpath("//link[@href and @type]"):
        rels = (link.get("rel") or "").lower().split()
        if "alternate" in rels and link.get("type", "").strip().lower() in _FEED_TYPES:
            url = urljoin(urljoin(page_url, str(base)) if base else page_url, link.get("href"))
            if is_http_url(url):
                found.append(url)
    return list(dict.fromkeys(found))
