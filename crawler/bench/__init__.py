"""Benchmarks that print figures: ``python -m crawler.bench <name> [options]``.

Each benchmark is a module with ``main(argv) -> int``; ``BENCHMARKS`` maps its name to it.
"""

from __future__ import annotations

BENCHMARKS: dict[str, str] = {
    "faults": "crawler.bench.faults",
}
"""Benchmark name -> module (imported only when that benchmark runs)."""
