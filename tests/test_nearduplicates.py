"""The LSH bands and signatures are datasketch's, without datasketch in the crawl process."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from crawler.store.nearduplicates import LSH_WEIGHTS, NearDuplicateIndex, band_ranges

STORY = [
    "The river rose two metres overnight and the old bridge was closed to traffic.",
    "Residents of the lower town were moved to the school gymnasium before dawn.",
]


@pytest.mark.parametrize("permutations", [16, 32, 64, 100, 128, 200, 256])
@pytest.mark.parametrize("threshold", [0.3, 0.45, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0])
def test_the_bands_are_the_ones_datasketch_chooses(threshold: float, permutations: int) -> None:
    """Stored band keys depend on them: a state written before must stay readable."""
    lsh = MinHashLSH(
        threshold=max(0.3, threshold - 0.2), num_perm=permutations, weights=LSH_WEIGHTS
    )
    assert band_ranges(threshold, permutations) == tuple(
        (int(a), int(b)) for a, b in lsh.hashranges
    )


def test_too_few_permutations_for_two_bands_are_refused() -> None:
    with pytest.raises(ValueError, match="too few"):
        band_ranges(0.8, 1)


def test_the_similarity_is_minhash_jaccard() -> None:
    near = NearDuplicateIndex(0.8, 128)
    one = near.signature(STORY)
    two = near.signature([STORY[0], STORY[1].replace("dawn", "noon")])
    theirs = [
        MinHash(num_perm=128, seed=1, hashvalues=s.hashvalues, scheme="affine32")
        for s in (one, two)
    ]
    assert one.jaccard(two) == theirs[0].jaccard(theirs[1])
    assert 0 < one.jaccard(two) < 1
    stored = near.from_bytes(near.to_bytes(one))
    assert stored is not None
    assert np.array_equal(stored.hashvalues, one.hashvalues)


def test_the_crawl_process_store_imports_neither_datasketch_nor_scipy() -> None:
    """Importing them cost every crawl 0.8 s of CPU at start and about 40 MB (issue 13)."""
    code = (
        "import sys, crawler.store.articles, crawler.pipelines.store, crawler.store.redisstate;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'datasketch', 'scipy'}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]"
