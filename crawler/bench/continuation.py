"""``python -m crawler.bench continuation``: what looking for an article's next page costs.

Every fetched article page is checked for a link to its page 2 in the crawl process (issue 15),
where CPU is taken from fetching and the store. The check first looks for the article's name
followed by a number in the bytes and parses the page only then; this prints its cost per page
on the public benchmark's pages, beside the cost of parsing every page (the same function
without the byte check), and which pages it found continued.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.bench.quality import find_data, load_benchmark
from crawler.discovery import continuation

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from crawler.bench.quality import Page


def _timed(pages: list[Page], check: Callable[[bytes, str], str | None]) -> tuple[float, list[str]]:
    found = []
    start = time.perf_counter()
    for page in pages:
        if following := check(page.html, page.url):
            found.append(f"{page.url} -> {following}")
    return (time.perf_counter() - start) / len(pages) * 1000, found


def _parse_always(body: bytes, url: str) -> str | None:
    real = continuation._may_continue
    continuation._may_continue = lambda *_: True  # the reference: every page parsed
    try:
        return continuation.next_article_page(body, url)
    finally:
        continuation._may_continue = real


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.bench continuation")
    parser.add_argument("--data", type=Path, help="the scrapinghub benchmark folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is printed")
    args = parser.parse_args(argv)
    data = find_data(args.data)
    if data is None:
        print("benchmark data not found (give --data)")
        return 2
    pages = load_benchmark(data)
    ours = min(_timed(pages, continuation.next_article_page) for _ in range(args.repeat))
    always = min(_timed(pages, _parse_always) for _ in range(args.repeat))
    size = sum(len(p.html) for p in pages) / len(pages) / 1024
    print(f"pages: {len(pages)} (average {size:.0f} KB)")
    print(f"next-page check: {ours[0]:.2f} ms/page; parsing every page: {always[0]:.2f} ms/page")
    print(f"ratio: {always[0] / ours[0]:.1f}x; continued articles found: {len(ours[1])}")
    for line in ours[1]:
        print(f"  {line}")
    return 0 if ours[1] == always[1] else 1
