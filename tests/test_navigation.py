"""A home page read as the site's map (issue 15): sections from its menus and from the paths
its article links share; service pages, files, articles and other sites left out."""

from __future__ import annotations

from crawler.discovery.navigation import SiteFallback, SiteNavigation, site_navigation

BASE = "https://news.example"


def _home(body: str) -> bytes:
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode()


def test_menu_links_and_shared_article_paths_are_sections() -> None:
    home = _home(
        '<header><nav><a href="/">Home</a> <a href="/politics/">Politics</a>'
        ' <a href="/section/economy/1.html">Economy</a> <a href="/about.html">من نحن</a>'
        ' <a href="/contact-us">Contact</a> <a href="/login">Login</a>'
        ' <a href="https://other.example/world/">Other</a> <a href="/feed.xml">RSS</a></nav></header>'
        '<div class="main-menu"><a href="/sport/">Sport</a></div>'
        "<main>"
        '<a href="/culture/2025/11/a-long-story-about-the-festival.html">a</a>'
        '<a href="/culture/2025/11/another-story-about-the-museum.html">b</a>'
        '<a href="/culture/">more culture</a>'
        '<a href="/misc/">misc</a>'
        "</main>"
    )
    found = site_navigation(home, BASE + "/", limit=10)
    assert found.sections == tuple(
        BASE + p for p in ("/politics/", "/section/economy/1.html", "/sport/", "/culture/")
    )
    assert found.articles == (
        f"{BASE}/culture/2025/11/a-long-story-about-the-festival.html",
        f"{BASE}/culture/2025/11/another-story-about-the-museum.html",
    )


def test_the_limit_keeps_menu_links_first() -> None:
    menu = "".join(f'<a href="/s{i}/">{i}</a>' for i in range(8))
    home = _home(f'<nav>{menu}</nav><a href="/x/2025/11/one-two-three.html">a</a>')
    assert len(site_navigation(home, BASE + "/", limit=3).sections) == 3
    assert site_navigation(home, BASE + "/", limit=0).sections == ()
    assert site_navigation(b"", BASE + "/", limit=3) == SiteNavigation((), ())


def test_the_fallback_waits_for_every_document_and_fires_once() -> None:
    navigation = SiteNavigation((f"{BASE}/politics/",), ())
    fallback = SiteFallback()
    fallback.opened(BASE)  # robots.txt
    fallback.opened(BASE)  # home
    fallback.home(BASE, navigation)
    assert fallback.closed(BASE, 0) is None  # home read; robots.txt still out
    fallback.opened(BASE)  # robots.txt leads to /sitemap.xml
    assert fallback.closed(BASE, 0) is None
    assert fallback.closed(BASE, 0) == navigation  # the guessed sitemap was not there
    fallback.opened(BASE)
    assert fallback.closed(BASE, 0) is None  # once per site


def test_no_fallback_when_a_document_listed_articles_or_the_home_page_failed() -> None:
    fallback = SiteFallback()
    fallback.opened("a")
    fallback.home("a", SiteNavigation(("x",), ()))
    fallback.opened("a")
    assert fallback.closed("a", 12) is None
    assert fallback.closed("a", 0) is None
    fallback.opened("b")
    assert fallback.closed("b", 0) is None  # its home page never came
