"""NEWS_LANGUAGE_DETECTOR: "fast" names the same language as langdetect itself, page by page.

Every fixture page, every page of the 181-page benchmark (when its data sits beside the
checkout) and every language test text. Where their probabilities differ is written down
in BENCHMARKS.md ("Language detectors"); this test compares the languages only.
"""

from __future__ import annotations

import gzip
import json

import pytest
from lxml import html

from crawler import settings
from crawler.bench.quality import find_data
from crawler.extraction.article import extract_article
from crawler.extraction.language import DETECTORS, detect_language
from crawler.extraction.options import ExtractionOptions
from tests import FIXTURES
from tests.test_langfast import SENTENCES
from tests.test_language import TEXTS

OPTIONS = ExtractionOptions()


def _codes(text: str) -> dict[str, str | None]:
    """The language each detector names for ``text`` (None: nothing to go on)."""
    found = {}
    for name in sorted(DETECTORS):
        guess = detect_language(text, max_chars=settings.NEWS_LANGUAGE_SAMPLE_CHARS, detector=name)
        found[name] = guess.code if guess else None
    return found


def _page_text(body: bytes, url: str) -> str:
    """The article text the crawl would detect, or the page's text when it holds no article."""
    article = extract_article(body, url, OPTIONS)
    if article is not None:
        return article.text
    return " ".join(html.document_fromstring(body).text_content().split())


def test_both_detectors_are_offered() -> None:
    assert set(DETECTORS) == {"fast", "langdetect"}
    assert settings.NEWS_LANGUAGE_DETECTOR in DETECTORS


@pytest.mark.parametrize("text", [*TEXTS.values(), *SENTENCES])
def test_same_language_on_test_texts(text: str) -> None:
    codes = _codes(text)
    assert codes["fast"] == codes["langdetect"]


FIXTURE_PAGES = sorted((FIXTURES / "articles").glob("*.html"))


@pytest.mark.parametrize("path", FIXTURE_PAGES, ids=[p.stem for p in FIXTURE_PAGES])
def test_same_language_on_fixture_pages(path) -> None:
    codes = _codes(_page_text(path.read_bytes(), path.resolve().as_uri()))
    assert codes["fast"] is not None
    assert codes["fast"] == codes["langdetect"]


def test_same_language_on_every_benchmark_page() -> None:
    data = find_data(None)
    if data is None:
        pytest.skip("benchmark data (shared/benchmarks/scrapinghub beside the checkout) absent")
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    differ = []
    for key in sorted(truth):
        body = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        codes = _codes(_page_text(body, truth[key]["url"]))
        if codes["fast"] != codes["langdetect"] or codes["fast"] is None:
            differ.append((key, codes))
    assert len(truth) == 181
    assert differ == []
