"""An article split over several pages, made one: page 1's article with the later pages' text.

The spider fetches page 2, 3… of an article with its first page (``PageItem.continuation``,
``crawler.discovery.continuation``); here each later page is extracted on its own and its
paragraphs are appended to the first page's, once each (a page may repeat the standfirst or a
pull quote). The headline, dates, language and URL stay the first page's, so the article is
written once, under the first page's URL. A later page's length never makes it "no article":
the last page of a long article is often short.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from crawler.pipelines.workers import ExtractionFailed
from crawler.store.fingerprint import fingerprint

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.extraction.article import ExtractedArticle
    from crawler.extraction.options import ExtractionOptions
    from crawler.pipelines.workers import Extracted, ExtractionRunner


def later_page_options(options: ExtractionOptions) -> ExtractionOptions:
    """The crawl's options with no minimum length: a later page is part of an article."""
    return replace(options, min_words=1, min_brief_words=1)


def joined(article: ExtractedArticle, later: Sequence[Sequence[str]]) -> ExtractedArticle:
    """``article`` with the paragraphs of its later pages appended, each paragraph once."""
    paragraphs = list(article.paragraphs)
    seen = set(paragraphs)
    for page in later:
        for paragraph in page:
            if paragraph not in seen:
                seen.add(paragraph)
                paragraphs.append(paragraph)
    return replace(article, paragraphs=tuple(paragraphs))


async def join_pages(
    runner: ExtractionRunner,
    first: Extracted,
    pages: Sequence[tuple[str, bytes, str | None]],
    options: ExtractionOptions,
    *,
    shingles: bool,
) -> tuple[Extracted, int]:
    """``first`` (page 1's extraction, with an article) joined with its later ``pages``; and
    how many of them gave no text."""
    article = first.extraction.article
    assert article is not None
    texts: list[tuple[str, ...]] = []
    missing = 0
    for url, body, content_type in pages:
        try:
            later = await runner.prepare(body, url, content_type, later_page_options(options))
            result = later.extraction
        except ExtractionFailed:
            result = None
        if result is None or result.article is None:
            missing += 1
            continue
        texts.append(result.article.paragraphs)
    whole = joined(article, texts)
    extraction = replace(first.extraction, article=whole)
    mark = fingerprint(whole.title, whole.paragraphs, shingles=shingles)
    return replace(first, extraction=extraction, fingerprint=mark), missing
