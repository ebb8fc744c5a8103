"""A case-insensitive regex alternation behind a plain substring pre-test (fast on long pages)."""

from __future__ import annotations

import re

# re.IGNORECASE also matches these letters to ASCII ones; the keyword pre-test folds them alike.
_IGNORECASE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


_FOLDED_LETTERS = "\u0130\u0131\u017f\u212a"


def _folded(text: str) -> str:
    """``text`` lower-cased with ``_IGNORECASE_FOLDS`` applied; the mapping (slow: a Python
    lookup per character) only where one of its four letters occurs."""
    if not text.isascii() and any(letter in text for letter in _FOLDED_LETTERS):
        text = text.translate(_IGNORECASE_FOLDS)
    return text.lower()


class KeywordRegex:
    """A case-insensitive alternation behind a plain substring pre-test.

    Each branch comes with keywords, lower case, one of which every match of the branch
    contains as literal text. A line holding none of them cannot match, and finding that
    out costs a few substring searches, where the alternation is tried at every position of
    the line (about 25 µs a line for the long ones in ``vocabulary``). A line that holds a
    keyword is searched with the branches of that keyword alone, each compiled by itself.
    """

    __slots__ = ("_by_keyword", "branches", "keywords", "regex")

    def __init__(self, branches: tuple[tuple[tuple[str, ...], str], ...]) -> None:
        self.branches = branches
        self.keywords = tuple(dict.fromkeys(k for keys, _ in branches for k in keys))
        self.regex = re.compile("|".join(branch for _, branch in branches), re.IGNORECASE)
        compiled = [re.compile(branch, re.IGNORECASE) for _, branch in branches]
        self._by_keyword = {
            key: tuple(c for (keys, _), c in zip(branches, compiled, strict=True) if key in keys)
            for key in self.keywords
        }

    def search(self, text: str) -> bool:
        """Whether the regex finds a match in ``text`` (as ``regex.search(text)``)."""
        folded = _folded(text)
        if not any(key in folded for key in self.keywords):
            return False  # nearly every line: no keyword, no regex
        return any(
            branch.search(text) is not None
            for key in self.keywords
            if key in folded
            for branch in self._by_keyword[key]
        )
