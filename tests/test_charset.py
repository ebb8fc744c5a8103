"""The charset a page declares, read as w3lib 2.5 read it whichever w3lib is installed."""

from __future__ import annotations

import pytest

from crawler.extraction.charset import (
    bom_charset,
    declared_charset,
    decode_bytes,
    header_charset,
    resolve_charset,
)


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("UTF-8", "utf-8"),
        ("latin1", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("iso-8859-9", "cp1254"),
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("shift_jis", "cp932"),
        ("euc-kr", "cp949"),
        ("big5", "big5hkscs"),
        ("utf-16", "utf-16"),  # no byte order: decode_html reads it big-endian
        ("utf-32", "utf-32"),
        ("windows-1256", "cp1256"),
        ("utf-7", None),  # would turn inert text into markup
        ("no-such-charset", None),
        ("hex", None),
    ],
)
def test_label_resolves_to_a_python_codec(label: str, codec: str | None) -> None:
    assert resolve_charset(label) == codec


@pytest.mark.parametrize(
    ("content_type", "codec"),
    [
        (None, None),
        ("text/html", None),
        ("text/html; charset=ISO-8859-4", "iso8859-4"),
        ('text/html; charset="windows-1256"', "cp1256"),
        ("text/html;charset=utf-8, text/html;charset=latin1", "utf-8"),  # the first one
        ('text/html; title="a;charset=koi8-r"; charset=cp1251', "cp1251"),  # not the quoted one
        ('text/html; title="a;charset=koi8-r"', None),
        ("text/html; charset=utf-8x!", None),
    ],
)
def test_header_charset(content_type: str | None, codec: str | None) -> None:
    assert header_charset(content_type) == codec


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        ('<meta charset="windows-1256">', "cp1256"),
        ("<META CHARSET=koi8-r/>", "koi8-r"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">', "iso8859-6"),
        ('<meta content="text/html; charset=iso-8859-6" httpequiv="ContentType">', "iso8859-6"),
        ('<meta name="x" content="text/html; charset=iso-8859-6">', None),  # no pragma
        ('<!-- <meta charset="koi8-r"> --><meta charset="cp1251">', "cp1251"),
        ('<meta title="a>b" charset="koi8-r">', "koi8-r"),
        ('<?xml version="1.0" encoding="windows-1256"?>', "cp1256"),
        ('<body><meta charset="koi8-r">', None),  # the scan stops at the body
        ('<meta charset="no-such-charset"><meta charset="koi8-r">', None),  # the first decides
        ("<p>x</p>" * 600 + '<meta charset="koi8-r">', None),  # beyond the first 4,096 bytes
    ],
)
def test_declared_charset(head: str, codec: str | None) -> None:
    assert declared_charset(f"<html><head>{head}</head><p>text</p>".encode()) == codec


def test_byte_order_marks_longest_first() -> None:
    assert bom_charset(b"\xff\xfe\x00\x00<\x00\x00\x00") == ("utf-32-le", b"\xff\xfe\x00\x00")
    assert bom_charset(b"\xff\xfe<\x00") == ("utf-16-le", b"\xff\xfe")
    assert bom_charset(b"\xef\xbb\xbf<") == ("utf-8", b"\xef\xbb\xbf")
    assert bom_charset(b"<html>") is None


def test_decode_bytes_replaces_what_it_cannot_decode() -> None:
    assert decode_bytes(b"caf\xe9 \x81", "cp1252") == "caf\u00e9 \ufffd"
    assert decode_bytes("新闻".encode("gb18030") + b"\x80\xff", "gb18030") == "新闻\u20ac\ufffd"
