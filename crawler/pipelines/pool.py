"""The extraction pool's supervision: a pool pebble gave up on is replaced, never waited on.

pebble replaces a worker that dies *while running a task* (that page fails, the pool goes on),
but it gives up on the whole pool (``BrokenProcessPool("All workers expired")``) when a worker
dies while no task runs anywhere (the OOM killer or an operator between pages) or when workers
cannot start at all (their initializer raises; a main module ``spawn`` cannot re-import). A
broken pool then refuses every new page, and the tasks still waiting in its queue never get
a result: the crawl hung. :class:`SupervisedPool` notices the break (scheduling refused, a
task aborted, or, for a task stranded in the queue, the pool going inactive while its page
waits), stops the broken pool's workers, starts a fresh pool and says so once; its callers
give the page to the new pool, so nothing is lost and nothing counts as an extraction error.
Pools that keep breaking are given up on after :data:`MAX_RESTARTS` replacements: the runner
extracts in the crawl process instead (``crawler.pipelines.workers``).

Kept apart from the runners so that ``workers.py`` stays the extraction contract and its
retries; this module knows pebble's pool life cycle and nothing of pages.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
import weakref
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from pebble import ProcessPool
from pebble.pool.process import WORKERS_NAME

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from multiprocessing.process import BaseProcess
    from multiprocessing.synchronize import Event

    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

STOP_TIMEOUT = 10.0
"""Seconds stopping a pool waits for pebble before it kills the workers itself."""

MAX_RESTARTS = 3
"""Broken pools replaced per crawl before extraction falls back to the crawl process."""

POLL = 1.0
"""Seconds between checks, while a page waits, that its pool is still alive."""


class PoolBroken(Exception):
    """The pool a page was given to broke before the page's result came back."""


class PoolGone(Exception):
    """Pools broke more than :data:`MAX_RESTARTS` times: extract in the crawl process."""


def own_workers() -> list[BaseProcess]:
    """The live pebble workers of this process (the crawl has one extraction pool)."""
    return [p for p in multiprocessing.active_children() if p.name == WORKERS_NAME]


def kill_workers(workers: Sequence[BaseProcess]) -> int:
    """SIGKILL ``workers`` and reap them; how many there were."""
    for process in workers:
        process.kill()
    for process in workers:
        process.join(timeout=STOP_TIMEOUT)
    return len(workers)


def stop_workers() -> int:
    """SIGKILL every live pool worker of this process (a forced stop); how many there were."""
    return kill_workers(own_workers())


def _stop_pool(pool: ProcessPool, stopping: Event) -> None:
    """Stop ``pool`` without waiting for its tasks; kill its workers if pebble does not."""
    stopping.set()
    pool.stop()  # type: ignore[no-untyped-call]
    # pebble's join() of a stopped pool has no timeout: join in a thread, bounded.
    joiner = threading.Thread(target=pool.join, name="pool-join", daemon=True)
    joiner.start()
    joiner.join(timeout=STOP_TIMEOUT)
    if joiner.is_alive():
        logger.warning("the extraction pool did not stop in %gs: killing it", STOP_TIMEOUT)
        stop_workers()


class SupervisedPool:
    """A pebble pool of ``workers`` spawned processes, replaced when pebble gives up on it.

    ``initializer(stopping, *initargs)`` starts each worker; ``stopping`` is set before the
    pool is stopped (a worker's SIGTERM policy). ``stats`` (the crawl's) counts the breaks.
    """

    def __init__(
        self,
        workers: int,
        initializer: Callable[..., None],
        initargs: tuple[Any, ...] = (),
        stats: StatsCollector | None = None,
    ) -> None:
        self.workers = workers
        self.initializer = initializer
        self.initargs = initargs
        self.stats = stats
        self.restarts = 0
        self.gone = False
        """Set once pools broke past :data:`MAX_RESTARTS`; nothing runs here any more."""
        self.closed = False
        """Set by :meth:`close`: a pool stopped by the crawl is not broken, and not replaced."""
        # spawn, not fork: forking a process that runs a reactor and threads is unsafe.
        self._context = multiprocessing.get_context("spawn")
        self._pool, self._finalizer = self._start()

    def _start(self) -> tuple[ProcessPool, weakref.finalize[Any, Any]]:
        stopping = self._context.Event()
        pool = ProcessPool(
            max_workers=self.workers,
            context=self._context,
            initializer=self.initializer,
            initargs=(stopping, *self.initargs),
        )
        # A crawl forced to stop never closes its pipelines: stop the workers at exit anyway,
        # before multiprocessing's exit handler would wait for them forever.
        return pool, weakref.finalize(self, _stop_pool, pool, stopping)

    @property
    def active(self) -> bool:
        """Whether the current pool takes pages (False once pebble gave up on it)."""
        return not self.gone and self._pool.active

    async def run(
        self,
        function: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        timeout: float,
    ) -> Any:
        """``function(*args, **kwargs)`` in a worker: its result, or what it raised there.

        :class:`PoolBroken` if the pool broke first (it is replaced by then: run again);
        :class:`PoolGone` once pools broke too often.
        """
        if self.gone:
            raise PoolGone
        pool = self._pool
        try:
            future = pool.schedule(function, args=args, kwargs=kwargs, timeout=timeout)
        except RuntimeError as exc:  # pebble: "Unexpected error within the Pool"
            if self.closed:
                raise
            raise self._broken(pool, exc) from exc
        waiting = asyncio.wrap_future(future)
        try:
            # Bounded slices: a task stranded in a dead pool's queue never completes.
            while not (await asyncio.wait({waiting}, timeout=POLL))[0]:
                if not (pool.active or self.closed):
                    waiting.cancel()  # and pebble's future with it
                    raise self._broken(pool, BrokenProcessPool("the pool stopped"))
        except asyncio.CancelledError:
            waiting.cancel()  # the crawl gave up on the page: so does the pool
            raise
        try:
            return waiting.result()
        except BrokenProcessPool as exc:
            raise self._broken(pool, exc) from exc

    def _broken(self, pool: ProcessPool, error: BaseException) -> Exception:
        """Replace ``pool`` (once, whichever page noticed first); what the page raises."""
        if self.closed:  # the crawl is stopping: its pages are finished or abandoned
            return RuntimeError(f"the extraction pool is closed ({error!r})")
        if self.gone:
            return PoolGone()
        if pool is not self._pool:
            return PoolBroken()
        old = self._finalizer
        # Its workers are the ones alive now: the new pool starts on its first page.
        kill_workers(own_workers())
        threading.Thread(target=old, name="pool-stop", daemon=True).start()
        if self.restarts >= MAX_RESTARTS:
            self.gone = True
            self._count("news/extraction/in_process_fallback")
            logger.error(
                "the extraction pool broke %d times (last: %r): extracting in the crawl "
                "process from now on (one core; the crawl goes on)",
                self.restarts + 1,
                error,
            )
            return PoolGone()
        self.restarts += 1
        self._count("news/extraction/pool_restarts")
        logger.warning(
            "the extraction pool broke (%r: a worker died while idle, or workers could not "
            "start): its pages go to a new pool (replacement %d of %d)",
            error,
            self.restarts,
            MAX_RESTARTS,
        )
        self._pool, self._finalizer = self._start()
        return PoolBroken()

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def close(self) -> None:
        self.closed = True
        self._finalizer()
