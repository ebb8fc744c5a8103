"""The garbage collector tuned for a crawl's allocation pattern (issue 13).

Every response makes thousands of short-lived Python objects (headers, requests, deferreds,
items, log records) that reference counting frees at once. CPython's cyclic collector
nevertheless runs a young collection every 700 allocations and so walked the survivors
hundreds of times a minute: 0.4 ms of the crawl process's CPU per article (measured with
``gc.callbacks`` on a 1,000-article crawl of the generated site, BENCHMARKS.md). With a
young generation of 50,000 objects the same crawl spends nearly nothing in it, and real
cycles (a Failure with its traceback) are still freed a few times a second.

``gc.freeze`` (leave the start-up heap out of every collection) was measured too and made
each young collection slower by three orders of magnitude on CPython 3.11: not used.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

CRAWL_THRESHOLDS = (50_000, 20, 20)
"""``gc.set_threshold`` while a crawl runs: allocations before a young collection, then how
many young collections before a middle one, and middle before a full one."""


_running = 0
"""Engines running in this process (``scrapy sources`` and tests run several crawls)."""
_before = gc.get_threshold()
"""The thresholds before the first of them started."""


class CollectorTuning:
    """Sets ``CRAWL_THRESHOLDS`` when the first engine of the process starts and restores the
    thresholds from before when the last one stops."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls()
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        global _running, _before  # noqa: PLW0603 - the collector is one per process too
        if _running == 0:
            _before = gc.get_threshold()
            gc.set_threshold(*CRAWL_THRESHOLDS)
        _running += 1

    def engine_stopped(self) -> None:
        global _running  # noqa: PLW0603
        _running = max(0, _running - 1)
        if _running == 0:
            gc.set_threshold(*_before)  # a process that goes on (tests, scripts) is as it was
