"""The report page: one self-contained HTML file (no external script, style, font or image).

Headlines, outlet names and URLs are written by strangers, so every text is escaped where it
is written: ``html.escape`` in the markup, ``textContent`` in the script, and the article rows
travel as a JSON blob whose ``<``, ``>`` and ``&`` are ``\\u`` escapes (no ``</script>`` can
close it). A Content-Security-Policy allows only this page's own script and style (by hash)
and ``data:`` images, so even a missed escape could neither run a script nor fetch anything.
Links to seed files and WARC files are made only from names of the shapes the crawler writes.
The table is rendered page by page by the script from the blob, so 50,000 rows stay usable.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from crawler.report import charts
from crawler.report.queries import OUTCOME_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.report.queries import Corpus, Run

RUNS_SHOWN = 200
"""Latest runs listed (a year of hourly cron runs would be a long page)."""
PAGE_ROWS = 50
"""Article rows per table page."""

_OUTCOME_TITLES = {
    "duplicate": "duplicates",
    "near_duplicate": "near-duplicates",
    "not_article": "not articles",
    "other_language": "other languages",
    "too_old": "too old",
    "filtered": "filtered",
    "refused": "refused",
    "error": "errors",
}
_SUMMARY_FIELDS = (
    "discovered",
    "fetched",
    "written",
    "known",
    "duplicates",
    "not_articles",
    "other_languages",
    "too_old",
    "errors",
)
# What JSON may hold inside <script>: no tag boundary, no entity, no JS line separators.
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _asset(name: str) -> str:
    return (resources.files("crawler.report") / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def embedded_json(value: object) -> str:
    """JSON that cannot end the ``<script>`` element holding it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _JSON_ESCAPES:  # str.replace: far quicker than translate on megabytes
        text = text.replace(raw, escaped)
    return text


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], table_id: str) -> str:
    """A table of already escaped cells."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _num(value: int | None, cls: str = "") -> str:
    return f'<td class="num{" " + cls if cls else ""}">{"" if value is None else value}</td>'


def _totals(corpus: Corpus) -> str:
    words = sum(a.words for a in corpus.articles)
    items = [
        ("articles", "articles written", len(corpus.articles)),
        ("words", "words", words),
        ("outlets", "outlets", sum(1 for o in corpus.outlets.values() if o.written)),
        ("languages", "languages", len({a.language for a in corpus.articles})),
        ("runs", "runs", len(corpus.runs)),
        *((key, _OUTCOME_TITLES[key], corpus.outcomes[key]) for key in OUTCOME_COLUMNS),
    ]
    cells = "".join(
        f'<div class="total"><dd id="total-{_e(key)}" data-value="{value}">{value:,}</dd>'
        f"<dt>{_e(title)}</dt></div>"
        for key, title, value in items
    )
    return f'<dl id="totals">{cells}</dl>'


def _outlets(corpus: Corpus) -> str:
    head = ["outlet", "domains", "written", *(_OUTCOME_TITLES[k] for k in OUTCOME_COLUMNS)]
    head.append("last run with articles (UTC)")
    rows = []
    for outlet in sorted(corpus.outlets.values(), key=lambda o: (-o.written, o.name)):
        domains = ", ".join(sorted(d for d in outlet.domains if d))
        rows.append(
            [
                f'<td dir="auto">{_e(outlet.name)}</td>',
                f'<td dir="auto">{_e(domains)}</td>',
                _num(outlet.written),
                *(_num(outlet.outcomes[k] or None) for k in OUTCOME_COLUMNS),
                f'<td class="when">{_e(_when(outlet.last_written_run))}</td>',
            ]
        )
    return _table(map(_e, head), rows, "outlets")


def _when(stamp: str | None) -> str:
    """``2026-01-07T03:17:00Z`` as ``2026-01-07 03:17`` (UTC, as the heading says)."""
    return (stamp or "")[:16].replace("T", " ")


def _run_row(run: Run) -> list[str]:
    if run.ended is None:
        status, cls = "did not finish (killed?)", "bad"
    else:
        status = f"{run.exit_status} ({run.finish_reason})"
        cls = "" if run.exit_status == 0 else "bad"
    return [
        f'<td class="when">{_e(_when(run.started))}</td>',
        f'<td class="when">{_e(_when(run.ended))}</td>',
        f"<td>{_e(run.worker)}</td>",
        f'<td class="status {cls}">{_e(status)}</td>',
        *(_num(run.summary.get(field)) for field in _SUMMARY_FIELDS),
    ]


def _runs(corpus: Corpus) -> str:
    shown = corpus.runs[-RUNS_SHOWN:][::-1]
    head = ["started (UTC)", "ended", "worker", "exit status", *_SUMMARY_FIELDS]
    note = ""
    if len(corpus.runs) > len(shown):
        note = f"<p>The latest {len(shown)} of {len(corpus.runs)} runs.</p>"
    return note + _table((_e(h.replace("_", " ")) for h in head), map(_run_row, shown), "runs")


def _options(values: Counter[str], label: str, select_id: str) -> str:
    options = "".join(
        f'<option value="{_e(v)}">{_e(v or "?")} ({n})</option>'
        for v, n in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return (
        f'<label>{_e(label)} <select id="{select_id}"><option value="">all</option>'
        f"{options}</select></label>"
    )


def _articles(corpus: Corpus) -> str:
    rows = [
        [a.title, a.outlet, a.date, a.language, a.words, a.file, *(a.warc or ("", 0))]
        for a in corpus.articles
    ]
    blob = embedded_json({"rows": rows, "pageRows": PAGE_ROWS})
    filters = (
        _options(Counter(a.outlet for a in corpus.articles), "outlet", "f-outlet")
        + _options(Counter(a.language for a in corpus.articles), "language", "f-language")
        + '<label>headline <input id="f-text" type="search" dir="auto"></label>'
    )
    head = "".join(f"<th>{h}</th>" for h in ("headline", "outlet", "date", "language", "words"))
    return (
        f'<div class="filters">{filters}</div>'
        f'<table id="articles"><thead><tr>{head}<th>files</th></tr></thead>'
        '<tbody id="article-rows"></tbody></table>'
        '<nav class="pager"><button type="button" id="prev">previous</button>'
        ' <span id="page-info"></span> <button type="button" id="next">next</button></nav>'
        f'<script type="application/json" id="article-data">{blob}</script>'
    )


def _section(title: str, body: str, cls: str = "") -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<section{attribute}><h2>{_e(title)}</h2>{body}</section>"


def render(corpus: Corpus, folder_label: str, generated: str) -> str:
    """The whole page."""
    style, script = _asset("report.css"), _asset("report.js")
    policy = (
        f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)};"
        " img-src data:; base-uri 'none'; form-action 'none'"
    )
    languages = Counter(a.language or "?" for a in corpus.articles)
    sections = [
        (
            f'<h1>Corpus report</h1><p class="meta"><span dir="auto">{_e(folder_label)}</span>'
            f" · generated {_e(generated)}</p>"
        ),
        f"<section><h2>Totals</h2>{_totals(corpus)}</section>",
        f"<section><h2>Outlets</h2>{_outlets(corpus)}</section>",
        _section("Articles per publication day", charts.per_day(corpus.articles)),
        _section("Languages", charts.bars(languages, "articles per language"), "half"),
        _section("Words per article", charts.words_histogram(corpus.articles), "half"),
        f"<section><h2>Runs</h2>{_runs(corpus)}</section>",
        f"<section><h2>Articles</h2>{_articles(corpus)}</section>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'  # constants, hashes
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Corpus report: {_e(folder_label)}</title><style>{style}</style></head>"
        "<body>" + "".join(sections) + f"<script>{script}</script></body></html>\n"
    )
