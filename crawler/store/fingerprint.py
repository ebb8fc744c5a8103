"""What the article store needs of an article besides its fields, computed in the extraction worker.

The text hash, the seed file's text and the near-duplicate signature's input are pure functions
of the headline and paragraphs. On two cores every CPU second the crawl process spends per
article is taken from extraction (issue 13's profile: the signature alone was 6 % of a pooled
crawl), so the worker that extracted the article computes them and sends them back with it; the
crawl process only checks, claims and writes. They are the store's own functions
(:func:`crawler.store.seedformat.text_sha1`, :func:`~crawler.store.seedformat.render`,
:func:`shingle_hashes`, which :meth:`crawler.store.state.NearDuplicateIndex.signature` also
uses), so the results are identical wherever they run.

Standard library only: a worker that imported datasketch would also import scipy (its LSH
module does), about 60 MB of resident memory per worker for nothing. The worker sends the
shingles' 32-bit hashes; the crawl process turns them into the MinHash (one numpy step).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.store.seedformat import normalised_text, render, text_sha1

if TYPE_CHECKING:
    from collections.abc import Sequence

_WORD_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_WORDS = 5
"""Words per shingle of the near-duplicate signature."""


def shingle_hashes(paragraphs: Sequence[str]) -> array[int]:
    """The 32-bit hashes of the lower-cased 5-word shingles of the text, each once.

    The hash is datasketch's default ``sha1_hash32`` (the first 4 bytes of SHA-1, little
    endian), so a MinHash fed these values equals one fed the shingles themselves.
    """
    words = _WORD_RE.findall(normalised_text(paragraphs).casefold())
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }
    return array(
        "I",
        (
            int.from_bytes(hashlib.sha1(s, usedforsecurity=False).digest()[:4], "little")
            for s in shingles
        ),
    )


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An article's text hash, shingle hashes and seed text, small enough for a process pipe."""

    sha1: str
    """The exact-duplicate key (``text_sha1``)."""
    shingles: bytes | None
    """``shingle_hashes`` as bytes (4 per shingle); None when near-duplicates are off."""
    text: str | None
    """The seed file's text; None when the article cannot be one (``render`` raises then, at
    write time, exactly as before)."""


def fingerprint(title: str, paragraphs: Sequence[str], *, shingles: bool) -> Fingerprint:
    """The fingerprint of an article; ``shingles`` False when near-duplicates are off."""
    try:
        text: str | None = render(title, paragraphs)
    except ValueError:
        text = None
    hashes = shingle_hashes(paragraphs).tobytes() if shingles else None
    return Fingerprint(text_sha1(paragraphs), hashes, text)
