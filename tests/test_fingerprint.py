"""Fingerprints made in the extraction workers are exactly what the store would compute itself."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import numpy as np
import pytest
from datasketch import MinHash
from scrapy.settings import Settings

from crawler import settings
from crawler.bench.sitegen import article_page
from crawler.extraction.article import ExtractionOptions
from crawler.pipelines.workers import Extracted, make_runner
from crawler.store.articles import ArticleStore, near_index
from crawler.store.fingerprint import fingerprint, minhash_values, permutations32, shingle_hashes
from crawler.store.seedformat import render
from crawler.store.state import NearDuplicateIndex

if TYPE_CHECKING:
    from pathlib import Path

NEAR = near_index(Settings(vars(settings)))
STORY = [
    "The river rose two metres overnight and the old bridge was closed to traffic.",
    "Residents of the lower town were moved to the school gymnasium before dawn.",
]


def test_shingles_hashed_apart_give_the_signature_a_fresh_minhash_gives() -> None:
    """Shared permutations and the worker's own MinHash values change nothing in the signature."""
    fresh = MinHash(num_perm=NEAR.permutations, seed=1, scheme="affine32")
    shared = NEAR.signature(STORY)
    assert not np.array_equal(fresh.hashvalues, shared.hashvalues)  # not the empty sketch
    words = " ".join(STORY).casefold().replace(".", "").replace(",", "").split()
    fresh.update_batch([" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)])
    assert np.array_equal(fresh.hashvalues, shared.hashvalues)
    restored = NEAR.from_bytes(NEAR.to_bytes(shared))
    assert restored is not None
    assert restored.jaccard(fresh) == 1.0


@pytest.mark.parametrize("workers", [0, 1])
def test_the_workers_fingerprint_is_the_stores_own(workers: int, tmp_path: Path) -> None:
    html, _, _ = article_page(4)
    url = "http://a.example/news/4.html"

    async def scenario() -> Extracted:
        runner = make_runner(
            ExtractionOptions(), workers, timeout=60.0, permutations=NEAR.permutations
        )
        try:
            return await runner.prepare(html.encode(), url, "text/html; charset=utf-8")
        finally:
            runner.close()

    extracted = asyncio.run(scenario())
    article = extracted.extraction.article
    assert article is not None
    assert extracted.fingerprint is not None
    store = ArticleStore.from_settings(Settings({**vars(settings), "NEWS_OUTPUT_DIR": tmp_path}))
    own = store.candidate(url, article.canonical_url, article.title, article.paragraphs)
    sent = store.candidate(
        url, article.canonical_url, article.title, article.paragraphs, extracted.fingerprint
    )
    assert sent.sha1 == own.sha1
    assert own.signature is not None
    assert sent.signature is not None
    assert np.array_equal(sent.signature.hashvalues, own.signature.hashvalues)
    assert sent.text == render(article.title, article.paragraphs)
    assert sent.keys == own.keys
    store.close()


def test_no_signature_when_near_duplicates_are_off_and_no_text_without_a_headline() -> None:
    off = fingerprint("Headline", STORY, permutations=0)
    assert off.signature is None
    assert off.text == render("Headline", STORY)
    assert (
        fingerprint("", STORY, permutations=NEAR.permutations).text is None
    )  # render raises at write, as before


def test_most_similar_scores_as_minhash_jaccard_does() -> None:
    near_copy = [*STORY[:1], STORY[1] + " Reporting by the regional desk."]
    other = ["A different story about the city council budget vote and its delay until June."]
    query = NEAR.signature(STORY)
    stored = [
        ("000_a.txt", NEAR.to_bytes(NEAR.signature(other))),
        ("001_b.txt", NEAR.to_bytes(NEAR.signature(near_copy))),
        ("002_c.txt", NEAR.to_bytes(NEAR.signature(STORY))[:-8]),  # other settings: skipped
    ]
    scores = {}
    for file, blob in stored[:2]:
        restored = NEAR.from_bytes(blob)
        assert restored is not None
        scores[file] = query.jaccard(restored)
    expected = max(scores, key=scores.__getitem__)
    assert scores[expected] >= NEAR.threshold  # the case is one the index must find
    assert NEAR.most_similar(query, stored) == expected == "001_b.txt"
    strict = NearDuplicateIndex(threshold=min(1.0, scores[expected] + 0.01))
    assert strict.most_similar(query, stored) is None


@pytest.mark.parametrize("count", [1, 16, 128, 256])
def test_the_workers_permutations_and_values_are_datasketchs_own(count: int) -> None:
    fresh = MinHash(num_perm=count, seed=1, scheme="affine32")
    assert np.array_equal(permutations32(count), fresh.permutations)
    hashes = shingle_hashes([" ".join(f"word{i}" for i in range(40))])
    empty = MinHash(num_perm=count, seed=1, scheme="affine32")
    assert np.array_equal(minhash_values(hashes[:0], count), empty.hashvalues)
    fed = MinHash(num_perm=count, seed=1, scheme="affine32", hashfunc=int)
    fed.update_batch(hashes.tolist())
    assert np.array_equal(minhash_values(hashes, count), fed.hashvalues)
