"""Language detection: deterministic, bounded, and honest about undetectable text."""

from __future__ import annotations

import pytest

from crawler import settings
from crawler.extraction.language import DETECTORS, LanguageGuess, _sample, detect_language
from crawler.extraction.options import ExtractionOptions

TEXTS = {
    "ar": "أجرى الرئيس السوري محادثات مع نظيره الروسي تركزت على الصراع في البلاد.",
    "en": "The president held talks with his Russian counterpart about the conflict.",
    "fr": "Le président a tenu des entretiens avec son homologue russe sur le conflit.",
    "fa": "رئیس جمهور با همتای روسی خود درباره درگیری در کشور گفتگو کرد و توافق کردند.",
}


def detect(text: str, detector: str = settings.NEWS_LANGUAGE_DETECTOR) -> LanguageGuess | None:
    return detect_language(text, max_chars=settings.NEWS_LANGUAGE_SAMPLE_CHARS, detector=detector)


@pytest.mark.parametrize("detector", sorted(DETECTORS))
@pytest.mark.parametrize("code", ["ar", "en", "fr", "fa"])
def test_detects_language_of_one_sentence(code: str, detector: str) -> None:
    guess = detect(TEXTS[code], detector)
    assert guess is not None
    assert guess.code == code
    assert 0.5 < guess.probability <= 1.0


@pytest.mark.parametrize("detector", sorted(DETECTORS))
@pytest.mark.parametrize("text", ["", "   ", "12345 67 -- !!", "\u200b\u200c"])
def test_undetectable_text_gives_none(text: str, detector: str) -> None:
    assert detect(text, detector) is None


@pytest.mark.parametrize("detector", sorted(DETECTORS))
def test_detection_is_deterministic(detector: str) -> None:
    mixed = "Breaking news عاجل: الرئيس يلتقي the minister في القصر today"
    assert len({detect(mixed, detector) for _ in range(20)}) == 1


def test_an_unknown_detector_is_refused_when_the_options_are_built() -> None:
    with pytest.raises(ValueError, match="NEWS_LANGUAGE_DETECTOR"):
        ExtractionOptions(language_detector="cld3")


def test_sample_is_bounded_and_spans_the_text() -> None:
    text = "a" * 5000 + "b" * 5000 + "c" * 5000
    sample = _sample(text, 900)
    assert len(sample) <= 902
    assert {"a", "b", "c"} <= set(sample)
    assert _sample("short", 900) == "short"
