"""``python -m crawler.bench extract [--articles N]``: extraction alone, one core, no crawl.

Generates the same pages as ``crawler.bench crawl`` (same seed, same sizes) and runs the
crawl's extraction (``extract_page`` with the crawl's options) over each in this process,
interleaved page by page with plain ``trafilatura.extract`` (its defaults, as in ``quality``):
pages per CPU second of each and their ratio (issue 13: ours at least as fast), and CPU
seconds per page, the ceiling of one core that the crawl's "CPU s/article" is compared with.
The one-time loads and each extractor's first page are not timed (``snippets.interleaved``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from crawler.bench import snippets
from crawler.bench.quality import Page, crawl_options, reference
from crawler.bench.sitegen import generate
from crawler.extraction.article import extract_page


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.bench extract", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000, help="pages to generate")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated texts")
    args = parser.parse_args(argv)
    base = "http://127.0.0.1:8000"  # only written into the pages; nothing is served
    options = crawl_options()

    def ours(page: Page) -> str | None:
        article = extract_page(page.html, page.url, options).article
        return article.text if article else None

    with tempfile.TemporaryDirectory(prefix="newscrawler-extract-") as folder:
        root = Path(folder)
        site = generate(root, args.articles, base, args.seed)
        pages = [
            Page(path, f"{base}/{path.lstrip('/')}", (root / path.lstrip("/")).read_bytes(), "")
            for path in site.paths
        ]
    found, seconds = snippets.interleaved(
        pages, {"ours": ours, "trafilatura.extract": reference}, lambda text, _: text is not None
    )
    count = len(pages)
    mine, theirs = seconds["ours"], seconds["trafilatura.extract"]
    total = sum(len(page.html) for page in pages)
    sys.stdout.write(
        f"extract: {count} pages ({total / 2**20:.0f} MiB), {sum(found['ours'])} articles\n"
        f"pages/s: {count / mine if mine else 0:.1f} (per CPU second, one core)\n"
        f"CPU s/page: {mine / max(1, count):.4f}\n"
        f"trafilatura.extract: {count / theirs if theirs else 0:.1f} pages/s, "
        f"{theirs / max(1, count):.4f} CPU s/page\n"
        f"speed ratio ours/trafilatura.extract: {theirs / mine if mine else 0:.2f}\n"
    )
    return 0
