"""The Scrapy add-on that turns ``-s REDIS_URL=…`` into distributed mode.

It is always listed in ``ADDONS`` and disables itself when ``REDIS_URL`` is empty, so a plain
crawl imports neither ``redis`` nor ``scrapy_redis``. When active it swaps in the Redis
scheduler (scrapy-redis, adapted in :mod:`crawler.distributed.scheduler`) and the seed-once
spider middleware, and puts the shared article store (:mod:`crawler.distributed.store`: Redis
state, shared output folder) in place of the single-process one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from crawler.discovery.sources import SetupError

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings


class RedisUnavailableError(RuntimeError):
    """REDIS_URL is set but that Redis cannot be reached (at start, or for longer than
    NEWS_REDIS_OUTAGE_TIMEOUT): exit status 69. Defined here, where ``redis`` is not imported,
    so that the exit statuses can name it in single-process mode too."""


def missing_extra(redis_url: str, module: str = "scrapy_redis") -> str | None:
    """Why distributed mode cannot start (its extra is not installed), or None.

    ``scrapy_redis`` imports ``redis``, so importing it checks both packages of the extra.
    ``module`` names what to import (a test passes a module that does not exist).
    """
    if not redis_url:
        return None
    try:
        importlib.import_module(module)
    except ImportError:
        return "REDIS_URL is set but scrapy-redis is not installed: pip install -e '.[redis]'"
    return None


class RedisAddon:
    """Distributed mode on scrapy-redis, when REDIS_URL is set."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        redis_url = crawler.settings.get("REDIS_URL") or ""
        if not redis_url:
            raise NotConfigured  # no message: single-process mode is the normal case
        if problem := missing_extra(redis_url):
            # A SetupError: the crawl command prints this one line and exits 2, no traceback.
            raise SetupError(problem)
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        from crawler.distributed.seeding import SeedOnceMiddleware  # noqa: PLC0415 (redis)
        from crawler.distributed.store import SharedArticleStore  # noqa: PLC0415
        from crawler.store.articles import ArticleStore  # noqa: PLC0415

        settings.set("SCHEDULER", "crawler.distributed.scheduler.RedisScheduler", "addon")
        # scrapy-redis's own names, for anyone reading the settings; our scheduler forces them.
        settings.set("SCHEDULER_PERSIST", True, "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        # Before the depth and offsite middlewares (which only look at callback output).
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", SeedOnceMiddleware, 10)
        settings.replace_in_component_priority_dict("EXTENSIONS", ArticleStore, SharedArticleStore)
