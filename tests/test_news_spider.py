"""The ``news`` spider offline: fixture responses in, requests out (issue 3)."""

from __future__ import annotations

import asyncio
import gzip
from typing import TYPE_CHECKING, Any

import pytest
from scrapy.crawler import AsyncCrawlerRunner, CrawlerRunner
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_reactor_settings

import crawler.settings as project_settings
from crawler import meta
from crawler.discovery.plan import ArgumentError
from crawler.downloadermiddlewares.incremental import SITEMAP_INDEX
from spiders.news import NewsSpider
from tests import FIXTURES

if TYPE_CHECKING:
    from pathlib import Path

BASE = "https://news.example"


def site_file(path: str) -> bytes:
    data = (FIXTURES / "site" / path).read_bytes()
    if path.endswith(".gz"):
        return gzip.compress(gzip.decompress(data).replace(b"{base_url}", BASE.encode()))
    return data.replace(b"{base_url}", BASE.encode())


def make_spider(tmp_path: Path, settings: dict[str, Any] | None = None, **args: str) -> NewsSpider:
    return spider_with(tmp_path, args, settings)


def spider_with(
    tmp_path: Path, args: dict[str, str], settings: dict[str, Any] | None = None
) -> NewsSpider:
    """The spider as ``scrapy crawl`` builds it: settings still open while it is created."""
    values = {k: v for k, v in vars(project_settings).items() if k.isupper()}
    values.update({"NEWS_OUTPUT_DIR": str(tmp_path / "out"), **(settings or {})})
    values.update({"TELNETCONSOLE_ENABLED": False, **get_reactor_settings()})
    runner = CrawlerRunner(values) if is_reactor_installed() else AsyncCrawlerRunner(values)
    crawler = runner.create_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, **args)
    crawler._apply_settings()  # before the spider is set: the article store stays closed
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def start_requests(spider: NewsSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [r async for r in spider.start()]

    return asyncio.run(collect())


def follow(spider: NewsSpider, request: Request, path: str, status: int = 200) -> list[Request]:
    body = site_file(path)
    kind: type[TextResponse] = XmlResponse if path.endswith((".xml", ".gz")) else HtmlResponse
    if path.endswith(".txt"):
        kind = TextResponse
    response = kind(request.url, body=body, request=request, status=status)
    return [r for r in request.callback(response) if r is not None]  # type: ignore[misc]


def paths(requests: list[Request]) -> list[str]:
    return [r.url.removeprefix(BASE) for r in requests]


def test_start_requests_combine_every_kind_of_argument(tmp_path: Path) -> None:
    spider = make_spider(
        tmp_path,
        urls=f"{BASE}/a/one-two-three",
        sitemaps=f"{BASE}/sitemap_index.xml",
        feeds=f"{BASE}/feeds/rss.xml",
        sections=f"{BASE}/ar/world/",
        sites=f"{BASE}/",
    )
    requests = start_requests(spider)
    assert paths(requests) == [
        "/a/one-two-three",
        "/sitemap_index.xml",
        "/feeds/rss.xml",
        "/ar/world/",
        "/robots.txt",
        "/",
    ]
    assert requests[0].meta[meta.ARTICLE] is True
    assert requests[0].meta["discovered_via"] == "urls"
    assert [r.meta.get(meta.DISCOVERY) for r in requests[1:]] == [
        "sitemap",
        "feed",
        "section",
        "robots",
        "home",
    ]
    assert all(r.dont_filter for r in requests)


def test_sitemap_index_then_gzip_child_then_articles(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, sitemaps=f"{BASE}/sitemap_index.xml")
    (index,) = start_requests(spider)
    indexes: list[str] = []
    spider.crawler.signals.connect(
        lambda url, **kwargs: indexes.append(url), signal=SITEMAP_INDEX, weak=False
    )
    children = follow(spider, index, "sitemap_index.xml")
    assert indexes == [index.url]  # told the document cache: never skip an index
    assert [r.meta["sitemap_lastmod"] for r in children] == [
        "2025-11-20",
        "2025-11-17",
        "2025-11-21T22:10:00+03:00",
    ]
    articles = follow(spider, children[1], "sitemaps/articles-2.xml.gz")
    assert len(articles) == 4
    assert {r.meta["discovered_via"] for r in articles} == {"sitemap"}
    assert {r.meta[meta.FOUND_IN] for r in articles} == {children[1].url}
    news = follow(spider, children[2], "sitemaps/news.xml")
    assert news[0].meta["published_hint"] == "2025-11-21T19:10:00+00:00"


def test_since_drops_old_sitemap_entries_and_children(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, sitemaps=f"{BASE}/sitemap_index.xml", since="2025-11-18")
    (index,) = start_requests(spider)
    children = follow(spider, index, "sitemap_index.xml")
    assert paths(children) == ["/sitemaps/articles-1.xml", "/sitemaps/news.xml"]
    articles = follow(spider, children[0], "sitemaps/articles-1.xml")
    assert not [u for u in paths(articles) if "/2019/" in u]
    assert spider.crawler.stats.get_value("news/skipped/too_old") == 1  # the 2019 article
    assert spider.crawler.stats.get_value("news/discovery/too_old") == 1
    assert spider.crawler.settings.get("NEWS_SINCE") == "2025-11-18"


def test_feeds_give_article_requests_with_dates(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, feeds=f"{BASE}/feeds/atom.xml")
    (feed,) = start_requests(spider)
    articles = follow(spider, feed, "feeds/atom.xml")
    assert len(articles) == 3
    assert articles[0].meta["published_hint"] == "2025-11-22T11:20:00+00:00"
    assert articles[0].meta["discovered_via"] == "feed"


def test_sections_follow_pagination_up_to_the_setting(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, {"NEWS_SECTION_PAGES": 2}, sections=f"{BASE}/ar/world/")
    (first,) = start_requests(spider)
    out = follow(spider, first, "ar/world/index.html")
    pages = [r for r in out if r.meta.get(meta.DISCOVERY) == "section"]
    assert paths(pages) == ["/ar/world/page/2/"]
    assert pages[0].meta["section_page"] == 2
    second = follow(spider, pages[0], "ar/world/page/2/index.html")
    assert [r for r in second if r.meta.get(meta.DISCOVERY)] == []  # page 3 is beyond 2
    assert len(second) == 2


def test_robots_without_sitemap_lines_falls_back_to_usual_paths(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, sites=f"{BASE}/")
    robots = start_requests(spider)[0]
    response = TextResponse(robots.url, body=b"User-agent: *\nDisallow:\n", request=robots)
    fallbacks = list(robots.callback(response))  # type: ignore[misc]
    assert paths(fallbacks) == ["/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml"]
    assert all(r.meta[meta.PROBE] for r in fallbacks)
    missing = TextResponse(robots.url, status=404, body=b"", request=robots)
    again = [r for r in robots.callback(missing) if r is not None]  # type: ignore[misc]
    assert again == []  # each document once per run


def test_home_page_feeds(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, sites=f"{BASE}/")
    home = start_requests(spider)[1]
    assert paths(follow(spider, home, "index.html")) == ["/feeds/rss.xml", "/feeds/atom.xml"]


def test_sources_file_allow_deny_and_source_name(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[source]]\nname = "Herald"\nfeeds = ["{BASE}/feeds/rss.xml"]\ndeny = ["/ar/"]\n',
        encoding="utf-8",
    )
    spider = make_spider(tmp_path, sources=str(path))
    (feed,) = start_requests(spider)
    articles = follow(spider, feed, "feeds/rss.xml")
    assert paths(articles) == ["/en/news/2025/11/national-team-reaches-championship-final.html"]
    assert articles[0].meta["source_name"] == "Herald"
    assert spider.crawler.stats.get_value("news/skipped/filtered") == 3


def test_limit_sets_the_item_count_close(tmp_path: Path) -> None:
    spider = make_spider(tmp_path, urls=f"{BASE}/a/one-two-three", limit="7")
    assert spider.crawler.settings.getint("NEWS_MAX_ARTICLES") == 7
    assert spider.crawler.settings.getint("CLOSESPIDER_ITEMCOUNT") == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({}, "nothing to crawl"),
        ({"url": f"{BASE}/x"}, "unknown spider argument -a url="),
        ({"feeds": "feeds.example/rss"}, r"not an http\(s\) URL"),
        ({"urls": f"{BASE}/x", "since": "yesterday"}, "YYYY-MM-DD"),
    ],
)
def test_bad_arguments(tmp_path: Path, args: dict[str, str], message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        spider_with(tmp_path, args)
