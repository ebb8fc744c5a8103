"""The exit status of ``scrapy crawl news``: what cron mail needs to tell runs apart (issue 3).

0   the crawl ran (also when it found nothing new)
1   the crawl failed: no source reachable, output folder not usable, an unexpected error
2   a bad spider argument, setting or sources file (the message names file and line)
65  the crawl state cannot be trusted (damaged, locked by another process, from a newer
    version: EX_DATAERR); nothing was done; NEWS_STATE_REBUILD=True rebuilds it
69  distributed mode: Redis unreachable for longer than NEWS_REDIS_OUTAGE_TIMEOUT, or it came
    back empty (EX_UNAVAILABLE); the folder is consistent, restart the workers once it is back
74  the disk refused a write to the output folder or the state (full, read-only: EX_IOERR);
    the run stopped at once, nothing half-written was kept; free space and rerun
75  another run holds the output folder (EX_TEMPFAIL: try again later); nothing was done
130 interrupted by SIGINT, 143 by SIGTERM (128 + the signal, as shells report it): stopped
    cleanly, resumable; rerun (with the same JOBDIR, if any) to complete the corpus
"""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING, Any

from crawler.discovery.sources import SetupError
from crawler.distributed.addon import RedisUnavailableError
from crawler.store.faults import StateDamagedError, StorageError
from crawler.store.output import OutputLockedError, OutputUnusableError

if TYPE_CHECKING:
    from collections.abc import Mapping

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_DATAERR = 65
EXIT_REDIS_UNAVAILABLE = 69
EXIT_IOERR = 74
EXIT_LOCKED = 75
EXIT_SIGINT = 130
EXIT_SIGTERM = 143

# Finish reasons of a distributed worker that lost Redis, and what each means.
REDIS_REASONS = {
    "redis_unavailable": (
        "Redis unreachable for longer than NEWS_REDIS_OUTAGE_TIMEOUT: this worker stopped; "
        "nothing is lost, start the workers again once Redis is back"
    ),
    "redis_lost": (
        "Redis came back without this run's queue and the corpus's state (restarted empty?): "
        "stopped rather than write the corpus again; start the workers again, they rebuild "
        "the state from the output folder's manifests"
    ),
}

# Finish reasons of a crawl that ran as asked (CLOSESPIDER_* limits are the user's choice).
_FAILED_REASONS = frozenset({"shutdown", "cancelled", "closespider_errorcount"})


# Start-up errors whose message is the whole story (no traceback needed) and their status.
_EXPLAINED: tuple[tuple[type[BaseException], int], ...] = (
    (OutputLockedError, EXIT_LOCKED),
    (RedisUnavailableError, EXIT_REDIS_UNAVAILABLE),
    (SetupError, EXIT_USAGE),
    (StateDamagedError, EXIT_DATAERR),
    (StorageError, EXIT_IOERR),
    (OutputUnusableError, EXIT_FAILED),
)


def explained(error: BaseException | None) -> bool:
    """Whether the error's message alone says what went wrong."""
    return any(isinstance(error, kind) for kind, _ in _EXPLAINED)


def interrupted_status(signum: int) -> int:
    """The shell's convention, 128 + the signal: 130 for SIGINT, 143 for SIGTERM."""
    statuses = {int(signal.SIGINT): EXIT_SIGINT, int(signal.SIGTERM): EXIT_SIGTERM}
    return statuses.get(signum, 128 + signum)


def interrupted(signum: int, stats: Mapping[str, Any]) -> tuple[int, str]:
    """The status of a crawl stopped by SIGINT or SIGTERM, and its one line."""
    name = signal.Signals(signum).name
    written = int(stats.get("news/written") or 0)
    return interrupted_status(signum), (
        f"interrupted by {name}: stopped cleanly after writing {written} article(s); "
        "rerun (with the same JOBDIR, if any) to complete the corpus"
    )


def exit_status(
    stats: Mapping[str, Any], error: BaseException | None, signum: int | None = None
) -> tuple[int, str | None]:
    """The exit status and, for a failure or an interruption, the one message that explains it.

    ``signum``: the signal that stopped the crawl (SIGINT, SIGTERM), if one did.
    """
    for kind, status in _EXPLAINED:
        if isinstance(error, kind):
            return status, str(error)
    if stats.get("news/errors/storage"):
        return EXIT_IOERR, None  # the article store logged the one line when it happened
    reason = str(stats.get("finish_reason") or "")
    for redis_reason, message in REDIS_REASONS.items():
        if reason == redis_reason or stats.get(f"news/{redis_reason}"):
            return EXIT_REDIS_UNAVAILABLE, message
    if signum is not None:
        return interrupted(signum, stats)
    if error is not None:
        return EXIT_FAILED, f"crawl failed: {type(error).__name__}: {error}"
    return _outcome(stats, reason)


def _outcome(stats: Mapping[str, Any], reason: str) -> tuple[int, str | None]:
    """The status of a crawl that ran to its end, by its sources and its finish reason."""
    starts = int(stats.get("news/start/requests") or 0)
    failed = int(stats.get("news/start/failed") or 0)
    if starts and failed >= starts:
        return EXIT_FAILED, f"no source reachable: all {starts} start URL(s) failed"
    if reason in _FAILED_REASONS:
        return EXIT_FAILED, f"crawl did not finish ({reason}); rerun to resume"
    if not reason:
        return EXIT_FAILED, "crawl did not start"
    return EXIT_OK, None
