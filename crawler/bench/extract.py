"""``python -m crawler.bench extract [--articles N]``: extraction alone, one core, no crawl.

Generates the same pages as ``crawler.bench crawl`` (same seed, same sizes) and runs the
crawl's extraction (``extract_page`` with the crawl's options) over each in this process:
pages per second and CPU seconds per page are the ceiling of one core, the figure the crawl's
"CPU s/article" is compared with.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from crawler.bench.quality import crawl_options
from crawler.bench.sitegen import generate
from crawler.extraction.article import extract_page


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.bench extract", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000, help="pages to generate")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated texts")
    args = parser.parse_args(argv)
    base = "http://127.0.0.1:8000"  # only written into the pages; nothing is served
    with tempfile.TemporaryDirectory(prefix="newscrawler-extract-") as folder:
        root = Path(folder)
        site = generate(root, args.articles, base, args.seed)
        options = crawl_options()
        articles = total = 0
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        for path in site.paths:
            body = (root / path.lstrip("/")).read_bytes()
            total += len(body)
            if extract_page(body, f"{base}/{path.lstrip('/')}", options).article is not None:
                articles += 1
        cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    count = len(site.paths)
    sys.stdout.write(
        f"extract: {count} pages ({total / 2**20:.0f} MiB), {articles} articles\n"
        f"pages/s: {count / wall:.1f} (one core)\n"
        f"CPU s/page: {cpu / max(1, count):.4f}\n"
    )
    return 0
