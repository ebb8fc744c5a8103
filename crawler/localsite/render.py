"""The bundled mock news site (``fixtures/site``), rendered and served on a loopback port.

``scrapy demo`` crawls it so a newcomer sees the whole job work offline; the tests serve the
same site the same way (``crawler.localsite.server``). Its sitemaps, feeds and robots.txt need absolute URLs, so the fixture
files hold ``{base_url}`` templates, filled in once the port is known.
"""

from __future__ import annotations

import gzip
from pathlib import Path

DEMO_SITE = Path(__file__).resolve().parents[2] / "fixtures" / "site"
"""The mock news site: sitemap index (plain, gzip, Google News), feeds, sections, 21 articles."""

_TEMPLATE_SUFFIXES = {".xml", ".txt", ".html", ".rss", ".atom", ".toml", ".json"}


def render_site(source: Path, target: Path, base_url: str) -> None:
    """Copy a fixture site, filling ``{base_url}`` in text files (sitemaps need absolute URLs).

    ``.gz`` files whose inner name is a text file (``sitemap.xml.gz``) are stored gzipped in
    the fixtures and rendered inside: decompressed, filled in, compressed again.
    """
    for path in source.rglob("*"):
        dest = target / path.relative_to(source)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if path.suffix in _TEMPLATE_SUFFIXES:
            data = data.replace(b"{base_url}", base_url.encode())
        elif path.suffix == ".gz" and Path(path.stem).suffix in _TEMPLATE_SUFFIXES:
            inner = gzip.decompress(data).replace(b"{base_url}", base_url.encode())
            data = gzip.compress(inner, mtime=0)
        dest.write_bytes(data)
