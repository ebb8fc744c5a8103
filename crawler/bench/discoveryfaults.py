"""Hostile discovery documents for the fault server: XML bombs, index loops, a huge sitemap,
an endless calendar and bad sources files (issue 7, the cases that need issue 3's discovery).

Responders take the ``FaultHandler`` of one request, like those of
``crawler.bench.responders``; the sources files are templates the benchmark fills with the
server's address (``{base}``) and a port that refuses connections (``{dead}``).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from crawler.bench.faultserver import FaultCase
from crawler.bench.sitegen import article_html

if TYPE_CHECKING:
    from collections.abc import Callable

    from crawler.bench.faultserver import FaultHandler

XML_TYPE = "application/xml; charset=utf-8"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
BIG_SITEMAP_URLS = 60_000
"""URLs in the big sitemap (the protocol allows 50,000; sites exceed it)."""
CALENDAR_START = 600
"""The month the calendar trap starts from; every page links the one before, forever."""
PASSWD_MARKERS = ("root:x:", "/bin/bash", "/usr/sbin/nologin", "daemon:")
"""Strings of /etc/passwd that must never show up in a log or a written file."""

_LOL = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
BOMB_DOCTYPE = f'<!DOCTYPE urlset [\n<!ENTITY lol0 "lol">\n{_LOL}]>\n'
"""Billion laughs: ``&lol9;`` expands to 10⁹ × "lol" (3 GB) in a parser that expands."""


def _urlset(locs: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<urlset xmlns="{SITEMAP_NS}">'
        f"{locs}</urlset>"
    ).encode()


def _index(*children: str) -> bytes:
    entries = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">'
        f"{entries}</sitemapindex>"
    ).encode()


def xml_bomb(h: FaultHandler) -> None:
    """A sitemap whose one URL holds ``&lol9;``."""
    loc = f"<url><loc>{h.server.base}/case/xml_bomb_sitemap/&lol9;.html</loc></url>"
    h.send_body(200, _urlset(loc, BOMB_DOCTYPE), XML_TYPE)


def xxe(h: FaultHandler) -> None:
    """A sitemap whose URLs would carry /etc/passwd to the server if the entity were read."""
    doctype = '<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    locs = (
        f"<url><loc>{h.server.base}/case/xxe_sitemap/leak?d=&xxe;</loc></url>"
        "<url><loc>&xxe;</loc></url>"
    )
    h.send_body(200, _urlset(locs, doctype), XML_TYPE)


def self_index(h: FaultHandler) -> None:
    """A sitemap index whose only child is itself."""
    h.send_body(200, _index(f"{h.server.base}/case/sitemap_self_index/sitemap.xml"), XML_TYPE)


def cycle_index(other: str) -> Callable[[FaultHandler], None]:
    """One of two indexes that list each other (``other`` is the path of the second)."""

    def respond(h: FaultHandler) -> None:
        h.send_body(200, _index(f"{h.server.base}{other}"), XML_TYPE)

    return respond


@functools.cache
def _big_sitemap(base: str) -> bytes:
    locs = "".join(
        f"<url><loc>{base}/case/big_sitemap/articles/story-number-{n}.html</loc></url>"
        for n in range(BIG_SITEMAP_URLS)
    )
    return _urlset(locs)


def big_sitemap(h: FaultHandler) -> None:
    """60,000 URLs (about 6 MB), built once per server address."""
    h.send_body(200, _big_sitemap(h.server.base), XML_TYPE)


def big_sitemap_article(h: FaultHandler) -> None:
    """Any article of the big sitemap: a small page of its own."""
    h.send_body(200, article_html(f"big sitemap {h.path}").encode("utf-8"))


def calendar(h: FaultHandler) -> None:
    """A month of an archive calendar: links to the month before (``rel=next``) and after."""
    query = parse_qs(urlsplit(h.path).query)
    try:
        month = int(query.get("month", [str(CALENDAR_START)])[0])
    except ValueError:
        month = CALENDAR_START
    links = "".join(
        f'<li><a href="?month={m}">month {m}</a></li>' for m in range(month - 6, month + 6)
    )
    page = (
        f"<html><head><title>Archive, month {month}</title></head><body><h1>Month {month}</h1>"
        f'<a rel="next" href="?month={month - 1}">older</a> <a href="?month={month + 1}">newer</a>'
        f"<ul>{links}</ul></body></html>"
    )
    h.send_body(200, page.encode("utf-8"))


BAD_TOML = """\
[[source]]
name = "Broken quotes"
feeds = ["{base}/feed.xml]
"""
"""An unclosed string on line 3."""

UNKNOWN_KEYS = """\
[[source]]
name = "Typo"
sitemaps = ["{base}/sitemap.xml"]
sitmaps = ["{base}/sitemap2.xml"]
"""
"""``sitmaps`` (line 4) is not a key."""

UNREACHABLE = """\
[[source]]
name = "Gone"
urls = ["http://127.0.0.1:{dead}/article.html"]
feeds = ["http://127.0.0.1:{dead}/feed.xml"]
"""
"""Every URL on a port that refuses connections."""


CYCLE_B = "/case/sitemap_index_cycle/b.xml"

DISCOVERY_CASES: tuple[FaultCase, ...] = (
    FaultCase(
        "xml_bomb_sitemap",
        "billion-laughs entity expansion in a sitemap",
        "news/errors/discovery/xml_entities",
        xml_bomb,
        path="/case/xml_bomb_sitemap/sitemap.xml",
        start="sitemaps",
    ),
    FaultCase(
        "xxe_sitemap",
        "a sitemap with an external entity on file:///etc/passwd",
        "news/errors/discovery/xml_entities",
        xxe,
        path="/case/xxe_sitemap/sitemap.xml",
        start="sitemaps",
    ),
    FaultCase(
        "sitemap_self_index",
        "a sitemap index that lists itself",
        "news/skipped/repeated_document",
        self_index,
        path="/case/sitemap_self_index/sitemap.xml",
        start="sitemaps",
    ),
    FaultCase(
        "sitemap_index_cycle",
        "two sitemap indexes that list each other",
        "news/skipped/repeated_document",
        cycle_index(CYCLE_B),
        path="/case/sitemap_index_cycle/a.xml",
        start="sitemaps",
    ),
    FaultCase(
        "sitemap_index_cycle_b",
        "the second index of the cycle (not a start URL)",
        "",
        cycle_index("/case/sitemap_index_cycle/a.xml"),
        path=CYCLE_B,
    ),
    FaultCase(
        "big_sitemap",
        f"a sitemap of {BIG_SITEMAP_URLS:,} URLs (crawl limited to 3 articles)",
        "news/discovered",
        big_sitemap,
        path="/case/big_sitemap/sitemap.xml",
        start="sitemaps",
        settings={"NEWS_MAX_ARTICLES": "3"},
        warnings=0,
    ),
    FaultCase(
        "big_sitemap_articles",
        "the articles of the big sitemap (not a start URL)",
        "",
        big_sitemap_article,
        path="/case/big_sitemap/articles/",
    ),
    FaultCase(
        "calendar_trap",
        "a section calendar whose ?month= pages link each other forever",
        "news/skipped/section_pages",
        calendar,
        path="/case/calendar_trap/calendar.html",
        start="sections",
    ),
    FaultCase(
        "sources_bad_toml",
        "a sources file that is not valid TOML",
        "",
        start="sources",
        sources_toml=BAD_TOML,
        expect_exit=2,
        message="sources.toml:3: not valid TOML",
    ),
    FaultCase(
        "sources_unknown_key",
        "a sources file with an unknown key (sitmaps)",
        "",
        start="sources",
        sources_toml=UNKNOWN_KEYS,
        expect_exit=2,
        message="sources.toml:4: source 'Typo': sitmaps is not a known key",
    ),
    FaultCase(
        "sources_unreachable",
        "a sources file whose every URL refuses connections",
        "news/start/failed",
        start="sources",
        sources_toml=UNREACHABLE,
        expect_exit=1,
        message="no source reachable",
        warnings=0,
    ),
)
"""Cases whose ``start`` is a discovery argument or a sources file."""
