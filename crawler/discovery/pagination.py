"""The next page of a section, tag or archive page, however the site writes it.

Sites link their next page with ``rel="next"``, with a class or id that names it
(``next``, ``pagination-next``, ``nav-next``, ``older``), with a label ("التالي",
"الصفحة التالية", "Next", "Older posts", "Suivant", "Weiter", "بعدی", "اگلا", "›", "»"),
or only with numbers: in the path (``/2.html``, ``/2/``, ``/page/2``, ``/page-2``, ``-p2``)
or the query (``page``, ``p``, ``pg``, ``paged``, ``start``, ``offset``). A next page is always
a page of the same section, never an earlier one; how deep to follow is the spider's
``NEWS_SECTION_PAGES``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.urls import canonical_url, same_site

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lxml.html import HtmlElement

PAGE_PARAMS = ("page", "p", "pg", "paged", "start", "offset")
"""Query parameters that number the pages of a list."""
_SLOT = "{n}"
_PAGE_STEP = 10
"""How far ahead a bare page number may be (pagers skip ahead; article ids are far)."""
# Path forms of a page number, on the last segment: "2", "2.html", "page2", "page-2", "x-p2".
_SEGMENT_RES = (
    re.compile(r"^(?P<pre>)(?P<n>\d{1,4})(?P<post>\.[a-z]{2,5})?$", re.IGNORECASE),
    re.compile(r"^(?P<pre>page[-_]?)(?P<n>\d{1,4})(?P<post>\.[a-z]{2,5})?$", re.IGNORECASE),
    re.compile(r"^(?P<pre>.+-p)(?P<n>\d{1,4})(?P<post>\.[a-z]{2,5})?$", re.IGNORECASE),
)
# Class and id tokens that name the next page (split on "-", "_" and spaces).
_NEXT_TOKENS = frozenset({"next", "older", "nextpostslink", "nextpage", "loadmore", "next-page"})
_NEXT_NAMES_RE = re.compile(r"(?:^|[-_\s])(?:next|older|load-?more)(?:[-_\s]|$)", re.IGNORECASE)
# Labels of a next-page link, compared case-folded, without arrows, dots and spaces around.
_NEXT_LABELS = frozenset(
    {
        "next", "next page", "older", "older posts", "older entries", "older articles",
        "more", "load more", "show more", "more articles", "more news",
        "التالي", "الصفحة التالية", "التالية", "المزيد", "تحميل المزيد", "عرض المزيد",
        "المقالات السابقة", "الأقدم",
        "suivant", "page suivante", "suivante", "weiter", "nächste", "nächste seite",
        "siguiente", "próxima", "successivo", "sonraki", "volgende",
        "بعدی", "صفحه بعد", "بعد", "اگلا", "اگلا صفحہ", "مزید",
    }
)  # fmt: skip
_ARROWS = "›»→>⟩❯⏩"
_STRIP = _ARROWS + "‹«←<⟨❮" + " .…:|-\u200f\u200e\xa0"


@dataclass(frozen=True, slots=True)
class PagePosition:
    """Where a URL sits in a numbered list: the list, the page's number, the list's first page."""

    key: str
    """The URL with its page number replaced by a slot: equal for every page of one list."""
    number: int
    root: str
    """The list's first page as sites usually link it: the URL without its number."""
    offset: bool = False
    """Numbered by ``start``/``offset`` (items, not pages: steps of any size)."""


def position(url: str) -> PagePosition | None:
    """The list and page number a URL states, or None when it states no number."""
    parts = urlsplit(url)
    scheme, netloc = parts.scheme, parts.netloc.lower()
    query = parse_qsl(parts.query, keep_blank_values=True)
    for index, (name, value) in enumerate(query):
        if name.lower() in PAGE_PARAMS and value.isdigit():
            others = [*query[:index], *query[index + 1 :]]
            key = urlunsplit((scheme, netloc, parts.path, urlencode(others), name.lower()))
            root = urlunsplit((scheme, netloc, parts.path, urlencode(others), ""))
            offset = name.lower() in {"start", "offset"}
            return PagePosition(key, int(value), canonical_url(root), offset)
    path = parts.path
    head, _, last = path.rstrip("/").rpartition("/")
    trailing = "/" if path.endswith("/") else ""
    if head.lower().endswith("/page") and last.isdigit():  # /page/2
        key = urlunsplit((scheme, netloc, f"{head}/{_SLOT}{trailing}", parts.query, ""))
        root = urlunsplit((scheme, netloc, head[: -len("/page")] + "/", parts.query, ""))
        return PagePosition(key, int(last), canonical_url(root))
    for pattern in _SEGMENT_RES:
        if match := pattern.match(last):
            slot = f"{match['pre']}{_SLOT}{match['post'] or ''}"
            key = urlunsplit((scheme, netloc, f"{head}/{slot}{trailing}", parts.query, ""))
            stem = match["pre"].removesuffix("-p").rstrip("-_")
            if match["pre"].lower().startswith("page") or not stem:
                stem = ""  # /section/page-2, /section/2.html: the list is /section/
            elif match["post"]:
                stem += match["post"]  # /tag/x-p2.html: the list is /tag/x.html
            root = urlunsplit((scheme, netloc, f"{head}/{stem}", parts.query, ""))
            return PagePosition(key, int(match["n"]), canonical_url(root))
    return None


def _label(anchor: HtmlElement) -> str:
    text = " ".join(anchor.itertext()) or anchor.get("aria-label") or anchor.get("title") or ""
    folded = unicodedata.normalize("NFKC", " ".join(text.split())).casefold()
    return folded.strip(_STRIP)


def _names(anchor: HtmlElement) -> str:
    names = [anchor.get("class") or "", anchor.get("id") or ""]
    parent = anchor.getparent()
    if parent is not None and parent.tag in {"li", "span", "div", "p"}:
        names += [parent.get("class") or "", parent.get("id") or ""]
    return " ".join(names)


def _says_next(anchor: HtmlElement) -> bool:
    if "next" in (anchor.get("rel") or "").lower().split():
        return True
    names = _names(anchor)
    if names and (
        _NEXT_NAMES_RE.search(names)
        or _NEXT_TOKENS.intersection(t.lower() for t in re.split(r"\s+", names))
    ):
        return True
    text = " ".join(" ".join(anchor.itertext()).split())
    if text and text.strip(" ") and not text.strip(_ARROWS + " "):
        return len(text.strip()) == 1  # a lone "›" or "»" ("»»" is the last page)
    return _label(anchor) in _NEXT_LABELS


def _same_list(url: str, page_url: str, here: PagePosition | None) -> tuple[bool, int | None]:
    """Whether ``url`` is a page of the list ``page_url`` is on, and its number if it states one."""
    there = position(url)
    if there is None:
        return False, None
    if here is not None:
        return there.key == here.key, there.number
    # From the list's first page, which states no number: the link's list starts here.
    return there.root.rstrip("/") == canonical_url(page_url).rstrip("/"), there.number


def in_list(url: str, page_url: str) -> bool:
    """Whether ``url`` is a numbered page of the list ``page_url`` is a page of (a pager link,
    even when its path looks like an article's: ``latest-p2.html``)."""
    return _same_list(url, page_url, position(page_url))[0]


def _directory(url: str) -> str:
    return urlsplit(canonical_url(url)).path.rsplit("/", 1)[0]


def next_page(
    links: Sequence[tuple[str, HtmlElement]], page_url: str, link_next: str | None = None
) -> str | None:
    """The next page among a page's links (``link_next``: its ``<link rel="next">``)."""
    here = position(page_url)
    current = here.number if here is not None else (0 if _is_offset(page_url) else 1)
    me = canonical_url(page_url)

    def forward(url: str, *, named: bool) -> bool:
        if not same_site(url, page_url) or canonical_url(url) == me:
            return False
        same, number = _same_list(url, page_url, here)
        if number is not None:
            return same and number > current
        return named and _directory(url) == _directory(page_url)  # "older", no number

    if link_next and forward(link_next, named=True):
        return link_next
    for url, anchor in links:
        if _says_next(anchor) and forward(url, named=True):
            return url
    numbered = []
    for url, _ in links:
        same, number = _same_list(url, page_url, here)
        if not same or number is None or number <= current or not same_site(url, page_url):
            continue
        there = position(url)
        if (there is not None and there.offset) or number <= current + _PAGE_STEP:
            numbered.append((number, url))  # a page number far ahead is an article id
    return min(numbered)[1] if numbered else None


def _is_offset(url: str) -> bool:
    return any(name.lower() in {"start", "offset"} for name, _ in parse_qsl(urlsplit(url).query))
