"""Is a response an HTML page at all: media types and sniffed bodies."""

from __future__ import annotations

import pytest

from crawler.extraction.content import body_problem, content_type_problem, media_type, page_problem


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=utf-8", "text/html"),
        (b"Application/XHTML+XML", "application/xhtml+xml"),
        (None, ""),
        ("  text/plain ;charset=x", "text/plain"),
    ],
)
def test_media_type(header, expected) -> None:
    assert media_type(header) == expected


@pytest.mark.parametrize(
    "header", ["text/html", "application/xhtml+xml", None, "application/octet-stream"]
)
def test_html_and_unknown_types_pass_to_the_body_check(header) -> None:
    assert content_type_problem(header) is None


@pytest.mark.parametrize(
    "header", ["application/pdf", "image/jpeg", "video/mp4", "application/json"]
)
def test_other_types_are_not_html(header) -> None:
    assert content_type_problem(header) == f"served as {header}"


@pytest.mark.parametrize(
    "body",
    [
        b"%PDF-1.7\n...",
        b"\x89PNG\r\n\x1a\nIHDR",
        b"\xff\xd8\xff\xe0JFIF",
        b"\x00\x00\x00\x20ftypisom",
        b"PK\x03\x04zip",
        b"\x1f\x8b\x08\x00gzip",
        b"  \n%PDF-1.4 after blank lines",
        bytes(range(256)) * 16,
    ],
)
def test_binary_bodies_are_not_html(body) -> None:
    assert body_problem(body) is not None


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><body><p>text</p></body></html>",
        "<p>نص عربي</p>".encode("cp1256"),
        b"\xef\xbb\xbf<html>BOM</html>",
        "<html>UTF-16 with a BOM</html>".encode("utf-16"),
        # A few NUL and control bytes inside a real page do not make it binary.
        b"<html><body>" + b"<p>words words\x00 words\x01 words words words words</p>" * 50,
    ],
)
def test_html_bodies_pass(body) -> None:
    assert body_problem(body) is None


def test_page_problem_kinds() -> None:
    assert page_problem("image/png", b"\x89PNG\r\n\x1a\n") == (
        "errors/not_html",
        "served as image/png",
    )
    assert page_problem("text/html", b"") == ("errors/empty_body", "0 bytes")
    assert page_problem("text/html", b" \n\t ") == ("errors/empty_body", "4 bytes")
    assert page_problem("text/html", b"%PDF-1.4") == (
        "errors/not_html",
        "the body is a PDF document",
    )
    assert page_problem("text/html", b"<html><p>fine</p></html>") is None
