"""Request safety (issue 8): only http(s), no credentials in URLs, no private addresses.

Three small middlewares share one policy with the resolver (``crawler.safety.resolver``):

- ``crawler.spidermiddlewares.requestsafety.RequestSafetySpiderMiddleware`` (spider side): drops requests that are not http(s)
  (``file:``, ``ftp:``, ``data:``…; discovery code filters ``javascript:``/``mailto:`` links,
  which Scrapy cannot turn into requests, with ``http_links``) and takes ``user:pass@`` out of
  request URLs before the scheduler, the logs or the manifest ever see them;
- ``AddressGuardMiddleware`` (first downloader middleware, before robots.txt and offsite):
  the same rules for requests born in the downloader (redirects), refuses IP-literal hosts
  in any spelling, and registers the user's start URLs as exceptions;
- ``ResolverRefusalMiddleware`` (just before ``RetryMiddleware`` on errors): turns the
  resolver's refusal of a *name* into a counted, logged, never-retried ``RefusedRequest``.

The spider tells which URLs the user gave through ``user_start_urls`` (a sequence of URLs,
appended to as start arguments or a sources file are read; Scrapy's ``start_urls`` otherwise).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import scrapy.exceptions
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError

from crawler.failures import decided
from crawler.meta import SOURCE_NAME
from crawler.safety.addresspolicy import url_endpoint
from crawler.safety.netguard import parse_ip_host
from crawler.safety.resolver import installed_policy
from crawler.urls import is_http_url, strip_credentials

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

    from crawler.safety.addresspolicy import AddressPolicy, Refusal

logger = logging.getLogger(__name__)

# Recent Scrapy wraps Twisted's DNSLookupError in CannotResolveHostError; older releases do not.
_DNS_ERRORS: tuple[type[Exception], ...] = (
    DNSLookupError,
    getattr(scrapy.exceptions, "CannotResolveHostError", DNSLookupError),
)


class RefusedRequest(IgnoreRequest):
    """A request this crawl will not send; it is already counted and logged (errbacks skip it)."""


def move_credentials(request: Request) -> Request:
    """The request without ``user:pass@`` in its URL.

    The credentials move to ``HttpAuthMiddleware``'s per-request meta, scoped to that exact
    host and port, so they are still sent (and dropped on redirects elsewhere) but no log line,
    queue, stat or manifest field ever carries them.
    """
    parts = urlsplit(request.url)
    if "@" not in parts.netloc:
        return request
    url = strip_credentials(request.url)
    meta = {
        **request.meta,
        "http_user": unquote(parts.username or ""),
        "http_pass": unquote(parts.password or ""),
        "http_auth_domain": urlsplit(url).netloc.lower(),
    }
    return request.replace(url=url, meta=meta)


def _is_robots_request(request: Request) -> bool:
    """RobotsTxtMiddleware's own fetch: refused with its page, but only the page is counted."""
    return (
        request.callback is NO_CALLBACK
        and bool(request.meta.get("dont_obey_robotstxt"))
        and urlparse_cached(request).path == "/robots.txt"
    )


class RefusalReporter:
    """Counts refusals in the crawl stats and logs each host or scheme once.

    An extension, so the spider and downloader middlewares share one per crawl
    (:func:`reporter`).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._hosts: set[str] = set()
        self._schemes: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def scheme(self, url: str) -> RefusedRequest:
        scheme = url.split(":", 1)[0].lower()
        decided(self.crawler, "refused/scheme", url, f"scheme {scheme!r} is not fetched")
        if scheme not in self._schemes:
            self._schemes.add(scheme)
            logger.info(
                "not fetched (only http and https URLs are, logged once per scheme): %s",
                strip_credentials(url)[:200],
                extra={"spider": self.crawler.spider},
            )
        return RefusedRequest(f"scheme {scheme!r} is not fetched")

    def private(self, request: Request, refusal: Refusal) -> RefusedRequest:
        if not _is_robots_request(request):
            detail = f"{refusal.host} is not public ({refusal.reason})"
            source = request.meta.get(SOURCE_NAME)
            decided(self.crawler, "refused/private_address", request.url, detail, source=source)
            level = logging.DEBUG if refusal.host in self._hosts else logging.WARNING
            self._hosts.add(refusal.host)
            logger.log(
                level,
                "refused %s: %s is not public (%s address %s); only public addresses are "
                "fetched, besides the start URLs' and with NEWS_ALLOW_PRIVATE_ADDRESSES=True",
                strip_credentials(request.url),
                refusal.host,
                refusal.reason,
                refusal.address,
                extra={"spider": self.crawler.spider},
            )
        return RefusedRequest(f"{refusal.host} is not public ({refusal.reason})")


def reporter(crawler: Crawler) -> RefusalReporter:
    """The one refusal reporter of a crawl: ``crawler.get_extension(RefusalReporter)``."""
    found = crawler.get_extension(RefusalReporter)
    if found is None:
        raise RuntimeError(
            "crawler.downloadermiddlewares.requestsafety.RefusalReporter is not in EXTENSIONS"
        )
    return found


def http_links(crawler: Crawler, urls: Iterable[str]) -> Iterator[str]:
    """The http(s) URLs among absolute discovered links; the others are counted and dropped.

    For discovery code: Scrapy cannot even build a Request for ``javascript:``, ``mailto:``
    or ``tel:`` links (no ``//``), so they must be filtered before ``response.follow``.
    """
    for url in urls:
        if is_http_url(url):
            yield url
        else:
            reporter(crawler).scheme(url)


class AddressGuardMiddleware:
    """Refuses non-http(s) URLs and private IP-literal hosts before anything is fetched.

    Runs first in the downloader so that a refused request never triggers a robots.txt
    fetch. Names are left to the resolver, which sees the address really connected to.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("NEWS_ALLOW_PRIVATE_ADDRESSES")
        self._policy: AddressPolicy | None = None
        self._trusted_urls = 0
        self._missing_logged = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> Request | None:
        refusals = reporter(self.crawler)
        if not is_http_url(request.url):
            raise refusals.scheme(request.url)
        cleaned = move_credentials(request)
        if cleaned is not request:
            return cleaned  # rescheduled without credentials (a redirect to user:pass@…)
        policy = self._current_policy()
        if policy is None:
            if self.allow_private:
                return None
            if not self._missing_logged:
                self._missing_logged = True
                logger.error(
                    "the address guard is not installed (TWISTED_DNS_RESOLVER must be "
                    "crawler.safety.resolver.GuardedResolver): refusing every request; set "
                    "NEWS_ALLOW_PRIVATE_ADDRESSES=True to crawl without it",
                    extra={"spider": self.crawler.spider},
                )
            raise RefusedRequest("address guard not installed")
        if policy.allow_all:
            return None
        if proxy := request.meta.get("proxy"):
            policy.trust_url(str(proxy))  # set by the user's settings or code, never by a page
        endpoint = url_endpoint(request.url)
        ip = parse_ip_host(endpoint[0]) if endpoint else None
        if endpoint is None or ip is None:
            return None  # a name: the resolver judges the address it resolves to
        refusal = policy.check(endpoint[0], ip, endpoint[1])
        if refusal is not None:
            raise refusals.private(request, refusal)
        return None

    def _current_policy(self) -> AddressPolicy | None:
        """The resolver's policy, with this crawl's setting and start URLs applied."""
        if self._policy is None:
            self._policy = installed_policy()
            if self._policy is None:
                return None
            self._policy.allow_all = self.allow_private
        spider: Any = self.crawler.spider
        given: Any = getattr(spider, "user_start_urls", None) or getattr(spider, "start_urls", ())
        if len(given) > self._trusted_urls:  # the spider may add start URLs as it reads them
            for url in list(given)[self._trusted_urls :]:
                self._policy.trust_url(str(url))
            self._trusted_urls = len(given)
        return self._policy


class ResolverRefusalMiddleware:
    """Reports a name the resolver refused, instead of a DNS error that RetryMiddleware retries."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, _DNS_ERRORS):
            return
        policy = installed_policy()
        host = urlparse_cached(request).hostname
        refusal = policy.refusal_for(host) if policy is not None and host else None
        if refusal is not None:
            raise reporter(self.crawler).private(request, refusal) from exception
