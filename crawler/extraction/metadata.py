"""Pure readers of the metadata a page states about itself: dates, authors, canonical link, site.

Only explicit markup counts (JSON-LD, meta tags, ``<time>``, byline links and microdata): a
publication date is never guessed from a copyright footer or the text, unlike htmldate's
extensive search. Authors come from byline markup too, so that trafilatura's metadata pass
(whose author search copies the whole tree) runs on fewer pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml.etree import XPath

from crawler.extraction.jsonld import json_ld_objects

if TYPE_CHECKING:
    from lxml import html as lxml_html

_ISO_DATE_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?"
)
_DATE_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "publication_date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)
_AUTHOR_META_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "byl")
# Byline markup: a link to the author's page (``rel=author``) or schema.org microdata
# (``itemprop=author``). Comment threads mark their commenters the same way. ``@itemprop and``
# first: libxml2 otherwise builds the concatenated string for every element of the page.
_BYLINE_XPATH = XPath(
    "//*[@rel='author' or @itemprop"
    " and contains(concat(' ', normalize-space(@itemprop), ' '), ' author ')]"
    "[not(self::link or self::meta)]"
    "[not(ancestor-or-self::*[contains(@class, 'comment') or contains(@id, 'comment')])]"
)
_NAME_XPATH = XPath(".//*[@itemprop='name']")
_SPACES_RE = re.compile(r"\s+")
# "By", "بقلم", "كتب", or a one-word label ("Text:", "Autor:") before the name.
_BY_RE = re.compile(r"^(?:(?:by|بقلم|كتب)\s*:?\s+|[^\W\d_]+\s*:\s+)", re.IGNORECASE)
_SITE_META_KEYS = ("og:site_name", "application-name", "twitter:site")
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "blogposting",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "webpage",
        "report",
    }
)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page's markup says about the article; every field may be missing."""

    headline: str | None = None
    og_title: str | None = None
    """og:title or twitter:title, which often carry a ``| Site`` tail."""
    page_title: str | None = None
    """The ``<title>`` element's text."""
    published: str | None = None
    authors: tuple[str, ...] = ()
    site_name: str | None = None
    canonical: str | None = None
    section: str | None = None
    json_ld_body: str | None = None
    is_article_type: bool = False
    descriptions: tuple[str, ...] = ()
    """og:description, description, twitter:description and the JSON-LD article's: a page
    prints its summary under the headline, which ``standfirst`` recognises by them."""
    stated_types: frozenset[str] = frozenset()
    """The JSON-LD ``@type`` values of the page's own objects and ``og:<og:type>``, lowercased:
    what the page says it is (``crawler.extraction.pagetype`` weighs it)."""


_DESCRIPTION_META_KEYS = ("og:description", "description", "twitter:description")
_FIRST_NEWS_YEAR = 1990
"""Earlier stamps on a web page are placeholders (0001-01-01, 1970-01-01), not publication dates."""
_LAST_NEWS_YEAR = 2100
"""Later years are typos or sentinels (9999-12-31)."""
_MONTHS = 12
"""Months in a year: a larger month number is not a date."""
_MAX_DAY = 31
"""Days in the longest month: a larger day number is not a date."""
_MAX_AUTHOR_CHARS = 80
"""A longer "author" is a sentence or a list of credits picked up by a byline selector."""


def normalise_date(value: str) -> str | None:
    """An ISO 8601 date or datetime from a machine-readable stamp, or None if it is not one."""
    match = _ISO_DATE_RE.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    if not (
        _FIRST_NEWS_YEAR <= int(year) <= _LAST_NEWS_YEAR
        and 1 <= int(month) <= _MONTHS
        and 1 <= int(day) <= _MAX_DAY
    ):
        return None
    if hour is None:
        return f"{year}-{month}-{day}"
    stamp = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}"
    if zone:
        stamp += "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
    return stamp


_JSON_LD_NESTING = frozenset({"@graph", "mainEntity"})
"""Where a page's own article object nests; other nested objects (authors, images) are not it."""


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _meta(tree: lxml_html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.xpath("//meta[@content]"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        if key and key not in found and node.get("content", "").strip():
            found[key] = node.get("content").strip()
    return found


def _byline_names(tree: lxml_html.HtmlElement) -> list[str]:
    """Names in the page's byline markup, in page order (a microdata ``name`` inside first)."""
    names = []
    for node in _BYLINE_XPATH(tree):
        named = next(iter(_NAME_XPATH(node)), node)
        names.append(named.get("content") or " ".join(named.itertext()))
    return names


def _clean_author(name: str) -> str | None:
    name = _SPACES_RE.sub(" ", name).strip()
    name = _BY_RE.sub("", name)
    if not name or name.startswith(("http://", "https://", "@")) or len(name) > _MAX_AUTHOR_CHARS:
        return None
    return name


def read_metadata(tree: lxml_html.HtmlElement) -> PageMetadata:
    """Collect the page's own statements about the article from a parsed tree."""
    meta = _meta(tree)
    headline = published = site_name = section = body = None
    authors: list[str] = []
    described: list[str] = []
    is_article = False
    stated: set[str] = set()
    for obj in json_ld_objects(tree, _JSON_LD_NESTING):
        types = _types(obj)
        stated |= types
        if types & {"website", "organization", "newsmediaorganization"} and not site_name:
            site_name = next(iter(_names(obj.get("name"))), None)
        if not types & _ARTICLE_TYPES:
            continue
        is_article = is_article or bool(types - {"webpage"})
        headline = headline or next(iter(_names(obj.get("headline"))), None)
        published = published or normalise_date(str(obj.get("datePublished") or ""))
        authors = authors or _names(obj.get("author"))
        section = section or next(iter(_names(obj.get("articleSection"))), None)
        if isinstance(obj.get("description"), str):
            described.append(obj["description"])
        if isinstance(obj.get("articleBody"), str) and not body:
            body = obj["articleBody"]
        if not site_name:
            site_name = next(iter(_names(obj.get("publisher"))), None)
    if published is None:
        published = next(
            (d for k in _DATE_META_KEYS if k in meta and (d := normalise_date(meta[k]))), None
        )
    if published is None:
        for stamp in tree.xpath(
            "//time[@itemprop='datePublished' or @pubdate or contains(@class,'publish')]"
            "/@datetime | //*[@itemprop='datePublished']/@content"
        ):
            if published := normalise_date(str(stamp)):
                break
    if not authors:
        authors = [meta[k] for k in _AUTHOR_META_KEYS if k in meta][:1]
    # A stated author may be a profile URL or a handle, which is no name.
    names = tuple(dict.fromkeys(a for name in authors if (a := _clean_author(name))))
    names = names or tuple(dict.fromkeys(a for n in _byline_names(tree) if (a := _clean_author(n))))
    site_name = site_name or next((meta[k] for k in _SITE_META_KEYS if k in meta), None)
    if site_name and site_name.startswith("@"):
        site_name = site_name[1:]
    canonical = next(iter(tree.xpath("//link[@rel='canonical']/@href")), None) or meta.get("og:url")
    page_title = next((t.text_content() for t in tree.iter("title")), None)
    return PageMetadata(
        headline=headline or meta.get("og:title"),
        og_title=meta.get("og:title") or meta.get("twitter:title"),
        page_title=page_title.strip() if page_title and page_title.strip() else None,
        published=published,
        authors=names,
        site_name=site_name.strip() if site_name else None,
        canonical=str(canonical).strip() if canonical else None,
        section=section or meta.get("article:section"),
        json_ld_body=body,
        is_article_type=is_article or meta.get("og:type", "").lower() == "article",
        descriptions=tuple(
            dict.fromkeys([*(meta[k] for k in _DESCRIPTION_META_KEYS if k in meta), *described])
        ),
        stated_types=frozenset(stated | {f"og:{meta.get('og:type', '').lower()}"} - {"og:"}),
    )
