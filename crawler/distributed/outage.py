"""A Redis that goes away: wait for it with backoff, for a bounded time, and say so once.

Every Redis command of a worker (scheduler, state, heartbeat, seeding) runs through the one
client of :class:`crawler.distributed.cluster.Cluster`, whose connections retry with
:class:`OutageRetry`: when Redis stops answering (restarted, failed over, the network cut),
the command waits and reconnects with exponential backoff instead of failing, so pages in
flight are written once Redis is back and the crawl goes on (issue 17). The outage is logged
once when it starts and once when it ends. After ``NEWS_REDIS_OUTAGE_TIMEOUT`` seconds the
worker gives up: the command raises :class:`RedisOutageError`, every later one fails at once
(the worker is closing: its close must not wait again), and ``on_unavailable`` tells the
scheduler to stop the crawl (exit status 69). After a recovery ``on_recovery`` lets the cluster
check that Redis came back with its data (see ``Cluster.check_epoch``).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, TypeVar

import redis
from redis.retry import Retry

from crawler.urls import strip_credentials

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

T = TypeVar("T")

BACKOFF_BASE = 0.1
"""Seconds before the first reconnection; doubled each time, up to ``BACKOFF_CAP``."""
BACKOFF_CAP = 2.0
RETRIED = (redis.ConnectionError, redis.TimeoutError, OSError)


class RedisOutageError(redis.ConnectionError):
    """Redis stayed unreachable for longer than NEWS_REDIS_OUTAGE_TIMEOUT."""


class OutageRetry(Retry):
    """redis-py's retry policy, bounded by time rather than by a count (see the module)."""

    def __init__(
        self,
        url: str,
        timeout: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(backoff=redis.backoff.NoBackoff(), retries=-1, supported_errors=RETRIED)
        self.url = strip_credentials(url)
        self.timeout = timeout
        self.clock = clock
        self.sleep = sleep
        self.on_recovery: Callable[[float], object] = lambda seconds: None
        """Called (seconds down) by the first command that succeeds after an outage."""
        self.on_unavailable: Callable[[], None] = lambda: None
        """Called once, by the command that gave up."""
        self.on_outage: Callable[[], None] = lambda: None
        """Called when an outage starts: the cluster drops its idle connections, whose
        sockets may look alive (a connection that still has one "connects" at once, which
        would pass for a recovery)."""
        self.unavailable = threading.Event()
        """Set once the worker gave up: commands fail at once from then on."""
        self._lock = threading.Lock()
        self._down_since: float | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> OutageRetry:
        """Every connection of the pool shares this one policy (and its outage)."""
        return self

    def call_with_retry(
        self,
        do: Callable[[], T],
        fail: Callable[..., Any],
        is_retryable: Callable[[Exception], bool] | None = None,
        with_failure_count: bool = False,
    ) -> T:
        failures = 0
        while True:
            if self.unavailable.is_set():
                raise RedisOutageError(f"Redis at {self.url} is unavailable")
            try:
                result = do()
            except RETRIED as error:
                failures += 1
                if with_failure_count:
                    fail(error, failures)
                else:
                    fail(error)
                self._failed(error)
                self.sleep(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(failures - 1, 10)))
                continue
            self._succeeded()
            return result

    def _failed(self, error: BaseException) -> None:
        started = False
        with self._lock:
            now = self.clock()
            if self._down_since is None:
                self._down_since, started = now, True
                logger.warning(
                    "Redis at %s unreachable (%s): waiting for it, reconnecting with backoff, "
                    "for up to %g s (NEWS_REDIS_OUTAGE_TIMEOUT)",
                    self.url,
                    error,
                    self.timeout,
                )
            down_for = now - self._down_since
        if started:
            self.on_outage()
        if down_for <= self.timeout:
            return
        with self._lock:
            gave_up = not self.unavailable.is_set()
            self.unavailable.set()
        if gave_up:
            logger.error(
                "Redis at %s unreachable for more than %g s: stopping this worker",
                self.url,
                self.timeout,
            )
            self.on_unavailable()
        raise RedisOutageError(f"Redis at {self.url} unreachable for more than {self.timeout:g} s")

    def _succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            seconds = self.clock() - self._down_since
            self._down_since = None
        logger.warning("Redis at %s is back after %.1f s", self.url, seconds)
        self.on_recovery(seconds)
