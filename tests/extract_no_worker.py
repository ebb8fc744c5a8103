"""An extraction function whose module does not load in a pool worker, for the pool tests.

Selected with NEWS_EXTRACT_FUNCTION=tests.extract_no_worker.extract_outside_workers: the crawl
process imports it (the runner checks the function at start-up), but a worker's initializer,
which imports it too, raises, so every pool breaks before its first page, as when ``spawn``
cannot re-import a script's main module.
"""

from __future__ import annotations

import multiprocessing

from crawler.extraction.article import Extraction, ExtractionOptions, extract_page

if multiprocessing.parent_process() is not None:
    raise RuntimeError("tests.extract_no_worker does not load in a worker process")


def extract_outside_workers(
    body: bytes | str, url: str, options: ExtractionOptions, content_type: str | None = None
) -> Extraction:
    return extract_page(body, url, options, content_type)
