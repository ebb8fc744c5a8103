"""The next page of a section, as sites write it: rel, class names, labels in many languages,
numbers in the path or the query; never backwards, never another section, never an article."""

from __future__ import annotations

import pytest

from crawler.discovery.pagination import position
from crawler.discovery.sections import page_number, section_links

BASE = "https://news.example"
ARTICLES = "".join(
    f'<li><a href="/ar/news/2025/11/story-number-{i}-of-the-day.html">خبر {i}</a></li>'
    for i in range(3)
)


def _page(pager: str, head: str = "") -> bytes:
    return (
        f'<html><head><meta charset="utf-8">{head}</head><body><ul>{ARTICLES}</ul>'
        f'<div class="pager">{pager}</div></body></html>'
    ).encode()


def _next(pager: str, url: str, head: str = "") -> str | None:
    return section_links(_page(pager, head), BASE + url).next_page


@pytest.mark.parametrize(
    ("url", "pager", "expected"),
    [
        # a class naming next, Arabic label, file-like numbered pages
        ("/section/politics/1.html",
         '<a href="/section/politics/2.html" class="next">التالي</a>', "/section/politics/2.html"),
        ("/section/politics/2.html",
         ('<a href="/section/politics/1.html">السابق</a><a href="/section/politics/3.html">'
         "الصفحة التالية</a>"), "/section/politics/3.html"),
        ("/world/", '<li class="pagination-next"><a href="/world/older">»</a></li>', "/world/older"),
        ("/world/", '<a class="nav-next" href="/world/?pg=2">x</a>', "/world/?pg=2"),
        ("/blog/", '<a href="/blog/page-2">Older posts</a>', "/blog/page-2"),
        ("/blog/page-2", '<a href="/blog/page-1">1</a><a href="/blog/page-3">3</a>', "/blog/page-3"),
        ("/tag/x", '<a href="/tag/x-p2">Suivant</a>', "/tag/x-p2"),
        ("/de/politik/", '<a href="/de/politik/2/">Weiter</a>', "/de/politik/2/"),
        ("/fa/siasi/", '<a href="/fa/siasi/?page=2">بعدی</a>', "/fa/siasi/?page=2"),
        ("/ur/news", '<a href="/ur/news?p=2">اگلا</a>', "/ur/news?p=2"),
        ("/en/list?start=0", '<a href="/en/list?start=20">›</a>', "/en/list?start=20"),
        ("/en/list?offset=40", ('<a href="/en/list?offset=20">‹</a><a href="/en/list?offset=60">'
         "60</a>"), "/en/list?offset=60"),
        ("/en/more", '<a class="load-more" href="/en/more?page=2">Load more</a>', "/en/more?page=2"),
        ("/blog/", '<a rel="next" href="/blog/?paged=2">go</a>', "/blog/?paged=2"),
        ("/w/", '<div id="nav-next"><a href="/w/2/">→</a></div>', "/w/2/"),
        ("/w/", '<a id="older" href="/w/older-entries">x</a>', "/w/older-entries"),
        ("/tag/latest.html", '<a href="/tag/latest-p2.html">بعدی</a>', "/tag/latest-p2.html"),
        ("/tag/latest-p2.html", ('<a href="/tag/latest.html">1</a><a href="/tag/latest-p3.html">'
         "3</a>"), "/tag/latest-p3.html"),
        # numbers only
        ("/section/economy/", ('<a href="/section/economy/2.html">2</a>'
         '<a href="/section/economy/3.html">3</a>'), "/section/economy/2.html"),
        ("/world/page/2/", '<a href="/world/page/1/">1</a><a href="/world/page/3/">3</a>',
         "/world/page/3/"),
    ],
)  # fmt: skip
def test_the_next_page_as_sites_write_it(url: str, pager: str, expected: str) -> None:
    assert _next(pager, url) == BASE + expected


def test_a_pager_link_is_never_an_article() -> None:
    """``latest-p2.html`` has the shape of an article id; in a pager it is the next page."""
    links = section_links(_page('<a href="/tag/latest-p2.html">2</a>'), f"{BASE}/tag/latest.html")
    assert links.next_page == f"{BASE}/tag/latest-p2.html"
    assert f"{BASE}/tag/latest-p2.html" not in links.articles
    assert len(links.articles) == 3


def test_link_rel_next_in_the_head() -> None:
    head = '<link rel="next" href="/world/?page=2">'
    assert _next("", "/world/", head) == f"{BASE}/world/?page=2"


@pytest.mark.parametrize(
    ("url", "pager"),
    [
        ("/section/politics/3.html", '<a href="/section/politics/2.html" class="prev">السابق</a>'),
        ("/section/politics/3.html", '<a class="next" href="/section/politics/2.html">التالي</a>'),
        ("/world/", '<a class="next" href="/sport/?page=2">Next</a>'),
        ("/world/", '<a class="next" href="https://other.example/world/?page=2">Next</a>'),
        ("/world/", '<a href="/world/archive">»»</a>'),  # the last page, not the next
        ("/section/politics/1.html", '<a href="/section/politics/48213.html">48213</a>'),
        ("/world/", '<a href="/ar/news/2025/11/story-number-1-of-the-day.html">المزيد</a>'),
    ],
)
def test_no_next_page_backwards_elsewhere_or_an_article(url: str, pager: str) -> None:
    assert _next(pager, url) is None


def test_positions() -> None:
    assert page_number(f"{BASE}/world/page/4/") == 4
    assert page_number(f"{BASE}/world/?page=3&x=1") == 3
    assert page_number(f"{BASE}/section/politics/7.html") == 7
    assert page_number(f"{BASE}/blog/page-5") == 5
    assert page_number(f"{BASE}/world/") == 1
    two, three = position(f"{BASE}/s/2.html"), position(f"{BASE}/s/3.html")
    assert two is not None
    assert three is not None
    assert two.key == three.key
    assert two.root == f"{BASE}/s/"
