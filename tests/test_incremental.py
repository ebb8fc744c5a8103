"""The incremental middlewares against a real state file: what a later run skips (issue 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

import crawler.settings as project_settings
from crawler.downloadermiddlewares.incremental import (
    INDEX_FLAG,
    DocumentCacheMiddleware,
    DocumentUnchanged,
    KnownUrlMiddleware,
    KnownUrlSkipped,
)
from crawler.store.output import OutputLockedError
from crawler.store.resources import ResourcesExtension, crawl_resources
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy.crawler import Crawler

ARTICLE = "https://news.example/en/news/2025/11/some-story.html"
SITEMAP = "https://news.example/sitemaps/articles-1.xml"


def make_crawler(tmp_path: Path) -> Crawler:
    settings = {k: v for k, v in vars(project_settings).items() if k.isupper()}
    settings.update({"NEWS_OUTPUT_DIR": str(tmp_path / "out"), "NEWS_EXTRACT_WORKERS": 0})
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return crawler


def close(crawler: Crawler, reason: str = "finished") -> None:
    """End the crawl as the engine does: spider_closed with its finish reason."""
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason=reason)


def article(url: str = ARTICLE, **meta: Any) -> Request:
    return Request(url, meta={"news_article": True, **meta})


def document(url: str = SITEMAP, **meta: Any) -> Request:
    return Request(url, meta={"news_discovery": "sitemap", **meta})


def test_written_and_judged_urls_are_not_fetched_again(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    state = crawl_resources(crawler).state
    state.record_article([canonical_url(ARTICLE)], "sha", None, "000_0000000000000000.txt")
    state.mark_not_article(canonical_url("https://news.example/world/"))
    state.mark_duplicate(canonical_url("https://news.example/copy-of-story"), "000_x.txt")
    middleware = build_from_crawler(KnownUrlMiddleware, crawler)
    for url in (
        ARTICLE + "?utm_source=rss#top",
        "https://news.example/world/",
        "https://news.example/copy-of-story",
    ):
        with pytest.raises(KnownUrlSkipped):
            middleware.process_request(article(url))
    assert crawler.stats.get_value("news/skipped/known") == 3
    middleware.process_request(document(ARTICLE))  # passes; discovery is always read
    close(crawler)


def test_one_fetch_per_url_per_run_but_retries_pass(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    middleware = build_from_crawler(KnownUrlMiddleware, crawler)
    middleware.process_request(article())  # passes
    with pytest.raises(KnownUrlSkipped):
        middleware.process_request(article(ARTICLE + "?utm_medium=feed"))
    middleware.process_request(article(retry_times=1))  # passes
    assert crawler.stats.get_value("news/skipped/duplicate") == 1
    close(crawler)


def test_a_redirected_url_is_known_by_its_target(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    middleware = build_from_crawler(KnownUrlMiddleware, crawler)
    old = "http://news.example/s/abc123"
    request = article(ARTICLE, redirect_urls=[old])
    middleware.process_response(request, Response(ARTICLE, request=request))
    assert crawler.stats.get_value("news/fetched") == 1
    state = crawl_resources(crawler).state
    assert state.redirect_target(canonical_url(old)) == canonical_url(ARTICLE)
    state.record_article([canonical_url(ARTICLE)], "sha", None, "000_0000000000000000.txt")
    with pytest.raises(KnownUrlSkipped):
        middleware.process_request(article(old))
    close(crawler)


def served(request: Request, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return TextResponse(
        request.url, status=status, headers=headers or {}, body=b"<urlset/>", request=request
    )


def test_validators_are_sent_back_after_a_finished_run(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, crawler)
    request = document()
    cache.process_request(request)  # passes
    assert b"If-None-Match" not in request.headers
    stamp = "Sat, 22 Nov 2025 10:00:00 GMT"
    cache.process_response(request, served(request, 200, {"ETag": '"v1"', "Last-Modified": stamp}))
    close(crawler)

    again = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, again)
    request = document()
    cache.process_request(request)
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.headers[b"If-Modified-Since"] == stamp.encode()
    cache.process_response(request, served(request, 304))  # 304: validators carried over
    close(again)
    record = crawl_resources(make_crawler(tmp_path)).state.document(SITEMAP)
    assert record is not None
    assert record.etag == '"v1"'


@pytest.mark.parametrize("reason", ["shutdown", "closespider_itemcount", "cancelled"])
def test_an_unfinished_run_saves_no_validators(tmp_path: Path, reason: str) -> None:
    crawler = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, crawler)
    request = document()
    cache.process_response(request, served(request, 200, {"ETag": '"v1"'}))
    close(crawler, reason)
    assert crawl_resources(make_crawler(tmp_path)).state.document(SITEMAP) is None


def test_indexes_and_documents_with_failed_articles_are_read_in_full_next_time(
    tmp_path: Path,
) -> None:
    crawler = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, crawler)
    index = document("https://news.example/sitemap_index.xml")
    cache.process_response(index, served(index, 200, {"ETag": '"i"'}))
    index.meta[INDEX_FLAG] = True  # what the spider does once it sees <sitemapindex>
    leaf = document()
    cache.process_response(leaf, served(leaf, 200, {"ETag": '"l"'}))
    failing = article(news_from=SITEMAP)
    cache.process_response(failing, served(failing, 503))
    feed = document("https://news.example/feed.xml")
    cache.process_response(feed, served(feed, 200, {"ETag": '"f"'}))
    gone = article("https://news.example/other-story-1", news_from="https://news.example/feed.xml")
    cache.process_response(gone, served(gone, 404))  # not transient: the feed is complete
    close(crawler)
    state = crawl_resources(make_crawler(tmp_path)).state
    assert state.document("https://news.example/sitemap_index.xml") is None
    assert state.document(SITEMAP) is None
    assert state.document("https://news.example/feed.xml") is not None


def test_a_child_sitemap_with_the_same_lastmod_is_skipped(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, crawler)
    request = document(sitemap_lastmod="2025-11-20")
    cache.process_response(request, served(request))
    close(crawler)
    again = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, again)
    with pytest.raises(DocumentUnchanged):
        cache.process_request(document(sitemap_lastmod="2025-11-20"))
    cache.process_request(document(sitemap_lastmod="2025-11-22"))  # passes
    assert again.stats.get_value("news/discovery/unchanged") == 1
    close(again)


def test_the_resources_extension_takes_the_folder_lock(tmp_path: Path) -> None:
    first = make_crawler(tmp_path)
    first.spider = Spider("news")  # a crawler about to crawl
    build_from_crawler(ResourcesExtension, first)
    second = make_crawler(tmp_path)
    with pytest.raises(NotConfigured):  # no spider: e.g. a test building one pipeline
        build_from_crawler(ResourcesExtension, second)
    second.spider = Spider("news")
    with pytest.raises(OutputLockedError, match="in use by another crawl"):
        build_from_crawler(ResourcesExtension, second)
    close(first)
    build_from_crawler(ResourcesExtension, second)  # free again
    close(second)
