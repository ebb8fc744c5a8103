"""An article as the article store judges it: its keys, text hash, signature and seed text.

Each is computed once. With the fingerprint the extraction worker made of the same title and
paragraphs (:mod:`crawler.store.fingerprint`), the hash, the signature's values and the seed
text come from it and the crawl process only wraps the values in a Signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.store.seedformat import text_sha1
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.store.fingerprint import Fingerprint
    from crawler.store.nearduplicates import Signature
    from crawler.store.state import NearDuplicateIndex


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article as the store judges it; everything is computed once, from its paragraphs."""

    keys: tuple[str, ...]
    """Its canonical URL and the canonical form of the URL it was fetched at, sorted."""
    title: str
    paragraphs: tuple[str, ...]
    sha1: str
    """The exact-duplicate key (``crawler.store.seedformat.text_sha1``)."""
    signature: Signature | None
    """The near-duplicate signature; None when NEWS_NEAR_DUPLICATE_THRESHOLD is 0."""
    text: str | None = None
    """The seed file's text when the extraction worker rendered it; else rendered at write."""


def make_candidate(
    near: NearDuplicateIndex,
    urls: tuple[str, str],
    title: str,
    paragraphs: Sequence[str],
    fingerprint: Fingerprint | None = None,
) -> Candidate:
    """The candidate for an article fetched at ``urls[0]`` whose canonical URL is ``urls[1]``."""
    signature: Signature | None = None
    if near.enabled:
        values = fingerprint.signature if fingerprint is not None else None
        signature = near.signature(list(paragraphs)) if values is None else near.from_values(values)
    return Candidate(
        keys=article_keys(*urls),
        title=title,
        paragraphs=tuple(paragraphs),
        sha1=fingerprint.sha1 if fingerprint is not None else text_sha1(paragraphs),
        signature=signature,
        text=fingerprint.text if fingerprint is not None else None,
    )


def article_keys(url: str, canonical: str) -> tuple[str, ...]:
    """The state keys of an article: its canonical URL and its fetch URL canonicalised."""
    return tuple(sorted({k for k in (canonical, canonical_url(url) if url else "") if k}))
