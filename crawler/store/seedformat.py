"""Pure rendering of the seed format and its file names; the manifest record's shape."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from crawler.extraction.cleaning.rules import normalise_space

if TYPE_CHECKING:
    from collections.abc import Sequence

FILE_NAME_RE = re.compile(r"^(\d{3,})_([0-9a-f]{16})\.txt$")


def render(headline: str, paragraphs: Sequence[str]) -> str:
    """Seed format: headline, blank line, paragraphs separated by one blank line.

    Each paragraph is one line (inner line breaks folded), LF only, no trailing newline.
    Raises ValueError when there is no headline or no body, since such a file is not valid.
    """
    title = normalise_space(headline)
    body = [p for p in (normalise_space(x) for x in paragraphs) if p]
    if not title or not body:
        raise ValueError("an article needs a headline and at least one paragraph")
    return "\n\n".join([title, *body])


def file_name(number: int, article_id: str) -> str:
    """``NNN_<id>.txt``: the number zero-padded to at least three digits."""
    if number < 0 or not re.fullmatch(r"[0-9a-f]{16}", article_id):
        raise ValueError(f"bad file name parts: {number!r}, {article_id!r}")
    return f"{number:03d}_{article_id}.txt"


def parse_file_name(name: str) -> tuple[int, str] | None:
    """The number and id of a seed file name, or None for any other name."""
    match = FILE_NAME_RE.match(name)
    return (int(match.group(1)), match.group(2)) if match else None


def normalised_text(paragraphs: Sequence[str]) -> str:
    """Whitespace-normalised body: what ``text_sha1`` and exact-duplicate checks hash."""
    return " ".join(normalise_space(p) for p in paragraphs if p.strip())


def text_sha1(paragraphs: Sequence[str]) -> str:
    """The exact-duplicate key of a body: the SHA-1 of its ``normalised_text``."""
    return sha1_of_normalised(normalised_text(paragraphs))


def sha1_of_normalised(text: str) -> str:
    """``text_sha1`` of the body whose ``normalised_text`` is ``text``."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def seed_paragraphs(text: str) -> list[str]:
    """The paragraphs of a seed file's text (everything after the headline)."""
    return text.split("\n\n")[1:]


_SHA1_RE = re.compile(r"[0-9a-f]{40}")


def matches_record(text: str, sha1: str | None) -> bool:
    """Whether a seed file's text is whole: in the seed format, and (when the manifest line
    states a SHA-1) with the text hash it was written with. A file a crash cut short fails."""
    if not is_valid_seed_text(text):
        return False
    return not sha1 or not _SHA1_RE.fullmatch(sha1) or text_sha1(seed_paragraphs(text)) == sha1


def is_valid_seed_text(text: str) -> bool:
    """True when ``text`` is in the seed format (used by tests and the fault benchmark)."""
    if not text or text != text.strip() or "\r" in text or text.startswith("\ufeff"):
        return False
    parts = text.split("\n\n")
    return len(parts) >= 2 and all(p and "\n" not in p and p == p.strip() for p in parts)
