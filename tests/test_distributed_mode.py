"""Distributed mode is switched on by REDIS_URL alone, and costs nothing when it is off."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from scrapy.utils.test import get_crawler

import crawler.settings as project_settings
from crawler.store.articles import article_store
from spiders.news import NewsSpider
from tests import ROOT
from tests.conftest import run_crawl
from tests.redis_server import require_redis_packages

PROJECT = {k: v for k, v in vars(project_settings).items() if k.isupper()}


def test_without_redis_url_nothing_needs_redis(tmp_path) -> None:
    """With redis and scrapy-redis made unimportable, a crawler still builds and opens its state."""
    code = (
        "import sys\n"
        "sys.modules['redis'] = sys.modules['scrapy_redis'] = None  # ImportError on import\n"
        "from scrapy.utils.test import get_crawler\n"
        "import crawler.settings as s, crawler.pipelines.extract\n"
        "from crawler.store.articles import article_store\n"
        "from spiders.news import NewsSpider\n"
        "settings = {k: v for k, v in vars(s).items() if k.isupper()}\n"
        "settings['NEWS_OUTPUT_DIR'] = sys.argv[1]\n"
        "crawler = get_crawler(NewsSpider, settings_dict=settings)\n"
        "assert crawler.settings['SCHEDULER'] == 'scrapy.core.scheduler.Scheduler'\n"
        "store = article_store(crawler)\n"
        "assert type(store).__name__ == 'ArticleStore'\n"
        "assert type(store.state).__name__ == 'SqliteState'\n"
        "store.close()\n"
        "loaded = [m for m in sys.modules if m.startswith('crawler.distributed.')]\n"
        "assert loaded == ['crawler.distributed.addon'], loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_redis_url_switches_scheduler_and_start_to_redis(tmp_path) -> None:
    require_redis_packages()
    from crawler.distributed.store import SharedArticleStore  # noqa: PLC0415 (imports redis)

    settings = {
        **PROJECT,
        "REDIS_URL": "redis://127.0.0.1:9/0",  # nothing connects while settings are built
        "NEWS_OUTPUT_DIR": str(tmp_path),
    }
    crawler = get_crawler(NewsSpider, settings_dict=settings)
    assert crawler.settings["SCHEDULER"] == "crawler.distributed.scheduler.RedisScheduler"
    assert crawler.settings.getbool("SCHEDULER_PERSIST")
    middlewares = crawler.settings.getdict("SPIDER_MIDDLEWARES")
    assert any("SeedOnceMiddleware" in str(name) for name in middlewares)
    store = article_store(crawler)  # built, but not connected: it opens when the crawl starts
    assert isinstance(store, SharedArticleStore)
    store.close()


@pytest.mark.e2e
def test_an_unreachable_redis_stops_the_crawl_with_a_clear_message(tmp_path) -> None:
    require_redis_packages()
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_crawl(
        "news",
        tmp_path / "out",
        "-a",
        "urls=http://127.0.0.1:9/a.html",
        "-s",
        f"REDIS_URL=redis://user:hunter2@127.0.0.1:{port}/0",
        timeout=120,
    )
    assert result.returncode != 0
    assert f"cannot use Redis at redis://127.0.0.1:{port}/0" in result.stderr
    assert "hunter2" not in result.stderr
