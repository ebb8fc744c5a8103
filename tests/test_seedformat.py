"""The seed-format writer: exact layout, file names, validation."""

from __future__ import annotations

import pytest

from crawler.store.seedformat import (
    file_name,
    is_valid_seed_text,
    parse_file_name,
    render,
    text_sha1,
)


def test_render_layout() -> None:
    text = render("  Headline\u00a0here ", ["First  para.", "", "Second\npara."])
    assert text == "Headline here\n\nFirst para.\n\nSecond para."
    assert is_valid_seed_text(text)
    assert not text.endswith("\n")


def test_render_refuses_empty_article() -> None:
    with pytest.raises(ValueError, match="headline"):
        render("", ["body"])
    with pytest.raises(ValueError, match="paragraph"):
        render("Title", ["  ", ""])


def test_file_names() -> None:
    assert file_name(7, "0123456789abcdef") == "007_0123456789abcdef.txt"
    assert file_name(1234, "0123456789abcdef") == "1234_0123456789abcdef.txt"
    assert parse_file_name("012_0123456789abcdef.txt") == (12, "0123456789abcdef")
    assert parse_file_name("manifest.jsonl") is None
    with pytest.raises(ValueError, match="bad file name"):
        file_name(1, "../../etc/passwd")


def test_text_sha1_ignores_whitespace_layout() -> None:
    assert text_sha1(["a  b", "c"]) == text_sha1(["a b", " c "])
    assert text_sha1(["a b"]) != text_sha1(["a c"])


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "Title",
        "Title\n\n",
        "Title\n\nbody\n",
        "\ufeffTitle\n\nbody",
        "T\r\n\r\nb",
        "Title\n\n\n\nbody",
        "Title\n\nline\nbroken",
    ],
)
def test_invalid_seed_texts(bad: str) -> None:
    assert not is_valid_seed_text(bad)
