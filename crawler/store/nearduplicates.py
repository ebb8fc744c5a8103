"""Near-duplicate detection: MinHash signatures of an article's shingles and their LSH bands.

Split out of :mod:`crawler.store.state` (issue 17), which keeps what is stored; this is how a
signature is computed, compared and cut into bands, for the SQLite and the Redis state alike.

The signatures and bands are datasketch's (``affine32`` MinHash with seed 1, and the bands
``MinHashLSH`` chooses), so states written before stay valid; ``tests/test_fingerprint.py`` and
``tests/test_nearduplicates.py`` check both against datasketch. datasketch itself is not
imported: its LSH module imports scipy, which cost the crawl process 0.8 s of CPU at every
start and about 40 MB of memory (issue 13), only to integrate two polynomials once.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from crawler.store.fingerprint import minhash_values, shingle_hashes

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

LSH_WEIGHTS = (0.1, 0.9)
"""The weights of false positives and false negatives when the bands are chosen."""


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """An article's MinHash: one 32-bit minimum per permutation, held as ``uint64``."""

    hashvalues: NDArray[np.uint64]

    def jaccard(self, other: Signature) -> float:
        """The estimated Jaccard similarity: the share of equal values (``MinHash.jaccard``)."""
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / len(self.hashvalues)


def _optimal_bands(
    threshold: float, permutations: int, weights: tuple[float, float]
) -> tuple[int, int]:
    """``(bands, rows)`` as ``datasketch.lsh._optimal_param`` chooses them: the pair that
    minimises the weighted areas of false positives below ``threshold`` and false negatives
    above it, the first of equal errors winning.

    Both integrands are polynomials of degree ``bands * rows <= permutations``, so a
    Gauss-Legendre rule of ``permutations // 2 + 1`` points integrates them exactly (up to
    rounding), where datasketch calls scipy's adaptive ``quad`` for each of the pairs.
    """
    nodes, node_weights = np.polynomial.legendre.leggauss(permutations // 2 + 1)
    below = threshold / 2 * (nodes + 1)  # [0, threshold]
    above = threshold + (1 - threshold) / 2 * (nodes + 1)  # [threshold, 1]
    best, chosen = float("inf"), (0, 0)
    for bands in range(1, permutations + 1):
        for rows in range(1, permutations // bands + 1):
            positive = 1 - (1 - below**rows) ** bands
            negative = (1 - above**rows) ** bands
            error = (
                threshold / 2 * float(node_weights @ positive) * weights[0]
                + (1 - threshold) / 2 * float(node_weights @ negative) * weights[1]
            )
            if error < best:
                best, chosen = error, (bands, rows)
    if chosen[0] < 2:  # as datasketch: one band is no index
        raise ValueError(f"{permutations} permutations are too few for threshold {threshold}")
    return chosen


@functools.lru_cache(maxsize=8)
def band_ranges(threshold: float, permutations: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each LSH band of ``NearDuplicateIndex(threshold, permutations)``.

    Candidates come from a lower threshold than the index's with false negatives weighted
    heavily, and each is confirmed against the stored signature: datasketch's own tuning for
    the threshold, with equal weights, misses about a quarter of pairs at 0.875 similarity for
    a 0.8 threshold, while this finds nearly all, and precision is the estimator's.
    """
    bands, rows = _optimal_bands(max(0.3, threshold - 0.2), permutations, LSH_WEIGHTS)
    return tuple((index * rows, (index + 1) * rows) for index in range(bands))


@functools.lru_cache(maxsize=512)
def _band_keys(values: bytes, ranges: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    """The band keys of signature values (uint64 bytes). Cached: the store asks them of one
    article twice, when it looks for near-copies and when it records the article, with the
    articles still being written (a few dozen) checked in between."""
    width = np.dtype(np.uint64).itemsize
    return tuple(
        f"{index}:{hashlib.sha1(values[start * width : end * width], usedforsecurity=False).hexdigest()[:24]}"
        for index, (start, end) in enumerate(ranges)
    )


@dataclass(frozen=True, slots=True)
class NearDuplicateIndex:
    """MinHash settings; ``threshold`` is the estimated Jaccard similarity of word shingles."""

    threshold: float
    permutations: int = 128

    @property
    def enabled(self) -> bool:
        return self.threshold > 0

    def signature(self, paragraphs: tuple[str, ...] | list[str]) -> Signature:
        """MinHash of the lower-cased 5-word shingles of the text."""
        return self.from_values(
            minhash_values(shingle_hashes(paragraphs), self.permutations).tobytes()
        )

    def from_values(self, values: bytes) -> Signature:
        """The signature whose values the extraction worker computed (``minhash_values``)."""
        return Signature(np.frombuffer(values, dtype=np.uint32).astype(np.uint64))

    def bands(self, signature: Signature) -> list[str]:
        """The LSH band keys of a signature (``<band>:<digest>``), as ``new_lsh`` cuts it.

        Stored beside the signature on disk (SQLite) or in Redis, so the index costs no memory
        in the crawl process however many articles the corpus holds.
        """
        values = signature.hashvalues
        if len(values) != self.permutations:
            return []  # made with other settings: not in this index
        return list(_band_keys(values.tobytes(), band_ranges(self.threshold, self.permutations)))

    def from_bytes(self, blob: bytes) -> Signature | None:
        """A signature stored by ``to_bytes``; None if it was made with other settings."""
        hashes = np.frombuffer(blob, dtype=np.uint64)
        if len(hashes) != self.permutations:
            return None
        return Signature(hashes)

    def most_similar(self, signature: Signature, stored: Sequence[tuple[str, bytes]]) -> str | None:
        """The stored file most similar to ``signature``, at or above the threshold, or None."""
        found = self.closest(signature, stored)
        return found[0] if found is not None else None

    def closest(
        self, signature: Signature, stored: Sequence[tuple[str, bytes]]
    ) -> tuple[str, float] | None:
        """The most similar stored file and its score, at or above the threshold, or None.

        ``stored`` holds ``(file, to_bytes(signature))`` pairs; those made with other settings
        are skipped. The score is ``MinHash.jaccard`` (the share of equal hash values), for
        all candidates in one numpy step rather than one MinHash built per candidate (on the
        generated site about 50 candidates per article); the first of equal best scores wins.
        """
        width = self.permutations * 8
        usable = [(file, blob) for file, blob in stored if len(blob) == width]
        if not usable:
            return None
        others = np.frombuffer(b"".join(blob for _, blob in usable), dtype=np.uint64)
        mine = signature.hashvalues
        scores = np.count_nonzero(others.reshape(len(usable), -1) == mine, axis=1) / len(mine)
        best = int(np.argmax(scores))
        score = float(scores[best])
        return (usable[best][0], score) if score >= self.threshold else None

    @staticmethod
    def to_bytes(signature: Signature) -> bytes:
        return bytes(signature.hashvalues.astype(np.uint64).tobytes())
