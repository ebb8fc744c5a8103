"""Pipelines built from settings, without a reactor: settings in, behaviour and stats out."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

import crawler.settings as project_settings
from crawler.bench.sitegen import article_page
from crawler.items import ArticleItem, PageItem
from crawler.pipelines.extract import (
    DedupPipeline,
    ExtractionPipeline,
    LanguageFilterPipeline,
    SeedWriterPipeline,
)
from crawler.store import resources
from crawler.store.resources import crawl_resources

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from scrapy.crawler import Crawler

URL = "https://news.example/world/2026/flood.html"


@pytest.fixture(autouse=True)
def _close_resources() -> Iterator[None]:
    """No crawl engine closes these crawlers' folders and state: close them after each test."""
    yield
    for crawler in list(resources._open):
        resources._open.pop(crawler).close()


def make_crawler(tmp_path: Path, **overrides: Any) -> Crawler:
    settings = {k: v for k, v in vars(project_settings).items() if k.isupper()}
    settings.update(
        {"NEWS_OUTPUT_DIR": str(tmp_path / "out"), "NEWS_EXTRACT_WORKERS": 0, **overrides}
    )
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return crawler


def run(pipeline: ExtractionPipeline, item: Any) -> Any:
    """Run the async extraction stage to completion (no reactor needed)."""
    return asyncio.run(pipeline.process_item(item))


def page(index: int = 0, lang: str = "en", url: str = URL) -> PageItem:
    html, _, _ = article_page(index, lang)
    return PageItem(url=url, body=html.encode("utf-8"), content_type="text/html; charset=utf-8")


def test_extraction_turns_a_page_into_an_article_item(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    item = run(build_from_crawler(ExtractionPipeline, crawler), page(1))
    assert isinstance(item, ArticleItem)
    _, title, paragraphs = article_page(1)
    assert item.title == title
    assert item.text == "\n\n".join(paragraphs)
    assert item.language == "en"
    assert "body" not in ItemAdapter(item).asdict()
    assert crawler.stats.get_value("news/extracted") == 1


def test_min_words_setting_drops_short_pages_and_remembers_them(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path, NEWS_MIN_WORDS=100_000)
    pipeline = build_from_crawler(ExtractionPipeline, crawler)
    with pytest.raises(DropItem, match="not an article"):
        run(pipeline, page())
    assert crawler.stats.get_value("news/skipped/not_article") == 1
    assert crawl_resources(crawler).state.url_status(URL) == "not_article"


def test_language_filter_is_off_by_default_and_keeps_listed_languages(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        build_from_crawler(LanguageFilterPipeline, make_crawler(tmp_path))
    crawler = make_crawler(tmp_path, NEWS_LANGUAGES="ar,fa")
    extraction = build_from_crawler(ExtractionPipeline, crawler)
    language = build_from_crawler(LanguageFilterPipeline, crawler)
    arabic = run(extraction, page(2, "ar", URL + "?ar"))
    assert language.process_item(arabic) is arabic
    with pytest.raises(DropItem, match="language en not kept"):
        language.process_item(run(extraction, page(3)))
    assert crawler.stats.get_value("news/skipped/language") == 1


def test_writer_then_dedup_by_url_text_and_near_text(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    extraction = build_from_crawler(ExtractionPipeline, crawler)
    dedup = build_from_crawler(DedupPipeline, crawler)
    writer = build_from_crawler(SeedWriterPipeline, crawler)
    writer.open_spider()
    written = writer.process_item(dedup.process_item(run(extraction, page(0))))
    assert written.file.startswith("000_")
    assert (tmp_path / "out" / written.file).exists()
    with pytest.raises(DropItem, match="duplicate URL"):
        dedup.process_item(run(extraction, page(0, url=URL + "?utm_source=x#c")))
    with pytest.raises(DropItem, match="duplicate text of 000_"):
        dedup.process_item(run(extraction, page(0, url=URL + "?copy=1")))
    html, title, paragraphs = article_page(0)
    near = html.replace(title, "Another headline").replace(paragraphs[0], paragraphs[0] + " AFP")
    near_item = PageItem(url=URL + "?near=1", body=near.encode())
    with pytest.raises(DropItem, match="near-duplicate of 000_"):
        dedup.process_item(run(extraction, near_item))
    stats = crawler.stats
    assert stats.get_value("news/skipped/duplicate") == 2
    assert stats.get_value("news/skipped/near_duplicate") == 1
    other = writer.process_item(dedup.process_item(run(extraction, page(5, url=URL + "5"))))
    assert other.file.startswith("001_")


def test_near_duplicate_threshold_zero_turns_it_off(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path, NEWS_NEAR_DUPLICATE_THRESHOLD=0)
    extraction = build_from_crawler(ExtractionPipeline, crawler)
    dedup = build_from_crawler(DedupPipeline, crawler)
    writer = build_from_crawler(SeedWriterPipeline, crawler)
    writer.process_item(dedup.process_item(run(extraction, page(0))))
    html, title, paragraphs = article_page(0)
    near = html.replace(title, "Another headline").replace(paragraphs[0], paragraphs[0] + " AFP")
    item = run(extraction, PageItem(url=URL + "?near=1", body=near.encode()))
    assert dedup.process_item(item) is item


def test_extraction_errors_are_counted_not_raised(tmp_path: Path) -> None:
    crawler = make_crawler(tmp_path)
    pipeline = build_from_crawler(ExtractionPipeline, crawler)
    broken = PageItem(url=URL, body=None)  # type: ignore[arg-type]
    with pytest.raises(DropItem, match="extraction error"):
        run(pipeline, broken)
    assert crawler.stats.get_value("news/errors/extract") == 1
