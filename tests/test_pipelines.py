"""Pipelines built from settings, without a reactor: settings in, behaviour and stats out."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from typing import TYPE_CHECKING, Any

import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

import crawler.settings as project_settings
from crawler.bench.sitegen import article_page
from crawler.items import ArticleItem, PageItem
from crawler.pipelines.extract import ExtractionPipeline, LanguageFilterPipeline
from crawler.pipelines.select import SelectionPipeline
from crawler.pipelines.store import StorePipeline
from crawler.store.articles import article_store
from crawler.store.seedformat import render, text_sha1
from tests import FIXTURES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from scrapy.crawler import Crawler

URL = "https://news.example/world/2026/flood.html"


@pytest.fixture
def crawlers() -> Iterator[list[Crawler]]:
    """No crawl engine closes these crawlers' stores (folder lock, state): close them after."""
    made: list[Crawler] = []
    yield made
    for crawler in made:
        article_store(crawler).close()


@pytest.fixture
def make_crawler(tmp_path: Path, crawlers: list[Crawler]) -> Callable[..., Crawler]:
    def make(**overrides: Any) -> Crawler:
        settings = {k: v for k, v in vars(project_settings).items() if k.isupper()}
        settings.update(
            {"NEWS_OUTPUT_DIR": str(tmp_path / "out"), "NEWS_EXTRACT_WORKERS": 0, **overrides}
        )
        crawler = get_crawler(settings_dict=settings)
        crawler.stats.open_spider()
        crawlers.append(crawler)
        return crawler

    return make


def run(pipeline: ExtractionPipeline | StorePipeline, item: Any) -> Any:
    """Run an async stage (extraction, the store's write) to completion (no reactor needed)."""
    return asyncio.run(pipeline.process_item(item))


def page(index: int = 0, lang: str = "en", url: str = URL) -> PageItem:
    html, _, _ = article_page(index, lang)
    return PageItem(url=url, body=html.encode("utf-8"), content_type="text/html; charset=utf-8")


def test_extraction_turns_a_page_into_an_article_item(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    item = run(build_from_crawler(ExtractionPipeline, crawler), page(1))
    assert isinstance(item, ArticleItem)
    _, title, paragraphs = article_page(1)
    assert item.title == title
    assert item.text == "\n\n".join(paragraphs)
    assert item.language == "en"
    assert "body" not in ItemAdapter(item).asdict()
    assert crawler.stats.get_value("news/extracted") == 1


def test_min_words_setting_drops_short_pages_and_remembers_them(
    make_crawler: Callable[..., Crawler],
) -> None:
    crawler = make_crawler(NEWS_MIN_WORDS=100_000)
    pipeline = build_from_crawler(ExtractionPipeline, crawler)
    with pytest.raises(DropItem, match="not an article"):
        run(pipeline, page())
    assert crawler.stats.get_value("news/skipped/not_article") == 1
    assert article_store(crawler).state.url_status(URL) == "not_article"


def test_a_listing_page_is_logged_with_its_reason(
    make_crawler: Callable[..., Crawler], caplog: pytest.LogCaptureFixture
) -> None:
    crawler = make_crawler()
    body = (FIXTURES / "articles" / "en_tag_relative_times.html").read_bytes()
    url = "https://www.valley-courier.example/tag/transport"
    with caplog.at_level(logging.INFO), pytest.raises(DropItem, match="not an article"):
        run(build_from_crawler(ExtractionPipeline, crawler), PageItem(url=url, body=body))
    assert crawler.stats.get_value("news/skipped/not_article") == 1
    assert crawler.stats.get_value("news/page_type/listing") == 1
    [line] = [r.getMessage() for r in caplog.records if "not_article" in r.getMessage()]
    assert line.startswith(f"skipped not_article: {url} (listing: ")
    assert "linked items" in line


def test_language_filter_is_off_by_default_and_keeps_listed_languages(
    make_crawler: Callable[..., Crawler],
) -> None:
    with pytest.raises(NotConfigured):
        build_from_crawler(LanguageFilterPipeline, make_crawler())
    crawler = make_crawler(NEWS_LANGUAGES="ar,fa")
    extraction = build_from_crawler(ExtractionPipeline, crawler)
    language = build_from_crawler(LanguageFilterPipeline, crawler)
    arabic = run(extraction, page(2, "ar", URL + "?ar"))
    assert language.process_item(arabic) is arabic
    with pytest.raises(DropItem, match="language en not kept"):
        language.process_item(run(extraction, page(3)))
    assert crawler.stats.get_value("news/skipped/language") == 1


def test_store_writes_then_drops_same_url_text_and_near_text(
    make_crawler: Callable[..., Crawler], tmp_path: Path
) -> None:
    crawler = make_crawler()
    extraction = build_from_crawler(ExtractionPipeline, crawler)
    store = build_from_crawler(StorePipeline, crawler)
    written = run(store, run(extraction, page(0)))
    assert written.file.startswith("000_")
    assert (tmp_path / "out" / written.file).exists()
    with pytest.raises(DropItem, match="duplicate URL"):
        run(store, run(extraction, page(0, url=URL + "?utm_source=x#c")))
    with pytest.raises(DropItem, match="duplicate text of 000_"):
        run(store, run(extraction, page(0, url=URL + "?copy=1")))
    html, title, paragraphs = article_page(0)
    near = html.replace(title, "Another headline").replace(paragraphs[0], paragraphs[0] + " AFP")
    near_item = PageItem(url=URL + "?near=1", body=near.encode())
    with pytest.raises(DropItem, match="near-duplicate of 000_"):
        run(store, run(extraction, near_item))
    stats = crawler.stats
    assert stats.get_value("news/skipped/duplicate") == 2
    assert stats.get_value("news/skipped/near_duplicate") == 1
    assert stats.get_value("news/written") == 1
    # The copies' URLs are remembered: the next run does not fetch them again.
    assert article_store(crawler).state.url_status(URL + "?copy=1") == "duplicate"
    other = run(store, run(extraction, page(5, url=URL + "5")))
    assert other.file.startswith("001_")
    assert article_store(crawler).written.total() == 2


def test_near_duplicate_threshold_zero_turns_it_off(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler(NEWS_NEAR_DUPLICATE_THRESHOLD=0)
    extraction = build_from_crawler(ExtractionPipeline, crawler)
    store = build_from_crawler(StorePipeline, crawler)
    run(store, run(extraction, page(0)))
    html, title, paragraphs = article_page(0)
    near = html.replace(title, "Another headline").replace(paragraphs[0], paragraphs[0] + " AFP")
    item = run(extraction, PageItem(url=URL + "?near=1", body=near.encode()))
    assert run(store, item) is item
    assert item.file.startswith("001_")


def test_the_limit_counts_written_articles_not_duplicates(
    make_crawler: Callable[..., Crawler],
) -> None:
    crawler = make_crawler(NEWS_MAX_ARTICLES=2)
    extraction = build_from_crawler(ExtractionPipeline, crawler)
    selection = build_from_crawler(SelectionPipeline, crawler)
    store = build_from_crawler(StorePipeline, crawler)

    def keep(item: Any) -> Any:
        return run(store, selection.process_item(item))

    keep(run(extraction, page(0)))
    with pytest.raises(DropItem, match="duplicate text"):
        keep(run(extraction, page(0, url=URL + "?copy=1")))
    keep(run(extraction, page(5, url=URL + "5")))  # the copy did not use up the limit
    with pytest.raises(DropItem, match="limit of 2 reached"):
        keep(run(extraction, page(6, url=URL + "6")))
    assert crawler.stats.get_value("news/written") == 2
    assert crawler.stats.get_value("news/skipped/limit") == 1


def test_extraction_errors_are_counted_not_raised(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    pipeline = build_from_crawler(ExtractionPipeline, crawler)
    broken = PageItem(url=URL, body=None)  # type: ignore[arg-type]
    with pytest.raises(DropItem, match="extraction error"):
        run(pipeline, broken)
    assert crawler.stats.get_value("news/errors/extract") == 1


def test_the_store_writes_the_workers_seed_text_and_never_exports_the_fingerprint(
    make_crawler: Callable[..., Crawler], tmp_path: Path
) -> None:
    crawler = make_crawler()
    item = run(build_from_crawler(ExtractionPipeline, crawler), page(3))
    assert item.text_sha1 == text_sha1(item.paragraphs)  # set with the article, not by the store
    assert "fingerprint" in ItemAdapter(item)
    written = run(build_from_crawler(StorePipeline, crawler), item)
    assert (tmp_path / "out" / written.file).read_text(encoding="utf-8") == render(
        item.title, item.paragraphs
    )
    exported = io.BytesIO()
    exporter = JsonLinesItemExporter(exported)
    exporter.export_item(written)
    record = json.loads(exported.getvalue())
    assert "fingerprint" not in record
    assert record["file"] == written.file
