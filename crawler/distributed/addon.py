"""The Scrapy add-on that turns ``-s REDIS_URL=…`` into distributed mode.

It is always listed in ``ADDONS`` and disables itself when ``REDIS_URL`` is empty, so a plain
crawl imports neither ``redis`` nor ``scrapy_redis``. When active it swaps in the Redis
scheduler (scrapy-redis, adapted in :mod:`crawler.distributed.scheduler`) and the seed-once
spider middleware, and puts the shared article store (:mod:`crawler.distributed.store`: Redis
state, shared output folder) in place of the single-process one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings


class RedisAddon:
    """Distributed mode on scrapy-redis, when REDIS_URL is set."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured  # no message: single-process mode is the normal case
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
