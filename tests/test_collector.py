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


def test_two_crawls_in_one_process_restore_the_thresholds_when_the_last_stops() -> None:
    before = gc.get_threshold()
    crawlers = [get_crawler(settings_dict={"EXTENSIONS": {}}) for _ in range(2)]
    extensions = [CollectorTuning.from_crawler(c) for c in crawlers]  # kept: weak signals
    try:
        for crawler in crawlers:
            crawler.signals.send_catch_log(signals.engine_started)
        crawlers[0].signals.send_catch_log(signals.engine_stopped)
        assert gc.get_threshold() == CRAWL_THRESHOLDS  # the second crawl still runs
    finally:
        crawlers[1].signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == before
    assert len(extensions) == 2


def test_the_crawl_uses_it() -> None:
    assert "crawler.extensions.collector.CollectorTuning" in settings.EXTENSIONS
