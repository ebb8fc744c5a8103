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
# Every character ``str.splitlines`` breaks a line at.
_LINE_BREAK_RE = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)
_SENTENCE_END_RE = re.compile(r"[.!?؟。…:»”\"')\]]\s*$")


def normalise_space(text: str) -> str:
    """One space between words, no invisible characters; letters and marks left as published.

    No Unicode normalisation form is applied to the output: NFC would reorder Arabic
    diacritics (shadda and fatha) and so change the text the site published.
    """
    text = _INVISIBLE_RE.sub("", text)
    if not _LINE_BREAK_RE.search(text):  # one line: the common case, without the generators
        return _SPACE_RE.sub(" ", text).strip(_EDGE_STRIP)
    lines = (_SPACE_RE.sub(" ", line).strip(_EDGE_STRIP) for line in text.splitlines())
    return " ".join(line for line in lines if line)


@lru_cache(maxsize=4096)
def fingerprint(text: str) -> str:
    """Case-, punctuation-, space- and Unicode-form-insensitive key for comparing texts.

    Cached: cleaning compares every paragraph with the page's headlines, captions, teasers
    and other paragraphs, so the same text is fingerprinted several times per page.
    """
    return _PUNCT_RE.sub(" ", _folded(text)).strip()


def _folded(text: str) -> str:
    """Compatibility forms and case folded away: ``fingerprint`` before its punctuation pass."""
    return unicodedata.normalize("NFKC", text).casefold()


def fingerprint_holds(text: str, key: str) -> bool:
    """``key in fingerprint(text)``, for a long ``text`` and a fingerprint ``key``.

    The punctuation pass is most of a fingerprint's cost. Instead, the folded text is searched
    for the key's words with a run of punctuation or spaces between each two (what the pass
    turns into one space): the same answer, without building the long fingerprint.
    """
    return _key_pattern(key).search(_folded(text)) is not None


@lru_cache(maxsize=256)
def _key_pattern(key: str) -> re.Pattern[str]:
    return re.compile(r"[\W_]+".join(map(re.escape, key.split(" "))))


# Scripts written without spaces between words: Han (Chinese, Japanese kanji), kana. Korean
# Hangul is written with spaces and counts by them.
_UNSPACED_RE = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0002fa1f]"
)
# Their punctuation (、。「」, fullwidth forms) separates words and is not one.
_UNSPACED_PUNCT_RE = re.compile(
    "[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)
CHARS_PER_UNSPACED_WORD = 2
"""A Chinese or Japanese word is about two characters long (most are one to three)."""


@lru_cache(maxsize=4096)
def words(text: str) -> int:
    """How many words ``text`` holds, by script: space-separated words, plus one word for every
    ``CHARS_PER_UNSPACED_WORD`` Chinese or Japanese characters (rounded up).

    The one word count for every decision (the article threshold, plausibility, cleaning's
    short-line rules) and for the manifest: splitting on spaces alone makes a 1,500-character
    Chinese article a dozen "words". Cached, like ``fingerprint``: cleaning asks it of the
    same paragraph in several rules.
    """
    if text.isascii():
        return len(text.split())
    spaced, unspaced = _UNSPACED_RE.subn(" ", text)
    if unspaced:
        spaced = _UNSPACED_PUNCT_RE.sub(" ", spaced)
    return len(spaced.split()) + -(-unspaced // CHARS_PER_UNSPACED_WORD)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends like a sentence (or a quote, or a colon that introduces a list)."""
    return bool(_SENTENCE_END_RE.search(text))


def contains_phrase(haystack: str, needle: str) -> bool:
    """True when fingerprint ``needle`` occurs in fingerprint ``haystack`` on word boundaries."""
    return bool(needle) and f" {needle} " in f" {haystack} "
