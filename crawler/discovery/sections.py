"""Section and front pages: which links look like articles, and which one is the next page.

The split is a heuristic on URLs (courlan's navigation and not-crawlable filters plus the
shape of article paths: dates, ids, long slugs); the extraction has the last word, since a
fetched page with no article is recorded as such and never fetched again (issue 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from courlan import is_navigation_page, is_not_crawlable
from lxml import html as lxml_html
from lxml.etree import ParserError
from w3lib.url import url_query_cleaner

from crawler.extraction.decoding import decode_html
from crawler.urls import canonical_url, is_http_url, same_site

_PAGE_RE = re.compile(r"(?:/page/(\d+)/?$)|(?:[?&](?:page|p|pg|paged)=(\d+)(?:&|$))", re.IGNORECASE)
_PAGE_PATH_RE = re.compile(r"/page/\d+/?$", re.IGNORECASE)
_PAGE_PARAMS = ("page", "p", "pg", "paged")
_NOT_ARTICLE_EXT_RE = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|pdf|mp[34]|zip|xml|rss|json|js|css|ico|txt)$", re.IGNORECASE
)
_FEED_PATH_RE = re.compile(r"/(?:feed|rss|atom)(?:/|\.xml|$)", re.IGNORECASE)
_ID_RE = re.compile(r"\d{4,}|[0-9][a-z]|[a-z][0-9]", re.IGNORECASE)
_ARTICLE_EXT_RE = re.compile(r"\.(?:s?html?|php|aspx?)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SectionLinks:
    """What a section page leads to."""

    articles: tuple[str, ...]
    """Same-site links that look like article pages, in page order, once each."""
    next_page: str | None
    """The following page of this section, if the page links one."""


def page_number(url: str) -> int:
    """The page number a pagination URL states (``/page/3/``, ``?page=3``); 1 otherwise."""
    match = _PAGE_RE.search(url)
    if not match:
        return 1
    return int(match.group(1) or match.group(2))


def looks_like_article(url: str, page_url: str) -> bool:
    """True for a same-site link whose path has the shape of an article page."""
    if not is_http_url(url) or not same_site(url, page_url):
        return False
    if canonical_url(url) == canonical_url(page_url):
        return False
    path = unquote(urlsplit(url).path)
    if _NOT_ARTICLE_EXT_RE.search(path) or _FEED_PATH_RE.search(path) or _PAGE_RE.search(url):
        return False
    if is_navigation_page(url) or is_not_crawlable(url):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = _ARTICLE_EXT_RE.sub("", segments[-1])
    slug_words = len(re.split(r"[-_+]+", last))
    return bool(
        slug_words >= 3
        or (len(last) >= 8 and _ID_RE.search(last))
        or re.search(r"/\d{4}/\d{1,2}/", path)
    )


def _unpaged(url: str) -> str:
    """The section a pagination URL belongs to: the URL without its page part."""
    unpaged = url_query_cleaner(url, _PAGE_PARAMS, remove=True, keep_fragments=False)
    return canonical_url(_PAGE_PATH_RE.sub("/", unpaged)).rstrip("/")


def _links(tree: lxml_html.HtmlElement, page_url: str) -> list[tuple[str, lxml_html.HtmlElement]]:
    base = next(iter(tree.xpath("//base/@href")), None)
    base_url = urljoin(page_url, str(base)) if base else page_url
    found = []
    for anchor in tree.xpath("//a[@href]"):
        href = str(anchor.get("href")).strip()
        if href and not href.startswith("#"):
            found.append((urljoin(base_url, href).split("#", 1)[0], anchor))
    return found


def _next_page(links: list[tuple[str, lxml_html.HtmlElement]], page_url: str) -> str | None:
    for url, anchor in links:
        if "next" in (anchor.get("rel") or "").lower().split() and same_site(url, page_url):
            return url
    current, base = page_number(page_url), _unpaged(page_url)
    numbered = [
        (page_number(url), url)
        for url, _ in links
        if _PAGE_RE.search(url) and _unpaged(url) == base and page_number(url) > current
    ]
    return min(numbered)[1] if numbered else None


def section_links(body: bytes, page_url: str, content_type: str | None = None) -> SectionLinks:
    """The article links and the next page of a section page."""
    try:
        tree = lxml_html.document_fromstring(decode_html(body, content_type))
    except (ParserError, ValueError):
        return SectionLinks((), None)
    links = _links(tree, page_url)
    articles = [url for url, _ in links if looks_like_article(url, page_url)]
    return SectionLinks(tuple(dict.fromkeys(articles)), _next_page(links, page_url))
