"""Property-based tests (hypothesis): the pure functions hold on any input (issue 7).

Bounded so the suite stays fast: a modest ``max_examples`` and no deadline (the first call
of an extraction loads langdetect's profiles).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler.bench.sitegen import article_html
from crawler.extraction.article import extract_page
from crawler.extraction.cleaning.rules import (
    Block,
    PageContext,
    clean_blocks,
    fingerprint,
    headline_variants,
    normalise_space,
    strip_site_suffix,
)
from crawler.extraction.decoding import decode_html
from crawler.extraction.textnorm import fingerprint_holds
from crawler.store.output import OutputFolder, manifest_line
from crawler.store.seedformat import FILE_NAME_RE, file_name, is_valid_seed_text, render
from crawler.urls import canonical_url, url_id

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
URL = "http://127.0.0.1/news/article.html"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_TAGS = [
    "html",
    "head",
    "body",
    "title",
    "article",
    "main",
    "p",
    "div",
    "span",
    "h1",
    "h2",
    "script",
    "style",
    "table",
    "tr",
    "td",
    "ul",
    "li",
    "a",
    "br",
    "figure",
    "figcaption",
    "meta",
    "link",
    "nav",
    "footer",
    "form",
    "time",
    "section",
    "aside",
    "blockquote",
]
_HOSTILE = [
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "<!--",
    "-->",
    "<![CDATA[",
    "<?xml version='1.0'?>",
    '<meta charset="utf-7">',
    '<meta charset="bogus">',
    '<meta http-equiv="content-type" content="text/html; charset=windows-1256">',
    '<link rel="canonical" href="javascript:alert(1)">',
    '<link rel="canonical" href="http://[::1">',
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "\\ud800 x"}</script>',
    '<script type="application/ld+json">[[[[[[{"@graph": [null, 1, "x"]}]]]]]]</script>',
    '<time datetime="9999-99-99T99:99">',
    '<a href="mailto:x@y">m</a>',
    "\x00",
    "\x0b",
    "\u202e",
    "\u2028",
    "\ufeff",
    "\r\n",
    "\ufffd",
]
fragments = st.one_of(
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.text(max_size=60),
    st.sampled_from(_HOSTILE),
)
html_like = st.lists(fragments, max_size=40).map("".join)
content_types = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(
        [
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=windows-1256",
            "text/html; charset=iso-8859-1",
            "text/html; charset=utf-16",
            "text/html; charset=bogus",
            "text/html; charset=",
            "text/html; charset=utf-8; charset=latin-1",
        ]
    ),
)


def _check(result_article: object) -> None:
    """An extracted article renders to valid seed text that UTF-8 can hold."""
    if result_article is None:
        return
    text = render(result_article.title, result_article.paragraphs)  # type: ignore[attr-defined]
    assert is_valid_seed_text(text)
    text.encode("utf-8")


@BOUNDED
@given(html_like)
@example('<link rel="canonical"href=h://"[>')  # a stated address no URL parser accepts
def test_extraction_never_raises_on_html_like_text(doc: str) -> None:
    result = extract_page(doc, URL)
    _check(result.article)


@BOUNDED
@given(st.binary(max_size=3000), content_types)
def test_extraction_never_raises_on_bytes(body: bytes, content_type: str | None) -> None:
    result = extract_page(body, URL, content_type=content_type)
    _check(result.article)


@BOUNDED
@given(fragments, st.sampled_from(["head", "body"]))
@example('<link rel="canonical"href=h://[', "head")
@example('<h2><a href="http://[x">a link no parser accepts</a></h2>', "body")
def test_a_hostile_fragment_in_a_real_article_never_raises(fragment: str, where: str) -> None:
    head, body = (fragment, "") if where == "head" else ("", fragment)
    page = article_html("property", extra_head=head, extra_body=body)
    result = extract_page(page.encode("utf-8"), URL)
    _check(result.article)


@BOUNDED
@given(st.binary(max_size=2000), content_types)
def test_decoding_never_raises_and_leaves_nothing_lxml_refuses(
    body: bytes, content_type: str | None
) -> None:
    assert not _NOT_XML.search(decode_html(body, content_type))


blocks = st.builds(
    Block,
    text=st.text(max_size=200),
    kind=st.sampled_from(["p", "head", "list", "quote", "table", "caption"]),
    link_ratio=st.floats(min_value=0, max_value=1),
)
contexts = st.builds(
    PageContext,
    headline=st.text(max_size=80),
    site_name=st.text(max_size=30),
    domain=st.text(max_size=30),
    authors=st.lists(st.text(max_size=30), max_size=3).map(tuple),
    section=st.text(max_size=30),
    captions=st.frozensets(st.text(max_size=40), max_size=3),
)


@BOUNDED
@given(st.lists(blocks, max_size=30), contexts)
def test_cleaning_never_raises_and_returns_normalised_paragraphs(
    items: list[Block], context: PageContext
) -> None:
    for paragraph in clean_blocks(items, context):
        assert paragraph
        assert paragraph == normalise_space(paragraph)


@BOUNDED
@given(st.text(max_size=300), st.text(max_size=40), st.text(max_size=40))
def test_title_helpers_never_raise(title: str, site: str, section: str) -> None:
    assert normalise_space(normalise_space(title)) == normalise_space(title)
    stripped = strip_site_suffix(title, site, section)
    assert stripped == normalise_space(stripped)
    headline_variants(title, site)
    fingerprint(title)


@BOUNDED
@given(st.text(max_size=200), st.lists(st.text(max_size=200), max_size=10))
def test_render_gives_valid_seed_text_or_its_value_error(
    headline: str, paragraphs: list[str]
) -> None:
    try:
        text = render(headline, paragraphs)
    except ValueError:
        assert not normalise_space(headline) or not any(map(normalise_space, paragraphs))
        return
    assert is_valid_seed_text(text)
    text.encode("utf-8")


url_like = st.one_of(
    st.text(max_size=120),
    st.builds(
        "{}://{}{}{}?{}#{}".format,
        st.sampled_from(["http", "HTTPS", "javascript", "mailto", "", "ftp", "h ttp"]),
        st.sampled_from(["", "user:pw@"]),
        st.text(max_size=30),
        st.text(max_size=40),
        st.text(max_size=40),
        st.text(max_size=10),
    ),
)


@BOUNDED
@given(url_like)
def test_canonical_url_never_raises_and_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@BOUNDED
@given(url_like, st.integers(min_value=0, max_value=10**7))
def test_file_names_come_from_the_hash_only(url: str, number: int) -> None:
    name = file_name(number, url_id(url))
    assert FILE_NAME_RE.match(name)
    folder = Path(tempfile.gettempdir()) / "news-output"
    assert (folder / name).resolve().parent == folder.resolve()


records = st.dictionaries(
    st.text(max_size=20),
    st.one_of(st.text(max_size=60), st.integers(), st.none(), st.lists(st.text(max_size=20))),
    max_size=8,
)


@BOUNDED
@given(records)
def test_a_manifest_line_is_one_utf8_json_line(record: dict[str, object]) -> None:
    line = manifest_line({"file": "000_0123456789abcdef.txt", **record})
    assert line.endswith("\n")
    assert len(line.splitlines()) == 1
    assert isinstance(json.loads(line.encode("utf-8")), dict)


@settings(max_examples=25, deadline=None)
@given(
    title=st.text(min_size=1, max_size=80),
    body=st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=4),
    url=url_like,
    record=records,
)
def test_writing_an_article_stays_inside_the_folder(
    title: str, body: list[str], url: str, record: dict[str, object]
) -> None:
    try:
        text = render(title, body)
    except ValueError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        output = OutputFolder(folder)
        output.open()
        name = file_name(0, url_id(url))
        output.write_article(name, text, {**record, "file": name, "url": url, "title": title})
        output.close()
        written = {p.name for p in folder.iterdir()}
        assert written == {name, "manifest.jsonl", ".lock"}
        assert (folder / name).read_text(encoding="utf-8") == text
        assert json.loads((folder / "manifest.jsonl").read_text(encoding="utf-8"))["file"] == name


_FOLDING = st.text(
    alphabet=st.sampled_from(list("aB .,’“\u00a0ﬁ-_é\u0627\u0644\ufe8d")), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(_FOLDING, _FOLDING)
def test_fingerprint_holds_is_containment_of_fingerprints(text: str, phrase: str) -> None:
    key = fingerprint(phrase)
    if key:
        assert fingerprint_holds(text, key) == (key in fingerprint(text))
