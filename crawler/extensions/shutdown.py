"""SIGTERM and SIGINT: stop taking requests, settle what is in flight, exit in bounded time.

``timeout``, systemd and Ctrl-C stop a crawl with SIGTERM or SIGINT, sent to the crawl and to
its extraction workers (the process group). Scrapy's own handlers start a graceful close and,
on a second signal, stop the reactor; but the reactor's shutdown waits for that same close, so
a close stuck on a page that never finishes (a broken worker pool, a download that hangs) hung
the crawl until SIGKILL (issue 17). This extension replaces them (the crawl command starts
the reactor without Scrapy's handlers) and bounds the stop by ``NEWS_SHUTDOWN_TIMEOUT``:

1. First signal: one log line, then Scrapy's graceful close: no new request is started, the
   pages in flight are fetched, extracted and written, the scheduler keeps the rest
   (``JOBDIR``; in distributed mode the queue), the store and the worker pool close.
2. A second signal, or 80 % of the timeout gone: the pages still in flight are *abandoned*:
   their requests go back to the scheduler (so a ``JOBDIR`` resume or another worker fetches
   them), the scheduler closes, and the reactor is stopped without waiting for them. The
   command then closes the article store (the file being written lands and is recorded) and
   stops the extraction workers (:meth:`GracefulShutdown.finish`).
3. The whole timeout gone (the reactor itself stuck, or the exit taking too long): the workers
   are killed and the process exits at once; the folder is then as after SIGKILL, which the
   next run repairs.

Whichever way it ends, the exit status is 130 (SIGINT) or 143 (SIGTERM):
"interrupted, resumable" (:mod:`crawler.commands.runstatus`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler.commands.runstatus import interrupted_status
from crawler.store.articles import ArticleStore

if TYPE_CHECKING:
    from types import FrameType
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)
ABANDON_AT = 0.8
"""Share of NEWS_SHUTDOWN_TIMEOUT after which the pages still in flight are abandoned."""


class GracefulShutdown:
    """Owns SIGINT and SIGTERM during a crawl (see the module docstring)."""

    def __init__(self, crawler: Crawler, timeout: float) -> None:
        if timeout <= 0:
            raise ValueError(f"NEWS_SHUTDOWN_TIMEOUT must be > 0 seconds, not {timeout!r}")
        self.crawler = crawler
        self.timeout = timeout
        self.signum: int | None = None
        """The first signal received, or None."""
        self.started = 0.0
        self.abandoned = False
        """True once pages in flight were abandoned (the reactor was stopped, not drained)."""
        self._done = threading.Event()
        self._signalled = threading.Event()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler, crawler.settings.getfloat("NEWS_SHUTDOWN_TIMEOUT"))
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        """Take over SIGINT and SIGTERM (the reactor runs in this, the main, thread).

        The watchdog thread starts now, waiting for a signal: a signal handler only sets an
        event and hands over to the reactor (starting a thread there could deadlock).
        """
        threading.Thread(target=self._watchdog, name="shutdown", daemon=True).start()
        for signum in SIGNALS:
            signal.signal(signum, self.handle_signal)

    @property
    def seconds(self) -> float:
        """Seconds since the first signal."""
        return time.monotonic() - self.started if self.signum is not None else 0.0

    # --- in the signal handler: no logging, no locks; hand over to the reactor ------------
    def handle_signal(self, signum: int, frame: FrameType | None = None) -> None:
        from twisted.internet import reactor  # noqa: PLC0415 (the running one)

        if self.signum is None:
            self.signum, self.started = signum, time.monotonic()
            self._signalled.set()
            reactor.callFromThread(self._stop)
        else:
            name = signal.Signals(signum).name
            reactor.callFromThread(self.abandon, f"{name} received again")

    # --- in the reactor -----------------------------------------------------------------
    def _stop(self) -> None:
        assert self.signum is not None
        logger.warning(
            "received %s: stopping; no new page is started, pages in flight are finished "
            "(abandoned after %.0f s; a second signal abandons them now); the next run resumes",
            signal.Signals(self.signum).name,
            self.timeout * ABANDON_AT,
        )
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("news/interrupted", 1)
        deferred_from_coro(self.crawler.stop_async())

    def abandon(self, why: str) -> None:
        """Give up the pages in flight: back to the scheduler, then stop the reactor now."""
        if self.abandoned or self._done.is_set():
            return
        self.abandoned = True
        from twisted.internet import reactor  # noqa: PLC0415

        requeued = self._requeue_in_flight()
        logger.warning(
            "%s: abandoning %d page(s) in flight (put back for the next run)", why, requeued
        )
        running: Any = reactor  # crash(), not stop(): stop() would wait for the close
        with contextlib.suppress(RuntimeError):
            running.crash()

    def _requeue_in_flight(self) -> int:
        """Put the requests being worked on back into the scheduler, then close it."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None) if engine is not None else None
        if slot is None:
            return 0
        requests = list(slot.inprogress)
        try:
            for request in requests:
                slot.scheduler.enqueue_request(request.replace(dont_filter=True))
            if hasattr(slot.scheduler, "close"):
                slot.scheduler.close("shutdown")
        except Exception:  # the folder stays safe; only the resume point is less exact
            logger.exception("could not keep the abandoned requests for the next run")
        return len(requests)

    # --- in the watchdog thread ---------------------------------------------------------
    def _watchdog(self) -> None:
        """Abandon at 80 % of the timeout; at 100 % exit, wherever the process is: the
        deadline holds until the process is gone (an exit that hangs is cut short too)."""
        from twisted.internet import reactor  # noqa: PLC0415

        self._signalled.wait()
        if self.signum is None:
            return  # the crawl ended without a signal
        if not self._done.wait(
            max(0.0, self.started + self.timeout * ABANDON_AT - time.monotonic())
        ):
            why = f"still stopping after {self.timeout * ABANDON_AT:.0f} s"
            reactor.callFromThread(self.abandon, why)
        time.sleep(max(0.0, self.started + self.timeout - time.monotonic()))
        logger.error(
            "not stopped %.0f s after %s (NEWS_SHUTDOWN_TIMEOUT): exiting now; "
            "the next run repairs the output folder and resumes",
            self.timeout,
            signal.Signals(self.signum).name,
        )
        _stop_workers()
        for handler in logging.getLogger().handlers:
            with contextlib.suppress(Exception):
                handler.flush()
        os._exit(interrupted_status(self.signum))

    # --- in the command, once the reactor has returned ----------------------------------
    def finish(self) -> None:
        """After an abandoned stop: close the store and stop the workers the close skipped."""
        try:
            if self.abandoned:
                store = self.crawler.get_extension(ArticleStore)
                if store is not None:
                    store.close("shutdown")
                    closed: Any = getattr(store, "engine_stopped", None)
                    if callable(closed):
                        closed()  # distributed mode: the cluster's heartbeat and connection
                _stop_workers()
                _stop_reactor_threads()
        finally:
            self._done.set()
            self._signalled.set()  # without a signal, the watchdog ends
            for signum in SIGNALS:  # the crawl is over: a late signal ends the process
                signal.signal(signum, signal.SIG_DFL)


def _stop_reactor_threads() -> None:
    """The reactor's thread pool, which a stopped reactor stops but a crashed one does not
    (its threads would keep the process from exiting)."""
    from twisted.internet import reactor  # noqa: PLC0415

    pool = getattr(reactor, "threadpool", None)
    if pool is not None:
        pool.stop()


def _stop_workers() -> None:
    """Kill the extraction pool's workers (imported here: extraction is heavy to import)."""
    from crawler.pipelines.pool import stop_workers  # noqa: PLC0415

    stop_workers()
