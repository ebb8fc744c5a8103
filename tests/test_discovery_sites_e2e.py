"""End to end (issue 15): a site with no sitemap and no feed is read through its home page's
navigation; its sections, paginated in every style, are read to NEWS_SECTION_PAGES and no
further; an article split over two or three pages is written once, whole, under page 1's URL."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crawler.localsite.server import serve
from crawler.store.seedformat import parse_file_name
from tests.conftest import crawl_stats, manifest, run_crawl
from tests.discovery_site import PAGES, THREE_PAGES, TWO_PAGES, build

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

READ = 3  # NEWS_SECTION_PAGES


def test_a_site_without_sitemap_or_feed_every_pagination_style_and_split_articles(
    tmp_path: Path,
) -> None:
    site = build(tmp_path / "site")
    server, base = serve(tmp_path / "site")
    out = tmp_path / "out"
    try:
        result = run_crawl(
            "news", out, "-a", f"sites={base}/", "-s", f"NEWS_SECTION_PAGES={READ}",
            "-s", "NEWS_NAVIGATION_SECTIONS=30", "-s", "NEWS_EXTRACT_WORKERS=0",
        )  # fmt: skip
        requested = list(server.requests)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    records = manifest(out)
    written = sorted(str(r["url"]).removeprefix(base) for r in records)

    reached = [a for pages in site.articles.values() for page in pages[:READ] for a in page]
    assert written == sorted([*reached, TWO_PAGES, THREE_PAGES])
    for style, pages in site.pages.items():  # every style read to its limit, never past it
        assert all(p in requested for p in pages[:READ]), style
        assert pages[READ] not in requested, style
        assert not set(site.articles[style][READ]) & set(requested), style
    assert "/about.html" not in requested
    assert "/contact/" not in requested

    assert stats["news/discovery/fallback"] == 1
    assert stats["news/discovery/fallback_sections"] == len(site.sections)
    assert stats["news/discovery/articles/navigation"] == len(reached) + 2
    assert "news/discovery/articles/sitemap" not in stats
    assert stats["news/skipped/section_pages"] == len(site.sections)
    assert PAGES > READ

    # The split articles: written once, whole, under page 1's URL; page 2 never alone.
    assert stats["news/skipped/continuation"] == 1  # a section lists THREE_PAGES + "2/"
    assert stats["news/continuation/pages"] == 1 + 2
    assert stats["news/continuation/articles"] == 2
    for first, texts in site.split.items():
        (record,) = [r for r in records if str(r["url"]) == base + first]
        text = (out / str(record["file"])).read_text(encoding="utf-8")
        for paragraph in (p for page in texts for p in page):
            assert text.count(paragraph) == 1, (first, paragraph)
    assert requested.count(f"{TWO_PAGES}?page=2") == 1
    assert requested.count(f"{THREE_PAGES}3/") == 1
    assert len([p for p in out.iterdir() if parse_file_name(p.name)]) == len(records)


def test_the_navigation_and_the_pages_of_an_article_are_bounded(tmp_path: Path) -> None:
    site = build(tmp_path / "site")
    server, base = serve(tmp_path / "site")
    out = tmp_path / "out"
    try:
        result = run_crawl(
            "news", out, "-a", f"sites={base}/", "-s", "NEWS_SECTION_PAGES=1",
            "-s", "NEWS_NAVIGATION_SECTIONS=2", "-s", "NEWS_ARTICLE_PAGES=2",
            "-s", "NEWS_EXTRACT_WORKERS=0",
        )  # fmt: skip
        requested = list(server.requests)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(result.stderr)
    firsts = list(site.sections.values())
    assert [p for p in firsts if p in requested] == firsts[:2]  # the menu's first two
    assert stats["news/discovery/fallback_sections"] == 2
    assert f"{THREE_PAGES}2/" in requested
    assert f"{THREE_PAGES}3/" not in requested  # NEWS_ARTICLE_PAGES=2
    assert stats["news/skipped/article_pages"] == 1
    (record,) = [r for r in manifest(out) if str(r["url"]) == base + THREE_PAGES]
    text = (out / str(record["file"])).read_text(encoding="utf-8")
    pages = site.split[THREE_PAGES]
    assert all(p in text for p in pages[0] + pages[1])
    assert not any(p in text for p in pages[2])
