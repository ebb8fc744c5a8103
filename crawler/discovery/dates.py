"""Dates as sitemaps and feeds state them: W3C datetimes, RFC 822, and the age cut-off."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

_YEAR_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})$")


def parse_date(value: str | None) -> datetime | None:
    """An aware UTC datetime from a sitemap ``lastmod``, a feed date or an ISO date; else None.

    Sitemaps and Atom use W3C datetimes (``2025-11-03``, ``2025-11-03T08:15:00+03:00``,
    ``...Z``); RSS uses RFC 822 (``Mon, 03 Nov 2025 08:15:00 GMT``). A date with no zone is
    taken as UTC; a value that is none of these gives None (unknown, never a guess).
    """
    if not value:
        return None
    text = value.strip()
    parsed: datetime | None = None
    if match := _YEAR_MONTH_RE.match(text):
        parsed = datetime(int(match[1]), int(match[2]), 1)
    elif match := _YEAR_RE.match(text):
        parsed = datetime(int(match[1]), 1, 1)
    else:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def normalised_date(value: str | None) -> str | None:
    """The ISO 8601 form of a stated date (``YYYY-MM-DD`` when it has no time), or None."""
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        return None
    return parsed.date().isoformat() if _date_only(value) else parsed.isoformat()


def _date_only(value: str) -> bool:
    text = value.strip()
    return len(text) <= 10 and "T" not in text and ":" not in text


def parse_day(value: str) -> date:
    """A ``YYYY-MM-DD`` argument; raises ValueError with the reason otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def cutoff(since: str | None, max_age_days: int, now: datetime) -> datetime | None:
    """The oldest publication time still wanted: the later of ``since`` and now - max age."""
    limits: list[datetime] = []
    if since:
        day = parse_day(since)
        limits.append(datetime(day.year, day.month, day.day, tzinfo=UTC))
    if max_age_days > 0:
        limits.append(now.astimezone(UTC) - timedelta(days=max_age_days))
    return max(limits) if limits else None


def is_older(value: str | None, limit: datetime | None) -> bool:
    """True only when ``value`` is a readable date before ``limit`` (unknown dates are kept).

    A bare day (month, year) counts until its end: an article dated today is never older than "2 days ago".
    """
    if limit is None or not value:
        return False
    parsed = parse_date(value)
    if parsed is None:
        return False
    text = value.strip()
    if _YEAR_RE.match(text):
        parsed = parsed.replace(year=parsed.year + 1)
    elif _YEAR_MONTH_RE.match(text):
        parsed = (parsed.replace(day=28) + timedelta(days=4)).replace(day=1)
    elif _date_only(text):
        parsed += timedelta(days=1)
    else:
        return parsed < limit
    return parsed <= limit
