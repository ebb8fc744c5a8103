"""Pure text helpers shared by cleaning, titles and the seed format: spacing and comparison keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that only shape whitespace or direction; they never carry text. The zero-width
# (non-)joiners stay: Persian, Kurdish and Urdu spelling depends on them.
_INVISIBLE_RE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\u00ad\u202a-\u202e]")
_SPACE_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)
_SENTENCE_END_RE = re.compile(r"[.!?؟。…:»”\"')\]]\s*$")


def normalise_space(text: str) -> str:
    """One space between words, no invisible characters; letters and marks left as published.

    No Unicode normalisation form is applied to the output: NFC would reorder Arabic
    diacritics (shadda and fatha) and so change the text the site published.
    """
    text = _INVISIBLE_RE.sub("", text)
    lines = (_SPACE_RE.sub(" ", line).strip() for line in text.splitlines())
    return " ".join(line for line in lines if line)


@lru_cache(maxsize=4096)
def fingerprint(text: str) -> str:
    """Case-, punctuation-, space- and Unicode-form-insensitive key for comparing texts.

    Cached: cleaning compares every paragraph with the page's headlines, captions, teasers
    and other paragraphs, so the same text is fingerprinted several times per page.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCT_RE.sub(" ", folded).strip()


def words(text: str) -> int:
    return len(text.split())


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends like a sentence (or a quote, or a colon that introduces a list)."""
    return bool(_SENTENCE_END_RE.search(text))


def contains_phrase(haystack: str, needle: str) -> bool:
    """True when fingerprint ``needle`` occurs in fingerprint ``haystack`` on word boundaries."""
    return bool(needle) and f" {needle} " in f" {haystack} "
