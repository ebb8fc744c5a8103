"""Sitemaps, feeds and section pages of the mock site, parsed without a crawler (issue 3)."""

from __future__ import annotations

import gzip

import pytest

from crawler.discovery.feeds import document_kind, feed_links, read_feed
from crawler.discovery.sections import looks_like_article, page_number, section_links
from crawler.discovery.sitemaps import (
    declares_entities,
    fallback_sitemaps,
    read_sitemap,
    robots_sitemaps,
    robots_url,
    sitemap_body,
)
from tests import FIXTURES

BASE = "https://news.example"


def site_file(path: str) -> bytes:
    data = (FIXTURES / "site" / path).read_bytes()
    if path.endswith(".gz"):
        return gzip.compress(gzip.decompress(data).replace(b"{base_url}", BASE.encode()))
    return data.replace(b"{base_url}", BASE.encode())


def test_robots_txt_sitemap_lines() -> None:
    assert robots_sitemaps(site_file("robots.txt"), f"{BASE}/robots.txt") == [
        f"{BASE}/sitemap_index.xml"
    ]
    relative = b"Sitemap: /news.xml\nsitemap: ftp://x/y.xml\nSITEMAP: /news.xml\n"
    assert robots_sitemaps(relative, f"{BASE}/robots.txt") == [f"{BASE}/news.xml"]


def test_site_locations() -> None:
    assert robots_url(f"{BASE}/ar/section/?x=1") == f"{BASE}/robots.txt"
    assert fallback_sitemaps(f"{BASE}/ar/") == [
        f"{BASE}/sitemap.xml",
        f"{BASE}/sitemap_index.xml",
        f"{BASE}/news-sitemap.xml",
    ]


def test_sitemap_index_lists_children_with_lastmod() -> None:
    sitemap = read_sitemap(site_file("sitemap_index.xml"))
    assert sitemap is not None
    assert sitemap.kind == "sitemapindex"
    assert [(e.loc.removeprefix(BASE), e.lastmod) for e in sitemap.entries] == [
        ("/sitemaps/articles-1.xml", "2025-11-20"),
        ("/sitemaps/articles-2.xml.gz", "2025-11-17"),
        ("/sitemaps/news.xml", "2025-11-21T22:10:00+03:00"),
    ]


def test_gzip_sitemap_is_unzipped_within_the_size_limit() -> None:
    body = site_file("sitemaps/articles-2.xml.gz")
    xml = sitemap_body(body, f"{BASE}/sitemaps/articles-2.xml.gz", is_xml=False, max_size=10**6)
    assert xml is not None
    sitemap = read_sitemap(xml)
    assert sitemap is not None
    assert sitemap.kind == "urlset"
    assert len(sitemap.entries) == 4
    assert sitemap_body(body, "x.xml.gz", is_xml=False, max_size=100) is None  # a zip bomb


def test_sitemap_body_rejects_html() -> None:
    assert (
        sitemap_body(b"<html><body>hi</body></html>", f"{BASE}/", is_xml=False, max_size=0) is None
    )


def test_google_news_sitemap_gives_publication_date_and_title() -> None:
    sitemap = read_sitemap(site_file("sitemaps/news.xml"))
    assert sitemap is not None
    first = sitemap.entries[0]
    assert first.published == "2025-11-21T22:10:00+03:00"
    assert first.title == "منتخب الشباب يتأهل إلى نهائيات البطولة القارية"
    assert first.lastmod == "2025-11-21"
    assert first.age_date == first.published


def test_plain_urlset_entries_have_no_publication_date() -> None:
    sitemap = read_sitemap(site_file("sitemaps/articles-1.xml"))
    assert sitemap is not None
    assert len(sitemap.entries) == 10
    assert all(e.published is None and e.lastmod for e in sitemap.entries)
    assert sitemap.entries[0].age_date == sitemap.entries[0].lastmod


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml at all",
        b"<html><body>404</body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>',
    ],
)
def test_what_is_not_a_sitemap(body: bytes) -> None:
    assert read_sitemap(body) is None


def test_sitemap_entities_are_not_expanded() -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.example/a-b-c&x;</loc></url></urlset>"""
    sitemap = read_sitemap(xxe)
    assert sitemap is not None
    assert all("root:" not in e.loc for e in sitemap.entries)


def test_rss_items_with_dates() -> None:
    entries = read_feed(site_file("feeds/rss.xml"), f"{BASE}/feeds/rss.xml")
    assert entries is not None
    assert len(entries) == 4
    assert entries[0].url == f"{BASE}/ar/news/2025/11/aldifa-almadani-yuhadhdhir-min-alsuyul.html"
    assert entries[0].published == "Sat, 22 Nov 2025 07:15:00 +0300"
    assert entries[2].url.endswith("?utm_source=rss&utm_medium=feed")  # kept as the feed says


def test_atom_entries_resolve_relative_links_against_xml_base() -> None:
    entries = read_feed(site_file("feeds/atom.xml"), f"{BASE}/feeds/atom.xml")
    assert entries is not None
    assert [e.url.removeprefix(BASE) for e in entries] == [
        "/en/news/2025/11/museum-returns-manuscripts-to-library.html",
        "/en/news/2025/11/farmers-adopt-drip-irrigation-as-rains-fail.html",
        "/en/news/2025/11/city-council-approves-new-cycling-lanes.html",
    ]
    assert entries[0].published == "2025-11-22T11:20:00Z"
    assert entries[0].updated == "2025-11-22T11:20:00Z"


def test_rdf_items() -> None:
    entries = read_feed(site_file("feeds/rdf.xml"), f"{BASE}/feeds/rdf.xml")
    assert entries is not None
    assert len(entries) == 1
    assert entries[0].published == "2025-11-15T13:30:00+03:00"


def test_rss_guid_permalink_and_feedburner_origlink() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"
xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
<item><guid>https://news.example/a/one-two-three</guid></item>
<item><guid isPermaLink="false">id-17</guid></item>
<item><link>https://proxy.example/~r/x</link>
<feedburner:origLink>https://news.example/b/four-five-six</feedburner:origLink></item>
<item><link>javascript:alert(1)</link></item>
</channel></rss>"""
    entries = read_feed(rss, "https://news.example/feed")
    assert entries is not None
    assert [e.url for e in entries] == [
        "https://news.example/a/one-two-three",
        "https://news.example/b/four-five-six",
    ]


def test_feed_entities_are_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><item><title>&b;</title>
<link>https://news.example/x-y-z</link></item></channel></rss>"""
    entries = read_feed(bomb, "https://news.example/feed")
    assert entries is not None
    assert "aaaaaaaaaa" not in (entries[0].title or "")


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("sitemap_index.xml", "sitemapindex"),
        ("sitemaps/news.xml", "urlset"),
        ("feeds/rss.xml", "rss"),
        ("feeds/atom.xml", "atom"),
        ("feeds/rdf.xml", "rdf"),
        ("index.html", None),
    ],
)
def test_document_kind(path: str, kind: str | None) -> None:
    assert document_kind(site_file(path)) == kind


def test_what_is_not_a_feed() -> None:
    assert read_feed(site_file("sitemaps/news.xml"), BASE) is None
    assert read_feed(b"", BASE) is None


def test_home_page_feed_links() -> None:
    assert feed_links(site_file("index.html"), f"{BASE}/") == [
        f"{BASE}/feeds/rss.xml",
        f"{BASE}/feeds/atom.xml",
    ]


def test_section_page_article_links_and_next_page() -> None:
    links = section_links(site_file("ar/world/index.html"), f"{BASE}/ar/world/")
    assert [u.removeprefix(BASE) for u in links.articles] == [
        "/ar/news/2025/11/mufawadat-jadida-hawl-almiyah-fi-hawd-alnil.html",
        "/ar/news/2025/11/irtifa-asar-alkhubz-fi-alaswaq-almahalliya.html",
        "/ar/news/2025/11/aldifa-almadani-yuhadhdhir-min-alsuyul.html",
        "/private/leaked-draft-report-on-budget-cuts.html",  # robots.txt, not this, keeps it out
    ]
    assert links.next_page == f"{BASE}/ar/world/page/2/"


def test_numbered_pager_without_rel_next() -> None:
    links = section_links(site_file("ar/world/page/2/index.html"), f"{BASE}/ar/world/page/2/")
    assert links.next_page == f"{BASE}/ar/world/page/3/"
    last = section_links(site_file("en/business/page/2/index.html"), f"{BASE}/en/business/page/2/")
    assert last.next_page is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/ar/news/2025/11/some-long-slug.html", True),
        ("/arabic/articles/c4g0x2z3ylzo", True),
        ("/world/middle-east-68123456", True),
        ("/2025/11/03/short/", True),
        ("/ar/world/", False),
        ("/ar/world/page/2/", False),
        ("/tag/economy/", False),
        ("/about.html", False),
        ("/login", False),
        ("/feeds/rss.xml", False),
        ("/img/photo-of-the-day.jpg", False),
        ("/", False),
        ("https://other.example/a/b-c-d-e.html", False),
    ],
)
def test_looks_like_article(url: str, expected: bool) -> None:
    full = url if url.startswith("http") else BASE + url
    assert looks_like_article(full, f"{BASE}/ar/world/") is expected


def test_page_number() -> None:
    assert page_number(f"{BASE}/world/page/4/") == 4
    assert page_number(f"{BASE}/world/?page=3&x=1") == 3
    assert page_number(f"{BASE}/world/") == 1


@pytest.mark.parametrize(
    ("xml", "refused"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aa">]><urlset/>', True),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE urlset [\n <!ENTITY x SYSTEM "file:///etc/passwd">\n]>',
            True,
        ),
        (b'<!doctype rss [<!ENTITY % p SYSTEM "http://127.0.0.1/x.dtd"> %p;]><rss/>', True),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//N//DTD RSS 0.91//EN" "x.dtd"><rss/>',
            False,
        ),
        (
            b'<?xml version="1.0"?><urlset><url><loc>http://a.test/&amp;x</loc></url></urlset>',
            False,
        ),
        (b"<urlset><!-- <!ENTITY in a comment, no DOCTYPE --></urlset>", False),
    ],
)
def test_entity_declarations_are_detected(xml: bytes, refused: bool) -> None:
    assert declares_entities(xml) is refused
