"""Canonical URLs: tracking removed, forms unified, idempotent; ids and site tests."""

from __future__ import annotations

import pytest

from crawler.urls import canonical_url, is_http_url, same_site, strip_credentials, url_id

CASES = [
    ("http://Example.COM/a?utm_source=x&b=2&a=1#top", "http://example.com/a?a=1&b=2"),
    ("https://example.com:443/news/1?fbclid=abc&gclid=d", "https://example.com/news/1"),
    ("http://example.com:80", "http://example.com/"),
    ("http://example.com:8080/x", "http://example.com:8080/x"),
    ("http://user:secret@example.com/p", "http://example.com/p"),
    ("http://example.com./p", "http://example.com/p"),
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://ar.example.com/مقال", "https://ar.example.com/%D9%85%D9%82%D8%A7%D9%84"),
    ("https://example.com/p?UTM_Medium=x&id=7&mc_cid=1", "https://example.com/p?id=7"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected


def test_url_id_is_16_hex_of_canonical_form() -> None:
    assert url_id("http://Example.com/a?utm_source=1") == url_id("http://example.com/a")
    assert len(url_id("http://example.com/a")) == 16
    assert url_id("http://example.com/a") != url_id("http://example.com/b")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://www.example.com/a", "https://example.com/b", True),
        ("https://m.example.com/a", "https://www.example.com/a", True),
        ("https://news.example.com/a", "https://example.com/a", True),
        ("https://example.com/a", "https://example.org/a", False),
        ("https://notexample.com/a", "https://example.com/a", False),
    ],
)
def test_same_site(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://x.com", True),
        ("HTTPS://x.com", True),
        ("javascript:alert(1)", False),
        ("mailto:a@b.c", False),
        ("file:///etc/passwd", False),
        ("ftp://x.com/", False),
        ("/relative", False),
    ],
)
def test_is_http_url(url: str, ok: bool) -> None:
    assert is_http_url(url) is ok


def test_strip_credentials() -> None:
    assert strip_credentials("https://u:p@h.com:81/x?q#f") == "https://h.com:81/x?q#f"
    assert strip_credentials("https://h.com/x") == "https://h.com/x"
