"""The extraction worker pool: same articles as in-process; crashes and hangs cost one page."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import TYPE_CHECKING

import pytest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.bench.sitegen import article_page
from crawler.extraction.article import (
    ExtractedArticle,
    Extraction,
    ExtractionOptions,
    extract_page,
)
from crawler.pipelines.pool import MAX_RESTARTS, own_workers
from crawler.pipelines.workers import (
    ExtractionFailed,
    PoolRunner,
    make_runner,
    resolve_function,
    worker_count,
)
from tests.conftest import wait_until

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy.statscollectors import StatsCollector

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


def crawl_stats_object() -> StatsCollector:
    """The stats collector a real (not started) crawler has."""
    stats = get_crawler().stats
    assert stats is not None
    return stats


def same_article(result: Extraction, expected: Extraction) -> bool:
    """The same article text and title (its URL differs by the query)."""
    assert result.article is not None
    assert expected.article is not None
    return (result.article.title, result.article.text) == (
        expected.article.title,
        expected.article.text,
    )


def padded_page(n: int) -> bytes:
    """An article page with a large comment: a few of them fill pebble's task pipe, so pages
    wait in the pool's own queue (where a break used to strand them)."""
    html, _, _ = article_page(n)
    return html.replace("</body>", f"<!-- {'x' * 100_000} --></body>").encode()


def test_a_pool_broken_by_a_worker_killed_while_idle_is_replaced(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stats = crawl_stats_object()
    body = padded_page(5)
    url = "http://a.example/idle"
    expected = extract_page(body, url, OPTIONS)
    assert expected.article is not None

    async def scenario() -> None:
        runner = PoolRunner(OPTIONS, workers=2, timeout=60.0, stats=stats)
        try:
            assert await runner.extract(body, url, None) == expected  # the pool is up
            assert wait_until(lambda: len(own_workers()) == 2)
            first = {p.pid for p in own_workers()}
            # An idle worker killed (the OOM killer, an operator): pebble gives up on the pool.
            os.kill(own_workers()[0].pid or 0, signal.SIGKILL)
            assert wait_until(lambda: not runner.pool.active)
            assert await runner.extract(body, url, None) == expected
            assert stats.get_value("news/extraction/pool_restarts") == 1
            assert not first & {p.pid for p in own_workers()}  # the old workers are gone
            # Again, with pages handed over while the pool is breaking: every worker is
            # killed (none can take a page any more), then pages come before or after pebble
            # notices: stranded in its queue, aborted, or refused, none is lost.
            assert wait_until(lambda: len(own_workers()) == 2)
            for process in own_workers():
                os.kill(process.pid or 0, signal.SIGKILL)
            pages = [runner.extract(body, f"{url}?n={n}", None) for n in range(8)]
            results = await asyncio.wait_for(asyncio.gather(*pages), timeout=300)
            assert all(same_article(r, expected) for r in results)
            assert stats.get_value("news/extraction/pool_restarts") == 2
        finally:
            runner.close()

    asyncio.run(scenario())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    # One line per broken pool, and no page lost a try to it.
    assert [r.name for r in warnings] == ["crawler.pipelines.pool"] * 2
    assert all("its pages go to a new pool" in r.getMessage() for r in warnings)


NO_WORKER = "tests.extract_no_worker.extract_outside_workers"


def test_pools_that_keep_breaking_leave_extraction_to_the_crawl_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stats = crawl_stats_object()
    body = padded_page(6)
    url = "http://a.example/fallback"
    expected = extract_page(body, url, OPTIONS)

    async def scenario() -> list[Extraction]:
        runner = PoolRunner(OPTIONS, workers=2, timeout=60.0, function=NO_WORKER, stats=stats)
        try:
            pages = [runner.extract(body, f"{url}?n={n}", None) for n in range(6)]
            return await asyncio.wait_for(asyncio.gather(*pages), timeout=300)
        finally:
            runner.close()

    results = asyncio.run(scenario())
    assert all(same_article(r, expected) for r in results)
    assert stats.get_value("news/extraction/pool_restarts") == MAX_RESTARTS
    assert stats.get_value("news/extraction/in_process_fallback") == 1
    assert not own_workers()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "extracting in the crawl process" in errors[0]
