"""What a page states about itself: dates from JSON-LD, meta tags and ``<time>``, never from a
copyright footer; authors, site name, canonical link and the page's titles."""

from __future__ import annotations

import pytest
from lxml import html

from crawler.extraction.article import extract_article
from crawler.extraction.metadata import normalise_date, read_metadata

BODY = "".join(
    f"<p>Paragraph {n} of the story says something long enough to be an article body, with"
    " several clauses, names and numbers in it so that the extractor keeps it.</p>"
    for n in range(8)
)
FOOTER = (
    "<footer><p>© 2026 Example Media Ltd. All rights reserved. Copyright 2019-2026.</p></footer>"
)


def page(head: str = "", body: str = "") -> html.HtmlElement:
    return html.document_fromstring(
        f"<html><head><title>Headline | Site</title>{head}</head>"
        f"<body><article><h1>Headline</h1>{body}{BODY}</article>{FOOTER}</body></html>"
    )


def json_ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


@pytest.mark.parametrize(
    ("head", "body", "date"),
    [
        (
            json_ld('{"@type":"NewsArticle","datePublished":"2024-03-14T10:42:00Z"}'),
            "",
            "2024-03-14T10:42:00+00:00",
        ),
        (
            json_ld(
                '{"@graph":[{"@type":"WebSite","name":"S"},{"@type":["Article"],"datePublished":"2023-04-12T07:30:41+02:00"}]}'
            ),
            "",
            "2023-04-12T07:30:41+02:00",
        ),
        (
            json_ld('[{"@type":"BlogPosting","datePublished":"2022-10-17 13:45:00"}]'),
            "",
            "2022-10-17T13:45:00",
        ),
        (
            json_ld('{"@type":"ReportageNewsArticle","datePublished":"2021-09-14"}'),
            "",
            "2021-09-14",
        ),
        (
            '<meta property="article:published_time" content="2022-11-03T18:20:00+0200">',
            "",
            "2022-11-03T18:20:00+02:00",
        ),
        ('<meta name="pubdate" content="2020-01-31">', "", "2020-01-31"),
        (
            '<meta itemprop="datePublished" content="2019-05-06T08:00:00-07:00">',
            "",
            "2019-05-06T08:00:00-07:00",
        ),
        (
            "",
            '<time itemprop="datePublished" datetime="2023-09-18">18 سبتمبر 2023</time>',
            "2023-09-18",
        ),
        (
            "",
            '<time class="entry-date published" datetime="2023-06-02T06:00:00-07:00">June 2</time>',
            "2023-06-02T06:00:00-07:00",
        ),
    ],
)
def test_stated_publication_date(head: str, body: str, date: str) -> None:
    assert read_metadata(page(head, body)).published == date


def test_json_ld_wins_over_meta_and_time() -> None:
    head = json_ld('{"@type":"NewsArticle","datePublished":"2024-01-02"}')
    head += '<meta property="article:published_time" content="2023-01-01">'
    body = '<time itemprop="datePublished" datetime="2022-01-01">x</time>'
    assert read_metadata(page(head, body)).published == "2024-01-02"


@pytest.mark.parametrize(
    ("head", "body"),
    [
        ("", ""),  # only a copyright footer
        ("", '<p class="date">Posted 3 years ago</p>'),
        ("", '<time class="updated" datetime="2024-02-02T10:00:00Z">updated</time>'),
        ('<meta property="article:modified_time" content="2024-02-02T10:00:00Z">', ""),
        (
            json_ld('{"@type":"Organization","name":"Example Media","foundingDate":"2001-01-01"}'),
            "",
        ),
        (json_ld('{"@type":"NewsArticle","datePublished":"yesterday"}'), ""),
        (json_ld('{"@type":"NewsArticle", broken json'), ""),
    ],
)
def test_no_stated_date_is_none(head: str, body: str) -> None:
    assert read_metadata(page(head, body)).published is None


def test_copyright_footer_never_becomes_the_date_of_an_article() -> None:
    body = f"<html><head><title>Headline about the harbour</title></head><body><h1>Headline about the harbour</h1>{BODY}{FOOTER}</body></html>"
    article = extract_article(body.encode(), "https://news.example/harbour")
    assert article is not None
    assert article.published is None


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2024-03-14", "2024-03-14"),
        ("2024-03-14T10:42Z", "2024-03-14T10:42:00+00:00"),
        ("2024-03-14T10:42:05.123+05:30", "2024-03-14T10:42:05+05:30"),
        ("2024-03-14T10:42:05-0700", "2024-03-14T10:42:05-07:00"),
        ("2024-13-01", None),
        ("1899-01-01", None),
        ("14/03/2024", None),
        ("March 14, 2024", None),
        ("", None),
    ],
)
def test_normalise_date(stamp: str, expected: str | None) -> None:
    assert normalise_date(stamp) == expected


def test_authors_from_json_ld() -> None:
    head = json_ld(
        '{"@type":"NewsArticle","author":[{"@type":"Person","name":"Sarah Okafor"},'
        '{"@type":"Person","name":"By  Tom   Hardy"},{"@type":"Person","name":"https://x.example/a"}]}'
    )
    assert read_metadata(page(head)).authors == ("Sarah Okafor", "Tom Hardy")


def test_authors_from_meta() -> None:
    head = '<meta name="author" content="بقلم: د. ليلى بنعلي">'
    assert read_metadata(page(head)).authors == ("د. ليلى بنعلي",)


@pytest.mark.parametrize(
    ("body", "authors"),
    [
        ('<p class="meta">By <a rel="author" href="/staff/jane">Jane Roe</a></p>', ("Jane Roe",)),
        (
            '<a rel="author" href="/a/1">Jane Roe</a> and <a rel="author" href="/a/2">Ali Hassan</a>',
            ("Jane Roe", "Ali Hassan"),
        ),
        (
            (
                '<div itemprop="author" itemscope><img src="j.jpg" alt="">'
                '<span itemprop="name">Jane Roe</span><span>Staff writer</span></div>'
            ),
            ("Jane Roe",),
        ),
        ('<span itemprop="author">بقلم: منى عبد الحميد</span>', ("منى عبد الحميد",)),
        ('<span itemprop="author">Текст: Венера Ерофеева</span>', ("Венера Ерофеева",)),
        ('<span itemprop="author creator">By JANE ROE</span>', ("JANE ROE",)),
        # commenters are marked up the same way; they are not the article's authors
        (
            '<ol class="comment-list"><li><span itemprop="author">Guest</span> says</li></ol>',
            (),
        ),
        ('<div id="comments"><a rel="author" href="/u/9">karol</a></div>', ()),
        ('<link rel="author" href="/humans.txt">', ()),
    ],
)
def test_authors_from_byline_markup(body: str, authors: tuple[str, ...]) -> None:
    assert read_metadata(page(body=body)).authors == authors


def test_byline_markup_when_the_stated_author_is_no_name() -> None:
    head = '<meta property="article:author" content="https://www.facebook.com/janeroe">'
    body = '<a rel="author" href="/staff/jane">Jane Roe</a>'
    assert read_metadata(page(head, body)).authors == ("Jane Roe",)


def test_stated_authors_win_over_byline_markup() -> None:
    head = '<meta name="author" content="Sarah Okafor">'
    body = '<a rel="author" href="/staff/jane">Jane Roe</a>'
    assert read_metadata(page(head, body)).authors == ("Sarah Okafor",)


def test_site_canonical_and_titles() -> None:
    head = (
        '<meta property="og:site_name" content="The Valley Gazette">'
        '<meta property="og:title" content="Headline - The Valley Gazette">'
        '<link rel="canonical" href="https://www.valley-gazette.example/news/headline/">'
        '<meta property="article:section" content="Local">'
    )
    meta = read_metadata(page(head))
    assert meta.site_name == "The Valley Gazette"
    assert meta.canonical == "https://www.valley-gazette.example/news/headline/"
    assert meta.og_title == "Headline - The Valley Gazette"
    assert meta.page_title == "Headline | Site"
    assert meta.section == "Local"
    assert meta.headline == "Headline - The Valley Gazette"


def test_json_ld_headline_and_article_type() -> None:
    head = json_ld('{"@type":"NewsArticle","headline":"Stated headline","articleSection":"World"}')
    meta = read_metadata(page(head))
    assert meta.headline == "Stated headline"
    assert meta.section == "World"
    assert meta.is_article_type
    assert not read_metadata(page(json_ld('{"@type":"CollectionPage"}'))).is_article_type
