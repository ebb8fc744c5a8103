"""A DNS resolver that never hands Twisted a private address (``TWISTED_DNS_RESOLVER``).

Every outgoing HTTP connection in Scrapy's default download handler goes through
``HostnameEndpoint``, which asks ``reactor.nameResolver`` for addresses, also for IP literals
(``2130706434`` included). Filtering here judges the address actually connected to, on every
connection, so a name that resolved to a public address first and to ``127.0.0.1`` later
(DNS rebinding) is still refused, and so is every redirect target.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.request import getproxies

from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.reactor import is_reactor_installed
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer  # type: ignore[import-untyped]

from crawler.safety.addresspolicy import AddressPolicy

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.internet.base import ReactorBase
    from twisted.internet.interfaces import IAddress, IHostResolution

logger = logging.getLogger(__name__)

# zope interfaces (IResolutionReceiver, IHostnameResolver) cannot be called through under plain
# mypy (it needs the mypy-zope plugin), so the objects Twisted hands over are typed Any.
_Receiver = Any
_NameResolver = Any


@implementer(IResolutionReceiver)
class _FilteringReceiver:
    """Collects one resolution, then passes on only the addresses the policy allows."""

    def __init__(self, receiver: _Receiver, host: str, port: int, policy: AddressPolicy) -> None:
        self._receiver = receiver
        self._host = host
        self._port = port
        self._policy = policy
        self._addresses: list[IAddress] = []

    def resolutionBegan(self, resolutionInProgress: IHostResolution) -> None:
        self._receiver.resolutionBegan(resolutionInProgress)

    def addressResolved(self, address: IAddress) -> None:
        self._addresses.append(address)

    def resolutionComplete(self) -> None:
        ip_addresses = [a for a in self._addresses if isinstance(a, IPv4Address | IPv6Address)]
        allowed = set(
            self._policy.filter_resolution(self._host, self._port, [a.host for a in ip_addresses])
        )
        for address in ip_addresses:
            if address.host in allowed:
                self._receiver.addressResolved(address)
        self._receiver.resolutionComplete()


@implementer(IHostnameResolver)
class AddressFilteringResolver:
    """Wraps the reactor's name resolver; drops the addresses the policy refuses."""

    def __init__(self, inner: _NameResolver, policy: AddressPolicy) -> None:
        self.inner = inner
        self.policy = policy

    def resolveHostName(
        self,
        resolutionReceiver: _Receiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        receiver = _FilteringReceiver(resolutionReceiver, hostName, portNumber, self.policy)
        resolution: IHostResolution = self.inner.resolveHostName(
            receiver, hostName, portNumber, addressTypes, transportSemantics
        )
        return resolution


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's default resolver (threaded, cached, ``DNS_TIMEOUT``) behind the address policy.

    Built once per process from the process settings; ``NEWS_ALLOW_PRIVATE_ADDRESSES`` turns the
    filter off. Proxies configured in the environment (as ``HttpProxyMiddleware`` reads them)
    are the user's choice, so their addresses are trusted.
    """

    def __init__(
        self, reactor: ReactorBase, cache_size: int, timeout: float, policy: AddressPolicy
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> Self:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        policy = AddressPolicy(allow_all=settings.getbool("NEWS_ALLOW_PRIVATE_ADDRESSES"))
        if settings.getbool("HTTPPROXY_ENABLED"):
            for scheme, proxy in getproxies().items():
                if scheme in {"http", "https"}:
                    policy.trust_url(proxy if "://" in proxy else f"http://{proxy}")
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), policy)

    def install_on_reactor(self) -> None:
        reactor: Any = self.reactor
        reactor.installResolver(self)
        reactor.installNameResolver(AddressFilteringResolver(reactor.nameResolver, self.policy))


def installed_policy() -> AddressPolicy | None:
    """The policy of the guarded resolver on the running reactor, or None if there is none."""
    if not is_reactor_installed():
        return None
    from twisted.internet import reactor  # noqa: PLC0415  (importing installs a default reactor)

    resolver: Any = getattr(reactor, "nameResolver", None)
    return resolver.policy if isinstance(resolver, AddressFilteringResolver) else None
