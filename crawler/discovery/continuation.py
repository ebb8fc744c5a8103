"""Articles split over several pages: which page of an article a URL is, and the next one.

Some outlets cut a long article into pages 2, 3… of the same article path (``?page=2``,
``/story/2/``, ``story-p2.html``), linked with ``rel="next"``, "الصفحة 2", "Page 2" or a pager
inside the article. The crawl fetches them and writes one article under the first page's URL
(issue 15). What makes a link the article's next page is its URL, not its label: the same
article path, numbered one more than this page. A ``rel="next"`` to another article (blogs
link their next post that way) never qualifies, and a numbered URL under a date folder
(``/2025/11/3.html``) is an article of its own, not page 3 of one.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from lxml.etree import ParserError

from crawler.discovery.pagination import position
from crawler.discovery.sections import page_links
from crawler.extraction.decoding import decode_html
from crawler.urls import canonical_url, has_article_path, same_site

MAX_PAGE_NUMBER = 50
"""A higher number is an id, not the page of an article."""


def article_page(url: str) -> tuple[str, int]:
    """The first page of the article ``url`` is a page of, and its number (``url``, 1 for a
    page that is not a numbered continuation)."""
    found = position(url)
    if found is None or found.offset or not 2 <= found.number <= MAX_PAGE_NUMBER:
        return url, 1
    last = urlsplit(found.root).path.rstrip("/").rpartition("/")[2]
    if not last or last.isdigit() or not has_article_path(found.root):
        return url, 1  # a section's page, or an article whose id is a small number
    return found.root, found.number


def is_continuation(url: str) -> bool:
    """Page 2, 3… of an article: never an article on its own."""
    return article_page(url)[1] > 1


def next_article_page(body: bytes, url: str, content_type: str | None = None) -> str | None:
    """The URL of the page that continues the article on this page, if it links one."""
    first, number = article_page(url)
    try:
        tree = lxml_html.document_fromstring(decode_html(body, content_type))
    except (ParserError, ValueError):
        return None
    heads = tree.xpath(
        "//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    )
    targets = [urljoin(url, str(h).strip()) for h in heads]
    targets += [target for target, _ in page_links(tree, url)]
    root = canonical_url(first).rstrip("/")
    for target in targets:
        found = position(target)
        if (
            found is not None
            and not found.offset
            and found.number == number + 1
            and found.root.rstrip("/") == root
            and same_site(target, url)
        ):
            return target
    return None
