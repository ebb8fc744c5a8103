"""Address policy, resolver filter, request-safety middlewares and log scrubbing, offline."""

from __future__ import annotations

import ipaddress
import logging
import sys
from typing import TYPE_CHECKING, Any

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver
from zope.interface import implementer  # type: ignore[import-untyped]

from crawler.downloadermiddlewares.requestsafety import (
    AddressGuardMiddleware,
    RefusalReporter,
    RefusedRequest,
    http_links,
    move_credentials,
)
from crawler.extensions.logscrub import CredentialScrubFilter, scrub
from crawler.safety.addresspolicy import AddressPolicy, name_key, url_endpoint
from crawler.safety.resolver import AddressFilteringResolver, GuardedResolver
from crawler.spidermiddlewares.requestsafety import RequestSafetySpiderMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

PUBLIC = "93.184.216.34"


def safety_crawler(settings_dict: dict[str, Any] | None = None) -> Crawler:
    """A crawler with the refusal reporter the request-safety middlewares share."""
    return get_crawler(settings_dict={"EXTENSIONS": {RefusalReporter: 0}, **(settings_dict or {})})


def ip(text: str) -> Any:
    return ipaddress.ip_address(text)


# --- policy -----------------------------------------------------------------------------------


def test_public_passes_private_is_refused_with_the_reason() -> None:
    policy = AddressPolicy()
    assert policy.check("news.example", ip(PUBLIC), 80) is None
    refusal = policy.check("10.0.0.5", ip("10.0.0.5"), 80)
    assert refusal is not None
    assert (refusal.host, refusal.address, refusal.reason) == ("10.0.0.5", "10.0.0.5", "private")


def test_a_start_url_trusts_its_address_and_port_only() -> None:
    policy = AddressPolicy()
    policy.trust_url("http://user:pw@127.0.0.1:8080/start")
    assert policy.check("127.0.0.1", ip("127.0.0.1"), 8080) is None
    assert policy.check("127.0.0.1", ip("127.0.0.1"), 6379) is not None
    assert policy.check("127.0.0.2", ip("127.0.0.2"), 8080) is not None


def test_a_spelled_start_url_trusts_the_address_it_denotes() -> None:
    policy = AddressPolicy()
    policy.trust_url("http://2130706434/")
    assert policy.check("127.0.0.2", ip("127.0.0.2"), 80) is None


def test_a_start_name_is_pinned_to_its_first_answer() -> None:
    policy = AddressPolicy()
    policy.trust_url("http://intranet.example:8080/news")
    assert policy.filter_resolution("intranet.example", 8080, ["10.0.0.5"]) == ["10.0.0.5"]
    assert policy.filter_resolution("INTRANET.example.", 8080, ["10.0.0.5"]) == ["10.0.0.5"]
    # the address of a start URL, whatever name leads to it
    assert policy.filter_resolution("alias.example", 8080, ["10.0.0.5"]) == ["10.0.0.5"]
    # the same name answering another private address later is rebinding
    assert policy.filter_resolution("intranet.example", 8080, ["10.0.0.6"]) == []
    assert policy.filter_resolution("intranet.example", 6379, ["10.0.0.5"]) == []


def test_rebinding_is_refused_on_every_resolution() -> None:
    policy = AddressPolicy()
    assert policy.filter_resolution("news.example", 80, [PUBLIC]) == [PUBLIC]
    assert policy.refusal_for("news.example") is None
    assert policy.filter_resolution("news.example", 80, ["127.0.0.1"]) == []
    refusal = policy.refusal_for("News.Example")
    assert refusal is not None
    assert (refusal.address, refusal.reason) == ("127.0.0.1", "loopback")
    assert policy.filter_resolution("news.example", 80, [PUBLIC]) == [PUBLIC]
    assert policy.refusal_for("news.example") is None


def test_a_resolution_without_a_port_matches_any_trusted_port() -> None:
    policy = AddressPolicy()
    policy.trust_url("http://proxy.internal:3128")  # an HTTPS proxy is reached this way
    assert policy.filter_resolution("proxy.internal", 0, ["10.0.0.9"]) == ["10.0.0.9"]
    assert policy.filter_resolution("proxy.internal", 3128, ["10.0.0.9"]) == ["10.0.0.9"]
    assert policy.filter_resolution("other.internal", 0, ["10.0.0.10"]) == []


def test_a_mixed_answer_keeps_only_public_addresses() -> None:
    policy = AddressPolicy()
    answer = ["10.0.0.1", PUBLIC, "169.254.169.254", "2001:4860:4860::8888", "::1", "bogus"]
    assert policy.filter_resolution("news.example", 443, answer) == [
        PUBLIC,
        "2001:4860:4860::8888",
    ]
    assert policy.refusal_for("news.example") is None  # something was left to connect to


def test_allow_all_lets_everything_through() -> None:
    policy = AddressPolicy(allow_all=True)
    assert policy.filter_resolution("db.internal", 6379, ["10.0.0.1"]) == ["10.0.0.1"]
    assert policy.check("127.0.0.2", ip("127.0.0.2"), 80) is None


def test_idn_hosts_share_one_key() -> None:
    assert name_key("Bücher.Example.") == name_key("xn--bcher-kva.example")
    policy = AddressPolicy()
    policy.filter_resolution("bücher.example", 80, ["10.0.0.1"])
    assert policy.refusal_for("xn--bcher-kva.example") is not None


@pytest.mark.parametrize(
    ("url", "endpoint"),
    [
        ("http://a.example/x", ("a.example", 80)),
        ("https://a.example/x", ("a.example", 443)),
        ("http://u:p@[::1]:8080/", ("::1", 8080)),
        ("http://2130706434:81/", ("2130706434", 81)),
        ("ftp://a.example/", None),
        ("http://a.example:99999/", None),
        ("mailto:x@a.example", None),
    ],
)
def test_url_endpoint(url: str, endpoint: tuple[str, int] | None) -> None:
    assert url_endpoint(url) == endpoint


# --- resolver ---------------------------------------------------------------------------------


class HostResolution:
    def __init__(self, name: str) -> None:
        self.name = name


@implementer(IHostnameResolver)
class ScriptedResolver:
    """Answers each resolution with the next scripted list of addresses (a DNS server's answers
    that change between two lookups, as in a rebinding attack)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)

    def resolveHostName(self, receiver, hostName, portNumber=0, addressTypes=None, semantics="TCP"):
        resolution = HostResolution(hostName)
        receiver.resolutionBegan(resolution)
        for host in self.answers.pop(0):
            kind = IPv6Address if ":" in host else IPv4Address
            receiver.addressResolved(kind("TCP", host, portNumber))
        receiver.resolutionComplete()
        return resolution


class Receiver:
    def __init__(self) -> None:
        self.addresses: list[Any] = []
        self.began = self.complete = False

    def resolutionBegan(self, resolution: Any) -> None:
        self.began = True

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(address)

    def resolutionComplete(self) -> None:
        self.complete = True


def test_the_resolver_filters_every_resolution() -> None:
    policy = AddressPolicy()
    resolver = AddressFilteringResolver(
        ScriptedResolver([PUBLIC], ["127.0.0.2"], ["::1", "2001:4860:4860::8888"]), policy
    )
    first, second, third = Receiver(), Receiver(), Receiver()
    resolver.resolveHostName(first, "news.example", 80)
    resolver.resolveHostName(second, "news.example", 80)
    resolver.resolveHostName(third, "news.example", 80)
    assert [a.host for a in first.addresses] == [PUBLIC]
    assert second.began
    assert second.complete
    assert second.addresses == []
    assert [(a.host, a.port) for a in third.addresses] == [("2001:4860:4860::8888", 80)]


def test_the_guarded_resolver_reads_settings_and_trusts_configured_proxies(monkeypatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:3128")
    crawler = safety_crawler(settings_dict={"NEWS_ALLOW_PRIVATE_ADDRESSES": False})
    resolver = GuardedResolver.from_crawler(crawler, reactor=object())  # type: ignore[arg-type]
    assert not resolver.policy.allow_all
    assert resolver.policy.check("127.0.0.1", ip("127.0.0.1"), 3128) is None
    assert resolver.policy.check("127.0.0.1", ip("127.0.0.1"), 80) is not None
    allowing = safety_crawler(settings_dict={"NEWS_ALLOW_PRIVATE_ADDRESSES": True})
    policy = GuardedResolver.from_crawler(allowing, reactor=object()).policy  # type: ignore[arg-type]
    assert policy.allow_all


# --- middlewares ------------------------------------------------------------------------------


def test_credentials_move_from_the_url_to_per_host_auth() -> None:
    request = Request("http://us%40er:p%3Ass@news.example:8080/a?x=1", meta={"k": 1})
    moved = move_credentials(request)
    assert moved.url == "http://news.example:8080/a?x=1"
    assert moved.meta["http_user"] == "us@er"
    assert moved.meta["http_pass"] == "p:ss"
    assert moved.meta["http_auth_domain"] == "news.example:8080"
    assert moved.meta["k"] == 1
    plain = Request("http://news.example/a?to=x@y")
    assert move_credentials(plain) is plain


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://news.example/a",
        "data:text/html,<p>hi</p>",
        "gopher://127.0.0.1:6379/_INFO",
        "about:blank",
    ],
)
def test_discovered_requests_other_than_http_are_dropped_and_counted(url: str) -> None:
    crawler = safety_crawler()
    middleware = RequestSafetySpiderMiddleware(crawler)
    assert middleware.get_processed_request(Request(url), None) is None
    assert crawler.stats is not None
    assert crawler.stats.get_value("news/refused/scheme") == 1


def test_links_scrapy_cannot_request_are_filtered_and_counted(caplog) -> None:
    crawler = safety_crawler()
    links = [
        "https://news.example/a",
        "javascript:alert(1)",
        "mailto:editor@news.example",
        "tel:+100",
        "JavaScript:void(0)",
        "http://news.example/b",
    ]
    with caplog.at_level(logging.INFO):
        kept = list(http_links(crawler, links))
    assert kept == ["https://news.example/a", "http://news.example/b"]
    assert crawler.stats is not None
    assert crawler.stats.get_value("news/refused/scheme") == 4
    assert sum("not fetched" in r.message for r in caplog.records) == 3  # once per scheme


def test_discovered_links_lose_their_credentials() -> None:
    crawler = safety_crawler()
    middleware = RequestSafetySpiderMiddleware(crawler)
    out = middleware.get_processed_request(Request("https://a:b@news.example/x"), None)
    assert out is not None
    assert out.url == "https://news.example/x"
    assert (out.meta["http_user"], out.meta["http_pass"]) == ("a", "b")


def test_the_downloader_backstop_refuses_other_schemes_and_moves_credentials() -> None:
    crawler = safety_crawler()
    middleware = AddressGuardMiddleware(crawler)
    with pytest.raises(RefusedRequest):
        middleware.process_request(Request("ftp://news.example/a"))
    assert crawler.stats is not None
    assert crawler.stats.get_value("news/refused/scheme") == 1
    cleaned = middleware.process_request(Request("http://u:p@news.example/"))
    assert cleaned is not None
    assert cleaned.url == "http://news.example/"


def test_without_the_guarded_resolver_every_request_is_refused(caplog) -> None:
    middleware = AddressGuardMiddleware(safety_crawler())
    with caplog.at_level(logging.ERROR), pytest.raises(RefusedRequest):
        middleware.process_request(Request("http://news.example/"))
    with pytest.raises(RefusedRequest):
        middleware.process_request(Request("http://news.example/b"))
    assert sum("address guard is not installed" in r.message for r in caplog.records) == 1
    allowing = AddressGuardMiddleware(
        safety_crawler(settings_dict={"NEWS_ALLOW_PRIVATE_ADDRESSES": 1})
    )
    assert allowing.process_request(Request("http://127.0.0.2/")) is None


# --- logs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("GET http://user:pass@host/a", "GET http://host/a"),
        ("<GET https://u@h.example:8080/x>", "<GET https://h.example:8080/x>"),
        ("from http://a:b@x/ to ftp://c:d@y/", "from http://x/ to ftp://y/"),
        ("http://host/p?to=http://u:p@other/", "http://host/p?to=http://other/"),
        ("http://host/p?mail=a@b.example", "http://host/p?mail=a@b.example"),
        ("write to mailto:editor@news.example", "write to mailto:editor@news.example"),
        ("no url here", "no url here"),
    ],
)
def test_scrub(text: str, clean: str) -> None:
    assert scrub(text) == clean


def test_the_log_filter_scrubs_messages_arguments_and_tracebacks() -> None:
    request = Request("http://user:s3cret@news.example/a")  # as RedirectMiddleware builds it
    try:
        raise ValueError("invalid hostname: user:s3cret@news.example in http://user:s3cret@x/")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "scrapy", logging.DEBUG, __file__, 1, "Redirecting to %(r)s", None, exc_info
    )
    record.args = {"r": request}
    assert CredentialScrubFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "Redirecting to <GET http://news.example/a>" in text
    assert "s3cret@x" not in text
    assert "http://x/" in text
