"""``python -m crawler.bench <name> [options]``: run one benchmark."""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

from crawler.bench import BENCHMARKS

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in BENCHMARKS:
        names = ", ".join(sorted(BENCHMARKS))
        sys.stderr.write(f"usage: python -m crawler.bench {{{names}}} [options]\n")
        return 2
    module = importlib.import_module(BENCHMARKS[args[0]])
    status: int = module.main(args[1:])
    return status


if __name__ == "__main__":
    sys.exit(main())
