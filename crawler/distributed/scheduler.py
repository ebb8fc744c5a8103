"""scrapy-redis's scheduler, adapted to Scrapy 2.19 and to workers that come and go.

What this subclass changes, and why (everything else is scrapy-redis's):

- stats are counted without the ``spider=`` argument that Scrapy 2.15+ deprecates;
- the queue is :class:`LedgerQueue` and keys come from the corpus prefix, not the spider name;
- the queue is always persistent (``SCHEDULER_PERSIST``): other workers still need it;
- the worker keeps a heartbeat, adopts the ledgers of dead workers, and stays open while
  another live worker is busy (it may queue more requests), instead of quitting on an empty
  queue; on close it puts back whatever it took and did not finish (at once, also when the
  crawl was stopped by SIGTERM: other workers need not wait for its heartbeat to expire);
- when Redis stays away for longer than NEWS_REDIS_OUTAGE_TIMEOUT, or comes back without the
  corpus (:mod:`crawler.distributed.outage`), it closes the crawl with the finish reason
  ``redis_unavailable`` or ``redis_lost`` (exit status 69).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import redis
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler import meta
from crawler.distributed.cluster import BUSY, IDLE, Cluster
from crawler.distributed.queue import LedgerQueue
from crawler.distributed.store import SharedArticleStore, shared_store
from crawler.store.state import UrlStatus
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

REDIS_REASONS = ("redis_unavailable", "redis_lost")
"""Finish reasons of a worker that lost Redis (``crawler.commands.runstatus``: 69)."""


class RedisScheduler(Scheduler):  # type: ignore[misc]
    """The shared frontier of N workers (see the module docstring)."""

    crawler: Crawler
    cluster: Cluster
    store: SharedArticleStore
    queue: LedgerQueue
    spider: Spider
    _loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        store = shared_store(crawler)
        cluster = store.cluster
        dupefilter = RFPDupeFilter(
            cluster.client,
            key=cluster.keys.dupefilter,
            debug=crawler.settings.getbool("DUPEFILTER_DEBUG"),
        )
        scheduler = cls(
            server=cluster.client,
            persist=True,
            queue_key=cluster.keys.requests,
            dupefilter=dupefilter,
        )
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
        scheduler.cluster = cluster
        scheduler.store = store
        cluster.on_lost = lambda: scheduler._stop_soon("redis_lost")
        if cluster.outage is not None:
            cluster.outage.on_unavailable = lambda: scheduler._stop_soon("redis_unavailable")
        for handler, signal in (
            (scheduler._on_idle, signals.spider_idle),
            (scheduler._on_item_done, signals.item_scraped),
            (scheduler._on_item_done, signals.item_dropped),
            (scheduler._on_item_done, signals.item_error),
        ):
            crawler.signals.connect(handler, signal=signal)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = LedgerQueue(
            self.server,
            spider,
            self.queue_key,
            self.cluster.keys.taken(self.cluster.session),
            self.serializer,
        )
        self.cluster.register()
        self.cluster.start_heartbeat()
        self._adopt_dead()
        if queued := len(self.queue):
            logger.info("joining a run with %d request(s) queued", queued)
        self._loop = create_looping_call(self._watch_workers)
        self._loop.start(self.cluster.ttl / 3, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.cluster.stop_heartbeat()
        if self._stopping in REDIS_REASONS:
            # Nothing to hand back: Redis is gone, or is not the one our ledger was in. The
            # ledger (if Redis kept it) is adopted by the next worker to start.
            logger.info("left the run without Redis (%s)", self._stopping)
            return
        left = self.queue.requeue(self.queue.taken().items(), self._already_done)
        if left:
            self._inc("news/redis/requeued", left)
            logger.info("put %d unfinished request(s) back into the shared queue", left)
        self.queue.clear_ledger()
        if self.cluster.leave(finished=reason == "finished"):
            logger.info("last worker of the run: queue empty, run ended")
            # Nobody else is writing: remove what dead writers left (tmp files, unlisted files).
            self.store.reconcile()

    def enqueue_request(self, request: Request) -> bool:
        try:
            return self._enqueue(request)
        except redis.RedisError:
            if self._stopping:
                return False  # Redis is gone: the page that found it is fetched again later
            raise

    def _enqueue(self, request: Request) -> bool:
        token = request.meta.get(meta.LEDGER)
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            stored = False
        else:
            self.queue.push_back(request)
            self._inc("scheduler/enqueued/redis")
            stored = True
        if token:
            self.queue.ack(token)  # a retry or redirect of a taken request: it is queued now
        return stored

    def next_request(self) -> Request | None:
        if self._stopping:
            return None
        try:
            request: Request | None = self.queue.pop()
        except redis.RedisError:
            if self._stopping:
                return None  # the outage policy said it once; the crawl is closing
            raise
        if request is not None:
            if not self.cluster.set_status(BUSY):
                if not self.cluster.lost.is_set():
                    self.queue.push_back(request, request.meta.get(meta.LEDGER))
                self._presumed_dead()
                return None
            self._inc("scheduler/dequeued/redis")
        return request

    # --- worker lifecycle ----------------------------------------------------------------
    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)

    def _watch_workers(self) -> None:
        """Periodically: stop if we were presumed dead, else adopt workers that died."""
        if self.cluster.presumed_dead.is_set() or self.cluster.lost.is_set():
            self._presumed_dead()
            return
        try:
            self._adopt_dead()
        except Exception:  # a Redis hiccup must not stop the loop
            if not self._stopping:
                logger.exception("checking the other workers failed")

    def _presumed_dead(self) -> None:
        """Another worker adopted our requests after our heartbeat expired (or Redis lost
        them all): stop at once."""
        if self.cluster.lost.is_set():
            self._stop_soon("redis_lost")
            return
        logger.error("this worker was presumed dead (no heartbeat for its TTL): closing")
        self._stop_soon("presumed_dead")

    _stopping = ""

    def _stop_soon(self, reason: str) -> None:
        """Close the crawl with ``reason``, from the reactor (callers may be other threads)."""
        from twisted.internet import reactor  # noqa: PLC0415 (the running one)

        if self._stopping:
            return
        self._stopping = reason
        if reason in REDIS_REASONS and self.stats is not None:
            self.stats.set_value(f"news/{reason}", 1)  # the exit status, whatever closes first
        reactor.callFromThread(self._close_spider, reason)

    def _close_spider(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.crawler.engine is not None and self.crawler.engine.spider is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def _adopt_dead(self) -> None:
        for adopted in self.cluster.adopt_dead():
            if adopted.info.get("folder") == self.cluster.folder_id:
                # Its manifest may list files it never recorded in the state: record them
                # first, so their requests are recognised as done and not fetched again.
                self.store.reconcile()
            count = self.queue.requeue(adopted.entries.items(), self._already_done)
            self._inc("news/redis/adopted_workers")
            self._inc("news/redis/requeued", count)

    def _already_done(self, request: Request) -> bool:
        """True for an article request whose URL the state already settled."""
        if not request.meta.get(meta.ARTICLE):
            return False
        status = self.store.state.url_status(canonical_url(request.url))
        return status in (UrlStatus.WRITTEN, UrlStatus.NOT_ARTICLE)

    def _on_item_done(self, response: Response | Any = None, **kwargs: Any) -> None:
        if self._stopping:
            return  # not acked: the next worker adopts it (Redis gone, or it lost the run)
        request = getattr(response, "request", None)
        if request is not None and (token := request.meta.get(meta.LEDGER)):
            self.queue.ack(token)

    def _on_idle(self) -> None:
        # Idle means every request this worker took has been handled.
        if self._stopping:
            return
        self.queue.clear_ledger()
        if not self.cluster.set_status(IDLE):
            raise CloseSpider("redis_lost" if self.cluster.lost.is_set() else "presumed_dead")
        self._adopt_dead()
        if len(self.queue) or self.cluster.others_busy():
            raise DontCloseSpider
