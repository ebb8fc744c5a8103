"""Exit statuses of a crawl stopped by a signal or by a Redis that went away (issue 17)."""

from __future__ import annotations

import signal

import pytest

from crawler.commands.runstatus import (
    EXIT_REDIS_UNAVAILABLE,
    EXIT_SIGINT,
    EXIT_SIGTERM,
    exit_status,
    interrupted_status,
)
from crawler.distributed.addon import RedisUnavailableError

RAN = {"finish_reason": "shutdown", "news/start/requests": 3, "news/written": 7}


@pytest.mark.parametrize(
    ("signum", "status", "name"),
    [(signal.SIGINT, EXIT_SIGINT, "SIGINT"), (signal.SIGTERM, EXIT_SIGTERM, "SIGTERM")],
)
def test_a_signal_gives_its_own_status_and_one_line(signum: int, status: int, name: str) -> None:
    assert (EXIT_SIGINT, EXIT_SIGTERM) == (130, 143)  # 128 + the signal, as shells report it
    code, message = exit_status(RAN, None, signum)
    assert code == status == interrupted_status(signum)
    assert message is not None
    assert message.startswith(f"interrupted by {name}: stopped cleanly after writing 7 article(s)")
    assert "JOBDIR" in message
    # Without the signal the same stats are a failure (an unfinished crawl), not a success.
    assert exit_status(RAN, None)[0] == 1


@pytest.mark.parametrize("reason", ["redis_unavailable", "redis_lost"])
def test_a_lost_redis_gives_69_even_when_a_signal_follows(reason: str) -> None:
    code, message = exit_status({**RAN, "finish_reason": reason}, None, signal.SIGTERM)
    assert code == EXIT_REDIS_UNAVAILABLE == 69
    assert message is not None
    assert "start the workers again" in message


def test_redis_unreachable_at_start_gives_69_with_its_message() -> None:
    error = RedisUnavailableError("cannot use Redis at redis://127.0.0.1:1/0: refused")
    assert exit_status({}, error) == (EXIT_REDIS_UNAVAILABLE, str(error))


def test_a_worker_that_lost_redis_gives_69_whatever_closed_the_crawl_first() -> None:
    # The engine may close the crawl for its own reason (a failed start()) before the
    # scheduler's close for Redis comes: the stats key still says why.
    stats = {**RAN, "news/redis_unavailable": 1}
    assert exit_status(stats, None)[0] == EXIT_REDIS_UNAVAILABLE
