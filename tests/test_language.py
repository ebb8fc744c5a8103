"""Language detection: deterministic, bounded, and honest about undetectable text."""

from __future__ import annotations

import pytest

from crawler.extraction.language import _sample, detect_language

TEXTS = {
    "ar": "أجرى الرئيس السوري محادثات مع نظيره الروسي تركزت على الصراع في البلاد.",
    "en": "The president held talks with his Russian counterpart about the conflict.",
    "fr": "Le président a tenu des entretiens avec son homologue russe sur le conflit.",
    "fa": "رئیس جمهور با همتای روسی خود درباره درگیری در کشور گفتگو کرد و توافق کردند.",
}


@pytest.mark.parametrize("code", ["ar", "en", "fr", "fa"])
def test_detects_language_of_one_sentence(code: str) -> None:
    guess = detect_language(TEXTS[code])
    assert guess is not None
    assert guess.code == code
    assert 0.5 < guess.probability <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "12345 67 -- !!", "\u200b\u200c"])
def test_undetectable_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_detection_is_deterministic() -> None:
    mixed = "Breaking news عاجل: الرئيس يلتقي the minister في القصر today"
    assert len({detect_language(mixed) for _ in range(20)}) == 1


def test_sample_is_bounded_and_spans_the_text() -> None:
    text = "a" * 5000 + "b" * 5000 + "c" * 5000
    sample = _sample(text, 900)
    assert len(sample) <= 902
    assert {"a", "b", "c"} <= set(sample)
    assert _sample("short", 900) == "short"
