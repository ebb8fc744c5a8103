"""The lazy meta-refresh middleware redirects exactly where Scrapy's own does."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.downloadermiddlewares.metarefresh import LazyMetaRefreshMiddleware, may_refresh

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
URL = "https://news.example/a/story.html"
REQUEST = Request(URL)


def _page(meta: str, encoding: str = "utf-8", *, declared: bool = True) -> HtmlResponse:
    charset = f'<meta charset="{encoding}">' if declared else ""
    html = f"<html><head>{charset}{meta}<title>t</title></head><body><p>x</p></body></html>"
    headers = {"Content-Type": f"text/html; charset={encoding}"}
    return HtmlResponse(URL, body=html.encode(encoding), headers=headers, request=REQUEST)


CASES = {
    "none": _page(""),
    "refresh": _page('<meta http-equiv="refresh" content="0; url=/b/moved.html">'),
    "upper case": _page('<META HTTP-EQUIV="REFRESH" CONTENT="0;URL=/c.html">'),
    "utf-16": _page('<meta http-equiv="Refresh" content="1; url=/d.html">', "utf-16"),
    "utf-32": _page('<meta http-equiv="refresh" content="0; url=/e.html">', "utf-32"),
    "too slow": _page('<meta http-equiv="refresh" content="500; url=/f.html">'),
    "word only": _page('<meta name="description" content="refresh the page">'),
    "in a script": _page("<script>var refresh = 1;</script>"),
}


def _middlewares() -> tuple[MetaRefreshMiddleware, LazyMetaRefreshMiddleware]:
    crawler = get_crawler()
    return MetaRefreshMiddleware.from_crawler(crawler), LazyMetaRefreshMiddleware.from_crawler(
        crawler
    )


def _outcome(result: Request | Response) -> str:
    return f"redirect {result.url}" if isinstance(result, Request) else "kept"


def _fixture_pages() -> list[HtmlResponse]:
    pages = sorted((FIXTURES / "articles").glob("*.html"))
    pages += sorted((FIXTURES / "site").rglob("*.html"))
    return [HtmlResponse(URL, body=path.read_bytes(), request=REQUEST) for path in pages]


@pytest.mark.parametrize("case", sorted(CASES))
def test_it_redirects_where_scrapys_middleware_does(case: str) -> None:
    scrapys, ours = _middlewares()
    response = CASES[case]
    assert _outcome(ours.process_response(REQUEST, response)) == _outcome(
        scrapys.process_response(REQUEST, response)
    )


def test_the_cases_cover_both_outcomes() -> None:
    scrapys, _ = _middlewares()
    outcomes = {_outcome(scrapys.process_response(REQUEST, r)) for r in CASES.values()}
    assert "kept" in outcomes
    assert "redirect https://news.example/d.html" in outcomes  # the UTF-16 page


def test_every_fixture_page_gets_the_same_answer_and_most_are_not_decoded() -> None:
    scrapys, ours = _middlewares()
    pages = _fixture_pages()
    assert len(pages) > 30
    for page in pages:
        assert _outcome(ours.process_response(REQUEST, page)) == _outcome(
            scrapys.process_response(REQUEST, page)
        )
    assert sum(not may_refresh(page.body) for page in pages) > len(pages) // 2


def test_the_crawl_uses_it() -> None:
    from crawler import settings  # noqa: PLC0415

    assert (
        settings.DOWNLOADER_MIDDLEWARES[
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"
        ]
        is None
    )
    assert (
        "crawler.downloadermiddlewares.metarefresh.LazyMetaRefreshMiddleware"
        in settings.DOWNLOADER_MIDDLEWARES
    )
