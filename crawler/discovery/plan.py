"""The ``news`` spider's arguments: validated, mapped to settings, combined into one plan.

Arguments that other components also need (``since``, ``max_age_days``, ``limit``,
``sources``) become ``NEWS_*`` settings, so ``-a limit=5`` and ``-s NEWS_MAX_ARTICLES=5``
are the same thing and pipelines read them the usual way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.archives.locations import ArchiveArgumentError, archive_locations, months
from crawler.archives.selection import domain_list
from crawler.discovery.dates import cutoff, parse_day
from crawler.discovery.sources import URL_LISTS, SetupError, Source, load_sources
from crawler.urls import is_http_url, strip_credentials

if TYPE_CHECKING:
    from datetime import datetime

# ``-a`` name -> the setting it sets.
ARGUMENT_SETTINGS = {
    "since": "NEWS_SINCE",
    "max_age_days": "NEWS_MAX_AGE_DAYS",
    "limit": "NEWS_MAX_ARTICLES",
    "sources": "NEWS_SOURCES",
}
# ``-a`` names that read archives instead of fetching pages (``crawler.archives``).
ARCHIVE_ARGUMENTS = ("warc", "cc_news", "domains")


class ArgumentError(SetupError):
    """A spider argument that cannot be used."""


def split_list(value: str | None) -> list[str]:
    """A comma-separated ``-a`` value, or the lines of a file it names (``#`` comments out)."""
    if not value:
        return []
    path = Path(value)
    if "," not in value and not is_http_url(value) and path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()
        return [
            line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
        ]
    return [part.strip() for part in value.split(",") if part.strip()]


def _whole_number(name: str, value: str) -> str:
    if not value.strip().isdigit():
        raise ArgumentError(f"-a {name}= must be a whole number ≥ 0, got {value!r}")
    return value.strip()


def argument_settings(arguments: dict[str, str]) -> dict[str, str]:
    """The settings the given ``-a`` values set, each checked first."""
    settings: dict[str, str] = {}
    for name, setting in ARGUMENT_SETTINGS.items():
        value = arguments.get(name)
        if value is None:
            continue
        if name == "since":
            try:
                parse_day(value)
            except ValueError as exc:
                raise ArgumentError(f"-a since= {exc}") from None
        elif name in {"max_age_days", "limit"}:
            value = _whole_number(name, value)
        elif name == "sources" and not Path(value).is_file():
            raise ArgumentError(f"-a sources=: no such file {value!r}")
        settings[setting] = value
    return settings


@dataclass(frozen=True, slots=True)
class CrawlPlan:
    """Everything discovery needs: the sources and the age cut-off."""

    sources: tuple[Source, ...]
    cutoff: datetime | None
    rejected: tuple[str, ...] = ()
    """Entries of the URL lists that are not http(s) URLs (``javascript:``, ``mailto:``…):
    skipped and reported by the spider, so one bad line in a URL file costs that line only."""
    archives: tuple[str, ...] = ()
    """WARC/ARC files to read (``-a warc=``): local paths or http(s) URLs, in order."""
    cc_news: tuple[tuple[int, int], ...] = ()
    """CC-NEWS months (year, month) whose files to read (``-a cc_news=``)."""
    domains: frozenset[str] = frozenset()
    """Registered domains an archived page must belong to (``-a domains=``); empty: all."""

    @property
    def reads_archives(self) -> bool:
        """Pages come from archives; the sources then select among them, nothing is fetched."""
        return bool(self.archives or self.cc_news)

    @property
    def user_urls(self) -> list[str]:
        """Every URL the user gave, whatever its role: their addresses are trusted."""
        return [
            url
            for source in self.sources
            for url in (
                *source.urls,
                *source.sitemaps,
                *source.feeds,
                *source.sections,
                *source.sites,
            )
        ]

    def source(self, name: str | None) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)


def build_plan(
    lists: dict[str, str | None],
    *,
    sources_file: str,
    since: str,
    max_age_days: int,
    now: datetime,
) -> CrawlPlan:
    """The plan from the URL-list arguments plus the sources file; raises SetupError."""
    unknown = sorted(set(lists) - set(URL_LISTS) - set(ARCHIVE_ARGUMENTS))
    if unknown:
        raise ArgumentError(
            f"unknown spider argument -a {unknown[0]}= (known: "
            f"{', '.join([*URL_LISTS, *ARCHIVE_ARGUMENTS, *ARGUMENT_SETTINGS])})"
        )
    try:
        archives = tuple(archive_locations(lists["warc"] or "")) if lists.get("warc") else ()
        cc_news = tuple(months(lists["cc_news"] or "")) if lists.get("cc_news") else ()
    except ArchiveArgumentError as exc:
        raise ArgumentError(str(exc)) from None
    domains = domain_list(split_list(lists.get("domains")))
    listed = {key: split_list(lists.get(key)) for key in URL_LISTS}
    given = {key: tuple(u for u in urls if is_http_url(u)) for key, urls in listed.items()}
    rejected = tuple(u for urls in listed.values() for u in urls if not is_http_url(u))
    sources: list[Source] = []
    command_line = Source(
        name=None,
        urls=given["urls"],
        sitemaps=given["sitemaps"],
        feeds=given["feeds"],
        sections=given["sections"],
        sites=given["sites"],
    )
    if not command_line.empty:
        sources.append(command_line)
    if sources_file:
        sources.extend(load_sources(sources_file))
    if (archives or cc_news) and (not command_line.empty or rejected):
        raise ArgumentError(
            "-a warc= and cc_news= read archives: combine them with sources= or domains=,"
            " not with URL lists"
        )
    if archives or cc_news:
        pass  # a sources file, if any, selects among the archived pages (crawler.archives)
    elif rejected and not sources:
        raise ArgumentError(
            f"nothing to crawl: not an http(s) URL: {strip_credentials(rejected[0])}"
        )
    elif not sources:
        raise ArgumentError(
            "nothing to crawl: pass -a urls=, sitemaps=, sites=, feeds=, sections=, sources=,"
            " warc= or cc_news="
        )
    if max_age_days < 0:
        raise ArgumentError("max_age_days must be ≥ 0")
    try:
        limit = cutoff(since or None, max_age_days, now)
    except ValueError as exc:
        raise ArgumentError(f"NEWS_SINCE: {exc}") from None
    return CrawlPlan(tuple(sources), limit, rejected, archives, cc_news, domains)
