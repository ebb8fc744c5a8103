"""Pure text-overlap scoring of extracted article bodies, as the article-extraction benchmark does it.

The metric (scrapinghub/article-extraction-benchmark, ``evaluate.py`` and its README): words are
runs of word characters, lower-cased; each text becomes the multiset of its contiguous 4-word
shingles (a text of one to three words is one shorter shingle, as upstream). Per page,
precision = shared / predicted shingles and recall = shared / true shingles; a page where both
texts are empty scores 1. Precision is averaged over the pages with a non-empty prediction,
recall over the pages with a non-empty truth, and F1 is the harmonic mean of those two means
(not a mean of per-page F1). Accuracy is the share of pages whose word sequence equals the truth.

Upstream does not lower-case (its ``re.IGNORECASE`` has no effect on ``\\w+``); we follow the
README's definition, which differs only where an extractor changes letter case.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

SHINGLE_SIZE = 4
_WORD_RE = re.compile(r"\w+")

Shingles = Counter[tuple[str, ...]]


def tokens(text: str | None) -> list[str]:
    """Lower-cased word tokens (runs of Unicode word characters)."""
    return _WORD_RE.findall((text or "").lower())


def shingles(words: list[str], size: int = SHINGLE_SIZE) -> Shingles:
    """The multiset of contiguous ``size``-word shingles; one short shingle for a short text."""
    if not words:
        return Counter()
    return Counter(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))


@dataclass(frozen=True, slots=True)
class PageScore:
    """One page's overlap with its truth. ``None`` where the benchmark leaves the page out."""

    precision: float | None
    """Shared / predicted shingles; None when the prediction is empty (and the truth is not)."""
    recall: float | None
    """Shared / true shingles; None when the truth is empty (and the prediction is not)."""
    exact: bool
    """The two word sequences are identical."""
    empty: bool = False
    """Both sides are empty: a correct "no article"; scores 1 but stays out of the means."""

    @property
    def f1(self) -> float:
        """Per-page harmonic mean, for one-line-per-page reports; a missing side counts as 0."""
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(predicted: str | None, truth: str | None) -> PageScore:
    """Compare one extracted body with its expected body."""
    pred_words, true_words = tokens(predicted), tokens(truth)
    if not pred_words and not true_words:
        return PageScore(1.0, 1.0, exact=True, empty=True)
    pred, true = shingles(pred_words), shingles(true_words)
    shared = sum((pred & true).values())
    return PageScore(
        precision=shared / pred.total() if pred else None,
        recall=shared / true.total() if true else None,
        exact=pred_words == true_words,
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """Benchmark figures over a set of pages."""

    pages: int
    precision: float
    recall: float
    accuracy: float

    @property
    def f1(self) -> float:
        """Harmonic mean of the mean precision and the mean recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def summarise(scores: Iterable[PageScore]) -> Summary:
    """Mean precision over pages with a prediction, mean recall over pages with a truth.

    A page with both sides empty is left out of both means (upstream filters on
    ``tp + fp > 0`` and ``tp + fn > 0``) but counts as an exact match.
    """
    scored = list(scores)
    counted = [s for s in scored if not s.empty]
    return Summary(
        pages=len(scored),
        precision=_mean([s.precision for s in counted if s.precision is not None]),
        recall=_mean([s.recall for s in counted if s.recall is not None]),
        accuracy=_mean([1.0 if s.exact else 0.0 for s in scored]),
    )
