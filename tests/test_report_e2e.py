"""End to end (issue 16): crawl the mock site twice, ``scrapy report``, and look at the page in
a real headless Chromium: the totals it shows, its table and filter, its links, its pixels, and
that it asks nothing of any host while it renders."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.localsite.render import render_site
from crawler.localsite.server import serve
from crawler.report.charts import PALETTE
from crawler.report.page import PAGE_ROWS
from tests import FIXTURES, ROOT
from tests.browser import chromium_binary, png_pixels, render
from tests.conftest import crawl_env, manifest, run_crawl

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from crawler.localsite.server import SiteServer

pytestmark = pytest.mark.e2e

MISSING = "/en/news/2025/11/page-that-was-never-published.html"


@pytest.fixture
def site_with_an_error(tmp_path: Path) -> Iterator[SiteServer]:
    """The mock site (duplicates, a non-article, a page robots.txt forbids) plus one sitemap
    entry that answers 404. Test-only, so ``scrapy demo``'s counts stay as documented."""
    root = tmp_path / "news-site"
    root.mkdir()
    server, base = serve(root)
    render_site(FIXTURES / "site", root, base)
    sitemap = root / "sitemaps" / "articles-1.xml"
    entry = f"<url><loc>{base}{MISSING}</loc><lastmod>2025-11-20</lastmod></url>"
    sitemap.write_text(
        sitemap.read_text(encoding="utf-8").replace("</urlset>", entry + "</urlset>"),
        encoding="utf-8",
    )
    yield server
    server.close()


def _value(doc: lxml.html.HtmlElement, total: str) -> int:
    return int(doc.get_element_by_id(f"total-{total}").get("data-value"))


def _rows(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return list(doc.get_element_by_id("article-rows").iterchildren("tr"))


def test_the_report_of_a_crawled_site_in_a_real_browser(
    site_with_an_error: SiteServer, tmp_path: Path
) -> None:
    chromium_binary()  # skip (or fail in CI) before the crawls, not after
    out = tmp_path / "out"
    base = site_with_an_error.base
    for _ in range(2):  # the second run is incremental: its pages are known
        crawl = run_crawl("news", out, "-a", f"sites={base}", "-s", "NEWS_WARC_ARCHIVE=True")
        assert crawl.returncode == 0, crawl.stderr[-3000:]
    records = manifest(out)
    ledger_csv = tmp_path / "ledger.csv"
    made = subprocess.run(
        [sys.executable, "-m", "scrapy", "report", str(out), "--ledger", str(ledger_csv)],
        cwd=ROOT,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    page = out / "report.html"
    source = page.read_text(encoding="utf-8")
    for loader in ("<link", " src=", "@import", "url(", "<iframe", "<object"):
        assert loader not in source  # nothing in the file could fetch anything

    # The ledger: one row per URL and run, every kind of fate of the mock site.
    with ledger_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    runs = sorted({r["run"] for r in rows})
    first = [r for r in rows if r["run"] == runs[0]]
    fates = Counter(r["outcome"] for r in first)
    assert fates["written"] == len(records)
    assert {r["file"] for r in first if r["outcome"] == "written"} == {r["file"] for r in records}
    (error,) = [r for r in first if r["outcome"] == "error"]
    assert (urlsplit(error["url"]).path, error["http_status"]) == (MISSING, "404")
    (refused,) = [r for r in first if r["outcome"] == "refused"]
    assert (refused["reason"], urlsplit(refused["url"]).path.startswith("/private/")) == (
        "robots_txt",
        True,
    )
    assert fates["not_article"] == 1
    assert all(
        r["file"] in {x["file"] for x in records} for r in first if r["outcome"] == "duplicate"
    )
    assert fates["duplicate"] >= 1
    # The second run re-reads what changed: anything it met was known (no page twice).
    assert {r["outcome"] for r in rows if r["run"] != runs[0]} <= {"known"}

    # The page as a browser shows it.
    shown = render(page.as_uri())
    assert shown.requests == [page.as_uri()]  # the page itself, nothing else
    doc = lxml.html.fromstring(shown.dom)
    assert _value(doc, "articles") == len(records)
    assert _value(doc, "words") == sum(int(r["words"]) for r in records)
    assert _value(doc, "languages") == len({r["language"] for r in records})
    assert (_value(doc, "error"), _value(doc, "refused"), _value(doc, "not_article")) == (1, 1, 1)
    assert _value(doc, "runs") == 2
    run_rows = doc.get_element_by_id("runs").findall("tbody/tr")
    assert [r.text_content().count("0 (finished)") for r in run_rows] == [1, 1]

    table = _rows(doc)
    assert len(table) == min(PAGE_ROWS, len(records))
    by_file = {r["file"]: r for r in records}
    for row in table:
        headline = row.find("td")
        assert headline.get("dir") == "auto"  # Arabic headlines run right to left
        link = headline.find("a")
        target = out / unquote(link.get("href"))
        assert target.is_file()
        record = by_file[target.name]
        assert link.text_content() == record["title"]
        (warc,) = [a for a in row.iter("a") if a.get("href", "").startswith("warc/")]
        name, offset = warc.get("href").removeprefix("warc/").split("#offset=")
        with (out / "warc" / name).open("rb") as archive:
            archive.seek(int(offset))
            first_record = next(iter(ArchiveIterator(archive)))
        assert first_record.rec_type == "response"
        assert first_record.rec_headers.get_header("WARC-Target-URI") == record["url"]

    width, height, pixels = png_pixels(shown.png)
    assert (width, height) == (1200, 1600)
    colours = Counter(
        bytes(line[x : x + 3]) for line in pixels[::4] for x in range(0, len(line), 12)
    )
    white = colours[b"\xff\xff\xff"]
    assert white < 0.95 * sum(colours.values())  # not a blank page
    assert len(colours) > 20
    assert bytes.fromhex(PALETTE[0][1:]) in colours  # the charts were drawn

    # The filter: Arabic only, from the address (as a link to the page keeps it).
    arabic = render(page.as_uri() + "#language=ar")
    table = _rows(lxml.html.fromstring(arabic.dom))
    expected = sum(r["language"] == "ar" for r in records)
    assert len(table) == expected > 0
    assert {row.findall("td")[3].text_content() for row in table} == {"ar"}


def test_the_browser_watch_sees_a_page_request(tmp_path: Path) -> None:
    """The control: a page that does load something from another host is caught."""
    page = tmp_path / "control.html"
    page.write_text('<p>x</p><img src="http://192.0.2.1/pixel.png">', encoding="utf-8")
    shown = render(page.as_uri())
    assert shown.requests == [page.as_uri(), "http://192.0.2.1/pixel.png"]
