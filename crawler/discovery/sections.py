"""Section and front pages: which links look like articles, and which one is the next page.

The split is a heuristic on URLs (courlan's navigation and not-crawlable filters plus the
shape of article paths: dates, ids, long slugs); the extraction has the last word, since a
fetched page with no article is recorded as such and never fetched again (issue 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import html as lxml_html
from lxml.etree import ParserError
from w3lib.url import url_query_cleaner

from crawler.extraction.decoding import decode_html
from crawler.urls import PAGINATION_RE, canonical_url, has_article_path, is_http_url, same_site

_PAGE_PATH_RE = re.compile(r"/page/\d+/?$", re.IGNORECASE)
_PAGE_PARAMS = ("page", "p", "pg", "paged")


@dataclass(frozen=True, slots=True)
class SectionLinks:
    """What a section page leads to."""

    articles: tuple[str, ...]
    """Same-site links that look like article pages, in page order, once each."""
    next_page: str | None
    """The following page of this section, if the page links one."""


def page_number(url: str) -> int:
    """The page number a pagination URL states (``/page/3/``, ``?page=3``); 1 otherwise."""
    match = PAGINATION_RE.search(url)
    if not match:
        return 1
    return int(match.group(1) or match.group(2))


def looks_like_article(url: str, page_url: str) -> bool:
    """True for a same-site link whose path has the shape of an article page."""
    if not is_http_url(url) or not same_site(url, page_url):
        return False
    if canonical_url(url) == canonical_url(page_url):
        return False
    return has_article_path(url)


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
        if PAGINATION_RE.search(url) and _unpaged(url) == base and page_number(url) > current
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
