"""The paragraph-level noise rules: widget lines, and the page furniture after the article."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from lxml import html

from crawler.extraction.cleaning import vocabulary
from crawler.extraction.cleaning.blocks import Block
from crawler.extraction.cleaning.lines import is_widget
from crawler.extraction.cleaning.tail import cut_tail
from tests import FIXTURES

if TYPE_CHECKING:
    from crawler.extraction.cleaning.keywords import KeywordRegex


def drop_noise(blocks: list[Block]) -> list[Block]:
    """The first two steps of ``clean_blocks``: widget lines out, then the tail rule."""
    return cut_tail([b for b in blocks if not is_widget(b)])


_PROSE = (
    "The council voted on Tuesday to keep the old library open for another year, after "
    "residents collected more than four thousand signatures."
)
_PROSE_AR = "قال المجلس البلدي يوم الثلاثاء إنه سيبقي المكتبة القديمة مفتوحة لعام آخر بعد أن جمع السكان أكثر من أربعة آلاف توقيع."


@pytest.mark.parametrize(
    "text",
    [
        "Sign up for our free daily newsletter",
        "Thanks for signing up!",
        "There was an error processing your subscription.",
        "Order Reprints",
        "Print Article",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Write to Jane Roe at jane.roe@example.com",
        "DON'T MISS",
        "Bridge closes [VIDEO] | Mayor speaks [INSIGHT]",
        "Get the magazine delivered to your door every month. Click here for more.",
        "اشترك في النشرة البريدية",
        "تابعونا على فيسبوك وتويتر",
        "حمل تطبيق الموقع",
        "لا تفوت",
        "Home | Local | Economy | World | Sport | Culture",
        "الرئيسية » محليات » اقتصاد » رياضة » منوعات",
    ],
)
def test_widget_lines(text: str) -> None:
    assert is_widget(Block(text))


@pytest.mark.parametrize(
    "text",
    [
        _PROSE,
        _PROSE_AR,
        "اشترك في المؤتمر عشرون وفدا من دول المنطقة",  # "took part": not "subscribe"
        (
            "The paper said its newsletter now reaches two million readers every morning, more than "
            "its print edition, and that it would hire ten more reporters to sign up new subscribers "
            "in the regions it covers."
        ),  # widget words in a long sentence of reportage
    ],
)
def test_prose_is_not_a_widget(text: str) -> None:
    assert not is_widget(Block(text))


def test_data_table_rows_and_dashes_are_not_menus() -> None:
    assert not is_widget(Block("Team | Played | Won | Drawn | Lost | Points", "table"))
    assert not is_widget(
        Block("Scores: Leeds 2 - 1 York / Hull 0 - 0 Bury / Derby 3 - 2 Stoke / Wigan 1 - 1 Bolton")
    )


def test_related_list_and_headings_after_the_article_go() -> None:
    blocks = [
        Block(_PROSE),
        Block("Thanks for signing up!", "head"),
        Block(_PROSE.replace("Tuesday", "Monday")),
        Block("More great stories", "head"),
        Block("Mayor opens the new bridge", "list", 0.6),
        Block("Storm closes schools", "list", 0.4),
        Block("Why rents are rising, explained", "list", 0.5),
        Block("Tags: library, council", "p", 0.7),
    ]
    assert [b.text for b in drop_noise(blocks)] == [blocks[0].text, blocks[2].text]


def test_a_closing_list_of_facts_stays() -> None:
    facts = [Block(f"Fact {i} about the budget", "list") for i in range(3)]
    closing = Block("Reporting by the city desk", "p")
    assert drop_noise([Block(_PROSE), *facts, closing]) == [Block(_PROSE), *facts, closing]


def test_list_items_of_prose_count_as_the_article() -> None:
    items = [Block(f"{_PROSE} Item {i}.", "list", 0.1) for i in range(3)]
    blocks = [Block(_PROSE), Block("Defence", "head"), *items]
    assert drop_noise(blocks) == blocks  # the subheading stays: prose follows it


def test_no_prose_keeps_everything_but_widgets() -> None:
    blocks = [Block("Short line", "p"), Block("Order Reprints", "list"), Block("Other", "head")]
    assert drop_noise(blocks) == [blocks[0], blocks[2]]


def _fixture_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((FIXTURES / "articles").glob("*.html")):
        tree = html.document_fromstring(path.read_bytes())
        lines += [" ".join(t.split()) for t in tree.itertext() if t.strip()]
    for path in sorted((FIXTURES / "articles").glob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    return lines


# Case-insensitive matches through letters that fold to ASCII ones, and plain widget lines.
_FOLDED = [
    "SİGN UP",
    "ſubscribe today",
    "Click here to read the BACKSTORY",
    "Follow us on Facebook, Twitter and Instagram",
    "FACEBOOK TWITTER X",
    "WE USE COOKIES to improve your experience",
    "© 2024 Example Media",
    "اشترك في نشرتنا البريدية",
    "أرسل إلى صديق",
]


def test_keyword_pretest_gives_the_regex_answer() -> None:
    widget = vocabulary.WIDGET
    lines = [*_fixture_lines(), *_FOLDED]
    assert len(lines) > 500
    assert [widget.search(t) for t in lines] == [bool(widget.regex.search(t)) for t in lines]
    assert sum(widget.search(t) for t in _FOLDED) >= 3


def test_relative_time_pretest_gives_the_regex_answer() -> None:
    stamps = vocabulary.RELATIVE_TIME_MENTION
    lines = [
        *_fixture_lines(),
        "3 hours ago",
        "Updated 2 DAYS AGO",
        "منذ 3 ساعات",
        "منذ ساعتين",
        "۳ ساعت پیش",
        "5 روز قبل",
        "il y a 4 heures",
        "vor 3 Stunden",
        "hace 2 horas",
        "3 saat önce",
    ]
    found = [stamps.search(t) for t in lines]
    assert found == [bool(stamps.regex.search(t)) for t in lines]
    assert sum(found) >= 9


@pytest.mark.parametrize("regex", [vocabulary.WIDGET, vocabulary.RELATIVE_TIME_MENTION])
def test_every_branch_names_keywords_it_spells_out(regex: KeywordRegex) -> None:
    for keywords, branch in regex.branches:
        assert keywords
        assert all(key == key.lower() for key in keywords)
        assert any(key in branch.lower() for key in keywords), branch
