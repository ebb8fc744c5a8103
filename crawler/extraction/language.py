"""Pure language identification with langdetect's profiles, deterministic and bounded in cost.

Two detectors give the same language (``NEWS_LANGUAGE_DETECTOR``): ``langdetect``, the
library itself, and ``fast``, ``crawler.extraction.langfast``, its algorithm reimplemented.
``tests/test_language_detectors.py`` checks they agree on every fixture page, every benchmark
page and every test text. Their probabilities differ only where ``fast`` stops after
``UNANIMOUS_TRIALS`` unanimous trials and reports their mean, where langdetect averages all
seven: on 2 of those 225 texts, 1.0 against 0.8571 (BENCHMARKS.md, "Language detectors").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from langdetect import DetectorFactory, detector_factory
from langdetect.lang_detect_exception import LangDetectException

from crawler.extraction.langfast import SEED, detect_langs

if TYPE_CHECKING:
    from collections.abc import Callable

UNANIMOUS_TRIALS = 3
"""langdetect's seven random trials stop after this many when all converged on one language.

On the 198 benchmark and fixture article texts the answer (code and probability to four
decimals) is the same as with all seven; on 2,000 single paragraphs and two-paragraph
mixtures the code was always the same, and 26 short or mixed ones report 1.0 where the
later trials would have brought the probability down to 0.57 to 0.86 (BENCHMARKS.md).
"""


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """An ISO 639-1 code and langdetect's probability for it."""

    code: str
    probability: float


@cache
def _factory() -> DetectorFactory:
    """A private langdetect factory (not the library's global one), seeded for reproducibility."""
    factory = DetectorFactory()
    factory.load_profile(detector_factory.PROFILES_DIRECTORY)
    factory.seed = SEED
    return factory


def _langdetect(sample: str) -> list[tuple[str, float]]:
    """langdetect's own ``detect_langs``, all seven trials (it seeds the global ``random``)."""
    detector = _factory().create()
    detector.append(sample)
    try:
        return [(str(g.lang), float(g.prob)) for g in detector.get_probabilities()]
    except LangDetectException:  # "No features in text"
        return []


def _fast(sample: str) -> list[tuple[str, float]]:
    return detect_langs(sample, unanimous=UNANIMOUS_TRIALS)


DETECTORS: dict[str, Callable[[str], list[tuple[str, float]]]] = {
    "fast": _fast,
    "langdetect": _langdetect,
}
"""The values ``NEWS_LANGUAGE_DETECTOR`` accepts, and what each runs."""


def _sample(text: str, max_chars: int) -> str:
    """A bounded sample from the start, the middle and the end of ``text``.

    langdetect's cost grows with the text; three windows represent a long article better
    than its opening alone (which may be a quote in another language).
    """
    if len(text) <= max_chars:
        return text
    third = max_chars // 3
    middle = len(text) // 2
    return " ".join((text[:third], text[middle - third // 2 : middle + third // 2], text[-third:]))


def detect_language(text: str, *, max_chars: int, detector: str) -> LanguageGuess | None:
    """The most probable language of ``text``, or None when it has nothing to go on.

    ``max_chars`` and ``detector`` come from ``NEWS_LANGUAGE_SAMPLE_CHARS`` and
    ``NEWS_LANGUAGE_DETECTOR`` (through ``ExtractionOptions``).
    """
    sample = _sample(text, max_chars)
    if not any(ch.isalpha() for ch in sample):
        return None
    guesses = DETECTORS[detector](sample)
    if not guesses:
        return None
    lang, probability = guesses[0]
    code = lang.split("-")[0]  # zh-cn / zh-tw -> zh: ISO 639-1 only
    return LanguageGuess(code=code, probability=round(probability, 4))
