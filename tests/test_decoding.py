"""Bytes to text: legacy Arabic encodings declared only in a meta tag, or not at all, lying
charset headers and byte-order marks all decode to the text the site published."""

from __future__ import annotations

import codecs
import warnings

import pytest

# Imported for its side effect under w3lib 2.6: it registers codecs Python lacks.
import w3lib.encoding  # noqa: F401

from crawler.extraction.article import extract_article
from crawler.extraction.charset import resolve_charset
from crawler.extraction.decoding import _NOT_XML_RE, _has_non_xml, decode_html
from tests import FIXTURES

TEXT = (
    "أقر مجلس الوزراء في جلسته الأسبوعية خطة لإعادة تأهيل شبكات مياه الشرب في عدد من"
    " البلدات، بكلفة تقديرية تبلغ نحو أربعين مليار ليرة تنفذ على مرحلتين خلال عامين."
)
META_1256 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'


def page(head: str = "") -> str:
    return f"<html><head>{head}<title>خبر</title></head><body><p>{TEXT}</p></body></html>"


def test_windows_1256_declared_only_in_meta() -> None:
    assert TEXT in decode_html(page(META_1256).encode("cp1256"))
    assert TEXT in decode_html(page('<meta charset="windows-1256">').encode("cp1256"))


def test_windows_1256_declared_nowhere() -> None:
    assert TEXT in decode_html(page().encode("cp1256"))


def test_iso_8859_6_declared_in_meta() -> None:
    assert TEXT in decode_html(page('<meta charset="iso-8859-6">').encode("iso-8859-6"))


@pytest.mark.parametrize(
    "header",
    [
        "text/html; charset=iso-8859-1",  # a server default over a windows-1256 page
        "text/html; charset=ISO-8859-1",
        "text/html; charset=utf-8",  # UTF-8 promised, legacy bytes sent
        "text/html; charset=no-such-charset",
        "text/html",
    ],
)
def test_lying_or_empty_charset_header_loses_to_the_page(header: str) -> None:
    assert TEXT in decode_html(page(META_1256).encode("cp1256"), header)


def test_true_header_is_used_when_the_page_declares_nothing() -> None:
    body = page().encode("cp1256")
    assert TEXT in decode_html(body, "text/html; charset=windows-1256")


def test_utf8_meta_over_legacy_bytes_is_detected() -> None:
    assert TEXT in decode_html(page('<meta charset="utf-8">').encode("cp1256"))


def test_a_few_broken_bytes_keep_utf8() -> None:
    body = page('<meta charset="utf-8">').encode("utf-8").replace("مجلس".encode(), b"\xff\xfe")
    text = decode_html(body)
    assert "\ufffd" in text
    assert "شبكات مياه الشرب" in text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_mark_wins_and_is_removed(bom: bytes, codec: str) -> None:
    body = bom + page(META_1256).encode(codec)  # the meta tag lies; the BOM does not
    text = decode_html(body, "text/html; charset=windows-1256")
    assert TEXT in text
    assert not text.startswith("\ufeff")


def test_str_input_and_nul_bytes() -> None:
    assert decode_html(page()) == page()
    assert "\x00" not in decode_html(page().encode("utf-8").replace(b"<p>", b"<p>\x00"))


def test_undecodable_bytes_never_raise() -> None:
    assert isinstance(decode_html(b"\x81\x8d\x8f\x90\x9d" * 100), str)
    assert decode_html(b"") == ""


def test_legacy_fixture_gives_the_same_article_whatever_the_header_says() -> None:
    body = (FIXTURES / "articles" / "ar_legacy_table_cp1256.html").read_bytes()
    url = "https://www.shamnews.example/news.php?id=91236"
    plain = extract_article(body, url)
    assert plain is not None
    for header in ("text/html; charset=iso-8859-1", "text/html; charset=utf-8", "text/html"):
        article = extract_article(body, url, content_type=header)
        assert article is not None
        assert article.paragraphs == plain.paragraphs
        assert article.title == plain.title


@pytest.mark.parametrize(
    ("declaration", "codec"),
    [
        ('<?xml version="1.0" encoding="utf-8"?>\n', "utf-8"),
        ("<?xml version='1.0' encoding='windows-1256' ?>\r\n", "cp1256"),
        ('  <?XML version="1.0" encoding="iso-8859-6"?>', "iso-8859-6"),
    ],
)
def test_xml_declaration_is_read_then_removed(declaration: str, codec: str) -> None:
    text = decode_html((declaration + page()).encode(codec))
    assert TEXT in text
    assert text.lstrip().startswith("<html>")
    assert decode_html(declaration + page()).lstrip().startswith("<html>")  # str input too


def test_xhtml_page_with_an_xml_declaration_gives_its_article() -> None:
    body = (FIXTURES / "articles" / "en_xhtml_declaration.html").read_bytes()
    assert body.startswith(b"<?xml")
    article = extract_article(body, "https://www.bayside-weekly.example/news/cafe.html")
    assert article is not None
    assert article.title == "Harbour café wins appeal over terrace licence"


GERMAN = "Grüße für die Straßenbahn — 30 € pro Monat"


@pytest.mark.parametrize(
    ("head", "header"),
    [
        ('<meta charset="iso-8859-1">', None),
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', None),
        ("", "text/html; charset=iso-8859-1"),
        ("", "text/html; charset=windows-1256"),
        ('<meta charset="iso-8859-1">', "text/html; charset=iso-8859-1"),
    ],
)
def test_a_legacy_declaration_over_utf8_bytes_loses_to_the_bytes(
    head: str, header: str | None
) -> None:
    body = f"<html><head>{head}</head><body><p>{GERMAN}</p><p>{TEXT}</p></body></html>"
    text = decode_html(body.encode("utf-8"), header)
    assert GERMAN in text
    assert TEXT in text
    assert "Ã" not in text


def test_a_true_legacy_declaration_still_decodes_legacy_bytes() -> None:
    latin = "Grüße für die Straßenbahn"
    body = f'<html><head><meta charset="iso-8859-1"></head><body><p>{latin}</p>'
    assert latin in decode_html(body.encode("iso-8859-1"))


def test_non_xml_check_agrees_with_the_regex_on_every_character() -> None:
    # The fast check decides whether the regex runs at all: a character it missed would reach lxml.
    for code in (*range(0x10000), 0x10000, 0x1F600, 0x10FFFF):
        text = f"a{chr(code)}b"
        assert _has_non_xml(text) == bool(_NOT_XML_RE.search(text)), hex(code)


# What w3lib 2.6 changed (it reads charsets by the WHATWG Encoding Standard): decoding.py keeps
# w3lib 2.5's reading, so a page's text does not depend on the installed w3lib.
LATIN = "<html><body><p>Grüße € ok</p></body></html>"


def test_a_page_declaring_nothing_is_detected_without_a_deprecated_w3lib_call() -> None:
    # w3lib 2.6 warns on html_to_unicode's detection hook, which this page would need.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert TEXT in decode_html(page().encode("cp1256"))
        assert TEXT in decode_html(page().encode("cp1256"), "text/html")


def test_utf16_declared_by_the_header_without_a_bom_reads_big_endian() -> None:
    header = "text/html; charset=utf-16"
    assert decode_html(LATIN.encode("utf-16-be"), header) == LATIN
    assert decode_html(LATIN.encode("utf-32-be"), "text/html; charset=utf-32") == LATIN
    # Little-endian bytes stay misread, as under w3lib 2.5 (2.6 and browsers read them LE).
    little = LATIN.encode("utf-16-le")
    assert decode_html(little, header) == little.decode("utf-16-be", "replace")


@pytest.mark.parametrize("header", [None, "text/html; charset=windows-1252"])
def test_a_utf32le_bom_reads_as_utf32(header: str | None) -> None:
    # w3lib 2.6 reads a UTF-16LE BOM: the same text once NULs are removed, but for characters
    # beyond the BMP.
    text = LATIN.replace("ok", "ok \U0001f600")
    assert decode_html(codecs.BOM_UTF32_LE + text.encode("utf-32-le"), header) == text


@pytest.mark.parametrize(
    ("head", "header"),
    [("", "text/html; charset=latin1"), ('<meta charset="latin1">', None)],
)
def test_latin1_reads_as_python_cp1252(head: str, header: str | None) -> None:
    # 0x93/0x94 are cp1252's quotes; 0x81 has no cp1252 character (WHATWG maps it to U+0081).
    text = decode_html(head.encode() + b"<p>\x93quoted\x94 caf\xe9 \x81</p>", header)
    assert text == head + "<p>\u201cquoted\u201d caf\u00e9 \ufffd</p>"


@pytest.mark.parametrize("label", ["x-user-defined", "replacement"])
def test_codecs_w3lib_registers_are_unknown_charsets(label: str) -> None:
    # w3lib 2.6 registers these two process-wide; a page naming one is read by detection.
    body = f'<meta charset="{label}"><p>'.encode() + b"caf\xe9 \x93a\x94</p>"
    assert resolve_charset(label) is None
    assert decode_html(body).endswith("<p>caf\u00e9 \u201ca\u201d</p>")


@pytest.mark.parametrize(
    ("head", "header"), [("<meta charset=base64>", None), ("", "text/html; charset=rot13")]
)
def test_a_bytes_to_bytes_codec_is_an_unknown_charset(head: str, header: str | None) -> None:
    # Python's base64 or rot13 codecs cannot decode bytes to text: bytes.decode raised.
    assert decode_html(f"{head}<p>café</p>".encode(), header) == f"{head}<p>café</p>"


def test_gb2312_reads_as_gb18030_with_the_euro_byte() -> None:
    body = "<p>中文新闻</p>".encode("gb18030") + b"\x80"
    assert decode_html(body, "text/html; charset=gb2312") == "<p>中文新闻</p>\u20ac"
