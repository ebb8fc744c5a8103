"""Where extraction runs: in the crawl process, or in a pool of worker processes.

trafilatura, cleaning and langdetect are CPU-bound; inside Scrapy's event loop they stall
fetching and leave the second core idle. The pool (pebble, which replaces a worker that
crashes or overruns its timeout) takes the page bytes, URL and Content-Type and sends back
only the article, with its store fingerprint (text hash, near-duplicate signature, seed text:
:mod:`crawler.store.fingerprint`) computed where the article was, so the crawl process spends
no CPU on them. Both runners share one async interface, so the pipeline does not care.

The pool's workers belong to the crawl (issue 17). ``timeout``, systemd and a terminal send
SIGTERM or SIGINT to the whole process group; a worker that died of it mid-task (or while
holding pebble's channel lock) broke the pool and hung the crawl. So a worker ignores SIGINT
(pebble does) and SIGTERM until the crawl stops its pool: the crawl decides when its workers
stop, finishes or abandons their pages, and always stops them before it exits, even when it
is forced to stop (:func:`crawler.pipelines.pool.stop_workers`). A pool that pebble gives
up on (a worker died while idle, or workers cannot start) is replaced, not waited on:
:mod:`crawler.pipelines.pool`.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pebble import ProcessExpired
from pebble.common.process import process_exit

from crawler.extraction.article import Extraction, ExtractionOptions
from crawler.extraction.preload import preload
from crawler.pipelines.pool import PoolBroken, PoolGone, SupervisedPool
from crawler.store.fingerprint import Fingerprint, fingerprint

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.synchronize import Event

    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class ExtractionFailed(Exception):
    """A page broke extraction (raised, crashed its worker, or timed out) twice."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """One page's extraction, and its article's fingerprint (None when there is no article)."""

    extraction: Extraction
    fingerprint: Fingerprint | None


DEFAULT_FUNCTION = "crawler.extraction.article.extract_page"
"""What an empty NEWS_EXTRACT_FUNCTION means."""


def resolve_function(path: str) -> Callable[..., Extraction]:
    """The extraction function named by NEWS_EXTRACT_FUNCTION (empty: ``DEFAULT_FUNCTION``).

    Its contract is ``extract_page``'s: called as ``function(body, url, options, content_type)``
    with the page's bytes, its URL, the crawl's ``ExtractionOptions`` and the Content-Type
    header (or None), it returns an ``Extraction``. ``extract_article``, which returns the
    article alone, does not fit; the runners say so instead of failing later in the pipeline.
    """
    module, _, name = (path or DEFAULT_FUNCTION).rpartition(".")
    function: Callable[..., Extraction] = getattr(importlib.import_module(module), name)
    return function


def _call(
    function: Callable[..., Extraction],
    body: bytes,
    url: str,
    options: ExtractionOptions,
    content_type: str | None,
) -> Extraction:
    """``function`` on one page, checked against the contract of ``resolve_function``."""
    result = function(body, url, options, content_type)
    if not isinstance(result, Extraction):
        raise TypeError(
            f"NEWS_EXTRACT_FUNCTION {function.__module__}.{function.__qualname__} returned "
            f"{type(result).__name__}, not Extraction (see crawler.pipelines.workers.resolve_function)"
        )
    return result


def _prepare(
    function: str | Callable[..., Extraction],
    body: bytes,
    url: str,
    options: ExtractionOptions,
    content_type: str | None,
    *,
    permutations: int,
) -> Extracted:
    """``_call``, then the article's fingerprint, in the same (worker) process.

    A pool worker gets the function's dotted path (NEWS_EXTRACT_FUNCTION) and resolves it.
    """
    if isinstance(function, str):
        function = resolve_function(function)
    result = _call(function, body, url, options, content_type)
    article = result.article
    if article is None:
        return Extracted(result, None)
    return Extracted(
        result, fingerprint(article.title, article.paragraphs, permutations=permutations)
    )


def _sigterm_policy(stopping: Event) -> None:
    """In a pool worker: exit on SIGTERM only once the crawl stops its pool.

    ``timeout``, systemd or ``kill -- -PGID`` reach the workers with the crawl; the crawl then
    finishes or abandons their pages and stops them itself (setting ``stopping`` first). A
    page overrunning NEWS_EXTRACT_TIMEOUT is still ended: pebble follows its SIGTERM with
    SIGKILL.
    """
    parent = os.getppid()

    def on_sigterm(signum: int, frame: object) -> None:
        if stopping.is_set() or os.getppid() != parent:
            process_exit(signum)

    signal.signal(signal.SIGTERM, on_sigterm)


def worker_start(stopping: Event, function: str = "") -> None:
    """A pool worker's initializer: its signal policy, then the one-time loads (the
    extraction function's module included), so they never count against a page's timeout."""
    _sigterm_policy(stopping)
    resolve_function(function)
    preload()


def worker_count(value: str | int | None) -> int:
    """``auto`` (or empty) means one worker per CPU; 0 means extract in the crawl process."""
    if value in (None, "", "auto"):
        return os.cpu_count() or 1
    count = int(value)
    if count < 0:
        raise ValueError(f"NEWS_EXTRACT_WORKERS must be >= 0 or 'auto', not {value!r}")
    return count


class ExtractionRunner:
    """Where a page is extracted; both runners share this interface (the pipeline does not
    care which runs): a page's extraction, or with its fingerprint (``prepare``)."""

    options: ExtractionOptions
    function: str | Callable[..., Extraction]
    permutations: int

    async def extract(self, body: bytes, url: str, content_type: str | None) -> Extraction:
        return (await self.prepare(body, url, content_type)).extraction

    async def prepare(
        self,
        body: bytes,
        url: str,
        content_type: str | None,
        options: ExtractionOptions | None = None,
    ) -> Extracted:
        """The page's extraction with the crawl's options (or ``options``: a later page of an
        article, whose length alone must not make it "no article")."""
        return await self._run((self.function, body, url, options or self.options, content_type))

    async def _run(self, args: tuple[Any, ...]) -> Extracted:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class InProcessRunner(ExtractionRunner):
    """Extraction in the crawl process (NEWS_EXTRACT_WORKERS=0): one core, one thread.

    The thread keeps a slow page from stalling the reactor, so downloads in flight do not
    time out while it is parsed; one thread bounds memory to one parsed page at a time.
    """

    def __init__(
        self,
        options: ExtractionOptions,
        function: str = "",
        permutations: int = 0,
    ) -> None:
        self.options = options
        self.function = resolve_function(function)
        self.permutations = permutations
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="news-extraction")
        self._thread.submit(preload)  # the one-time loads, before the first page, off the reactor

    async def _run(self, args: tuple[Any, ...]) -> Extracted:
        future = self._thread.submit(_prepare, *args, permutations=self.permutations)
        try:
            return await asyncio.wrap_future(future)
        except Exception as exc:
            raise ExtractionFailed(repr(exc)) from exc

    def close(self) -> None:
        self._thread.shutdown(wait=True, cancel_futures=True)


class PoolRunner(ExtractionRunner):
    """Extraction in ``workers`` processes; a page gets two tries, each under ``timeout``.

    A pool pebble gives up on is replaced without costing the page a try; pools that keep
    breaking leave extraction to the crawl process (:mod:`crawler.pipelines.pool`).
    """

    function: str  # the dotted path: a worker resolves it

    def __init__(
        self,
        options: ExtractionOptions,
        workers: int,
        timeout: float,
        function: str = "",
        permutations: int = 0,
        *,
        stats: StatsCollector | None = None,
    ) -> None:
        self.options = options
        self.timeout = timeout
        self.function = function
        self.permutations = permutations
        resolve_function(function)  # fail at start-up, not on the first page
        # Each worker (and each replacement) pays the one-time loads before its first page.
        self.pool = SupervisedPool(workers, worker_start, (function,), stats)
        self._fallback: InProcessRunner | None = None

    async def _run(self, args: tuple[Any, ...]) -> Extracted:
        last: BaseException | None = None
        attempt = 0
        while attempt < 2:
            try:
                extracted: Extracted = await self.pool.run(
                    _prepare, args, {"permutations": self.permutations}, self.timeout
                )
                return extracted
            except PoolBroken:
                continue  # the pool, not the page: the new pool takes it
            except PoolGone:
                if self._fallback is None:
                    self._fallback = InProcessRunner(self.options, self.function, self.permutations)
                return await self._fallback._run(args)
            except FutureTimeoutError as exc:
                last = exc
                reason = f"timed out after {self.timeout:g}s"
            except ProcessExpired as exc:
                last = exc
                reason = f"worker died ({exc})"
            except Exception as exc:  # noqa: BLE001 - any error of third-party code on one page
                last = exc
                reason = repr(exc)
            attempt += 1
            logger.warning("extraction attempt %d on %s failed: %s", attempt, args[2], reason)
        raise ExtractionFailed(f"{last!r}") from last

    def close(self) -> None:
        self.pool.close()
        if self._fallback is not None:
            self._fallback.close()


def make_runner(
    options: ExtractionOptions,
    workers: int,
    timeout: float,
    function: str = "",
    permutations: int = 0,
    *,
    stats: StatsCollector | None = None,
) -> ExtractionRunner:
    """The runner for ``workers``; ``permutations``: fingerprints carry the near-duplicate
    signature's values for that many permutations (0 when the store's index is off);
    ``stats`` (the crawl's) counts the pool's replacements."""
    if workers == 0:
        return InProcessRunner(options, function, permutations)
    return PoolRunner(options, workers, timeout, function, permutations, stats=stats)
