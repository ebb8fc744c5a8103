"""The ledger queue against a real redis-server: request round trips, ledger, re-queueing."""

from __future__ import annotations

import pickle

import pytest

from tests.redis_server import require_redis_packages

require_redis_packages()

import redis
from scrapy import Request

from crawler import meta
from crawler.distributed.queue import LedgerQueue, token_of
from spiders.news import NewsSpider


@pytest.fixture
def spider() -> NewsSpider:
    return NewsSpider(urls="http://127.0.0.1:9/a.html")


@pytest.fixture
def queue(redis_url: str, spider: NewsSpider):
    client = redis.Redis.from_url(redis_url)
    yield LedgerQueue(client, spider, "t:requests", "t:taken:me")
    client.close()


def test_article_requests_survive_the_round_trip(queue: LedgerQueue, spider: NewsSpider) -> None:
    request = spider.article_request("http://127.0.0.1:9/a.html", discovered_via="sitemap")
    queue.push_back(request)
    popped = queue.pop()
    assert popped is not None
    assert popped.url == request.url
    assert popped.callback == spider.parse_article
    assert popped.errback == spider.fetch_failed
    assert popped.meta["discovered_via"] == "sitemap"
    assert popped.meta[meta.ARTICLE] is True
    assert queue.pop() is None


def test_a_pop_is_recorded_until_acknowledged(queue: LedgerQueue, spider: NewsSpider) -> None:
    queue.push_back(spider.article_request("http://127.0.0.1:9/a.html"))
    popped = queue.pop()
    assert popped is not None
    ledger = queue.taken()
    assert list(ledger) == [popped.meta[meta.LEDGER].encode()]
    [data] = ledger.values()
    assert token_of(data) == popped.meta[meta.LEDGER]  # Lua's sha1hex and hashlib agree
    assert pickle.loads(data)["url"] == popped.url
    queue.ack(popped.meta[meta.LEDGER])
    assert queue.taken() == {}


def test_priorities_are_kept(queue: LedgerQueue) -> None:
    queue.push_back(Request("http://127.0.0.1:9/low", priority=-5))
    queue.push_back(Request("http://127.0.0.1:9/high", priority=10))
    queue.push_back(Request("http://127.0.0.1:9/mid"))
    order = [r.url.rsplit("/", 1)[1] for r in iter(queue.pop, None)]
    assert order == ["high", "mid", "low"]


def test_requeue_puts_back_only_unfinished_work(queue: LedgerQueue, spider: NewsSpider) -> None:
    for name in ("done", "todo"):
        queue.push_back(spider.article_request(f"http://127.0.0.1:9/{name}.html"))
    taken = [queue.pop(), queue.pop()]
    assert all(taken)
    assert len(queue) == 0
    count = queue.requeue(queue.taken().items(), lambda r: r.url.endswith("/done.html"))
    assert count == 1
    assert queue.taken() == {}
    again = queue.pop()
    assert again is not None
    assert again.url.endswith("/todo.html")
    assert again.callback == spider.parse_article
