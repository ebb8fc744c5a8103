"""Pure text helpers shared by cleaning, titles and the seed format: spacing and comparison keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that only shape whitespace or direction; they never carry text. The zero-width
# (non-)joiners stay: Persian, Kurdish and Urdu spelling depends on them.
# Bidi embeddings, overrides and isolates can reorder what a reader sees ("Trojan Source"),
# while the marks LRM/RLM stay (Arabic typesetting places numbers and punctuation with them);
# lone surrogates (JSON-LD "\ud800" escapes) cannot even be written as UTF-8; C0/C1 control
# characters (DEL included) are never text.
_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|"
    "[\u200b\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# At a paragraph's edges the direction marks LRM/RLM/ALM do nothing; inside it they stay.
_EDGE_STRIP = " \t\u200e\u200f\u061c"
_SPACE_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)
_SENTENCE_END_RE = re.compile(r"[.!?؟。…:»”\"')\]]\s*$")


def normalise_space(text: str) -> str:
    """One space between words, no invisible characters; letters and marks left as published.

    No Unicode normalisation form is applied to the output: NFC would reorder Arabic
    diacritics (shadda and fatha) and so change the text the site published.
    """
    text = _INVISIBLE_RE.sub("", text)
    lines = (_SPACE_RE.sub(" ", line).strip(_EDGE_STRIP) for line in text.splitlines())
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
