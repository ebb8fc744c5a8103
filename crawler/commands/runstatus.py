"""The exit status of ``scrapy crawl news``: what cron mail needs to tell runs apart (issue 3).

0   the crawl ran (also when it found nothing new)
1   the crawl failed: no source reachable, output folder not usable, an unexpected error,
    or the run was interrupted (rerun, with the same JOBDIR if any, to resume)
2   a bad spider argument, setting or sources file (the message names file and line)
65  the crawl state cannot be trusted (damaged, locked by another process, from a newer
    version: EX_DATAERR); nothing was done; NEWS_STATE_REBUILD=True rebuilds it
74  the disk refused a write to the output folder or the state (full, read-only: EX_IOERR);
    the run stopped at once, nothing half-written was kept; free space and rerun
75  another run holds the output folder (EX_TEMPFAIL: try again later); nothing was done
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.discovery.sources import SetupError
from crawler.store.faults import StateDamagedError, StorageError
from crawler.store.output import OutputLockedError, OutputUnusableError

if TYPE_CHECKING:
    from collections.abc import Mapping

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_DATAERR = 65
EXIT_IOERR = 74
EXIT_LOCKED = 75

# Finish reasons of a crawl that ran as asked (CLOSESPIDER_* limits are the user's choice).
_FAILED_REASONS = frozenset({"shutdown", "cancelled", "closespider_errorcount"})


# Start-up errors whose message is the whole story (no traceback needed) and their status.
_EXPLAINED: tuple[tuple[type[BaseException], int], ...] = (
    (OutputLockedError, EXIT_LOCKED),
    (SetupError, EXIT_USAGE),
    (StateDamagedError, EXIT_DATAERR),
    (StorageError, EXIT_IOERR),
    (OutputUnusableError, EXIT_FAILED),
)


def explained(error: BaseException | None) -> bool:
    """Whether the error's message alone says what went wrong."""
    return any(isinstance(error, kind) for kind, _ in _EXPLAINED)


def exit_status(stats: Mapping[str, Any], error: BaseException | None) -> tuple[int, str | None]:
    """The exit status and, for a failure, the one message that explains it."""
    for kind, status in _EXPLAINED:
        if isinstance(error, kind):
            return status, str(error)
    if error is not None:
        return EXIT_FAILED, f"crawl failed: {type(error).__name__}: {error}"
    return _run_status(stats)


def _run_status(stats: Mapping[str, Any]) -> tuple[int, str | None]:
    """The status of a crawl that started, from its stats."""
    if stats.get("news/errors/storage"):
        return EXIT_IOERR, None  # the article store logged the one line when it happened
    starts = int(stats.get("news/start/requests") or 0)
    failed = int(stats.get("news/start/failed") or 0)
    if starts and failed >= starts:
        return EXIT_FAILED, f"no source reachable: all {starts} start URL(s) failed"
    reason = str(stats.get("finish_reason") or "")
    if reason in _FAILED_REASONS:
        return EXIT_FAILED, f"crawl did not finish ({reason}); rerun to resume"
    if not reason:
        return EXIT_FAILED, "crawl did not start"
    return EXIT_OK, None
