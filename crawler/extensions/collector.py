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


class CollectorTuning:
    """Sets ``CRAWL_THRESHOLDS`` when the engine starts and restores the old ones after."""

    def __init__(self) -> None:
        self._before = gc.get_threshold()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls()
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        self._before = gc.get_threshold()
        gc.set_threshold(*CRAWL_THRESHOLDS)

    def engine_stopped(self) -> None:
        gc.set_threshold(*self._before)  # a process that goes on (tests, scripts) is as it was
