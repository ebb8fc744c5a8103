"""Real crawls against loopback servers: discovered private addresses are never reached.

Traffic stays on 127.0.0.0/8: the user's site on 127.0.0.1, an "internal" service on 127.0.0.2
(reached by IP literals in several spellings) and another on 127.0.0.1 (another port, reached
by the name ``localhost``, so the resolver path is exercised, not only the literal check).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from crawler.localsite.server import SiteServer, serve
from tests.conftest import crawl_stats, manifest, run_crawl

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

REFUSED_LINE = re.compile(r"WARNING: refused \S+: (\S+) is not public")

PARAGRAPHS = (
    (
        "The council met on Tuesday evening to discuss the new budget for the city libraries, "
        "and members agreed that opening hours should be extended during the examination season."
    ),
    (
        "Students had asked for a quiet place to work late into the night, a request the head "
        "librarian supported in a letter read aloud at the start of the meeting."
    ),
    (
        "The extra hours will be paid for by closing two small branches on Sunday mornings, when "
        "visitor numbers have been lowest for several years, according to the figures presented."
    ),
)


ADMIN_PARAGRAPHS = (
    (
        "Backups of the staff database run every night at two and are kept for thirty days on the "
        "storage server in the basement, next to the old telephone exchange."
    ),
    (
        "Passwords for the printers were reset last week; ask the help desk for the new ones and "
        "do not write them on the machines, as happened on the third floor."
    ),
    (
        "The console lists every service on the internal network with its port, its owner and the "
        "date of its last security review, most of which are overdue."
    ),
)


def article_html(title: str, marker: str, paragraphs: tuple[str, ...] = PARAGRAPHS) -> str:
    body = "".join(f"<p>{marker}: {text}</p>" for text in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    )


@dataclass
class Network:
    site: SiteServer
    site_base: str
    root: Path
    inner: SiteServer
    named: SiteServer

    def targets(self) -> dict[str, str]:
        """Internal URLs a third party might hand the crawler, by the way they are spelled."""
        inner, named = self.inner.server_address[1], self.named.server_address[1]
        return {
            "decimal": f"http://2130706434:{inner}/secret.html?via=decimal",
            "hex": f"http://0x7f000002:{inner}/secret.html?via=hex",
            "octal": f"http://0177.0.0.2:{inner}/secret.html?via=octal",
            "short": f"http://127.2:{inner}/secret.html?via=short",
            "dotted": f"http://127.0.0.2:{inner}/secret.html?via=dotted",
            "dotted-again": f"http://127.0.0.2:{inner}/secret.html?via=dotted-again",
            "name": f"http://localhost:{named}/secret.html?via=name",
        }

    def redirect_start_urls(self) -> list[str]:
        """Start pages on the user's site that redirect to each target (302, or meta refresh)."""
        urls = []
        for name, target in self.targets().items():
            if name == "short":
                refresh = f'<html><head><meta http-equiv="refresh" content="0; url={target}">'
                (self.root / "refresh.html").write_text(refresh + "</head></html>", "utf-8")
                urls.append(f"{self.site_base}/refresh.html")
            else:
                self.site.redirects[f"/go/{name}"] = target
                urls.append(f"{self.site_base}/go/{name}")
        return urls

    def sitemap_url(self) -> str:
        """A sitemap on the user's site listing every target (for ``-a sitemaps=``)."""
        entries = "".join(f"<url><loc>{url}</loc></url>" for url in self.targets().values())
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        )
        (self.root / "sitemap.xml").write_text(xml, encoding="utf-8")
        return f"{self.site_base}/sitemap.xml"


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    servers: list[SiteServer] = []
    roots = {name: tmp_path / name for name in ("site", "inner", "named")}
    for name, root in roots.items():
        root.mkdir()
        marker = "PUBLIC" if name == "site" else "INTERNAL"
        (root / "article.html").write_text(article_html("Library hours", marker), "utf-8")
        secret = article_html("Admin console", marker, ADMIN_PARAGRAPHS)
        (root / "secret.html").write_text(secret, "utf-8")
    try:
        site, base = serve(roots["site"])
        servers.append(site)
        inner, _ = serve(roots["inner"], host="127.0.0.2")
        servers.append(inner)
        named, _ = serve(roots["named"])
        servers.append(named)
        yield Network(site, base, roots["site"], inner, named)
    except OSError as exc:  # only 127.0.0.1 exists on some systems (macOS)
        pytest.skip(f"cannot listen on 127.0.0.2: {exc}")
    finally:
        for server in servers:
            server.close()


MODES = [
    pytest.param("redirects", id="redirects"),
    pytest.param(
        "sitemap",
        id="sitemap",
    ),
]


def start_arguments(network: Network, mode: str) -> list[str]:
    """The start arguments of a crawl that discovers every target; the trusted article first."""
    article = f"{network.site_base}/article.html"
    if mode == "sitemap":
        return ["-a", f"urls={article}", "-a", f"sitemaps={network.sitemap_url()}"]
    return ["-a", "urls=" + ",".join([article, *network.redirect_start_urls()])]


@pytest.mark.parametrize("mode", MODES)
def test_discovered_private_addresses_are_refused(network: Network, tmp_path: Path, mode: str):
    out = tmp_path / "out"
    result = run_crawl("news", out, *start_arguments(network, mode))
    assert result.returncode == 0, result.stderr[-3000:]
    assert network.inner.requests == []
    assert network.named.requests == []
    stats = crawl_stats(result.stderr)
    assert stats.get("news/refused/private_address") == len(network.targets())
    assert "retry/count" not in stats  # a refusal is not a DNS failure to retry
    assert not any(key.startswith("news/errors/fetch") for key in stats)
    refused_hosts = REFUSED_LINE.findall(result.stderr)
    hosts = {"2130706434", "0x7f000002", "0177.0.0.2", "127.2", "127.0.0.2", "localhost"}
    assert sorted(refused_hosts) == sorted(hosts)  # each logged once
    assert [record["url"] for record in manifest(out)] == [f"{network.site_base}/article.html"]
    assert "INTERNAL" not in "".join(p.read_text("utf-8") for p in out.glob("*.txt"))


@pytest.mark.parametrize("mode", MODES)
def test_allowing_private_addresses_reaches_them(network: Network, tmp_path: Path, mode: str):
    out = tmp_path / "out"
    args = start_arguments(network, mode)
    result = run_crawl("news", out, *args, "-s", "NEWS_ALLOW_PRIVATE_ADDRESSES=True")
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    assert "news/refused/private_address" not in stats
    reached = {path for path in network.inner.requests if path != "/robots.txt"}
    assert reached == {
        "/secret.html?via=decimal",
        "/secret.html?via=hex",
        "/secret.html?via=octal",
        "/secret.html?via=short",
        "/secret.html?via=dotted",
        "/secret.html?via=dotted-again",
    }
    assert "/secret.html?via=name" in network.named.requests
    assert "INTERNAL" in "".join(p.read_text("utf-8") for p in (tmp_path / "out").glob("*.txt"))


def test_credentials_in_urls_reach_neither_logs_nor_output(network: Network, tmp_path: Path):
    base = network.site_base
    network.site.redirects["/go/creds"] = (
        base.replace("http://", "http://editor:s3cret-redirect@") + "/secret.html?via=creds"
    )
    start = [
        base.replace("http://", "http://reader:s3cret-start@") + "/article.html",
        f"{base}/go/creds",
    ]
    out = tmp_path / "out"
    items = tmp_path / "items.jsonl"
    result = run_crawl(
        "news", out, "-a", "urls=" + ",".join(start), "-O", str(items), "-s", "LOG_LEVEL=DEBUG"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Redirecting (302)" in result.stderr  # the debug lines that used to carry them
    written = [result.stderr.encode(), result.stdout.encode(), items.read_bytes()]
    written += [path.read_bytes() for path in out.iterdir() if path.is_file()]  # state too
    leaks = [line for data in written for line in data.splitlines() if b"s3cret" in line]
    assert not leaks, leaks[:3]
    assert {record["url"] for record in manifest(out)} == {
        f"{base}/article.html",
        f"{base}/secret.html?via=creds",
    }

    def basic(user: str, password: str) -> str:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    # still sent, as an Authorization header to that host only
    assert network.site.authorizations["/article.html"] == basic("reader", "s3cret-start")
    assert network.site.authorizations["/secret.html?via=creds"] == basic(
        "editor", "s3cret-redirect"
    )


def test_without_the_guarded_resolver_nothing_is_fetched(network: Network, tmp_path: Path):
    result = run_crawl(
        "news",
        tmp_path / "out",
        "-a",
        f"urls={network.site_base}/article.html",
        "-s",
        "TWISTED_DNS_RESOLVER=scrapy.resolver.CachingThreadedResolver",
    )
    assert result.returncode == 1, result.stderr[-3000:]  # no source reachable: cron hears it
    assert network.site.requests == []
    assert "the address guard is not installed" in result.stderr


def test_the_resolver_alone_refuses_every_spelling(network: Network, tmp_path: Path):
    """Without the literal pre-check (and so without start-URL exceptions), Twisted still asks
    the guarded resolver for every host, IP literals included: nothing reaches the servers."""
    targets = network.targets()
    result = run_crawl(
        "news",
        tmp_path / "out",
        "-a",
        "urls=" + ",".join(targets.values()),
        "-s",
        'DOWNLOADER_MIDDLEWARES={"crawler.downloadermiddlewares.requestsafety.ResolverRefusalMiddleware": 560}',
    )
    assert result.returncode == 1, result.stderr[-3000:]  # every start URL refused
    assert "crawler.downloadermiddlewares.requestsafety.AddressGuardMiddleware" not in result.stderr
    assert network.inner.requests == []
    assert network.named.requests == []
    stats = crawl_stats(result.stderr)
    assert stats.get("news/refused/private_address") == len(targets)  # robots.txt not counted
    assert "retry/count" not in stats
