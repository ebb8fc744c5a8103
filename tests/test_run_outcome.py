"""Politeness helpers, the summary line and the exit status, without a crawl (issue 3)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.settings import Settings
from twisted.internet.defer import Deferred

from crawler.commands.runstatus import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE, exit_status
from crawler.discovery.sources import SourcesFileError
from crawler.downloadermiddlewares.politeness import (
    _relay,
    backoff_seconds,
    retry_after_seconds,
)
from crawler.extensions.politeness import ContactAddon
from crawler.extensions.summary import summarise, summary_line
from crawler.store.output import OutputLockedError, OutputUnusableError
from tests import ROOT

NOW = datetime(2025, 11, 23, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Sun, 23 Nov 2025 12:00:30 GMT", 30.0),
        ("Sun, 23 Nov 2025 11:00:00 GMT", 0.0),  # in the past: at once
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_header(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, NOW) == seconds


def test_backoff_doubles_up_to_its_cap_and_yields_to_the_server() -> None:
    assert [backoff_seconds(None, n, 2.0, 10.0) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 10.0]
    assert backoff_seconds(45.0, 1, 2.0, 10.0) == 45.0


def test_every_waiter_gets_the_robots_parser() -> None:
    shared: Deferred[str] = Deferred()
    first, second = _relay(shared), _relay(shared)
    results: list[str] = []
    first.addCallback(results.append)
    second.addCallback(results.append)
    shared.callback("parser")
    assert results == ["parser", "parser"]


def test_contact_fills_the_user_agent() -> None:
    settings = Settings({"USER_AGENT": "newscrawler/0.1 (+{contact})"}, priority="project")
    settings.set("NEWS_CONTACT", "mailto:corpus@uni.example", priority="cmdline")
    ContactAddon().update_settings(settings)
    assert settings["USER_AGENT"] == "newscrawler/0.1 (+mailto:corpus@uni.example)"
    own = Settings({"USER_AGENT": "MyBot/1.0 (ops@example.org)"})
    ContactAddon().update_settings(own)
    assert own["USER_AGENT"] == "MyBot/1.0 (ops@example.org)"


def test_summary_counts() -> None:
    stats = {
        "news/discovered": 30,
        "news/fetched": 25,
        "news/written": 18,
        "news/skipped/duplicate": 3,
        "news/skipped/near_duplicate": 1,
        "news/skipped/not_article": 2,
        "news/skipped/language": 1,
        "news/errors/fetch": 2,
        "news/errors/fetch/http_404": 2,  # a detail of the line above, not counted twice
        "news/errors/extract": 1,
    }
    counts = summarise(stats)
    assert counts["duplicates"] == 4
    assert counts["errors"] == 3
    line = summary_line(counts, "finished")
    assert line.startswith("summary: discovered=30 fetched=25 written=18 ")
    assert "duplicates=4 not_articles=2 other_languages=1" in line
    assert line.endswith("errors=3 (finish reason: finished)")


@pytest.mark.parametrize(
    ("stats", "error", "status"),
    [
        ({"finish_reason": "finished"}, None, EXIT_OK),
        ({"finish_reason": "finished", "news/written": 0}, None, EXIT_OK),  # nothing new: fine
        ({"finish_reason": "closespider_itemcount"}, None, EXIT_OK),
        ({"finish_reason": "shutdown"}, None, EXIT_FAILED),
        ({}, None, EXIT_FAILED),
        (
            {"finish_reason": "finished", "news/start/requests": 3, "news/start/failed": 3},
            None,
            EXIT_FAILED,
        ),
        (
            {"finish_reason": "finished", "news/start/requests": 3, "news/start/failed": 2},
            None,
            EXIT_OK,
        ),
        ({}, OutputLockedError("output folder x is in use"), EXIT_LOCKED),
        ({}, SourcesFileError(ROOT / "s.toml", 3, "bad"), EXIT_USAGE),
        ({}, OutputUnusableError("output folder x is not usable"), EXIT_FAILED),
        ({}, RuntimeError("boom"), EXIT_FAILED),
    ],
)
def test_exit_status(stats: dict[str, object], error: BaseException | None, status: int) -> None:
    code, message = exit_status(stats, error)
    assert code == status
    assert (message is None) == (status == EXIT_OK)


def test_exit_status_messages_say_what_happened() -> None:
    _, message = exit_status({}, SourcesFileError(ROOT / "s.toml", 3, "feeds is wrong"))
    assert message == f"{ROOT / 's.toml'}:3: feeds is wrong"
    _, message = exit_status(
        {"finish_reason": "finished", "news/start/requests": 2, "news/start/failed": 2}, None
    )
    assert message == "no source reachable: all 2 start URL(s) failed"
