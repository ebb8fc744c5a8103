"""Politeness extensions: robots.txt ``Crawl-delay`` as a slot floor, and the contact address.

Scrapy's robots.txt parsers read ``Crawl-delay`` but nothing applies it; ``CrawlDelayExtension``
does. ``ContactAddon`` puts ``NEWS_CONTACT`` into the User-Agent after ``-s`` overrides.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.robotstxt import RobotParser
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


class CrawlDelayExtension:
    """Apply a site's robots.txt ``Crawl-delay`` to its download slot, as a floor.

    The delay is set on the slot (without random jitter) and kept as that slot's minimum, so
    AutoThrottle (which adjusts slot delays after each response) never goes below it.
    """

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY") or not crawler.settings.getbool(
            "NEWS_OBEY_CRAWL_DELAY"
        ):
            raise NotConfigured("robots.txt or its Crawl-delay is not obeyed")
        self.crawler = crawler
        self.user_agent = str(
            crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        )
        self.floors: dict[str, float] = {}
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def robots_parsed(self, robotparser: RobotParser, request: Request, **kwargs: Any) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if not delay or delay <= 0:
            return
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        self.floors[key] = float(delay)
        # New slots for this key (after slot garbage collection) start at the delay too; no
        # jitter, which would make half the gaps shorter than the site asked for.
        downloader.per_slot_settings.setdefault(key, {}).update(delay=float(delay), jitter=0.0)
        if (slot := downloader.slots.get(key)) is not None:
            slot.delay = max(slot.delay, float(delay))
            slot.jitter = 0.0
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(f"news/robots/crawl_delay/{key}", float(delay))
        logger.info("robots.txt of %s asks for Crawl-delay %s s: obeyed", key, delay)

    def response_downloaded(self, response: Response, request: Request, **kwargs: Any) -> None:
        key = request.meta.get("download_slot")
        if key is None or key not in self.floors:
            return
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is not None and slot.delay < self.floors[key]:
            slot.delay = self.floors[key]


class ContactAddon:
    """Fill ``{contact}`` in ``USER_AGENT`` from ``NEWS_CONTACT``, so ``-s NEWS_CONTACT=`` is enough."""

    def update_settings(self, settings: BaseSettings) -> None:
        agent = str(settings.get("USER_AGENT") or "")
        if "{contact}" in agent:
            contact = str(settings.get("NEWS_CONTACT") or "").strip()
            settings.set(
                "USER_AGENT",
                agent.replace("{contact}", contact),
                priority=settings.getpriority("USER_AGENT") or "project",
            )
