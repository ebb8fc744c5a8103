"""``python -m crawler.bench <benchmark> [options]``: run one benchmark and print its figures.

Each benchmark is a module with ``main(argv: list[str]) -> int``; add one by naming it in
``BENCHMARKS``.
"""

from __future__ import annotations

import importlib
import sys

# Benchmark name -> module that runs it.
BENCHMARKS = {
    "crawl": "crawler.bench.crawl",
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in BENCHMARKS:
        names = ", ".join(sorted(BENCHMARKS))
        sys.stderr.write(f"usage: python -m crawler.bench {{{names}}} [options]\n")
        return 2
    module = importlib.import_module(BENCHMARKS[args[0]])
    return int(module.main(args[1:]))


if __name__ == "__main__":
    sys.exit(main())
