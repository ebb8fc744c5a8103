"""``python -m crawler.bench quality``: our extraction vs plain trafilatura on pages we did not write.

Both run in one process, page by page, so their pages/s share the same machine load and their
ratio is meaningful even when the absolute figures are noisy; pages/s are per CPU second of
this process (``snippets.interleaved``), not per wall-clock second. Scores follow
``crawler.bench.scoring`` (the article-extraction benchmark's definition).

Ours is ``crawler.extraction.article.extract_article`` with the crawl's options (``crawler.settings``),
except ``min_words``: every benchmark page is an article (its truth has at least 66 words), and
the benchmark scores text, not the article/non-article decision, so a threshold could only turn
a short but correct body (a paywall teaser) into an empty one. The benchmark therefore runs with
``min_words=1``. ``--fixtures`` keeps the crawl's threshold, because there a page that is not an
article must come back empty.

The reference is ``trafilatura.extract(html)`` with its defaults (comments included; the
benchmark's own runner passes ``include_comments=False``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import trafilatura

from crawler.bench import snippets
from crawler.bench.scoring import PageScore, Summary, score_page, summarise
from crawler.extraction.article import ExtractionOptions

if TYPE_CHECKING:
    from collections.abc import Sequence

ROOT = Path(__file__).resolve().parents[2]
# The data sits beside the checkout (never inside it): ``../shared`` from the main checkout,
# ``../../shared`` from a worktree one level deeper.
DATA_CANDIDATES = (
    ROOT.parent / "shared" / "benchmarks" / "scrapinghub",
    ROOT.parent.parent / "shared" / "benchmarks" / "scrapinghub",
)
FIXTURES = ROOT / "fixtures" / "articles"
BENCHMARK_MIN_WORDS = 1


@dataclass(frozen=True, slots=True)
class Page:
    """One page to extract and the body a careful editor keeps (empty: not an article)."""

    name: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True, slots=True)
class Result:
    """Per-page scores and total extraction time of one extractor."""

    label: str
    scores: list[PageScore]
    seconds: float

    @property
    def summary(self) -> Summary:
        return summarise(self.scores)

    @property
    def pages_per_second(self) -> float:
        return len(self.scores) / self.seconds if self.seconds else 0.0


Extractor = Callable[[Page], str | None]


def crawl_options(min_words: int | None = None) -> ExtractionOptions:
    """The options the crawl's ExtractionPipeline builds from the default settings."""
    options = ExtractionOptions()  # every field is its crawler.settings value
    return options if min_words is None else replace(options, min_words=min_words)


def ours(options: ExtractionOptions) -> Extractor:
    """Our body text of a benchmark page."""
    return snippets.ours(options)


def reference(page: Page) -> str | None:
    result: str | None = trafilatura.extract(page.html.decode("utf-8", "replace"), url=page.url)
    return result


def find_data(path: Path | None) -> Path | None:
    """The benchmark folder: ``path`` if given, else the first default that exists."""
    for candidate in (path,) if path else DATA_CANDIDATES:
        if (candidate / "ground-truth.json").is_file() and (candidate / "html").is_dir():
            return candidate
    return None


def load_benchmark(data: Path, limit: int | None = None) -> list[Page]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        html = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, truth[key]["url"], html, truth[key]["articleBody"]))
    return pages


def load_fixtures(folder: Path) -> list[Page]:
    """``<case>.html`` + ``<case>.json`` (``"article"``, optional ``"url"``) + ``<case>.txt``.

    The ``.txt`` is the seed-format file (headline, blank line, body); only the body is
    scored, as in the benchmark. A non-article needs no ``.txt``: its truth is empty. Without
    a ``.json``, a page is an article when it has a ``.txt``.
    """
    pages = []
    for html_path in sorted(folder.glob("*.html")):
        json_path, txt_path = html_path.with_suffix(".json"), html_path.with_suffix(".txt")
        expected = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
        body = ""
        if expected.get("article", txt_path.exists()):
            body = txt_path.read_text(encoding="utf-8").partition("\n\n")[2]
        url = str(expected.get("url") or html_path.resolve().as_uri())
        pages.append(Page(html_path.stem, url, html_path.read_bytes(), body))
    return pages


def run(pages: Sequence[Page], extractors: dict[str, Extractor]) -> list[Result]:
    """Score every extractor on every page against its ground-truth body."""
    scores, seconds = snippets.interleaved(
        pages, extractors, lambda text, page: score_page(text, page.truth)
    )
    return [Result(label, scores[label], seconds[label]) for label in extractors]


def _table(results: list[Result]) -> str:
    lines = [f"{'extractor':<22}{'F1':>8}{'P':>8}{'R':>8}{'exact':>8}{'pages/s':>9}"]
    for r in results:
        s = r.summary
        lines.append(
            f"{r.label:<22}{s.f1:>8.4f}{s.precision:>8.4f}{s.recall:>8.4f}"
            f"{s.accuracy:>8.3f}{r.pages_per_second:>9.1f}"
        )
    if len(results) == 2 and results[1].pages_per_second:
        ratio = results[0].pages_per_second / results[1].pages_per_second
        lines.append(f"speed ratio {results[0].label}/{results[1].label}: {ratio:.2f}")
    return "\n".join(lines) + "\n"


def _side(score: PageScore) -> str:
    p = "-" if score.precision is None else f"{score.precision:.3f}"
    r = "-" if score.recall is None else f"{score.recall:.3f}"
    return f"{score.f1:.3f} (P {p} R {r})"


def _per_page(pages: Sequence[Page], results: list[Result], worst_first: bool) -> str:
    order = list(range(len(pages)))
    if worst_first:
        order.sort(key=lambda i: results[0].scores[i].f1)
    header = "  ".join(f"{r.label} F1 (P R)" for r in results)
    lines = [f"{'page':<34}{header}"]
    for i in order:
        sides = "  ".join(_side(r.scores[i]) for r in results)
        lines.append(f"{pages[i].name[:32]:<34}{sides}")
    return "\n".join(lines) + "\n"


def _snippet_run(data: Path, limit: int | None, per_page: bool) -> int:
    """The snippet benchmark (``crawler.bench.snippets``): ours and trafilatura twice."""
    pages = snippets.load_pages(data, limit)
    if not pages:
        sys.stdout.write(f"no pages selected from {data}: nothing to score\n")
        return 0
    results = snippets.run(
        pages,
        {
            "ours": snippets.ours(crawl_options()),
            "trafilatura.extract": snippets.trafilatura_defaults,
            "trafilatura no comments": snippets.trafilatura_standard,
        },
    )
    sys.stdout.write(f"quality: {len(pages)} snippet pages from {data}\n")
    if per_page:
        sys.stdout.write(snippets.per_page(pages, results))
    sys.stdout.write(snippets.table(results))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.bench quality",
        description="Extraction quality (shingle F1) of ours vs plain trafilatura.extract.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help="benchmark folder: ground-truth.json + html/ (shingle F1), or evaldata.json + pages/ (snippets)",
    )
    parser.add_argument(
        "--fixtures",
        nargs="?",
        const=FIXTURES,
        type=Path,
        help="score our own fixture pages instead (default folder: %(const)s)",
    )
    parser.add_argument("--limit", type=int, help="only the first N benchmark pages")
    parser.add_argument("--per-page", action="store_true", help="one line per page, worst first")
    args = parser.parse_args(argv)
    if args.fixtures is not None:
        if not any(args.fixtures.glob("*.html")):
            sys.stdout.write(f"no fixture pages in {args.fixtures}: nothing to score\n")
            return 0
        pages, origin, kind = load_fixtures(args.fixtures), args.fixtures, "fixture"
        options = crawl_options()
    elif args.data is not None and snippets.is_snippet_set(args.data):
        return _snippet_run(args.data, args.limit, args.per_page)
    else:
        data = find_data(args.data)
        if data is None:
            where = args.data or " or ".join(str(p) for p in DATA_CANDIDATES)
            sys.stdout.write(f"benchmark data not found at {where}: nothing to score (--data)\n")
            return 0
        pages, origin, kind = load_benchmark(data, args.limit), data, "benchmark"
        options = crawl_options(min_words=BENCHMARK_MIN_WORDS)
    if not pages:
        sys.stdout.write(f"no pages selected from {origin}: nothing to score\n")
        return 0
    results = run(pages, {"ours": ours(options), "trafilatura.extract": reference})
    sys.stdout.write(f"quality: {len(pages)} {kind} pages from {origin}\n")
    if args.fixtures is not None or args.per_page:
        sys.stdout.write(_per_page(pages, results, worst_first=args.fixtures is None))
    sys.stdout.write(_table(results))
    return 0
