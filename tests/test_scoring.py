"""The benchmark metric on small hand-computed cases."""

from __future__ import annotations

from collections import Counter

import pytest

from crawler.bench.scoring import PageScore, score_page, shingles, summarise, tokens


def test_tokens_are_lower_cased_word_runs() -> None:
    assert tokens("Hello, World! It's 2019 — مرحبا بكم") == [
        "hello",
        "world",
        "it",
        "s",
        "2019",
        "مرحبا",
        "بكم",
    ]
    assert tokens(None) == []


def test_shingles_are_a_multiset_of_four_word_windows() -> None:
    words = ["a", "b", "c", "d", "a", "b", "c", "d"]
    assert shingles(words) == Counter(
        {
            ("a", "b", "c", "d"): 2,
            ("b", "c", "d", "a"): 1,
            ("c", "d", "a", "b"): 1,
            ("d", "a", "b", "c"): 1,
        }
    )
    assert shingles(["a", "b"]) == Counter({("a", "b"): 1})  # short text: one short shingle
    assert shingles([]) == Counter()


def test_partial_overlap() -> None:
    # predicted: abcd bcde (2); truth: abcd bcdx cdxy (3); shared: abcd
    score = score_page("a b c d e", "a b c d x y")
    assert score.precision == pytest.approx(1 / 2)
    assert score.recall == pytest.approx(1 / 3)
    assert score.f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert not score.exact


def test_repeated_text_is_counted_once_per_true_occurrence() -> None:
    score = score_page("a b c d a b c d", "a b c d")  # 5 predicted, 1 true, 1 shared
    assert score.precision == pytest.approx(1 / 5)
    assert score.recall == 1.0


def test_case_and_punctuation_do_not_matter() -> None:
    score = score_page("The Cat, sat down.", "the cat SAT down")
    assert score == PageScore(1.0, 1.0, exact=True)


def test_empty_sides() -> None:
    missed = score_page(None, "some true article text here")
    assert (missed.precision, missed.recall, missed.f1) == (None, 0.0, 0.0)
    invented = score_page("text where there is no article", "")
    assert (invented.precision, invented.recall) == (0.0, None)
    both = score_page("", "  ")
    assert both.empty
    assert both.exact
    assert both.f1 == 1.0


def test_summary_means_precision_and_recall_over_their_own_pages() -> None:
    pages = [
        score_page("a b c d e", "a b c d x y"),  # P 1/2, R 1/3
        score_page(None, "a b c d"),  # P left out, R 0
        score_page("", ""),  # left out of both means, exact
        score_page("x y z w", ""),  # P 0, R left out
    ]
    summary = summarise(pages)
    assert summary.pages == 4
    assert summary.precision == pytest.approx((1 / 2 + 0) / 2)
    assert summary.recall == pytest.approx((1 / 3 + 0) / 2)
    assert summary.f1 == pytest.approx(2 * (1 / 4) * (1 / 6) / (1 / 4 + 1 / 6))
    assert summary.accuracy == pytest.approx(1 / 4)


def test_summary_of_nothing_is_zero() -> None:
    summary = summarise([])
    assert (summary.pages, summary.f1, summary.accuracy) == (0, 0.0, 0.0)
