"""End to end: a section paginated with an Arabic "next" link is read to its page limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crawler.bench.sitegen import article_page
from crawler.localsite.server import serve
from tests.conftest import crawl_stats, manifest, run_crawl

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

PER_PAGE = 20


def _section(root: Path, pages: int) -> list[str]:
    (root / "section/politics").mkdir(parents=True)
    (root / "ar/news").mkdir(parents=True)
    paths = []
    for page in range(1, pages + 1):
        items = []
        for index in range((page - 1) * PER_PAGE, page * PER_PAGE):
            path = f"ar/news/2025/11/politics-story-{index:03d}-of-the-week.html"
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(article_page(100 + index, "ar")[0], encoding="utf-8")
            items.append(f'<li><a href="/{path}">خبر {index}</a></li>')
            paths.append(path)
        pager = f'<a class="next" href="/section/politics/{page + 1}.html">التالي</a>'
        (root / f"section/politics/{page}.html").write_text(
            f'<html><head><meta charset="utf-8"><title>سياسة</title></head><body>'
            f"<ul>{''.join(items)}</ul><div class='pages'>{pager}</div></body></html>",
            encoding="utf-8",
        )
    return paths


def test_a_section_paginated_with_an_arabic_next_link(tmp_path: Path) -> None:
    root = tmp_path / "site"
    paths = _section(root, 4)  # 80 articles on 4 pages; NEWS_SECTION_PAGES=3 reads 60
    server, base = serve(root)
    try:
        out = tmp_path / "out"
        result = run_crawl("news", out, "-a", f"sections={base}/section/politics/1.html")
        requested = list(server.requests)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr[-3000:]
    written = sorted(str(e["url"]).removeprefix(f"{base}/") for e in manifest(out))
    assert written == sorted(paths[: 3 * PER_PAGE])
    sections = [p for p in requested if p.startswith("/section/")]
    assert sorted(sections) == ["/section/politics/1.html", "/section/politics/2.html",
                                "/section/politics/3.html"]  # fmt: skip
    assert crawl_stats(result.stderr)["news/skipped/section_pages"] == 1
