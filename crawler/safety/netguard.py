"""Pure address rules: which IP addresses a crawler fed by third parties may connect to.

Sitemaps, feeds, section pages and redirects are written by other people; without these rules
one of them could send the crawler to ``http://169.254.169.254/`` or ``http://127.0.0.1:6379/``
(issue 8). No Scrapy or Twisted import: the decisions are plain functions over addresses, used by
the resolver (``crawler.safety.resolver``) and the downloader middleware (``crawler.downloadermiddlewares.requestsafety``).
"""

from __future__ import annotations

import ipaddress
import re
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges named explicitly so the refusal reason is precise; everything else not globally
# reachable (documentation, benchmarking, IETF protocol ranges…) is "special-purpose".
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # RFC 6598 carrier-grade NAT
_PRIVATE = (
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("fc00::/7"),  # unique local addresses
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: a gateway connects to the low 32 bits
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local-use translation

# What resolvers accept as an IPv4 literal (inet_aton): 2130706434, 0x7f000002, 0177.0.0.1,
# 127.1. glibc's inet_aton also accepts trailing text after a space, so the characters are
# checked first.
_IPV4_LITERAL = re.compile(r"[0-9a-fx.]+")


def parse_ip_host(host: str) -> IPAddress | None:
    """The address a URL host denotes when it is an IP literal in any spelling, else None.

    IPv4 follows ``inet_aton`` (what ``gethostbyname`` does with a numeric name), so decimal,
    hex, octal and short forms are all recognised; IPv6 may carry brackets and a zone id. A
    trailing dot is ignored, which only makes the check stricter.
    """
    text = host.strip().lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    text = text.removesuffix(".")
    if not text:
        return None
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text)
        except ValueError:
            return None
    if not _IPV4_LITERAL.fullmatch(text):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except OSError:
        return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address an IPv6 address delivers to (mapped, NAT64, 6to4), with its kind."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, "IPv4-mapped"
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4"
    return None


def refusal_reason(ip: IPAddress) -> str | None:
    """Why a crawler must not connect to ``ip`` ("loopback", "private"…), or None if public.

    Only globally reachable unicast addresses pass. An IPv6 address that carries an IPv4
    address (IPv4-mapped, NAT64, 6to4) is judged by that IPv4 address too, since that is where
    the packets end up.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            inner, kind = embedded
            reason = refusal_reason(inner)
            if reason is not None:
                return f"{reason} ({kind})"
            if kind != "6to4":
                return None  # the IPv6 wrapper of a public IPv4 address is that address
        if ip in _NAT64_LOCAL:
            return "special-purpose"
        if ip.is_site_local:
            return "site-local"
    checks = (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip in _SHARED, "shared"),
        (any(ip in net for net in _PRIVATE), "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "special-purpose"),
    )
    return next((reason for failed, reason in checks if failed), None)


def is_public_address(ip: IPAddress) -> bool:
    """True when a crawler may connect to ``ip`` without an explicit exception."""
    return refusal_reason(ip) is None
