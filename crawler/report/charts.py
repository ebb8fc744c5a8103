"""The report's charts as inline SVG strings, drawn here so the page needs no script library.

Every label is escaped (outlet names and languages come from pages and sources files); every
number is computed, never taken as text. Colours are fixed per series rank, so the same outlet
keeps its colour between two reports of one folder as long as its rank does.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.report.queries import Article

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
)
"""Tableau's colour-blind-aware ten, less grey (kept for "other")."""
OTHER_COLOUR = "#bab0ac"
MAX_SERIES = len(PALETTE)
"""Outlets or languages drawn apart; the rest are one "other" series."""
DAYS_SHOWN = 120
"""Publication days drawn: the latest ones (a corpus spans years, a chart cannot)."""
WORD_BINS = (0, 100, 200, 300, 400, 500, 700, 1000, 1500, 2000, 3000)
"""Lower bounds of the words-per-article bins; the last one is open-ended."""

_WIDTH, _HEIGHT, _LEFT, _BOTTOM, _TOP = 720, 240, 44, 28, 10
HALF = 440
"""Width of the charts drawn side by side (languages, words), so their text keeps its size."""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _svg(label: str, body: list[str], height: int = _HEIGHT, width: int = _WIDTH) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' role="img" aria-label="{_e(label)}" class="chart">' + "".join(body) + "</svg>"
    )


def _ranked(counts: Counter[str]) -> list[str]:
    """The series drawn apart, largest first (ties by name, so the order is stable)."""
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:MAX_SERIES]


def _colour(rank: int | None) -> str:
    return PALETTE[rank] if rank is not None else OTHER_COLOUR


def _axis(top: int, width: int = _WIDTH) -> list[str]:
    """The y axis: 0 and the maximum, with a light rule at each."""
    plot = _HEIGHT - _BOTTOM - _TOP
    parts = []
    for value, y in ((0, _TOP + plot), (top, _TOP)):
        parts.append(
            f'<line x1="{_LEFT}" x2="{width}" y1="{y}" y2="{y}" class="rule"/>'
            f'<text x="{_LEFT - 4}" y="{y + 4}" text-anchor="end">{value}</text>'
        )
    return parts


def _legend(names: Sequence[str], other: bool, y: int) -> list[str]:
    parts, x = [], _LEFT
    for rank, name in [*enumerate(names), *([(None, "other")] if other else [])]:
        label = name if len(name) <= 28 else name[:27] + "…"
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{_colour(rank)}"/>'
            f'<text x="{x + 14}" y="{y}">{_e(label)}</text>'
        )
        x += 22 + 7 * len(label)
        if x > _WIDTH - 80:
            break
    return parts


def per_day(articles: Sequence[Article]) -> str:
    """Articles per publication day, stacked by outlet (the latest ``DAYS_SHOWN`` days)."""
    dated = [a for a in articles if _day(a.date) is not None]
    if not dated:
        return _svg("no publication dates", [f'<text x="{_LEFT}" y="40">no dated articles</text>'])
    days_present = {d for a in dated if (d := _day(a.date)) is not None}
    last = max(days_present)
    first = min(d for d in days_present if d > last - timedelta(DAYS_SHOWN))
    series = _ranked(Counter(a.outlet for a in dated))
    rank = {name: i for i, name in enumerate(series)}
    days: dict[date, Counter[int | None]] = defaultdict(Counter)
    for article in dated:
        day = _day(article.date)
        if day is not None and day >= first:
            days[day][rank.get(article.outlet)] += 1
    span = (last - first).days + 1
    top = max((sum(c.values()) for c in days.values()), default=1) or 1
    plot_w, plot_h = _WIDTH - _LEFT - 4, _HEIGHT - _BOTTOM - _TOP
    bar = plot_w / span
    body = _axis(top)
    for day, counts in sorted(days.items()):
        x = _LEFT + (day - first).days * bar
        y = float(_TOP + plot_h)
        for key in [*range(len(series)), None]:
            if not counts[key]:
                continue
            h = counts[key] / top * plot_h
            y -= h
            name = series[key] if key is not None else "other"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}"'
                f' fill="{_colour(key)}"><title>{_e(day)} {_e(name)}: {counts[key]}</title></rect>'
            )
    body.append(f'<text x="{_LEFT}" y="{_HEIGHT - 14}">{_e(first)}</text>')
    body.append(f'<text x="{_WIDTH - 4}" y="{_HEIGHT - 14}" text-anchor="end">{_e(last)}</text>')
    other = len(rank) < len({a.outlet for a in dated})
    return _svg(
        "articles per publication day, by outlet", [*body, *_legend(series, other, _HEIGHT - 1)]
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def bars(counts: Counter[str], label: str) -> str:
    """Horizontal bars, largest first: one per value (languages), the rest as "other"."""
    names = _ranked(counts)
    rest = sum(counts.values()) - sum(counts[n] for n in names)
    rows: list[tuple[str, int, int | None]] = [(n, counts[n], i) for i, n in enumerate(names)]
    if rest:
        rows.append(("other", rest, None))
    height = 20 * max(len(rows), 1) + 10
    top = max((count for _, count, _ in rows), default=1) or 1
    body = []
    for index, (name, count, rank) in enumerate(rows):
        y = 6 + 20 * index
        w = count / top * (HALF - _LEFT - 100)
        body.append(
            f'<text x="{_LEFT + 40}" y="{y + 12}" text-anchor="end">{_e(name or "?")}</text>'
            f'<rect x="{_LEFT + 46}" y="{y}" width="{w:.1f}" height="15" fill="{_colour(rank)}">'
            f"<title>{_e(name or '?')}: {count}</title></rect>"
            f'<text x="{_LEFT + 52 + w:.1f}" y="{y + 12}">{count}</text>'
        )
    return _svg(label, body, height, HALF)


def words_histogram(articles: Sequence[Article]) -> str:
    """How many articles fall in each words-per-article bin."""
    counts = [0] * len(WORD_BINS)
    for article in articles:
        index = sum(1 for low in WORD_BINS if article.words >= low) - 1
        counts[max(index, 0)] += 1
    top = max(counts) or 1
    plot_w, plot_h = HALF - _LEFT - 4, _HEIGHT - _BOTTOM - _TOP
    bar = plot_w / len(WORD_BINS)
    body = _axis(top, HALF)
    for index, count in enumerate(counts):
        low = WORD_BINS[index]
        name = f"{low}+" if index == len(WORD_BINS) - 1 else f"{low}–{WORD_BINS[index + 1] - 1}"
        h = count / top * plot_h
        x = _LEFT + index * bar
        body.append(
            f'<rect x="{x + 2:.1f}" y="{_TOP + plot_h - h:.1f}" width="{bar - 4:.1f}"'
            f' height="{h:.1f}" fill="{PALETTE[0]}"><title>{name} words: {count}</title></rect>'
        )
        if index % 2 == 0 or index == len(WORD_BINS) - 1:  # every other bound: no overlap
            body.append(f'<text x="{x + 2:.1f}" y="{_HEIGHT - 14}">{low}</text>')
    body.append(f'<text x="{HALF - 4}" y="{_HEIGHT - 2}" text-anchor="end">words</text>')
    return _svg("words per article", body, width=HALF)
