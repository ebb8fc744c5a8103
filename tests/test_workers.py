"""The extraction worker pool: same articles as in-process; crashes and hangs cost one page."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from crawler.bench.sitegen import article_page
from crawler.extraction.article import ExtractionOptions, extract_page
from crawler.pipelines.workers import ExtractionFailed, PoolRunner, worker_count

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
