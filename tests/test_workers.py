"""The extraction worker pool: same articles as in-process; crashes and hangs cost one page."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from scrapy.settings import Settings

from crawler import settings
from crawler.bench.sitegen import article_page
from crawler.extraction.article import (
    ExtractedArticle,
    Extraction,
    ExtractionOptions,
    extract_page,
)
from crawler.pipelines.workers import (
    ExtractionFailed,
    PoolRunner,
    make_runner,
    resolve_function,
    worker_count,
)

if TYPE_CHECKING:
    from pathlib import Path

FAULTY = "tests.extract_faults.extract_or_fail"
OPTIONS = ExtractionOptions()


def test_worker_count() -> None:
    assert worker_count("auto") >= 1
    assert worker_count("0") == 0
    assert worker_count(3) == 3
    with pytest.raises(ValueError, match="NEWS_EXTRACT_WORKERS"):
        worker_count("-1")


def test_pool_survives_crashes_hangs_and_errors(tmp_path: Path) -> None:
    html, _, _ = article_page(7)
    body = html.encode()

    async def scenario() -> None:
        # The timeout only has to outlast a good page on a loaded 2-core machine (worker start-up
        # included); the hanging page costs two of them.
        runner = PoolRunner(OPTIONS, workers=2, timeout=10.0, function=FAULTY)
        try:
            good = await runner.extract(body, "http://a.example/good", None)
            assert good == extract_page(body, "http://a.example/good", OPTIONS)
            assert good.article is not None
            for url in (
                "http://a.example/crash",
                "http://a.example/hang",
                "http://a.example/raise",
            ):
                with pytest.raises(ExtractionFailed):
                    await runner.extract(body, url, None)
            # A page that fails once (worker crash) succeeds on its retry.
            flaky = f"http://a.example/crash?once={tmp_path / 'marker'}"
            article = (await runner.extract(body, flaky, None)).article
            assert article is not None
            assert article.title == good.article.title
            # The pool still works after all that: both workers were replaced.
            results = await asyncio.gather(
                *(runner.extract(body, f"http://a.example/{n}", None) for n in range(4))
            )
            assert all(r.article is not None for r in results)
        finally:
            runner.close()

    asyncio.run(scenario())


DOCUMENTED_DEFAULT = "crawler.extraction.article.extract_page"  # NEWS_EXTRACT_FUNCTION's comment


@pytest.mark.parametrize("workers", [0, 1])
def test_the_documented_default_function_extracts_through_the_runner(workers: int) -> None:
    html, _, _ = article_page(3)
    body = html.encode()
    url = "http://a.example/documented"

    async def scenario() -> Extraction:
        runner = make_runner(OPTIONS, workers, timeout=30.0, function=DOCUMENTED_DEFAULT)
        try:
            return await runner.extract(body, url, "text/html; charset=utf-8")
        finally:
            runner.close()

    result = asyncio.run(scenario())
    assert result.article is not None
    assert result == extract_page(body, url, OPTIONS, "text/html; charset=utf-8")
    assert resolve_function("") is resolve_function(DOCUMENTED_DEFAULT) is extract_page


def test_a_function_that_breaks_the_contract_is_named_in_the_error() -> None:
    html, _, _ = article_page(3)

    async def scenario() -> None:
        runner = make_runner(OPTIONS, 0, timeout=30.0, function=f"{__name__}.article_only")
        try:
            await runner.extract(html.encode(), "http://a.example/wrong", None)
        finally:
            runner.close()

    with pytest.raises(ExtractionFailed, match=r"NEWS_EXTRACT_FUNCTION .*article_only returned"):
        asyncio.run(scenario())


def article_only(
    body: bytes, url: str, options: ExtractionOptions, content_type: str | None
) -> ExtractedArticle | None:
    """``extract_article``'s contract (the article alone), which the runners do not take."""
    return extract_page(body, url, options, content_type).article


def test_options_from_scrapy_settings_are_the_defaults_and_take_overrides() -> None:
    defaults = Settings()
    defaults.setmodule(settings)
    assert ExtractionOptions.from_settings(defaults) == ExtractionOptions()
    overridden = defaults.copy()
    overridden.set("NEWS_LANGUAGE_DETECTOR", "langdetect", priority="cmdline")
    overridden.set("NEWS_INCLUDE_TABLES", "False", priority="cmdline")
    options = ExtractionOptions.from_settings(overridden)
    assert (options.language_detector, options.include_tables) == ("langdetect", False)
