"""The crawl's collector thresholds hold while the engine runs, and only then."""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler import settings
from crawler.extensions.collector import CRAWL_THRESHOLDS, CollectorTuning


def test_the_thresholds_hold_between_engine_start_and_stop() -> None:
    before = gc.get_threshold()
    assert before != CRAWL_THRESHOLDS
    crawler = get_crawler(settings_dict={"EXTENSIONS": {}})
    extension = CollectorTuning.from_crawler(crawler)  # signals hold it weakly: keep it
    try:
        crawler.signals.send_catch_log(signals.engine_started)
        assert gc.get_threshold() == CRAWL_THRESHOLDS
    finally:
        crawler.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == before
    assert extension is not None


def test_the_crawl_uses_it() -> None:
    assert "crawler.extensions.collector.CollectorTuning" in settings.EXTENSIONS
