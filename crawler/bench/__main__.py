"""``python -m crawler.bench <name> [options]``: dispatch to one benchmark module's ``main``.

Each benchmark is a module in this package with ``main(argv) -> int``; add one by adding a line
to ``BENCHMARKS``. Modules are imported only when chosen, so one benchmark's dependencies never
slow down another.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

BENCHMARKS: dict[str, str] = {
    "crawl": "crawler.bench.crawl",  # a generated site crawled end to end: articles/s, CPU, RSS, recall
    "quality": "crawler.bench.quality",  # extraction F1 vs the public benchmark and trafilatura
    "extract": "crawler.bench.extract",  # extraction alone on the crawl benchmark pages, one core
    "faults": "crawler.bench.faults",  # the hostile-web cases: finished, counted, files valid, memory
    "warc": "crawler.bench.warc",  # a WARC of the generated site read by ours and by warcio + trafilatura
    "continuation": "crawler.bench.continuation",  # the next-page check of article pages: ms/page
    "report": "crawler.bench.report",  # scrapy report on a synthetic 50,000-article corpus: seconds, size
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in BENCHMARKS:
        names = ", ".join(sorted(BENCHMARKS))
        sys.stderr.write(f"usage: python -m crawler.bench {{{names}}} [options]\n")
        return 0 if args and args[0] in {"-h", "--help"} else 2
    module = importlib.import_module(BENCHMARKS[args[0]])
    status: int = module.main(args[1:])
    return status


if __name__ == "__main__":
    sys.exit(main())
