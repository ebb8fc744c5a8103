"""What the article store needs of an article besides its fields, computed in the extraction worker.

The text hash, the seed file's text and the near-duplicate signature's input are pure functions
of the headline and paragraphs. On two cores every CPU second the crawl process spends per
article is taken from extraction (issue 13's profile: the signature alone was 6 % of a pooled
crawl), so the worker that extracted the article computes them and sends them back with it; the
crawl process only checks, claims and writes. They are the store's own functions
(:func:`crawler.store.seedformat.text_sha1`, :func:`~crawler.store.seedformat.render`,
:func:`shingle_hashes`, which :meth:`crawler.store.state.NearDuplicateIndex.signature` also
uses), so the results are identical wherever they run.

No datasketch: a worker that imported it would also import scipy (its LSH module does), about
60 MB of resident memory per worker for nothing. The worker computes the MinHash values with
datasketch's own ``affine32`` formula in numpy (:func:`minhash_values`, checked against
datasketch by ``tests/test_fingerprint.py``) and sends those 512 bytes; the crawl process only
wraps them in a ``Signature`` (issue 13: building it from the shingles was the crawl process's
largest numpy step per article).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from crawler.store.seedformat import normalised_text, render, sha1_of_normalised

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

_WORD_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_WORDS = 5
"""Words per shingle of the near-duplicate signature."""


def shingle_hashes(
    paragraphs: Sequence[str], *, normalised: str | None = None
) -> NDArray[np.uint32]:
    """The 32-bit hashes of the lower-cased 5-word shingles of the text, each once.

    The hash is datasketch's default ``sha1_hash32`` (the first 4 bytes of SHA-1, little
    endian), so a MinHash fed these values equals one fed the shingles themselves.
    ``normalised`` is ``normalised_text(paragraphs)`` when the caller has it already. The
    shingles are made by zipping five shifted word lists and the digests read by numpy in
    one step: the same values as slicing and ``int.from_bytes`` per shingle, at a third of
    the cost (it was a third of a ``trafilatura.extract`` call per article, issue 13).
    """
    text = normalised_text(paragraphs) if normalised is None else normalised
    words = _WORD_RE.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        shingles = {" ".join(words)}
    else:
        shifted = (words[i:] for i in range(SHINGLE_WORDS))
        shingles = set(map(" ".join, zip(*shifted, strict=False)))  # the shortest list ends it
    digests = b"".join(
        hashlib.sha1(s.encode("utf-8"), usedforsecurity=False).digest()[:4] for s in shingles
    )
    return np.frombuffer(digests, dtype="<u4").astype(np.uint32)


MINHASH_SEED = 1
"""The seed of the permutations (datasketch's default, and what the stored signatures used)."""
_MAX_HASH32 = np.uint32(0xFFFFFFFF)
# datasketch's MurmurHash3 finalizer for 32 bits (``minhash._FMIX_CONSTANTS[32]``).
_FMIX32 = (
    np.uint32(16),
    np.uint32(0x85EBCA6B),
    np.uint32(13),
    np.uint32(0xC2B2AE35),
    np.uint32(16),
)


@functools.cache
def permutations32(count: int) -> NDArray[np.uint32]:
    """datasketch's ``affine32`` permutation parameters ``(a, b)``: the same generator and
    draws as ``MinHash._init_permutations`` with seed ``MINHASH_SEED``, once per process."""
    gen = np.random.RandomState(MINHASH_SEED)
    a = gen.randint(0, 1 << 31, count, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, count, dtype=np.uint32)
    shared = np.array([a, b])
    shared.setflags(write=False)
    return shared


def minhash_values(hashes: NDArray[np.uint32], count: int) -> NDArray[np.uint32]:
    """The values of a ``MinHash(num_perm=count, seed=1, scheme="affine32")`` fed these shingle
    hashes: ``update_batch``'s CPU path (finalizer, ``a * h + b`` modulo 2**32, minimum).

    The products are laid out one permutation per row, so each minimum is a reduction over
    contiguous memory, in place: a sixth of the time of datasketch's shingle-per-row layout,
    with the same values (uint32 arithmetic wraps the same way in either order).
    """
    values = np.full(count, _MAX_HASH32, dtype=np.uint32)
    if not len(hashes):
        return values
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hashes ^ (hashes >> s1)
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    a, b = permutations32(count)
    products = np.multiply.outer(a, hv)
    products += b[:, None]
    result: NDArray[np.uint32] = np.minimum(values, products.min(axis=1))
    return result


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An article's text hash, shingle hashes and seed text, small enough for a process pipe."""

    sha1: str
    """The exact-duplicate key (``text_sha1``)."""
    signature: bytes | None
    """``minhash_values`` of the shingles as bytes (4 per permutation); None when
    near-duplicates are off."""
    text: str | None
    """The seed file's text; None when the article cannot be one (``render`` raises then, at
    write time, exactly as before)."""


def fingerprint(title: str, paragraphs: Sequence[str], *, permutations: int) -> Fingerprint:
    """The fingerprint of an article; ``permutations`` of its signature, 0 when
    near-duplicates are off (NEWS_NEAR_DUPLICATE_PERMUTATIONS)."""
    try:
        text: str | None = render(title, paragraphs)
    except ValueError:
        text = None
    normalised = normalised_text(paragraphs)
    signature = (
        minhash_values(shingle_hashes(paragraphs, normalised=normalised), permutations).tobytes()
        if permutations
        else None
    )
    return Fingerprint(sha1_of_normalised(normalised), signature, text)
