"""What the extraction depends on, as one frozen value built from the crawl's settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from crawler import settings as defaults
from crawler.extraction.language import DETECTORS


class SettingsReader(Protocol):
    """The typed getters of Scrapy's ``Settings`` that ``ExtractionOptions.from_settings`` uses."""

    def getint(self, name: str, default: int = 0) -> int: ...

    def getbool(self, name: str, default: bool = False) -> bool: ...

    def get(self, name: str, default: object = None) -> object: ...


@dataclass(frozen=True, slots=True)
class ExtractionOptions:
    """Everything the extraction depends on, built once from the crawler settings.

    The defaults are ``crawler/settings.py``'s values (the one place they live), so
    ``ExtractionOptions()`` is what a crawl with no ``-s`` overrides uses.
    """

    min_words: int = defaults.NEWS_MIN_WORDS
    """Bodies with fewer words are not articles (``NEWS_MIN_WORDS``), unless the page shows it is
    one (``min_brief_words``)."""
    min_brief_words: int = defaults.NEWS_MIN_BRIEF_WORDS
    """A page with article evidence (a stated article type, an article-shaped URL, a run of
    prose) is an article from this many words: a news brief (``NEWS_MIN_BRIEF_WORDS``)."""
    include_tables: bool = defaults.NEWS_INCLUDE_TABLES
    """Keep tables that are part of the article (``NEWS_INCLUDE_TABLES``)."""
    language_sample_chars: int = defaults.NEWS_LANGUAGE_SAMPLE_CHARS
    """Language detection reads at most this many characters (``NEWS_LANGUAGE_SAMPLE_CHARS``)."""
    language_detector: str = defaults.NEWS_LANGUAGE_DETECTOR
    """``fast`` or ``langdetect`` (``NEWS_LANGUAGE_DETECTOR``)."""
    max_elements: int = defaults.NEWS_MAX_ELEMENTS
    """Pages with more elements are refused (``NEWS_MAX_ELEMENTS``)."""
    fallback_max_elements: int = defaults.NEWS_FALLBACK_MAX_ELEMENTS
    """Above this many elements trafilatura runs without its fallbacks
    (``NEWS_FALLBACK_MAX_ELEMENTS``)."""
    max_text_chars: int = defaults.NEWS_MAX_TEXT_CHARS
    """Main text longer than this is refused before cleaning (``NEWS_MAX_TEXT_CHARS``)."""

    def __post_init__(self) -> None:
        if self.language_detector not in DETECTORS:
            known = ", ".join(sorted(DETECTORS))
            raise ValueError(
                f"NEWS_LANGUAGE_DETECTOR must be one of {known}, not {self.language_detector!r}"
            )

    @classmethod
    def from_settings(cls, settings: SettingsReader) -> ExtractionOptions:
        """The options of a crawl: each field from its ``NEWS_`` setting (Scrapy ``Settings``)."""
        return cls(
            min_words=settings.getint("NEWS_MIN_WORDS"),
            min_brief_words=settings.getint("NEWS_MIN_BRIEF_WORDS"),
            include_tables=settings.getbool("NEWS_INCLUDE_TABLES"),
            language_sample_chars=settings.getint("NEWS_LANGUAGE_SAMPLE_CHARS"),
            language_detector=str(settings.get("NEWS_LANGUAGE_DETECTOR")),
            max_elements=settings.getint("NEWS_MAX_ELEMENTS"),
            fallback_max_elements=settings.getint("NEWS_FALLBACK_MAX_ELEMENTS"),
            max_text_chars=settings.getint("NEWS_MAX_TEXT_CHARS"),
        )
