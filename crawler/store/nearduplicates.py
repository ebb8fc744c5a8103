"""Near-duplicate detection: MinHash signatures of an article's shingles and their LSH bands.

Split out of :mod:`crawler.store.state` (issue 17), which keeps what is stored; this is how a
signature is computed, compared and cut into bands, for the SQLite and the Redis state alike.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from datasketch import MinHash, MinHashLSH

from crawler.store.fingerprint import MINHASH_SEED, minhash_values, permutations32, shingle_hashes

if TYPE_CHECKING:
    from collections.abc import Sequence

_SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures depend on it


def _permutations(permutations: int) -> np.ndarray:
    """The permutation parameters of every signature, generated once per process.

    A new ``MinHash`` draws them from a seeded RNG each time it is built (issue 13: most of
    the signature's cost); datasketch shares a canonical array passed as ``permutations=``.
    They are datasketch's own draws for seed 1 (``fingerprint.permutations32``, which the
    extraction workers use without importing datasketch), so signatures are identical.
    """
    return permutations32(permutations)


@functools.lru_cache(maxsize=8)
def _band_ranges(threshold: float, permutations: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each LSH band, as datasketch chooses them for these settings."""
    lsh = NearDuplicateIndex(threshold, permutations).new_lsh()
    return tuple((int(a), int(b)) for a, b in lsh.hashranges)


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

    def signature(self, paragraphs: tuple[str, ...] | list[str]) -> MinHash:
        """MinHash of the lower-cased 5-word shingles of the text."""
        return self.from_values(
            minhash_values(shingle_hashes(paragraphs), self.permutations).tobytes()
        )

    def from_values(self, values: bytes) -> MinHash:
        """The MinHash whose values the extraction worker computed (``minhash_values``)."""
        return MinHash(
            seed=MINHASH_SEED,
            hashvalues=np.frombuffer(values, dtype=np.uint32),
            scheme=_SCHEME,
            permutations=_permutations(self.permutations),
        )

    def new_lsh(self) -> MinHashLSH:
        """An LSH index that finds candidates generously; ``jaccard`` then decides.

        datasketch tunes bands for its threshold with equal error weights, which misses about
        a quarter of pairs at 0.875 similarity for a 0.8 threshold. Candidates come from a
        lower threshold with false negatives weighted heavily, and each is confirmed against
        the stored signature, so recall is near 1 and precision is the estimator's.
        """
        return MinHashLSH(
            threshold=max(0.3, self.threshold - 0.2),
            num_perm=self.permutations,
            weights=(0.1, 0.9),
        )

    def bands(self, signature: MinHash) -> list[str]:
        """The LSH band keys of a signature (``<band>:<digest>``), as ``new_lsh`` cuts it.

        Stored beside the signature on disk (SQLite) or in Redis, so the index costs no memory
        in the crawl process however many articles the corpus holds.
        """
        values = signature.hashvalues.astype(np.uint64)
        if len(values) != self.permutations:
            return []  # made with other settings: not in this index
        return list(_band_keys(values.tobytes(), _band_ranges(self.threshold, self.permutations)))

    def from_bytes(self, blob: bytes) -> MinHash | None:
        """A signature stored by ``to_bytes``; None if it was made with other settings."""
        hashes = np.frombuffer(blob, dtype=np.uint64)
        if len(hashes) != self.permutations:
            return None
        return MinHash(
            seed=1,
            hashvalues=hashes,
            scheme=_SCHEME,
            permutations=_permutations(self.permutations),
        )

    def most_similar(self, signature: MinHash, stored: Sequence[tuple[str, bytes]]) -> str | None:
        """The stored file most similar to ``signature``, at or above the threshold, or None."""
        found = self.closest(signature, stored)
        return found[0] if found is not None else None

    def closest(
        self, signature: MinHash, stored: Sequence[tuple[str, bytes]]
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
        mine = signature.hashvalues.astype(np.uint64)
        scores = np.count_nonzero(others.reshape(len(usable), -1) == mine, axis=1) / len(mine)
        best = int(np.argmax(scores))
        score = float(scores[best])
        return (usable[best][0], score) if score >= self.threshold else None

    @staticmethod
    def to_bytes(signature: MinHash) -> bytes:
        return bytes(signature.hashvalues.astype(np.uint64).tobytes())
