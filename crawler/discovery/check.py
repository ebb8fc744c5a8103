"""What ``scrapy sources FILE`` found for each source, its verdict, and the table it prints.

A sources file lists outlets whose URLs nobody may have opened; a night of cron runs on a
dead feed writes nothing and says little. The check reads every discovery URL of every
source once (``crawler.commands.sourcecheck`` fetches; this module only records and judges)
and fetches up to two of the articles they lead to, so the verdict says what a crawl would
get: ``ok``, ``no articles``, ``unreachable`` or ``wrong language``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.discovery.continuation import is_continuation
from crawler.discovery.dates import normalised_date

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.discovery.sources import Source
    from crawler.extraction.article import Extraction

OK = "ok"
NO_ARTICLES = "no articles"
UNREACHABLE = "unreachable"
WRONG_LANGUAGE = "wrong language"
SAMPLES = 2
"""Articles fetched and extracted per source."""
COLUMNS = ("source", "kind", "url", "status", "parsed as", "articles", "newest")
"""The table's columns (docs/discovery.md explains them)."""
_MAX_URL = 70
_MAX_PARSED = 60


@dataclass(slots=True)
class DocumentCheck:
    """One discovery URL: did it answer, what it was, how many article links it gave."""

    kind: str
    """``feed``, ``sitemap``, ``section``, ``robots``, ``home``, ``navigation``."""
    url: str
    status: str = "…"
    """``200`` (or another HTTP status) when it answered; else the failure (``dns``…)."""
    reachable: bool = False
    parsed_as: str = ""
    articles: int = 0
    newest: str | None = None

    def saw_date(self, value: str | None) -> None:
        """Keep the newest of the dates seen (ISO forms compare as text)."""
        stated = normalised_date(value)
        if stated and (self.newest is None or stated > self.newest):
            self.newest = stated


@dataclass(slots=True)
class SampleCheck:
    """One article fetched and extracted as the crawl would."""

    url: str
    status: str = "…"
    words: int = 0
    language: str | None = None
    headline: str = ""
    problem: str = ""
    """Why it gave no article (``HTTP 404``, ``short: 12 words``…); empty when it did."""

    @property
    def article(self) -> bool:
        return not self.problem and self.words > 0

    def record(self, result: Extraction) -> None:
        """What the extraction made of the page: its article, or why there is none."""
        article = result.article
        if article is None:
            kind = result.page_type
            self.problem = result.detail or (f"{kind.kind}: {kind.reason}" if kind else "no text")
            return
        self.words = article.words
        self.language = article.language
        self.headline = article.title


@dataclass(slots=True)
class SourceCheck:
    """Everything checked for one source."""

    source: Source
    documents: list[DocumentCheck] = field(default_factory=list)
    samples: list[SampleCheck] = field(default_factory=list)
    links: dict[str, str | None] = field(default_factory=dict)
    """Article URLs found (in order, once each), with the date their document stated."""

    def add(self, kind: str, url: str) -> DocumentCheck:
        row = DocumentCheck(kind, url)
        self.documents.append(row)
        return row

    def found(self, url: str, date: str | None = None) -> None:
        """An article link a document gave (a crawl would fetch it: allowed, not a page 2)."""
        if self.source.accepts(url) and not is_continuation(url):
            self.links.setdefault(url, normalised_date(date))

    def sample_urls(self) -> list[str]:
        """The articles to fetch: the newest dated ones first, else the first listed."""
        order = {url: index for index, url in enumerate(self.links)}
        ranked = sorted(self.links, key=lambda u: (self.links[u] or "", -order[u]), reverse=True)
        return ranked[:SAMPLES]

    @property
    def verdict(self) -> str:
        answered = any(s.status.isdigit() for s in self.samples)
        if not answered and not any(d.reachable for d in self.documents):
            return UNREACHABLE
        articles = [s for s in self.samples if s.article]
        if not articles:
            return NO_ARTICLES
        wanted = self.source.language
        if wanted and not any(s.language == wanted for s in articles):
            return WRONG_LANGUAGE
        return OK


def exit_status(checks: Sequence[SourceCheck]) -> int:
    """0 when every source yields an article a crawl would keep, 1 otherwise."""
    return 0 if checks and all(c.verdict == OK for c in checks) else 1


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def rows(check: SourceCheck) -> list[tuple[str, ...]]:
    """The table rows of one source: its documents, its samples, then its verdict."""
    name = check.source.name or "(command line)"
    found: list[tuple[str, ...]] = []
    for doc in check.documents:
        found.append(
            (
                name,
                doc.kind,
                _cut(doc.url, _MAX_URL),
                doc.status,
                _cut(doc.parsed_as, _MAX_PARSED),
                str(doc.articles) if doc.reachable else "-",
                (doc.newest or "-")[:10],
            )
        )
    for sample in check.samples:
        if sample.article:
            said = f"article: {sample.words} words, {sample.language or '?'}, {sample.headline}"
        else:
            said = f"no article: {sample.problem}"
        found.append(
            (name, "sample", _cut(sample.url, _MAX_URL), sample.status, _cut(said, 80), "", "")
        )
    if not check.samples and check.documents:
        found.append((name, "sample", "-", "", "no article link to fetch", "", ""))
    found.append((name, "verdict", "", check.verdict, "", "", ""))
    return found


def table(checks: Sequence[SourceCheck]) -> str:
    """The report: one aligned row per discovery URL, sample and verdict."""
    lines = [COLUMNS, *(row for check in checks for row in rows(check))]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
