"""Section and front pages: which links look like articles, and which one is the next page.

The split is a heuristic on URLs (courlan's navigation and not-crawlable filters plus the
shape of article paths: dates, ids, long slugs); the extraction has the last word, since a
fetched page with no article is recorded as such and never fetched again (issue 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import html as lxml_html
from lxml.etree import ParserError

from crawler.discovery.pagination import in_list, next_page, position
from crawler.extraction.decoding import decode_html
from crawler.urls import canonical_url, has_article_path, is_http_url, same_site


@dataclass(frozen=True, slots=True)
class SectionLinks:
    """What a section page leads to."""

    articles: tuple[str, ...]
    """Same-site links that look like article pages, in page order, once each."""
    next_page: str | None
    """The following page of this section, if the page links one."""


def page_number(url: str) -> int:
    """The page number a pagination URL states (``/page/3/``, ``?page=3``, ``/3.html``); 1 otherwise."""
    found = position(url)
    return found.number if found is not None else 1


def looks_like_article(url: str, page_url: str) -> bool:
    """True for a same-site link whose path has the shape of an article page."""
    if not is_http_url(url) or not same_site(url, page_url):
        return False
    if canonical_url(url) == canonical_url(page_url):
        return False
    return has_article_path(url)


def page_links(
    tree: lxml_html.HtmlElement, page_url: str
) -> list[tuple[str, lxml_html.HtmlElement]]:
    """Every link of a page (``<base href>`` honoured), absolute, without its fragment."""
    base = next(iter(tree.xpath("//base/@href")), None)
    base_url = urljoin(page_url, str(base)) if base else page_url
    found = []
    for anchor in tree.xpath("//a[@href]"):
        href = str(anchor.get("href")).strip()
        if href and not href.startswith("#"):
            found.append((urljoin(base_url, href).split("#", 1)[0], anchor))
    return found


def section_links(body: bytes, page_url: str, content_type: str | None = None) -> SectionLinks:
    """The article links and the next page of a section page."""
    try:
        tree = lxml_html.document_fromstring(decode_html(body, content_type))
    except (ParserError, ValueError):
        return SectionLinks((), None)
    links = page_links(tree, page_url)
    articles = [
        url for url, _ in links if looks_like_article(url, page_url) and not in_list(url, page_url)
    ]
    heads = tree.xpath(
        "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    )
    link_next = urljoin(page_url, str(heads[0]).strip()) if heads else None
    following = next_page(links, page_url, link_next)
    if following in articles:  # a "more" link to an article is not the next page
        following = None
    return SectionLinks(tuple(dict.fromkeys(articles)), following)
