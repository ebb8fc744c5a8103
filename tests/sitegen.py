"""Generated article pages for crawl tests: many distinct, realistic-enough articles."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

from crawler.bench.site import AR_WORDS, EN_WORDS

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Test Daily</title>
<meta property="og:site_name" content="Test Daily">
<meta property="article:published_time" content="2026-11-{day:02d}T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/sport/">Sport</a></nav>
<main><article><h1>{title}</h1>
{paragraphs}
</article>
<aside><h3>Most read</h3><ul><li><a href="/x1.html">Another story one</a></li>
<li><a href="/x2.html">Another story two</a></li></ul></aside></main>
<footer><p>© 2026 Test Daily. All rights reserved.</p></footer></body></html>
"""


def article_page(index: int, lang: str = "en") -> tuple[str, str, list[str]]:
    """HTML, title and body paragraphs of article ``index`` (deterministic, distinct)."""
    rng = random.Random(index)
    words = AR_WORDS if lang == "ar" else EN_WORDS
    title = f"{' '.join(rng.choices(words, k=6)).capitalize()} {index}"
    paragraphs = [
        " ".join(rng.choices(words, k=rng.randint(25, 45))).capitalize() + f" {index}-{n}."
        for n in range(5)
    ]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    html = PAGE.format(lang=lang, title=title, paragraphs=body, day=1 + index % 28)
    return html, title, paragraphs


def write_articles(root: Path, count: int, lang: str = "en") -> list[str]:
    """Write ``count`` article pages as ``root/news/<n>.html``; return their paths."""
    (root / "news").mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        html, _, _ = article_page(index, lang)
        path = f"news/{index}.html"
        (root / path).write_text(html, encoding="utf-8")
        paths.append(path)
    return paths
