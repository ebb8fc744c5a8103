"""A site's sections read from its home page, for sites whose sitemaps and feeds give nothing.

Many outlets (Arabic ones often) have no sitemap, a stale one, or no feed, and their section
pages are then the only complete path to their articles (issue 15). A home page names its
sections in two ways a parser can see without knowing the site: in its menus (``nav`` and
``header`` elements, ``role="navigation"``, elements whose class or id says menu or nav), and
as the short paths its article links share (``/politics/`` above ``/politics/2025/11/x.html``).
Links of either kind that are not articles, not the home page itself and not service pages
(about, contact, login…) are the sections; ``SiteFallback`` decides when a site needs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html
from lxml.etree import ParserError

from crawler.discovery.pagination import position
from crawler.discovery.sections import looks_like_article, page_links
from crawler.extraction.decoding import decode_html
from crawler.urls import canonical_url, is_http_url, same_site

_MAX_SECTION_DEPTH = 3
"""Path segments of a section link at most: sections are short paths."""
_MIN_SHARED = 2
"""Article links under a path that make it a section even outside a menu."""
_MENU_RE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|menubar)(?:[-_\s]|$)", re.IGNORECASE
)
_MENU_TAGS = frozenset({"nav", "header"})
# Path words of pages that are the site's service, not a section of its news.
_SERVICE_WORDS = frozenset(
    {
        "about", "about-us", "contact", "contact-us", "privacy", "privacy-policy", "terms",
        "login", "signin", "sign-in", "logout", "register", "signup", "sign-up", "account",
        "subscribe", "subscription", "newsletter", "newsletters", "advertise", "advertising",
        "careers", "jobs", "faq", "help", "cookies", "cookie-policy", "sitemap", "search",
        "imprint", "impressum", "legal", "feed", "feeds", "rss", "shop", "donate", "cart",
    }
)  # fmt: skip
_FILE_RE = re.compile(
    r"\.(?:xml|rss|json|pdf|jpe?g|png|gif|webp|svg|mp[34]|zip|js|css)$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class SiteNavigation:
    """What a home page leads to when it is read as the site's map."""

    sections: tuple[str, ...]
    """Same-site section pages, menus and shared paths first, at most the limit asked for."""
    articles: tuple[str, ...]
    """The home page's own article links (it is the site's first section)."""


def _in_menu(anchor: lxml_html.HtmlElement) -> bool:
    for element in anchor.iterancestors():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _MENU_TAGS or element.get("role") == "navigation":
            return True
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if names.strip() and _MENU_RE.search(names):
            return True
    return False


def _section_path(url: str) -> str | None:
    """The path a section link stands for (``/s/1.html`` is the list ``/s/``), or None when
    the link cannot be a section: a file, a service page, too deep, the home page."""
    found = position(url)
    path = unquote(urlsplit(found.root if found is not None else url).path)
    segments = [s for s in path.split("/") if s]
    if not segments or len(segments) > _MAX_SECTION_DEPTH or _FILE_RE.search(path):
        return None
    words = {re.sub(r"\.[a-z]{2,5}$", "", s.lower()) for s in segments}
    if words & _SERVICE_WORDS:
        return None
    return "/" + "/".join(segments) + "/"


def site_navigation(
    body: bytes, page_url: str, content_type: str | None = None, *, limit: int
) -> SiteNavigation:
    """The section pages (at most ``limit``) and article links of a home page."""
    try:
        tree = lxml_html.document_fromstring(decode_html(body, content_type))
    except (ParserError, ValueError):
        return SiteNavigation((), ())
    links = page_links(tree, page_url)
    articles = list(dict.fromkeys(u for u, _ in links if looks_like_article(u, page_url)))
    article_paths = [urlsplit(u).path for u in articles]
    listed = set(articles)
    home = canonical_url(page_url)
    ranked: dict[str, tuple[int, int]] = {}  # canonical URL -> (score, first position)
    chosen: dict[str, str] = {}
    for order, (url, anchor) in enumerate(links):
        if not is_http_url(url) or not same_site(url, page_url) or url in listed:
            continue
        key = canonical_url(url)
        path = _section_path(url)
        if key == home or path is None or key in ranked:
            continue
        shared = sum(p.startswith(path) for p in article_paths)
        score = (2 if _in_menu(anchor) else 0) + (1 if shared >= _MIN_SHARED else 0)
        if score:
            ranked[key] = (score, order)
            chosen[key] = url
    best = sorted(ranked, key=lambda k: (-ranked[k][0], ranked[k][1]))[: max(0, limit)]
    return SiteNavigation(tuple(chosen[k] for k in best), tuple(articles))


@dataclass(slots=True)
class _Site:
    pending: int = 0
    found: int = 0
    navigation: SiteNavigation | None = None
    used: bool = False


@dataclass(slots=True)
class SiteFallback:
    """Which sites' robots.txt, sitemaps and feeds (``-a sites=``) gave no article at all.

    The spider tells it each document it asks for on a site's behalf (``opened``), and each
    one's end, read or failed, with the article links it listed (``closed``). Once the last
    one is in and none listed an article, ``closed`` hands back the home page's navigation,
    once per site; a site whose home page could not be read has none to give.
    """

    _sites: dict[str, _Site] = field(default_factory=dict)

    def opened(self, site: str) -> None:
        self._sites.setdefault(site, _Site()).pending += 1

    def home(self, site: str, navigation: SiteNavigation) -> None:
        """The site's home page was read: its navigation, kept until it is needed."""
        self._sites.setdefault(site, _Site()).navigation = navigation

    def closed(self, site: str, found: int) -> SiteNavigation | None:
        """A document of ``site`` is done, having listed ``found`` articles; the navigation
        to crawl when it was the last and the site gave nothing."""
        state = self._sites.setdefault(site, _Site())
        state.pending -= 1
        state.found += found
        if state.pending > 0 or state.found or state.used or state.navigation is None:
            return None
        state.used = True
        return state.navigation
