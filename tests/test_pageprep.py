"""Page structure before extraction: layout tables, page-wrapping forms, teaser cards, and the
headline the page prints."""

from __future__ import annotations

from lxml import html

from crawler.extraction.pageprep import break_runs, prepare_tree, teaser_texts
from crawler.extraction.textnorm import fingerprint
from crawler.extraction.titles import choose_headline

PROSE = " ".join(["كلمة"] * 90)


def tree(body: str) -> html.HtmlElement:
    return html.document_fromstring(f"<html><body>{body}</body></html>")


def tags(root: html.HtmlElement) -> list[str]:
    return [str(e.tag) for e in root.iter() if e.tag in {"table", "tr", "td", "form", "div"}]


def test_layout_table_with_prose_becomes_blocks() -> None:
    root = tree(f"<table><tr><td>menu</td><td>{PROSE}</td></tr></table>")
    prepare_tree(root)
    assert "table" not in tags(root)
    assert "td" not in tags(root)


def test_nested_and_single_column_tables_are_layout() -> None:
    root = tree(
        "<table><tr><td><table><tr><td>a</td></tr><tr><td>b</td></tr></table></td>"
        "<td>x</td></tr></table>"
    )
    prepare_tree(root)
    assert "table" not in tags(root)


def test_data_table_stays_a_table() -> None:
    rows = "".join(f"<tr><td>Team {n}</td><td>{n}</td><td>{30 - n}</td></tr>" for n in range(5))
    root = tree(f"<p>{PROSE}</p><table><tr><th>Team</th><th>W</th><th>Pts</th></tr>{rows}</table>")
    prepare_tree(root)
    assert tags(root).count("table") == 1
    assert tags(root).count("td") == 15


def test_data_table_inside_a_layout_table_stays() -> None:
    data = "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>"
    root = tree(f"<table><tr><td>{PROSE}{data}</td><td>side</td></tr></table>")
    prepare_tree(root)
    assert tags(root).count("table") == 1


def test_small_forms_go_but_a_page_wrapping_form_stays() -> None:
    comment = '<form id="commentform"><p>Your email address will not be published.</p></form>'
    root = tree(f"<form id='form1'><h1>Headline</h1><p>{PROSE}</p>{comment}</form>")
    prepare_tree(root)
    forms = [f.get("id") for f in root.iter("form")]
    assert forms == ["form1"]
    assert "Headline" in root.text_content()


def test_teaser_cards_are_found() -> None:
    cards = "".join(
        f'<article><h3><a href="/news/{n}">Teaser headline {n}</a></h3>'
        f"<!-- card {n} --><p>Short summary of story {n} with a few words.<?pi x?></p>"
        "<span>2 hours ago</span></article>"
        for n in range(3)
    )
    found = teaser_texts(tree(f"<main><h1>Section</h1>{cards}</main>"))
    assert len(found) == 3
    assert fingerprint("Short summary of story 1 with a few words.") in found[1]
    assert fingerprint("Teaser headline 1") in found[1]


def test_article_sections_are_not_teasers() -> None:
    body = (
        "<article><h1>Headline</h1>"
        f'<h2><a href="/people/x">A linked subheading</a></h2><p>{PROSE}</p>'
        f"<h2>Plain subheading</h2><p>{PROSE}</p></article>"
    )
    assert teaser_texts(tree(body)) == ()


POST_URL = "https://blog.example/2023/04/18/old-lathe/"
POST = (
    "<h1><a href='https://blog.example/'>Workbench Notes</a></h1>"
    "<div class='post'><h2><a href='{href}' rel='bookmark'>Why the old lathe wins</a></h2>"
    "<p>A short post of a few sentences under its own permalink.</p></div>"
)


def test_a_heading_that_links_to_the_page_itself_heads_no_teaser() -> None:
    for href in (POST_URL, "/2023/04/18/old-lathe", "#post-412"):
        assert teaser_texts(tree(POST.format(href=href)), [POST_URL]) == ()
    other = teaser_texts(tree(POST.format(href="/2023/04/02/chisels/")), [POST_URL])
    assert len(other) == 1  # the card of another post is a teaser
    assert len(teaser_texts(tree(POST.format(href=POST_URL)))) == 1  # no URL, no permalink


def test_a_permalink_heading_in_the_title_is_the_headline() -> None:
    stated = ["Workbench Notes » Blog Archive » Why the old lathe wins"]
    root = tree(POST.format(href=POST_URL))
    assert choose_headline(root, stated, urls=[POST_URL]) == "Why the old lathe wins"
    served = ["http://127.0.0.1:8080/post.html", POST_URL]  # a copy that states its canonical URL
    assert choose_headline(root, stated, urls=served) == "Why the old lathe wins"
    elsewhere = tree(POST.format(href="/2023/04/02/chisels/"))
    assert choose_headline(elsewhere, stated, urls=[POST_URL]) != "Why the old lathe wins"


def test_headline_is_the_h1_inside_the_stated_title() -> None:
    root = tree("<h1>Site Name</h1><h1>Port opens in Lagos after delays</h1><p>text</p>")
    stated = ["Port opens in Lagos after delays | World | Site Name"]
    assert choose_headline(root, stated, "Site Name") == "Port opens in Lagos after delays"


def test_logo_h1_is_not_the_headline() -> None:
    root = tree("<h1>The Northern Ledger</h1><p>text</p>")
    stated = ["Port opens in Lagos after long delays | The Northern Ledger"]
    assert choose_headline(root, stated) == "Port opens in Lagos after long delays"


def test_legacy_title_segment_printed_in_the_body() -> None:
    headline = "الحكومة تقر خطة لإعادة تأهيل شبكات مياه الشرب"
    root = tree(f'<table><tr><td class="title"><b>{headline}</b></td></tr></table>')
    assert choose_headline(root, [f"شامنيوز - {headline}"]) == headline


def test_headline_falls_back_to_the_title_without_affixes() -> None:
    root = tree("<p>text</p>")
    stated = ["Port opens in Lagos after long delays | World | Northern Ledger"]
    assert choose_headline(root, stated) == "Port opens in Lagos after long delays"
    assert choose_headline(root, []) == ""


def test_double_line_breaks_split_a_paragraph_also_around_an_empty_element() -> None:
    tree = html.document_fromstring(
        "<html><body><p class='t'>one <b>1</b><br><br>two<br> <span></span> <br>"
        "<a href='/ad'><img src='a.gif'></a>three<br>still three</p></body></html>"
    )
    prepare_tree(tree)
    texts = ["".join(p.itertext()) for p in tree.iter("p")]
    assert texts == ["one 1", "two", "three" + "still three"]
    assert [p.get("class") for p in tree.iter("p")] == ["t", "t", "t"]


def test_break_runs_need_two_breaks_and_nothing_shown_between() -> None:
    tree = html.fragment_fromstring("<div>a<br>b<br><i></i><br>c<br><b>x</b><br>d</div>")
    assert break_runs(list(tree)) == [(1, 3)]


def test_double_line_breaks_inside_an_inline_wrapper_split_the_paragraph() -> None:
    root = tree(
        "<p class='t'>lead <b class='w'>one <i>1</i><br><br>two<br>still two</b> end</p>"
        "<p><strong>a<br>b</strong></p>"
    )
    prepare_tree(root)
    texts = [p.text_content() for p in root.iter("p")]
    assert texts == ["lead one 1", "twostill two end", "ab"]
    assert [p.get("class") for p in root.iter("p")][:2] == ["t", "t"]
    assert [b.get("class") for b in root.iter("b")] == ["w", "w"]
