"""An extraction function that misbehaves on request, for the worker-pool tests.

Selected with NEWS_EXTRACT_FUNCTION=tests.extract_faults.extract_or_fail; the URL says how to
fail: ``crash`` kills the worker process, ``hang`` never returns, ``raise`` raises, and
``once=<path>`` fails only while <path> does not exist yet (then creates it).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from crawler.extraction.article import Extraction, ExtractionOptions, extract_page


def extract_or_fail(
    body: bytes | str, url: str, options: ExtractionOptions, content_type: str | None = None
) -> Extraction:
    once = parse_qs(urlsplit(url).query).get("once")
    if once:
        marker = Path(once[0])
        if marker.exists():
            return extract_page(body, url, options, content_type)
        marker.touch()
    if "crash" in url:
        os._exit(3)
    if "hang" in url:
        time.sleep(3600)
    if "raise" in url:
        raise RuntimeError("extraction blew up")
    return extract_page(body, url, options, content_type)
