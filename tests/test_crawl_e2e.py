"""End to end: ``scrapy crawl news`` in a subprocess against a loopback site, as a user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from typing import TYPE_CHECKING

import pytest

from crawler.bench.sitegen import article_page, write_articles
from crawler.localsite.server import SiteServer, serve
from crawler.store.seedformat import is_valid_seed_text, parse_file_name
from crawler.urls import canonical_url, url_id
from tests import FIXTURES, ROOT
from tests.conftest import (
    crawl_command,
    crawl_env,
    crawl_stats,
    manifest,
    run_crawl,
    wait_until,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

NOT_ARTICLE = """<html><head><title>World | Test Daily</title></head><body>
<nav><a href="/">Home</a></nav><h1>World</h1><ul>
<li><a href="/news/1.html">One</a></li><li><a href="/news/2.html">Two</a></li></ul></body></html>"""


@pytest.fixture
def news_site(tmp_path: Path) -> Iterator[SiteServer]:
    """8 English and 4 Arabic articles, a section front, a near-copy and an exact copy."""
    root = tmp_path / "site"
    english = write_articles(root, 8)
    arabic = []
    for index in range(100, 104):
        html, _, _ = article_page(index, "ar")
        (root / "ar").mkdir(exist_ok=True)
        (root / f"ar/{index}.html").write_text(html, encoding="utf-8")
        arabic.append(f"ar/{index}.html")
    (root / "world.html").write_text(NOT_ARTICLE, encoding="utf-8")
    html, title, paragraphs = article_page(0)
    (root / "copy.html").write_text(html, encoding="utf-8")  # same text, other URL
    near = html.replace(title, "A different headline for the same wire story").replace(
        paragraphs[-1], paragraphs[-1] + " (Reporting by A. Writer; editing by B. Editor)"
    )
    (root / "near.html").write_text(near, encoding="utf-8")
    server, _ = serve(root)
    server.english, server.arabic = english, arabic  # type: ignore[attr-defined]
    yield server
    server.close()


def urls_file(tmp_path: Path, urls: list[str]) -> Path:
    path = tmp_path / "urls.txt"
    path.write_text("# start URLs\n\n" + "\n".join(urls) + "\n", encoding="utf-8")
    return path


def assert_folder_consistent(out: Path, *, killed: bool = False) -> list[dict[str, object]]:
    """Every seed file valid and listed once in the manifest; every line names a file.

    Right after a kill (``killed``) a hidden temporary file, or one whole file not yet in the
    manifest, may remain: the next run removes both. Every seed file is still whole.
    """
    records = manifest(out)
    files = sorted(p.name for p in out.iterdir() if parse_file_name(p.name))
    listed = sorted(str(r["file"]) for r in records)
    if killed:  # the one file being written may be complete but not yet listed
        assert set(listed) <= set(files)
        assert len(set(files) - set(listed)) <= 1
    else:
        assert listed == files
    for name in files:
        text = (out / name).read_text(encoding="utf-8")
        assert is_valid_seed_text(text), name
    if not killed:
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    return records


def test_crawl_writes_seed_files_manifest_and_stats(news_site: SiteServer, tmp_path: Path) -> None:
    english = news_site.english  # type: ignore[attr-defined]
    urls = [news_site.url(p) for p in english + news_site.arabic]  # type: ignore[attr-defined]
    extra = [
        news_site.url("news/1.html?utm_source=newsletter&fbclid=x"),  # same article, tracked URL
        news_site.url("world.html"),
        news_site.url("missing.html"),
        news_site.url("copy.html"),
        news_site.url("near.html"),
    ]
    out = tmp_path / "out"
    result = run_crawl("news", out, "-a", f"urls={urls_file(tmp_path, urls + extra)}")
    assert result.returncode == 0, result.stderr[-3000:]
    records = assert_folder_consistent(out)
    assert len(records) == 12
    assert [parse_file_name(str(r["file"])) for r in records] == sorted(
        (n, str(r["id"])) for n, r in enumerate(records)
    )
    by_url = {r["canonical_url"]: r for r in records}  # the tracked copy may win the race
    # news/0, copy.html and near.html carry one text: whichever reaches the writer first is
    # written, the others are counted as its duplicates (exact or near).
    copies = {canonical_url(news_site.url(p)) for p in ("news/0.html", "copy.html", "near.html")}
    [winner_url] = set(by_url) & copies
    winner = by_url[winner_url]
    assert set(by_url) - copies == {canonical_url(u) for u in urls[1:]}
    article = by_url[canonical_url(news_site.url("news/2.html"))]
    _, title, paragraphs = article_page(2)
    assert article["title"] == title
    assert article["id"] == url_id(news_site.url("news/2.html"))
    assert article["published"] == "2026-11-03T08:00:00+00:00"
    assert article["language"] == "en"
    assert article["source"] == "Test Daily"
    assert article["words"] == sum(len(p.split()) for p in paragraphs)
    assert (out / str(article["file"])).read_text(encoding="utf-8") == "\n\n".join(
        [title, *paragraphs]
    )
    assert {r["language"] for r in records if "/ar/" in str(r["url"])} == {"ar"}
    for record in records:
        assert set(record) >= {
            "file",
            "id",
            "url",
            "canonical_url",
            "source",
            "domain",
            "title",
            "authors",
            "published",
            "language",
            "language_probability",
            "fetched_at",
            "words",
            "text_sha1",
        }
    stats = crawl_stats(result.stderr)
    assert stats["news/written"] == 12
    assert stats["news/skipped/not_article"] == 1
    # The tracked URL, and the exact copy unless the near copy was written first.
    near_won = winner_url == canonical_url(news_site.url("near.html"))
    assert stats["news/skipped/duplicate"] == (1 if near_won else 2)
    assert stats["news/skipped/near_duplicate"] == (2 if near_won else 1)
    assert stats["news/errors/fetch"] == 1
    assert f"near-duplicate of {winner['file']}: " in result.stderr
    assert f"skipped not_article: {news_site.url('world.html')} (" in result.stderr


def test_second_run_writes_nothing_new_and_numbers_continue(
    news_site: SiteServer, tmp_path: Path
) -> None:
    english = news_site.english  # type: ignore[attr-defined]
    out = tmp_path / "out"
    first = run_crawl("news", out, "-a", "urls=" + ",".join(news_site.url(p) for p in english[:5]))
    assert first.returncode == 0, first.stderr[-3000:]
    again = run_crawl("news", out, "-a", "urls=" + ",".join(news_site.url(p) for p in english))
    assert again.returncode == 0, again.stderr[-3000:]
    records = assert_folder_consistent(out)
    assert len(records) == 8
    assert [parse_file_name(str(r["file"]))[0] for r in records] == list(range(8))  # type: ignore[index]
    assert crawl_stats(again.stderr).get("news/written") == 3
    third = run_crawl("news", out, "-a", "urls=" + ",".join(news_site.url(p) for p in english))
    assert third.returncode == 0
    assert crawl_stats(third.stderr).get("news/written", 0) == 0
    assert len(manifest(out)) == 8


def test_feed_export_and_language_filter(news_site: SiteServer, tmp_path: Path) -> None:
    urls = [news_site.url(p) for p in news_site.english[:3] + news_site.arabic[:2]]  # type: ignore[attr-defined]
    out = tmp_path / "out"
    export = tmp_path / "articles.jsonl"
    result = run_crawl(
        "news", out, "-a", "urls=" + ",".join(urls), "-s", "NEWS_LANGUAGES=ar", "-O", str(export)
    )
    assert result.returncode == 0, result.stderr[-3000:]
    items = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert [i["language"] for i in items] == ["ar", "ar"]
    assert {i["file"] for i in items} == {r["file"] for r in manifest(out)}
    assert all("body" not in i and i["text"] for i in items)
    assert "\\u" not in export.read_text(encoding="utf-8")  # Arabic stays readable
    assert crawl_stats(result.stderr)["news/skipped/language"] == 3


def test_sigkill_leaves_no_partial_file_and_next_run_completes(tmp_path: Path) -> None:
    root = tmp_path / "site"
    paths = write_articles(root, 40)
    server, base = serve(root)
    gate = server.gate("/news/")
    gate.allow(5)  # the crawl cannot finish before the kill: the sixth article is held
    try:
        urls = [f"{base}/{p}" for p in paths]
        out = tmp_path / "out"
        args = ["-a", f"urls={urls_file(tmp_path, urls)}", "-s", "CONCURRENT_REQUESTS=1"]
        process = subprocess.Popen(
            crawl_command("news", out, *args),
            cwd=ROOT,
            env=crawl_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # Killed while the fifth article may be on its way to the folder.
        wait_until(lambda: len(manifest(out)) >= 4 or process.poll() is not None)
        running = process.poll() is None
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert running, "the crawl ended before its kill"
        killed_at = len(manifest(out))
        assert 4 <= killed_at <= 5
        assert_folder_consistent(out, killed=True)
        gate.open()
        result = run_crawl("news", out, *args[:2])
        assert result.returncode == 0, result.stderr[-3000:]
        records = assert_folder_consistent(out)
        assert sorted(str(r["url"]) for r in records) == sorted(urls)
        assert crawl_stats(result.stderr)["news/written"] == 40 - killed_at
    finally:
        server.close()


def test_bad_arguments_fail_clearly(tmp_path: Path) -> None:
    result = run_crawl("news", tmp_path / "out", "-a", "urls=javascript:alert(1)")
    assert result.returncode != 0
    assert "nothing to crawl" in result.stderr


def test_crawl_of_the_fixture_pages_writes_exactly_their_expected_texts(
    articles_site: SiteServer, tmp_path: Path
) -> None:
    """Every fixture page through ``scrapy crawl``: articles as expected, non-articles skipped."""
    cases = {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((FIXTURES / "articles").glob("*.json"))
    }
    assert len(cases) >= 14
    urls = [articles_site.url(f"{case}.html") for case in cases]
    out = tmp_path / "out"
    result = run_crawl("news", out, "-a", f"urls={urls_file(tmp_path, urls)}")
    assert result.returncode == 0, result.stderr[-3000:]
    records = assert_folder_consistent(out)
    written = {str(r["url"]).rsplit("/", 1)[1].removesuffix(".html"): r for r in records}
    articles = {case for case, meta in cases.items() if meta["article"]}
    assert set(written) == articles
    for case in articles:
        expected = (FIXTURES / "articles" / f"{case}.txt").read_text(encoding="utf-8")
        record = written[case]
        assert (out / str(record["file"])).read_text(encoding="utf-8") == expected, case
        assert record["language"] == cases[case]["language"], case
        assert record["published"] == cases[case]["published"], case
    stats = crawl_stats(result.stderr)
    assert stats["news/skipped/not_article"] == len(cases) - len(articles)
    assert stats["news/written"] == len(articles)
