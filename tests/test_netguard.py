"""The address classifier as a pure function: every range, every spelling; no request is made."""

from __future__ import annotations

import ipaddress

import pytest

from crawler.safety.netguard import is_public_address, parse_ip_host, refusal_reason

# (address, reason): the first and last address of each range, and the embeddings.
REFUSED = [
    ("10.0.0.0", "private"),
    ("10.255.255.255", "private"),
    ("172.16.0.0", "private"),
    ("172.31.255.255", "private"),
    ("192.168.0.1", "private"),
    ("192.168.255.255", "private"),
    ("169.254.0.1", "link-local"),
    ("169.254.169.254", "link-local"),  # cloud metadata service
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "special-purpose"),  # "this network"
    ("100.64.0.0", "shared"),
    ("100.127.255.255", "shared"),
    ("224.0.0.1", "multicast"),
    ("224.0.1.1", "multicast"),  # globally scoped multicast is still no web server
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("192.0.2.1", "special-purpose"),  # documentation
    ("198.18.0.1", "special-purpose"),  # benchmarking
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fc00::", "private"),
    ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "private"),
    ("fe80::", "link-local"),
    ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("ff0e::1", "multicast"),
    ("2001:db8::1", "special-purpose"),
    ("2001::1", "special-purpose"),  # Teredo
    ("::7f00:1", "reserved"),  # deprecated IPv4-compatible form
    ("::ffff:127.0.0.1", "loopback (IPv4-mapped)"),
    ("::ffff:10.1.2.3", "private (IPv4-mapped)"),
    ("::ffff:169.254.169.254", "link-local (IPv4-mapped)"),
    ("::ffff:0.0.0.0", "unspecified (IPv4-mapped)"),
    ("64:ff9b::7f00:1", "loopback (NAT64)"),
    ("64:ff9b::a9fe:a9fe", "link-local (NAT64)"),
    ("64:ff9b:1::1", "special-purpose"),  # local-use NAT64 prefix
    ("2002:7f00:1::", "loopback (6to4)"),
    ("2002:a00:1::1", "private (6to4)"),
]

PUBLIC = [
    "8.8.8.8",
    "93.184.216.34",
    "1.1.1.1",
    "9.255.255.255",  # just below 10/8
    "11.0.0.0",  # just above 10/8
    "172.15.255.255",
    "172.32.0.0",
    "192.167.255.255",
    "192.169.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "169.253.255.255",
    "169.255.0.0",
    "223.255.255.255",  # last unicast address below multicast
    "2001:4860:4860::8888",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_non_public_addresses_are_refused_with_their_reason(address: str, reason: str) -> None:
    ip = ipaddress.ip_address(address)
    assert refusal_reason(ip) == reason
    assert not is_public_address(ip)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


SPELLINGS = [
    ("127.0.0.2", "127.0.0.2"),
    ("2130706434", "127.0.0.2"),  # one decimal number
    ("0x7f000002", "127.0.0.2"),  # one hex number
    ("0X7F000002", "127.0.0.2"),
    ("017700000002", "127.0.0.2"),  # one octal number
    ("0177.0.0.2", "127.0.0.2"),  # octal part
    ("0x7f.0.0.2", "127.0.0.2"),  # hex part
    ("127.2", "127.0.0.2"),  # a.b: b fills the last 24 bits
    ("127.0.2", "127.0.0.2"),  # a.b.c: c fills the last 16 bits
    ("0", "0.0.0.0"),
    ("127.0.0.2.", "127.0.0.2"),  # trailing dot: still refused
    ("[::1]", "::1"),
    ("[::ffff:127.0.0.2]", "::ffff:7f00:2"),
    ("::ffff:7f00:2", "::ffff:7f00:2"),
    ("[fe80::1%eth0]", "fe80::1%eth0"),
    ("169.254.169.254", "169.254.169.254"),
]


@pytest.mark.parametrize(("host", "address"), SPELLINGS)
def test_ip_literals_are_read_as_resolvers_read_them(host: str, address: str) -> None:
    assert parse_ip_host(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    "host",
    [
        "example.com",
        "localhost",
        "cafe",  # hex digits only, but not a number inet_aton takes
        "",
        "256.0.0.1",  # out of range: a resolver rejects it too
        "08.0.0.1",  # 08 is not octal
        "127.0.0.1 x",  # glibc inet_aton would take the prefix; a URL host cannot
        "1.2.3.4.5",
        "[not-an-address]",
        "::g",
    ],
)
def test_names_and_malformed_hosts_are_not_literals(host: str) -> None:
    assert parse_ip_host(host) is None


@pytest.mark.parametrize("host", ["2130706434", "0x7f000002", "0177.0.0.1", "127.1", "[::1]"])
def test_every_loopback_spelling_is_refused(host: str) -> None:
    ip = parse_ip_host(host)
    assert ip is not None
    assert refusal_reason(ip) == "loopback"
