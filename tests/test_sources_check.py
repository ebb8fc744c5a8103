"""The verdicts and the table of ``scrapy sources`` (``crawler.discovery.check``)."""

from __future__ import annotations

import re

from crawler.discovery.check import (
    COLUMNS,
    NO_ARTICLES,
    OK,
    UNREACHABLE,
    WRONG_LANGUAGE,
    SampleCheck,
    SourceCheck,
    exit_status,
    table,
)
from crawler.discovery.sources import Source
from crawler.extraction.article import ExtractedArticle, Extraction
from crawler.extraction.pagetype import PageType

FEED = "https://news.example/rss.xml"


def _check(language: str | None = None, *, reachable: bool = True) -> SourceCheck:
    check = SourceCheck(Source(name="News", language=language, feeds=(FEED,)))
    row = check.add("feed", FEED)
    row.status, row.reachable = ("200", True) if reachable else ("dns", False)
    return check


def _sample(language: str = "ar", problem: str = "") -> SampleCheck:
    words = 0 if problem else 120
    return SampleCheck("https://news.example/a", "200", words, language, "Headline", problem)


def test_verdicts() -> None:
    assert _check(reachable=False).verdict == UNREACHABLE
    assert _check().verdict == NO_ARTICLES
    short = _check()
    short.samples.append(_sample(problem="short: 12 words"))
    assert short.verdict == NO_ARTICLES
    wrong = _check("fr")
    wrong.samples.append(_sample("ar"))
    assert wrong.verdict == WRONG_LANGUAGE
    good = _check("ar")
    good.samples += [_sample("en"), _sample("ar")]
    assert good.verdict == OK
    assert exit_status([good]) == 0
    assert exit_status([good, wrong]) == 1
    assert exit_status([]) == 1


def test_samples_are_the_newest_articles_the_source_accepts() -> None:
    check = SourceCheck(Source(name="N", feeds=(FEED,), deny=(re.compile("/live/"),)))
    check.found("https://n.example/old", "2025-01-01")
    check.found("https://n.example/live/now", "2025-12-01")
    check.found("https://n.example/undated")
    check.found("https://n.example/new", "2025-11-01T10:00:00Z")
    assert check.sample_urls() == ["https://n.example/new", "https://n.example/old"]


def test_the_table_has_a_row_per_document_sample_and_verdict() -> None:
    check = _check("ar")
    check.documents[0].articles = 35
    check.documents[0].parsed_as = "RSS feed"
    check.documents[0].saw_date("Thu, 20 Nov 2025 09:30:00 +0300")
    check.documents[0].saw_date("2025-11-19")
    check.samples.append(_sample("ar"))
    lines = table([check]).splitlines()
    assert re.split(r"\s{2,}", lines[0]) == list(COLUMNS)
    assert re.split(r"\s{2,}", lines[1]) == [
        "News", "feed", FEED, "200", "RSS feed", "35", "2025-11-20",
    ]  # fmt: skip
    assert re.split(r"\s{2,}", lines[2])[1:5] == [
        "sample", "https://news.example/a", "200", "article: 120 words, ar, Headline",
    ]  # fmt: skip
    assert re.split(r"\s{2,}", lines[3]) == ["News", "verdict", "ok"]


def test_a_sample_records_its_article_or_why_there_is_none() -> None:
    listing = SampleCheck("https://news.example/world/")
    listing.record(Extraction(None, page_type=PageType("listing", "12 linked items")))
    assert (listing.article, listing.problem) == (False, "listing: 12 linked items")
    huge = SampleCheck("https://news.example/huge")
    huge.record(Extraction(None, "extract/too_deep", "over 255 levels"))
    assert huge.problem == "over 255 levels"
    good = SampleCheck("https://news.example/a")
    article = ExtractedArticle("u", "u", "Headline", ("one two three",), language="en")
    good.record(Extraction(article))
    assert (good.article, good.words, good.language, good.headline) == (True, 3, "en", "Headline")
