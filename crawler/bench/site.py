"""A generated news site for the crawl benchmark: N article pages of 60-100 KB and sitemaps.

Pages carry what real news pages carry around the article (inline CSS and state scripts, a
mega-menu, a ticker, most-read and related lists, comments, a long footer), so extraction
does a realistic amount of work per page. Article texts are drawn from a seeded word stream,
so no two are near-duplicates and every one is a distinct article to recall.
"""

from __future__ import annotations

import gzip
import html
import json
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

EN_WORDS = [
    "government",
    "minister",
    "said",
    "talks",
    "city",
    "council",
    "river",
    "budget",
    "election",
    "police",
    "market",
    "school",
    "hospital",
    "report",
    "court",
    "water",
    "energy",
    "farmers",
    "workers",
    "prices",
    "company",
    "weather",
    "storm",
    "bridge",
    "museum",
    "festival",
    "team",
    "season",
    "coach",
    "players",
    "archive",
    "drought",
    "harvest",
    "border",
    "trade",
    "officials",
    "residents",
    "project",
    "plan",
    "week",
    "year",
    "month",
    "morning",
    "evening",
    "province",
    "village",
    "station",
    "railway",
    "airport",
    "port",
    "factory",
    "union",
    "strike",
    "vote",
    "parliament",
    "committee",
    "inquiry",
    "figures",
    "growth",
    "inflation",
    "rates",
    "bank",
    "loans",
    "housing",
    "rents",
    "students",
    "teachers",
    "doctors",
    "nurses",
    "patients",
]
AR_WORDS = [
    "الحكومة",
    "الوزير",
    "قال",
    "المحادثات",
    "المدينة",
    "المجلس",
    "النهر",
    "الميزانية",
    "الانتخابات",
    "الشرطة",
    "السوق",
    "المدرسة",
    "المستشفى",
    "التقرير",
    "المحكمة",
    "المياه",
    "الطاقة",
    "المزارعون",
    "العمال",
    "الأسعار",
    "الشركة",
    "الطقس",
    "العاصفة",
    "الجسر",
    "المتحف",
    "المهرجان",
    "الفريق",
    "الموسم",
    "المدرب",
    "اللاعبون",
    "الأرشيف",
    "الجفاف",
    "الحصاد",
    "الحدود",
    "التجارة",
    "المسؤولون",
    "السكان",
    "المشروع",
    "الخطة",
    "الأسبوع",
    "العام",
    "الشهر",
    "الصباح",
    "المساء",
    "المحافظة",
    "القرية",
    "المحطة",
    "القطار",
    "المطار",
    "الميناء",
    "المصنع",
    "النقابة",
    "الإضراب",
    "التصويت",
    "البرلمان",
    "اللجنة",
]

ARTICLES_PER_SITEMAP = 500


@dataclass(frozen=True, slots=True)
class GeneratedSite:
    """What was generated: the article paths (relative, no leading slash) and total bytes."""

    paths: tuple[str, ...]
    total_bytes: int


def _sentence(rng: random.Random, words: list[str]) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(12, 24))]
    chosen.append(str(rng.randint(2, 2999)))
    rng.shuffle(chosen)
    return " ".join(chosen) + "."


def _paragraphs(rng: random.Random, words: list[str]) -> list[str]:
    return [
        " ".join(_sentence(rng, words) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(8, 16))
    ]


def _links(rng: random.Random, paths: list[str], count: int, words: list[str]) -> str:
    return "".join(
        f'<li><a href="/{rng.choice(paths)}">{" ".join(rng.choices(words, k=6))}</a></li>'
        for _ in range(count)
    )


def _padding(rng: random.Random, size: int) -> str:
    """An inline app-state script, as news sites ship (never article text)."""
    state = {"ads": [{"slot": f"div-gpt-{i}", "sizes": [[300, 250], [728, 90]]} for i in range(8)]}
    blob = json.dumps(state)
    filler = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(64))
    repeat = max(0, size - len(blob)) // (len(filler) + 12)
    items = ",".join(f'"k{i}":"{filler}"' for i in range(repeat))
    return f"<script>window.__STATE__={blob};window.__CACHE__={{{items}}};</script>"


def article_page(index: int, path: str, paths: list[str], rng: random.Random, base: str) -> str:
    arabic = index % 3 == 0
    words = AR_WORDS if arabic else EN_WORDS
    title = " ".join(rng.choices(words, k=8))
    paragraphs = _paragraphs(rng, words)
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    day = 1 + index % 28
    menu = _links(rng, paths, 120, words)
    page = f"""<!DOCTYPE html>
<html lang="{"ar" if arabic else "en"}" dir="{"rtl" if arabic else "ltr"}"><head><meta charset="utf-8">
<title>{html.escape(title)} | Bench Daily</title>
<meta property="og:site_name" content="Bench Daily"><meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="2025-11-{day:02d}T08:00:00Z">
<link rel="canonical" href="{base}/{path}">
<style>{"".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i:06x}}}" for i in range(300))}</style>
</head><body>
<div class="ticker">{_links(rng, paths, 6, words)}</div>
<header><nav class="mega-menu"><ul>{menu}</ul></nav></header>
<main><article><h1>{html.escape(title)}</h1>
<p class="byline">By Bench Reporter · <time datetime="2025-11-{day:02d}">2025-11-{day:02d}</time></p>
<div class="article-body">{body}</div></article>
<div class="share">Share: Facebook · X · WhatsApp · Email</div>
<aside class="related"><h2>Related</h2><ul>{_links(rng, paths, 8, words)}</ul></aside>
<aside class="most-read"><h2>Most read</h2><ol>{_links(rng, paths, 10, words)}</ol></aside>
<section class="comments"><h3>Comments</h3>{"".join(f"<div class='comment'><b>reader{i}</b><p>{html.escape(_sentence(rng, words))}</p></div>" for i in range(5))}</section>
</main><footer><ul>{_links(rng, paths, 60, words)}</ul><p>© 2025 Bench Daily</p></footer>
"""
    target = rng.randint(60_000, 100_000)
    size = len(page.encode("utf-8"))
    return page + _padding(rng, target - size - 20) + "</body></html>\n"


def _urlset(base: str, paths: list[str]) -> bytes:
    entries = "".join(
        f"<url><loc>{base}/{p}</loc><lastmod>2025-11-20</lastmod></url>" for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n'
    ).encode()


def generate(
    root: Path, count: int, base: str, seed: int = 1, per_sitemap: int = ARTICLES_PER_SITEMAP
) -> GeneratedSite:
    """Write ``count`` articles, sitemaps (every other one gzipped), an index and robots.txt."""
    rng = random.Random(seed)  # reproducible texts, not secrets
    paths = [f"news/2025/11/story-{i:05d}-{rng.getrandbits(32):08x}.html" for i in range(count)]
    total = 0
    for index, path in enumerate(paths):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = article_page(index, path, paths, rng, base).encode("utf-8")
        target.write_bytes(data)
        total += len(data)
    children = []
    for number, start in enumerate(range(0, count, per_sitemap)):
        chunk = paths[start : start + per_sitemap]
        name = f"sitemaps/articles-{number}.xml" + (".gz" if number % 2 else "")
        data = _urlset(base, chunk)
        (root / "sitemaps").mkdir(exist_ok=True)
        (root / name).write_bytes(gzip.compress(data, mtime=0) if number % 2 else data)
        children.append(name)
    index_xml = "".join(f"<sitemap><loc>{base}/{c}</loc></sitemap>" for c in children)
    (root / "sitemap_index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index_xml}</sitemapindex>\n',
        encoding="utf-8",
    )
    (root / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap_index.xml\n", encoding="utf-8"
    )
    return GeneratedSite(tuple(paths), total)
