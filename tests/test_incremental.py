"""The incremental middlewares against a real state file: what a later run skips (issue 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from scrapy import Spider, signals
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

import crawler.settings as project_settings
from crawler import meta
from crawler.downloadermiddlewares.incremental import (
    SITEMAP_INDEX,
    DocumentCacheMiddleware,
    DocumentUnchanged,
    KnownUrlMiddleware,
    KnownUrlSkipped,
)
from crawler.store.articles import ArticleStore, article_store
from crawler.store.output import OutputLockedError
from crawler.store.state import DocumentRecord
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


def stored_documents(tmp_path: Path, *urls: str) -> list[DocumentRecord | None]:
    """What the next run's state remembers of these documents."""
    crawler = make_crawler(tmp_path)
    try:
        return [article_store(crawler).state.document(url) for url in urls]
    finally:
        close(crawler)


def article(url: str = ARTICLE, **extra: Any) -> Request:
    return Request(url, meta={meta.ARTICLE: True, **extra})


def document(url: str = SITEMAP, **extra: Any) -> Request:
    return Request(url, meta={meta.DISCOVERY: "sitemap", **extra})


def test_written_and_judged_urls_are_not_fetched_again(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    state = article_store(crawler).state
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
    state = article_store(crawler).state
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
    record = stored_documents(tmp_path, SITEMAP)[0]
    assert record is not None
    assert record.etag == '"v1"'


@pytest.mark.parametrize("reason", ["shutdown", "closespider_itemcount", "cancelled"])
def test_an_unfinished_run_saves_no_validators(tmp_path: Path, reason: str) -> None:
    crawler = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, crawler)
    request = document()
    cache.process_response(request, served(request, 200, {"ETag": '"v1"'}))
    close(crawler, reason)
    assert stored_documents(tmp_path, SITEMAP) == [None]


def test_indexes_and_documents_with_failed_articles_are_read_in_full_next_time(
    tmp_path: Path,
) -> None:
    crawler = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, crawler)
    index = document("https://news.example/sitemap_index.xml")
    cache.process_response(index, served(index, 200, {"ETag": '"i"'}))
    crawler.signals.send_catch_log(SITEMAP_INDEX, url=index.url)  # the spider, on <sitemapindex>
    leaf = document()
    cache.process_response(leaf, served(leaf, 200, {"ETag": '"l"'}))
    failing = article(**{meta.FOUND_IN: SITEMAP})
    cache.process_response(failing, served(failing, 503))
    feed = document("https://news.example/feed.xml")
    cache.process_response(feed, served(feed, 200, {"ETag": '"f"'}))
    gone = article(
        "https://news.example/other-story-1", **{meta.FOUND_IN: "https://news.example/feed.xml"}
    )
    cache.process_response(gone, served(gone, 404))  # not transient: the feed is complete
    close(crawler)
    assert stored_documents(
        tmp_path, "https://news.example/sitemap_index.xml", SITEMAP, "https://news.example/feed.xml"
    ) == [None, None, DocumentRecord("https://news.example/feed.xml", '"f"')]


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


def test_the_article_store_takes_the_folder_lock(tmp_path: Path) -> None:
    first = make_crawler(tmp_path)
    first.spider = Spider("news")  # a crawler about to crawl
    held = build_from_crawler(ArticleStore, first)  # as its extension manager holds it
    second = make_crawler(tmp_path)  # no spider: e.g. a test building one pipeline
    lazy = article_store(second)  # built with the extensions, not opened yet
    second.spider = Spider("news")
    with pytest.raises(OutputLockedError, match="in use by another crawl"):
        build_from_crawler(ArticleStore, second)
    with pytest.raises(OutputLockedError):
        lazy.open()
    close(first)
    assert held.output._lock is None
    build_from_crawler(ArticleStore, second).close()  # free again
    close(second)


def test_a_document_is_saved_only_when_every_article_it_led_to_is_settled(
    tmp_path: Path,
) -> None:
    """Issue 17: a sitemap whose articles were fetched but never written (a full disk, a cap)
    must be read in full next time, or they would never be fetched again."""
    crawler = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, crawler)
    sitemap, feed = document(), document("https://news.example/feed.xml")
    cache.process_response(sitemap, served(sitemap, 200, {"ETag": '"s"'}))
    cache.process_response(feed, served(feed, 200, {"ETag": '"f"'}))
    written = article(**{meta.FOUND_IN: SITEMAP})
    unwritten = article("https://news.example/other-story", **{meta.FOUND_IN: feed.url})
    for request in (written, unwritten):
        cache.process_request(request)
        cache.process_response(request, served(request))
    state = article_store(crawler).state
    state.record_article([canonical_url(ARTICLE)], "sha", None, "000_0000000000000000.txt")
    close(crawler)
    saved, unsaved = stored_documents(tmp_path, SITEMAP, feed.url)
    assert saved == DocumentRecord(SITEMAP, '"s"')
    assert unsaved is None


def test_a_saved_document_whose_article_was_lost_is_read_in_full(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, crawler)
    sitemap = document(sitemap_lastmod="2025-11-20")
    cache.process_response(sitemap, served(sitemap, 200, {"ETag": '"s"'}))
    known = article(**{meta.FOUND_IN: SITEMAP})
    # A copy of a file an earlier run wrote: skipped as known, linked to its sitemap all the same.
    article_store(crawler).state.mark_duplicate(canonical_url(ARTICLE), "000_0000000000000000.txt")
    with pytest.raises(KnownUrlSkipped):
        build_from_crawler(KnownUrlMiddleware, crawler).process_request(known)
    cache.process_exception(known, KnownUrlSkipped("known"))
    close(crawler)

    again = make_crawler(tmp_path)
    cache = build_from_crawler(DocumentCacheMiddleware, again)
    with pytest.raises(DocumentUnchanged):  # its article is still settled
        cache.process_request(document(sitemap_lastmod="2025-11-20"))
    article_store(again).state.forget_file("000_0000000000000000.txt")  # lost in a crash
    request = document(sitemap_lastmod="2025-11-20")
    cache.process_request(request)  # passes, and without validators
    assert b"If-None-Match" not in request.headers
    assert again.stats.get_value("news/discovery/unsettled") == 1
    close(again)
