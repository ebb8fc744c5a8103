"""Snippet scoring on trafilatura's public evaluation set: ``quality --data <trafilatura-eval>``.

That set gives, per page, short "with" snippets (main text that must be extracted) and
"without" snippets (furniture that must not be). Its README states the metric, which is that
project's own: whitespace collapsed on both sides, then substring presence. A "with" snippet
found is a true positive, missing a false negative; a "without" snippet found is a false
positive, absent a true negative. A page with no output misses all its "with" snippets.
Counts are summed over all pages (micro-averaged), so a long page with many snippets weighs
more than a short one; the shingle metric of ``crawler.bench.scoring`` averages pages instead.

It runs ours with the crawl's own options, ``min_words`` included: unlike the 181-page set,
this one holds short pages and pages in scripts without spaces, so whether the article test
refuses a page with main text is part of what it measures (the "empty" column). trafilatura
runs twice: ``extract`` defaults (comments included) and its
benchmark's standard setting (``include_comments=False``), interleaved page by page so the
pages/s figures share the machine load. Our side is the body text only (no headline).
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

import trafilatura

from crawler.extraction.article import ExtractionOptions, extract_article
from crawler.extraction.preload import preload

if TYPE_CHECKING:
    from pathlib import Path

EVALDATA = "evaldata.json"


@dataclass(frozen=True, slots=True)
class SnippetPage:
    """One page with the snippets its text must and must not contain."""

    name: str
    url: str
    html: bytes
    with_: tuple[str, ...]
    without: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Counts:
    """Confusion counts over snippets, summed over pages; ``empty`` counts pages with no text."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    empty: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp + other.tp,
            self.fn + other.fn,
            self.fp + other.fp,
            self.tn + other.tn,
            self.empty + other.empty,
        )

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fn + self.fp + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    @property
    def f_score(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _collapse(text: str) -> str:
    return " ".join(text.split())


def score_snippets(text: str | None, with_: Sequence[str], without: Sequence[str]) -> Counts:
    """The counts of one page: each snippet, whitespace collapsed, looked up as a substring."""
    if not text or not text.strip():
        return Counts(fn=len(with_), tn=len(without), empty=1)
    found = _collapse(text)
    tp = sum(1 for s in with_ if _collapse(s) in found)
    fp = sum(1 for s in without if _collapse(s) in found)
    return Counts(tp=tp, fn=len(with_) - tp, fp=fp, tn=len(without) - fp)


def is_snippet_set(folder: Path) -> bool:
    return (folder / EVALDATA).is_file() and (folder / "pages").is_dir()


def load_pages(folder: Path, limit: int | None = None) -> list[SnippetPage]:
    """The pages of ``evaldata.json`` whose ``pages/<file>.gz`` exists, in name order."""
    data = json.loads((folder / EVALDATA).read_text(encoding="utf-8"))
    pages = []
    for name in sorted(data)[:limit]:
        path = folder / "pages" / f"{name}.gz"
        if not path.is_file():
            continue
        entry = data[name]
        html = gzip.decompress(path.read_bytes())
        pages.append(
            SnippetPage(name, entry["url"], html, tuple(entry["with"]), tuple(entry["without"]))
        )
    return pages


SnippetExtractor = Callable[[SnippetPage], str | None]

P = TypeVar("P")
S = TypeVar("S")


class SavedPage(Protocol):
    """A stored page of either benchmark: its URL and raw bytes."""

    @property
    def url(self) -> str: ...

    @property
    def html(self) -> bytes: ...


def ours(options: ExtractionOptions) -> Callable[[SavedPage], str | None]:
    """Our body text of a stored page (both benchmarks score the same function)."""

    def run(page: SavedPage) -> str | None:
        article = extract_article(page.html, page.url, options)
        return article.text if article else None

    return run


def trafilatura_defaults(page: SnippetPage) -> str | None:
    result: str | None = trafilatura.extract(page.html, url=page.url)
    return result


def trafilatura_standard(page: SnippetPage) -> str | None:
    result: str | None = trafilatura.extract(page.html, url=page.url, include_comments=False)
    return result


@dataclass(frozen=True, slots=True)
class SnippetResult:
    label: str
    counts: Counts
    per_page: tuple[Counts, ...]
    seconds: float

    @property
    def pages_per_second(self) -> float:
        return len(self.per_page) / self.seconds if self.seconds else 0.0


def interleaved(
    pages: Sequence[P],
    extractors: dict[str, Callable[[P], str | None]],
    score: Callable[[str | None, P], S],
) -> tuple[dict[str, list[S]], dict[str, float]]:
    """Every extractor on every page, interleaved page by page (fair under shared load).

    The one-time loads (``crawler.extraction.preload``: language profiles, trafilatura's
    jusText stoplists, which a crawl's workers load at start) and the first call of each
    extractor are not timed. Returns each
    extractor's per-page scores and its extraction seconds (scoring not included), in CPU
    time of this process: extraction is single-threaded, and on a shared machine the wall
    clock also counts the time other processes held the core.
    """
    preload()  # one-time loads (ours and trafilatura's fallback) are no page's cost
    for extract in extractors.values():
        extract(pages[0])
    scores: dict[str, list[S]] = {label: [] for label in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for page in pages:
        for label, extract in extractors.items():
            start = time.process_time()
            text = extract(page)
            seconds[label] += time.process_time() - start
            scores[label].append(score(text, page))
    return scores, seconds


def run(
    pages: Sequence[SnippetPage], extractors: dict[str, SnippetExtractor]
) -> list[SnippetResult]:
    """Every extractor on every page, scored by its snippets."""
    per_page, seconds = interleaved(
        pages, extractors, lambda text, page: score_snippets(text, page.with_, page.without)
    )
    return [
        SnippetResult(label, sum(per_page[label], Counts()), tuple(per_page[label]), seconds[label])
        for label in extractors
    ]


def table(results: list[SnippetResult]) -> str:
    lines = [f"{'extractor':<26}{'F':>7}{'P':>7}{'R':>7}{'acc':>7}{'empty':>7}{'pages/s':>9}"]
    for r in results:
        c = r.counts
        lines.append(
            f"{r.label:<26}{c.f_score:>7.3f}{c.precision:>7.3f}{c.recall:>7.3f}"
            f"{c.accuracy:>7.3f}{c.empty:>7}{r.pages_per_second:>9.1f}"
        )
    if len(results) > 1 and results[1].pages_per_second:
        ratio = results[0].pages_per_second / results[1].pages_per_second
        lines.append(f"speed ratio {results[0].label}/{results[1].label}: {ratio:.2f}")
    return "\n".join(lines) + "\n"


def per_page(pages: Sequence[SnippetPage], results: list[SnippetResult]) -> str:
    """Pages where ours misses or leaks a snippet, worst first, beside the reference's counts."""
    rows = []
    for i, page in enumerate(pages):
        mine = results[0].per_page[i]
        if mine.fn or mine.fp:
            others = "  ".join(f"{r.per_page[i].fn}/{r.per_page[i].fp}" for r in results[1:])
            rows.append((mine.fn + mine.fp, f"{page.name[:34]:<36}{mine.fn}/{mine.fp}  {others}"))
    rows.sort(key=lambda row: -row[0])
    header = f"{'page (missed/leaked)':<36}" + "  ".join(r.label for r in results)
    return "\n".join([header, *(line for _, line in rows)]) + "\n"
