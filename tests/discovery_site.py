"""A news site with no sitemap and no feed, whose sections page as real sites write it (issue 15).

Written into a folder the test serves (``crawler.localsite.server``; ``index@page=2.html``
answers ``/?page=2``): robots.txt without ``Sitemap:``, a home page whose ``<nav>`` names one
section per pagination style (and an about and a contact page), each section ``PAGES`` pages
of ``PER_PAGE`` dated article links; an article in two pages (``?page=2``, linked "الصفحة 2"
and ``rel="next"``) and one in three (``/2/``, ``/3/``), whose page 2 a section also lists.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.bench.sitegen import article_html, headline, paragraphs

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

PAGES = 4
"""Pages of every section: one more than the crawl reads (NEWS_SECTION_PAGES=3)."""
PER_PAGE = 1

# How a page links the next one: (name, markup with {href}); "pager" is numbers only.
LINK_STYLES = (
    ("link-rel-next", ""),
    ("a-rel-next", '<a rel="next" href="{href}">go</a>'),
    ("class-next-arabic", '<a class="next" href="{href}">التالي</a>'),
    ("li-pagination-next", '<li class="pagination-next"><a href="{href}">»</a></li>'),
    ("id-nav-next", '<a id="nav-next" href="{href}">→</a>'),
    ("class-older", '<a class="older" href="{href}">x</a>'),
    ("arabic-next-page", '<a href="{href}">الصفحة التالية</a>'),
    ("arabic-more", '<a href="{href}">المزيد</a>'),
    ("single-angle", '<a href="{href}">›</a>'),
    ("double-angle", '<a href="{href}">»</a>'),
    ("next", '<a href="{href}">Next</a>'),
    ("older-posts", '<a href="{href}">Older posts</a>'),
    ("suivant", '<a href="{href}">Suivant</a>'),
    ("weiter", '<a href="{href}">Weiter</a>'),
    ("persian", '<a href="{href}">بعدی</a>'),
    ("urdu", '<a href="{href}">اگلا</a>'),
    ("load-more", '<a class="load-more" href="{href}">Load more</a>'),
    ("pager-path", "pager"),
    ("pager-query", "pager"),
)
# How a page's URL is numbered: the first page's path and page n's (path, file).
URL_STYLES = {
    "html": ("{s}/1.html", "{s}/{n}.html", "{s}/{n}.html"),
    "dir": ("{s}/", "{s}/{n}/", "{s}/{n}/index.html"),
    "page-dash": ("{s}/", "{s}/page-{n}/", "{s}/page-{n}/index.html"),
    "p-suffix": ("{s}/latest.html", "{s}/latest-p{n}.html", "{s}/latest-p{n}.html"),
    "page-slash": ("{s}/", "{s}/page/{n}/", "{s}/page/{n}/index.html"),
    "page": ("{s}/", "{s}/?page={n}", "{s}/index@page={n}.html"),
    "p": ("{s}/", "{s}/?p={n}", "{s}/index@p={n}.html"),
    "pg": ("{s}/", "{s}/?pg={n}", "{s}/index@pg={n}.html"),
    "paged": ("{s}/", "{s}/?paged={n}", "{s}/index@paged={n}.html"),
    "start": ("{s}/", "{s}/?start={k}", "{s}/index@start={k}.html"),
    "offset": ("{s}/", "{s}/?offset={k}", "{s}/index@offset={k}.html"),
}
_STYLE_URLS = (
    "html", "dir", "html", "page-dash", "p-suffix", "page", "p", "pg", "paged", "start",
    "offset", "html", "dir", "page-dash", "p-suffix", "page", "page-slash", "html", "page",
)  # fmt: skip
TWO_PAGES = "/ar/news/2025/11/split-story-told-in-two-pages.html"
THREE_PAGES = "/en/news/2025/11/long-story-told-in-three-pages/"


@dataclass
class DiscoverySite:
    """What was written: sections (first page), each page's articles, the split articles."""

    sections: dict[str, str] = field(default_factory=dict)
    """Style name -> the section's first page path."""
    pages: dict[str, list[str]] = field(default_factory=dict)
    """Style name -> the request path of pages 1..PAGES."""
    articles: dict[str, list[list[str]]] = field(default_factory=dict)
    """Style name -> the article paths of each page."""
    split: dict[str, list[list[str]]] = field(default_factory=dict)
    """Split article (first page path) -> each page's paragraphs."""


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _page_path(url_style: str, section: str, n: int) -> tuple[str, str]:
    """Request path and file of page ``n`` of a section."""
    first, path, file = URL_STYLES[url_style]
    if n == 1:
        return first.format(s=section), first.format(s=section) + (
            "index.html" if first.endswith("/") else ""
        )
    k = (n - 1) * 10
    return path.format(s=section, n=n, k=k), file.format(s=section, n=n, k=k)


def _section_page(title: str, items: list[tuple[str, str]], pager: str, head: str = "") -> str:
    links = "".join(f'<li><a href="{p}">{html.escape(t)}</a></li>' for p, t in items)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f'<body><nav><a href="/">Home</a></nav><h1>{title}</h1><ul>{links}</ul>'
        f'<div class="pages">{pager}</div></body></html>'
    )


def _split_articles(root: Path, site: DiscoverySite) -> None:
    shapes: tuple[tuple[str, int, str, Callable[[int], str]], ...] = (
        (TWO_PAGES, 2, "ar", lambda n: f"{TWO_PAGES}?page={n}"),
        (THREE_PAGES, 3, "en", lambda n: f"{THREE_PAGES}{n}/"),
    )
    for first, count, lang, page_url in shapes:
        title = headline(first, lang)
        texts = [paragraphs(f"{first} page {n}", lang, count=3) for n in range(1, count + 1)]
        site.split[first] = texts
        for n in range(1, count + 1):
            url = first if n == 1 else page_url(n)
            head = f'<link rel="next" href="{page_url(n + 1)}">' if n < count else ""
            pager = " ".join(
                f'<a href="{first if m == 1 else page_url(m)}">الصفحة {m}</a>'
                for m in range(1, count + 1)
                if m != n
            )
            page = article_html(
                first, lang=lang, title=title, body=texts[n - 1], extra_head=head,
                extra_body=f'<div class="article-pages">{pager}</div>',
            )  # fmt: skip
            if url.endswith("/"):
                url += "index.html"
            elif "?" in url:
                path, _, query = url.partition("?")
                url = path.replace(".html", f"@{query}.html")
            _write(root, url, page)


def build(root: Path) -> DiscoverySite:
    """Write the site into ``root``; what it holds."""
    site = DiscoverySite()
    _write(root, "robots.txt", "User-agent: *\nAllow: /\n")
    for index, ((style, markup), url_style) in enumerate(
        zip(LINK_STYLES, _STYLE_URLS, strict=True)
    ):
        section = f"/sec{index:02d}"  # short, as sections are (not an article slug)
        lang = "ar" if index % 2 == 0 else "en"
        paths = [_page_path(url_style, section, n) for n in range(1, PAGES + 1)]
        site.sections[style] = paths[0][0]
        site.pages[style] = [p for p, _ in paths]
        site.articles[style] = []
        for n, (_, file) in enumerate(paths, start=1):
            items = []
            for item in range(PER_PAGE):
                number = 1000 + index * 100 + n * 10 + item
                slug = f"/{lang}/news/2025/11/{style}-story-{n}-{item}-of-the-section.html"
                _write(root, slug, article_page_html(number, lang))
                items.append((slug, headline(str(number), lang)))
            site.articles[style].append([p for p, _ in items])
            if style == "load-more" and n == 1:  # a section may list an article's page 2
                items.append((f"{THREE_PAGES}2/", "page 2"))
            following = paths[n][0] if n < PAGES else None
            head, pager = "", ""
            if markup == "pager":
                pager = " ".join(f'<a href="{p}">{m}</a>' for m, (p, _) in enumerate(paths, 1))
            elif following and markup:
                pager = markup.format(href=following)
            elif following:
                head = f'<link rel="next" href="{following}">'
            if n > 1 and markup != "pager":
                pager = f'<a class="prev" href="{paths[n - 2][0]}">السابق</a> {pager}'
            _write(root, file, _section_page(style, items, pager, head))
    _split_articles(root, site)
    nav = " ".join(f'<a href="{first}">{style}</a>' for style, first in site.sections.items())
    home = (
        '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        "<title>الموقع</title></head><body>"
        f'<header><nav>{nav} <a href="/about.html">من نحن</a> <a href="/contact/">اتصل بنا</a>'
        "</nav></header><main>"
        f'<a href="{TWO_PAGES}"><h3>{html.escape(headline(TWO_PAGES, "ar"))}</h3></a>'
        f'<a href="{THREE_PAGES}"><h3>{html.escape(headline(THREE_PAGES, "en"))}</h3></a>'
        "</main></body></html>"
    )
    _write(root, "index.html", home)
    _write(root, "about.html", "<html><body><p>About us.</p></body></html>")
    return site


def article_page_html(number: int, lang: str) -> str:
    """Article ``number``: a page of its own text (no two share a sentence)."""
    return article_html(f"article {number}", lang=lang)
