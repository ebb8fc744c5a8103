"""The outage policy of a worker's Redis connections, without a server (issue 17).

The clock and the sleep are injected: an outage of a minute takes no time here.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
import redis

from crawler.distributed.outage import OutageRetry, RedisOutageError

if TYPE_CHECKING:
    from collections.abc import Callable


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def failing(times: int, clock: Clock) -> Callable[[], str]:
    """A command that fails ``times`` times (Redis down), then answers."""
    calls = {"n": 0}

    def do() -> str:
        calls["n"] += 1
        if calls["n"] <= times:
            raise redis.ConnectionError("Connection refused")
        return "PONG"

    return do


def policy(clock: Clock, timeout: float = 60) -> OutageRetry:
    return OutageRetry("redis://user:secret@127.0.0.1:1/0", timeout, clock=clock, sleep=clock.sleep)


def test_an_outage_shorter_than_the_timeout_is_waited_out_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    retry = policy(clock)
    recovered: list[float] = []
    outages: list[int] = []
    retry.on_recovery = recovered.append
    retry.on_outage = lambda: outages.append(1)
    with caplog.at_level(logging.WARNING, logger="crawler.distributed.outage"):
        assert retry.call_with_retry(failing(12, clock), lambda error: None) == "PONG"
        assert retry.call_with_retry(failing(0, clock), lambda error: None) == "PONG"
    assert 0 < recovered[0] < 60
    assert len(recovered) == len(outages) == 1
    lines = [r.getMessage() for r in caplog.records]
    assert sum("unreachable" in line for line in lines) == 1
    assert sum("is back after" in line for line in lines) == 1
    assert not any("secret" in line for line in lines)  # the URL is logged without credentials
    assert not retry.unavailable.is_set()


def test_a_longer_outage_gives_up_once_and_later_commands_fail_at_once() -> None:
    clock = Clock()
    retry = policy(clock, timeout=5)
    gave_up: list[int] = []
    retry.on_unavailable = lambda: gave_up.append(1)
    with pytest.raises(RedisOutageError):
        retry.call_with_retry(failing(10_000, clock), lambda error: None)
    assert 5 < clock.now - 100 < 5 + 2 * 2.0  # within one backoff step of the timeout
    assert gave_up == [1]
    called: list[int] = []

    def never() -> str:
        called.append(1)
        return "PONG"

    with pytest.raises(RedisOutageError):
        retry.call_with_retry(never, lambda error: None)
    assert not called  # the worker is closing: nothing waits again
    assert gave_up == [1]


def test_every_connection_shares_the_policy() -> None:
    import copy  # noqa: PLC0415

    retry = policy(Clock())
    assert copy.deepcopy(retry) is retry
