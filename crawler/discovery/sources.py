"""Named sources (``-a sources=sources.toml``): what to crawl per outlet, validated with line numbers.

A file holds ``[[source]]`` tables::

    [[source]]
    name = "BBC Arabic"
    language = "ar"
    feeds = ["https://feeds.bbci.co.uk/arabic/rss.xml"]
    sitemaps = []
    sections = []
    sites = []
    urls = []
    allow = ['/arabic/articles/']     # regular expressions; a URL must match one (if any)
    deny = ['/live/']                 # ... and none of these
    max_articles = 200                # per run; 0 = no limit

Every mistake is reported as ``FILE:LINE: what is wrong`` so cron mail says where to look.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from crawler.urls import is_http_url, strip_credentials

URL_LISTS = ("urls", "sitemaps", "feeds", "sections", "sites")
_KEYS = frozenset({"name", "language", "allow", "deny", "max_articles", *URL_LISTS})
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
_TABLE_RE = re.compile(r"^\s*\[\[\s*source\s*\]\]")
_HEADER_RE = re.compile(r"^\s*\[")


class SetupError(ValueError):
    """A bad spider argument or sources file: reported without a traceback, exit status 2."""


class SourcesFileError(SetupError):
    """A sources file that cannot be used; the message names the file and line."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Source:
    """One outlet: where to discover its articles and which of them to keep."""

    name: str | None = None
    """Recorded in the manifest as ``source_name``; None for command-line URLs."""
    language: str | None = None
    """If set, articles detected in another language are skipped for this source."""
    urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    allow: tuple[re.Pattern[str], ...] = field(default=())
    deny: tuple[re.Pattern[str], ...] = field(default=())
    max_articles: int = 0
    """Articles written per run for this source; 0 = no limit."""

    def accepts(self, url: str) -> bool:
        """Whether a discovered article URL passes this source's allow/deny patterns."""
        if any(p.search(url) for p in self.deny):
            return False
        return not self.allow or any(p.search(url) for p in self.allow)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in URL_LISTS)


class _Locator:
    """Line numbers of ``[[source]]`` tables and their keys, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables = [i + 1 for i, line in enumerate(self.lines) if _TABLE_RE.match(line)]

    def line(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.tables):
            return None
        start = self.tables[index]
        if key is None:
            return start
        key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(start + 1, len(self.lines) + 1):
            text = self.lines[number - 1]
            if _HEADER_RE.match(text):
                break
            if key_re.match(text):
                return number
        return start


Fail = Callable[[str], NoReturn]


def _patterns(value: Any, fail: Fail) -> tuple[re.Pattern[str], ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail("must be a list of regular expressions (strings)")
    compiled = []
    for pattern in value:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            fail(f"bad regular expression {pattern!r}: {exc}")
    return tuple(compiled)


def _urls(value: Any, fail: Fail) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail("must be a list of URLs (strings)")
    bad = [v for v in value if not is_http_url(v)]
    if bad:
        fail(f"not an http(s) URL: {strip_credentials(bad[0])!r}")
    return tuple(v.strip() for v in value)


def _source(table: Any, index: int, path: Path, where: _Locator) -> Source:
    def fail_at(key: str | None) -> Fail:
        def fail(problem: str) -> NoReturn:
            label = f"source {table.get('name')!r}" if isinstance(table, dict) else "source"
            subject = f"{label}: {key}" if key else label
            raise SourcesFileError(path, where.line(index, key), f"{subject} {problem}")

        return fail

    if not isinstance(table, dict):
        raise SourcesFileError(path, where.line(index), "each [[source]] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        fail_at(unknown[0])(f"is not a known key (known: {', '.join(sorted(_KEYS))})")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        fail_at("name" if "name" in table else None)("needs a non-empty name")
    language = table.get("language")
    if language is not None and (not isinstance(language, str) or not _LANGUAGE_RE.match(language)):
        fail_at("language")("must be an ISO 639-1 code such as 'ar' or 'en'")
    max_articles = table.get("max_articles", 0)
    if not isinstance(max_articles, int) or isinstance(max_articles, bool) or max_articles < 0:
        fail_at("max_articles")("must be a whole number ≥ 0")
    urls = {key: _urls(table.get(key, []), fail_at(key)) for key in URL_LISTS}
    source = Source(
        name=str(name).strip(),
        language=language,
        allow=_patterns(table.get("allow", []), fail_at("allow")),
        deny=_patterns(table.get("deny", []), fail_at("deny")),
        max_articles=max_articles,
        urls=urls["urls"],
        sitemaps=urls["sitemaps"],
        feeds=urls["feeds"],
        sections=urls["sections"],
        sites=urls["sites"],
    )
    if source.empty:
        fail_at(None)(f"has nothing to crawl: give one of {', '.join(URL_LISTS)}")
    return source


def parse_sources(text: str, path: Path) -> tuple[Source, ...]:
    """The sources in a TOML text; raises SourcesFileError naming the line of the mistake."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match[1]) if match else None
        if line is None and "end of document" in str(exc):
            line = max(1, len(text.splitlines()))
        raise SourcesFileError(path, line, f"not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"source"})
    if unknown:
        raise SourcesFileError(path, None, f"unknown top-level key {unknown[0]!r}: use [[source]]")
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise SourcesFileError(path, None, "no [[source]] tables")
    where = _Locator(text)
    sources = tuple(_source(table, i, path, where) for i, table in enumerate(tables))
    seen: set[str | None] = set()
    for index, source in enumerate(sources):
        if source.name in seen:
            raise SourcesFileError(
                path, where.line(index, "name"), f"duplicate source name {source.name!r}"
            )
        seen.add(source.name)
    return sources


@lru_cache(maxsize=4)
def load_sources(path: str) -> tuple[Source, ...]:
    """The sources of a file (read once per process: the spider and a pipeline both ask)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesFileError(file, None, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesFileError(file, None, f"cannot be read: {exc}") from None
    return parse_sources(text, file)
