"""Read the start (and discovery) pages once per run, whichever worker gets there first.

Every worker runs the same ``scrapy crawl news …`` command. The first one to take the run's
seed lease iterates the spider's ``start()``: its requests go through the shared dupefilter
into the shared queue. The others do not iterate it at all; they wait (consuming the queue
meanwhile) until the seeding is done, and take the lease over if its holder dies half-way.
The lease is cleared when the run ends, so the next run reads the discovery pages again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

import redis
from scrapy.utils.asyncio import is_asyncio_available
from twisted.internet.task import deferLater

from crawler.distributed.cluster import SeedRole
from crawler.distributed.store import shared_store

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0


async def _sleep(seconds: float) -> None:
    """Sleep on whichever reactor runs (``scrapy.utils.asyncio.sleep`` needs Scrapy 2.18)."""
    if is_asyncio_available():
        await asyncio.sleep(seconds)
        return
    # Imported here: importing the reactor installs one, which must not happen at import time.
    from twisted.internet import reactor  # noqa: PLC0415

    await deferLater(reactor, seconds)


class SeedOnceMiddleware:
    """Spider middleware: only the seed-lease holder passes ``start()`` output on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        store = shared_store(self.crawler)
        cluster = store.cluster
        waiting_logged = False
        while True:
            try:
                role = cluster.seed_role()
            except redis.RedisError:
                if store.stopping:
                    return  # Redis is gone: the scheduler closes the crawl
                raise
            if role is SeedRole.SEED:
                logger.info("this worker reads the start pages of the run")
                self._count("news/redis/seeded")
                async for item_or_request in start:
                    yield item_or_request
                with contextlib.suppress(redis.RedisError):
                    cluster.seed_done()  # else the next worker reads the start pages again
                return
            if role is SeedRole.DONE:
                logger.info("start pages already read by another worker of this run")
                return
            if not waiting_logged:
                logger.info("another worker is reading the start pages; consuming the queue")
                waiting_logged = True
            await _sleep(POLL_SECONDS)

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
