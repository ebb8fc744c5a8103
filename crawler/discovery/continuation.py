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

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml import html as lxml_html
from lxml.etree import ParserError

from crawler.discovery.pagination import position
from crawler.discovery.sections import page_links
from crawler.extraction.decoding import decode_html
from crawler.urls import canonical_url, has_article_path, same_site

MAX_PAGE_NUMBER = 50
"""A higher number is an id, not the page of an article."""
_PARAMS = (b"page", b"p", b"pg", b"paged")
_AFTER_NAME = 24
"""Bytes after the article's name in which a link to its page N states the number."""


def _may_continue(body: bytes, first: str, number: int) -> bool:
    """Whether the bytes hold something like a link to page ``number`` of the article
    ``first``: its last path segment followed closely by the number, or a relative
    ``?page=N``. Checked before the page is parsed (plain substring searches: nearly no
    article has a next page, and the crawl process parses nothing it need not)."""
    if any(b"?%s=%d" % (param, number) in body for param in _PARAMS):
        return True
    last = urlsplit(first).path.rstrip("/").rpartition("/")[2]
    stem = re.sub(r"\.[a-z0-9]{2,5}$", "", last, flags=re.IGNORECASE)
    numbered = re.compile(rb"""[^\s"'<>]*?(?:[?&;][a-z]+=|/|-p)%d(?![0-9])""" % number)
    for name in {stem.encode(), unquote(stem).encode()} - {b""}:
        at = body.find(name)
        while at >= 0:
            start = at + len(name)
            if numbered.match(body, start, start + _AFTER_NAME):
                return True
            at = body.find(name, start)
    return False


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
    if not _may_continue(body, first, number + 1):
        return None
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
