"""Politeness Scrapy leaves out: robots.txt ``Crawl-delay``, ``Retry-After``, the contact address.

Scrapy's robots.txt middleware obeys ``Disallow`` but never applies ``Crawl-delay`` (its
parsers read it; nothing uses it), and its retry middleware retries 429/503 at once, ignoring
``Retry-After``. These components close both gaps (issue 3), and fix a Scrapy 2.19 bug that
let requests through ``Disallow`` (``SafeRobotsTxtMiddleware``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, TypeVar

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

from crawler.failures import decided
from crawler.meta import SOURCE_NAME

if TYPE_CHECKING:
    from scrapy.http import Request, Response
    from scrapy.robotstxt import RobotParser
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

# Statuses whose Retry-After header says when to come back (RFC 9110 §10.2.3).
_BACKOFF_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_seconds(retry_after: float | None, attempt: int, base: float, cap: float) -> float:
    """The wait before retry number ``attempt`` (1, 2...): the server's word, else exponential."""
    if retry_after is not None:
        return retry_after
    return float(min(cap, base * 2 ** (attempt - 1)))


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, but 429 and 503 wait: ``Retry-After`` if given, else 2ⁿ backoff.

    A ``Retry-After`` longer than ``NEWS_RETRY_AFTER_MAX`` is not waited for: the page is
    given up (``news/retry/too_long``) rather than holding the crawl.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("NEWS_RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("NEWS_RETRY_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("NEWS_RETRY_AFTER_MAX")

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if response.status not in _BACKOFF_STATUSES or request.meta.get("dont_retry"):
            return super().process_response(request, response)
        header = response.headers.get(b"Retry-After")
        stated = retry_after_seconds(
            header.decode("latin-1") if header else None, datetime.now(UTC)
        )
        stats = self.crawler.stats
        if stated is not None and stated > self.retry_after_max:
            if stats is not None:
                stats.inc_value("news/retry/too_long")
            logger.warning(
                "%s asks to retry after %.0f s (over NEWS_RETRY_AFTER_MAX): giving up %s",
                response.status,
                stated,
                request.url,
            )
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=response_status_message(response.status),
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
        )
        if retry is None:
            return response
        wait = backoff_seconds(
            stated, int(retry.meta["retry_times"]), self.backoff_base, self.backoff_max
        )
        if stats is not None:
            stats.inc_value("news/retry/backoff")
        logger.info("%s from %s: retrying in %.1f s", response.status, request.url, wait)
        await sleep(wait)
        return retry


def _relay(shared: Deferred[_T]) -> Deferred[_T]:
    """A new Deferred firing with ``shared``'s result, leaving that result for other waiters."""
    copy: Deferred[_T] = Deferred()

    def forward(result: _T) -> _T:
        copy.callback(result)
        return result

    shared.addCallback(forward)
    return copy


class SafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with every request waiting for robots.txt obeying it.

    In Scrapy 2.19 the requests that arrive while a site's robots.txt is downloading all
    await the same Deferred through ``asFuture``, which hands its result to the first waiter
    only ("consumes its result", Twisted's docs): the others get None, read as "no
    robots.txt", and go through ``Disallow`` (scrapy/scrapy#6802 introduced it). Each waiter
    here gets its own copy of the result.
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):
            return await maybe_deferred_to_future(_relay(pending))
        return await super().robot_parser(request)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        """Scrapy's check; a disallowed page is also counted and recorded in the ledger."""
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            source = request.meta.get(SOURCE_NAME)
            decided(self.crawler, "skipped/robots_txt", request.url, "disallowed", source=source)
            raise
