"""Sitemaps: robots.txt ``Sitemap:`` lines, indexes, urlsets, Google News and gzip, via Scrapy.

Parsing is Scrapy's own (``scrapy.utils.sitemap``: lxml iterparse with entities off and no
network); gzip is handled as ``SitemapSpider`` does. The one addition is the Google News
namespace, whose ``news:publication_date`` and ``news:title`` sit one level deeper than
Scrapy's parser reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin, urlsplit

from lxml.etree import XMLSyntaxError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.urls import is_http_url

if TYPE_CHECKING:
    from lxml.etree import _Element

GZIP_MAGIC = b"\x1f\x8b\x08"
_ENTITY_DECLARATION_RE = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE)

# Where sites without a ``Sitemap:`` line in robots.txt usually keep one (issue 3).
FALLBACK_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml")


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One ``<url>`` or ``<sitemap>`` entry."""

    loc: str
    lastmod: str | None = None
    """``<lastmod>`` as written: when the page (or child sitemap) last changed."""
    published: str | None = None
    """``<news:publication_date>`` (Google News sitemaps) as written."""
    title: str | None = None
    """``<news:title>`` (Google News sitemaps)."""

    @property
    def age_date(self) -> str | None:
        """The date to compare with an age cut-off (a change date bounds the publication)."""
        return self.published or self.lastmod


@dataclass(frozen=True, slots=True)
class SitemapDocument:
    """A parsed sitemap: an index of child sitemaps or a set of page URLs."""

    kind: Literal["sitemapindex", "urlset"]
    entries: tuple[SitemapEntry, ...]


class _NewsSitemap(Sitemap):
    """Scrapy's parser, also reading the nested ``<news:news>`` block of Google News sitemaps."""

    def _process_sitemap_element(self, elem: _Element) -> dict[str, Any] | None:
        news: dict[str, str] = {}
        for child in elem:
            if self._get_tag_name(child) != "news":
                continue
            for node in child.iter():
                name = self._get_tag_name(node)
                if name in {"publication_date", "title"} and node.text and node.text.strip():
                    news[f"news:{name}"] = node.text.strip()  # its XML name, not a meta key
        entry = super()._process_sitemap_element(elem)
        if entry is not None:
            entry.update(news)
        return entry


def sitemap_body(body: bytes, url: str, *, is_xml: bool, max_size: int) -> bytes | None:
    """The XML of a sitemap response, gunzipped if needed; None when it is not a sitemap.

    Mirrors ``SitemapSpider._get_sitemap_body``: an XML response as is, a gzip body
    decompressed within ``max_size`` bytes, and a ``.xml``/``.xml.gz`` URL that the HTTP layer
    already decompressed.
    """
    if body[:3] == GZIP_MAGIC:
        try:
            return gunzip(body, max_size=max_size)
        except (ValueError, OSError, EOFError):  # over max_size (a ValueError) or corrupt
            return None
    if is_xml or url.endswith((".xml", ".xml.gz")) or body.lstrip()[:5] == b"<?xml":
        return body
    return None


def declares_entities(xml: bytes) -> bool:
    """Whether an XML document declares entities in its DOCTYPE (no sitemap or feed needs to).

    Such a document is refused whole, not parsed: the parsers already leave entities
    unexpanded and fetch nothing, but the text around an unexpanded entity is cut short and
    would still give URLs. An entity bomb or an external entity is hostile, never a mistake.
    """
    return _ENTITY_DECLARATION_RE.search(xml) is not None


def read_sitemap(xml: bytes) -> SitemapDocument | None:
    """The entries of a sitemap index or urlset; None for anything else (a feed, HTML, junk)."""
    try:
        sitemap = _NewsSitemap(xml)
    except (XMLSyntaxError, StopIteration, ValueError):
        return None
    if sitemap.type not in {"sitemapindex", "urlset"}:
        return None
    entries: list[SitemapEntry] = []
    try:
        for raw in sitemap:
            loc = str(raw.get("loc") or "").strip()
            if not is_http_url(loc):
                continue
            entries.append(
                SitemapEntry(
                    loc=loc,
                    lastmod=raw.get("lastmod") or None,
                    published=raw.get("news:publication_date") or None,
                    title=raw.get("news:title") or None,
                )
            )
    except XMLSyntaxError:
        pass  # a truncated sitemap: keep what was read before the break
    kind: Literal["sitemapindex", "urlset"] = (
        "sitemapindex" if sitemap.type == "sitemapindex" else "urlset"
    )
    return SitemapDocument(kind, tuple(entries))


def robots_sitemaps(robots_txt: bytes, robots_url: str) -> list[str]:
    """The ``Sitemap:`` URLs a robots.txt lists (http and https only, in order, once each)."""
    found = [u for u in sitemap_urls_from_robots(robots_txt, base_url=robots_url) if is_http_url(u)]
    return list(dict.fromkeys(found))


def site_root(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def robots_url(site: str) -> str:
    return urljoin(site_root(site) + "/", "robots.txt")


def fallback_sitemaps(site: str) -> list[str]:
    """The usual sitemap locations of a site, tried when its robots.txt names none."""
    root = site_root(site)
    return [root + path for path in FALLBACK_PATHS]
