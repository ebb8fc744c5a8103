"""The address policy of one crawl process: the public-only rule plus the user's exceptions.

Shared by the resolver (which sees every address actually connected to) and the downloader
middleware (which sees URLs, start arguments and counts). Pure Python, no Scrapy or Twisted.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.safety.netguard import parse_ip_host, refusal_reason

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.safety.netguard import IPAddress

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a connection to ``host`` was refused: the address it meant and the rule it broke."""

    host: str
    address: str
    reason: str


def name_key(host: str) -> str:
    """One spelling per host name: lower case, no brackets or trailing dot, IDNA-encoded.

    Twisted hands the resolver the Unicode form of an IDN while URLs carry the punycode form;
    both must find the same entry.
    """
    text = host.strip().lower().removeprefix("[").removesuffix("]").removesuffix(".")
    try:
        return text.encode("idna").decode("ascii")
    except UnicodeError:
        return text


def url_endpoint(url: str) -> tuple[str, int] | None:
    """``(host, port)`` a URL connects to (default port by scheme), or None without a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.hostname, port


class AddressPolicy:
    """Public addresses pass; others only when the user named them or allowed them all.

    Exceptions are endpoints (address and port), not whole machines: a start URL on
    ``10.0.0.5:8080`` lets the crawl fetch that service, not ``10.0.0.5:6379``. A start URL
    given by name is trusted for the addresses of its *first* resolution, so a later answer
    pointing the same name somewhere else (DNS rebinding) is still refused.
    """

    def __init__(self, *, allow_all: bool = False) -> None:
        self.allow_all = allow_all
        self._trusted: set[tuple[IPAddress, int]] = set()
        self._trusted_names: dict[tuple[str, int], bool] = {}  # value: first answer pinned
        self._refused: dict[str, Refusal] = {}

    def trust_url(self, url: str) -> None:
        """Allow the address(es) of a URL the user gave (a start URL, a configured proxy)."""
        endpoint = url_endpoint(url)
        if endpoint is not None:
            self.trust(*endpoint)

    def trust(self, host: str, port: int) -> None:
        ip = parse_ip_host(host)
        if ip is not None:
            self._trusted.add((ip, port))
        else:
            self._trusted_names.setdefault((name_key(host), port), False)

    def check(self, host: str, ip: IPAddress, port: int) -> Refusal | None:
        """The refusal for connecting to ``ip:port`` on behalf of ``host``, or None if allowed.

        Port 0 means "not known": Twisted's ``reactor.resolve`` (used to reach an HTTPS proxy
        given by name) does not pass one, so any trusted port of the address counts.
        """
        if self.allow_all or (ip, port) in self._trusted:
            return None
        if port == 0 and any(trusted == ip for trusted, _ in self._trusted):
            return None
        reason = refusal_reason(ip)
        return None if reason is None else Refusal(host, str(ip), reason)

    def filter_resolution(self, host: str, port: int, addresses: Iterable[str]) -> list[str]:
        """The resolved addresses of ``host`` that may be connected to; remembers a refusal.

        Called by the resolver on every resolution, so each connection is judged on the
        address it will really use, however the name resolved before.
        """
        parsed: list[tuple[str, IPAddress | None]] = []
        for address in addresses:
            try:
                parsed.append((address, ipaddress.ip_address(address)))
            except ValueError:
                parsed.append((address, None))
        name = name_key(host)
        keys = [(name, port)] if port else [k for k in self._trusted_names if k[0] == name]
        for key in keys:
            if self._trusted_names.get(key) is False:
                self._trusted_names[key] = True
                self._trusted.update((ip, key[1]) for _, ip in parsed if ip is not None)
        allowed: list[str] = []
        refusal: Refusal | None = None
        for address, ip in parsed:
            verdict = (
                Refusal(host, address, "unparsable") if ip is None else self.check(host, ip, port)
            )
            if verdict is None:
                allowed.append(address)
            elif refusal is None:
                refusal = verdict
        if allowed or refusal is None:
            self._refused.pop(name, None)
        else:
            self._refused[name] = refusal
        return allowed

    def refusal_for(self, host: str) -> Refusal | None:
        """The refusal recorded by the last resolution of ``host`` that allowed nothing."""
        return self._refused.get(name_key(host))
