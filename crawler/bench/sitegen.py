"""The one generator of synthetic news pages and sites, for the tests and the benchmarks.

One vocabulary per language (``EN_WORDS``, ``AR_WORDS``); every text is drawn from a seeded
generator, so two pages never share 5-word shingles (the near-duplicate filter would drop one),
and every run is reproducible. Three shapes of output:

- ``article_html(seed, ...)``: one small, realistic page (nav, article, footer), with hooks for
  hostile markup (the fault server's responders, property tests);
- ``article_page(index)`` / ``write_articles(root, count)``: numbered articles of a small
  test site, with the title and paragraphs a test compares the written text with;
- ``generate(root, count, base)``: the benchmark site, 60-100 KB pages (inline CSS and state
  scripts, a mega-menu, most-read and related lists, comments) with sitemaps and robots.txt.
"""

from __future__ import annotations

import gzip
import html
import json
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

SITE_NAME = "Test Daily"
"""``og:site_name`` of the numbered test articles (what the manifest calls their source)."""

_EN_TEXT = (
    "minister government council budget election parliament court ruling protest city region "
    "energy prices water supply hospital school teachers workers union strike agreement talks "
    "border trade exports imports market bank inflation interest rates farmers harvest drought "
    "flood rescue teams residents officials police investigation report committee hearing vote "
    "coalition opposition leader spokesman statement announced monday tuesday wednesday thursday "
    "friday weekend morning evening new plan project funding million billion dollars percent "
    "increase decrease review policy reform law draft approved rejected delayed expected said "
    "told reporters according sources local national international visit meeting summit"
)
_AR_TEXT = (
    "الحكومة الوزير البرلمان المجلس الميزانية الانتخابات المحكمة قرار احتجاج المدينة المنطقة "
    "الطاقة الأسعار المياه المستشفى المدرسة المعلمين العمال النقابة الإضراب اتفاق محادثات "
    "الحدود التجارة الصادرات الواردات السوق البنك التضخم الفائدة المزارعين الحصاد الجفاف "
    "الفيضانات فرق الإنقاذ السكان المسؤولين الشرطة التحقيق تقرير اللجنة جلسة التصويت "
    "الائتلاف المعارضة زعيم المتحدث بيان أعلن الاثنين الثلاثاء الأربعاء الخميس الجمعة "
    "خطة مشروع تمويل مليون مليار دولار بالمئة زيادة انخفاض مراجعة سياسة إصلاح قانون"
)
EN_WORDS = tuple(_EN_TEXT.split())
AR_WORDS = tuple(_AR_TEXT.split())


def paragraphs(seed: str, lang: str = "en", count: int = 6) -> list[str]:
    """``count`` sentences-like paragraphs of 30 to 45 words, unique to ``seed``."""
    rng = random.Random(f"{lang}:{seed}")
    words = AR_WORDS if lang == "ar" else EN_WORDS
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(30, 45))).capitalize() + "."
        for _ in range(count)
    ]


def headline(seed: str, lang: str = "en") -> str:
    """A 7-word headline for ``seed``, from its own stream (the paragraphs stay the same)."""
    rng = random.Random(f"title:{lang}:{seed}")
    words = AR_WORDS if lang == "ar" else EN_WORDS
    return " ".join(rng.choice(words) for _ in range(7)).capitalize()


def article_html(
    seed: str,
    *,
    lang: str = "en",
    charset: str | None = "utf-8",
    title: str | None = None,
    body: list[str] | None = None,
    extra_head: str = "",
    extra_body: str = "",
) -> str:
    """A small but realistic article page (nav, article, footer) with a unique text.

    ``charset`` goes into a ``<meta charset>`` (None: no declaration); ``body`` replaces the
    generated paragraphs; the extra strings are inserted raw (they may hold hostile markup).
    """
    title = title if title is not None else headline(seed, lang)
    texts = body if body is not None else paragraphs(seed, lang)
    direction = ' dir="rtl"' if lang == "ar" else ""
    meta = f'<meta charset="{charset}">' if charset else ""
    paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in texts)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"{direction}><head>{meta}'
        f"<title>{html.escape(title)}</title>{extra_head}</head>\n<body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>\n'
        f"<article><h1>{html.escape(title)}</h1>\n{paras}{extra_body}</article>\n"
        "<footer>Contact us. About us. Privacy.</footer></body></html>"
    )


def article_page(index: int, lang: str = "en") -> tuple[str, str, list[str]]:
    """Article ``index`` of the test site: its HTML, title and body paragraphs.

    Published at 08:00 UTC on day ``1 + index % 28`` of November 2026, by ``SITE_NAME``.
    """
    seed = f"article {index}"
    title, texts = headline(seed, lang), paragraphs(seed, lang, count=5)
    head = (
        f'<meta property="og:site_name" content="{SITE_NAME}">'
        f'<meta property="article:published_time" content="2026-11-{1 + index % 28:02d}T08:00:00Z">'
    )
    return article_html(seed, lang=lang, title=title, body=texts, extra_head=head), title, texts


def write_articles(root: Path, count: int, lang: str = "en", folder: str = "news") -> list[str]:
    """Write ``count`` article pages as ``root/<folder>/<n>.html``; their relative paths."""
    (root / folder).mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = f"{folder}/{index}.html"
        (root / path).write_text(article_page(index, lang)[0], encoding="utf-8")
        paths.append(path)
    return paths


ARTICLES_PER_SITEMAP = 500


@dataclass(frozen=True, slots=True)
class GeneratedSite:
    """What was generated: the article paths (relative, no leading slash) and total bytes."""

    paths: tuple[str, ...]
    total_bytes: int


def _sentence(rng: random.Random, words: Sequence[str]) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(12, 24))]
    chosen.append(str(rng.randint(2, 2999)))
    rng.shuffle(chosen)
    return " ".join(chosen) + "."


def _paragraphs(rng: random.Random, words: Sequence[str]) -> list[str]:
    return [
        " ".join(_sentence(rng, words) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(8, 16))
    ]


def _links(rng: random.Random, paths: list[str], count: int, words: Sequence[str]) -> str:
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


def bench_page(index: int, path: str, paths: list[str], rng: random.Random, base: str) -> str:
    """A 60-100 KB page: one article inside the chrome a news site ships around it."""
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
        data = bench_page(index, path, paths, rng, base).encode("utf-8")
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
