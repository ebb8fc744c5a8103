"""Paragraph-level noise filter: site widgets that trafilatura leaves inside the article body.

Runs on the extractor's blocks before ``crawler.extraction.cleaning.rules``. Three general signals, none tied
to a site:

- *widget vocabulary*: short lines that talk to the reader about the page rather than report
  (newsletter sign-ups, "thanks for signing up", reprint and print buttons, error messages,
  "follow us on ...", "don't miss", contact lines with an e-mail address), in English and
  Arabic. Only short blocks are tested, so a sentence of reportage that happens to use one of
  the words survives;
- *the tail*: after the last paragraph of prose, headings and link-dense lines and lists
  belong to the page (related stories, "more from", tag lists), not to the article.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crawler.extraction.cleaning.widgets import KeywordRegex

if TYPE_CHECKING:
    from crawler.extraction.cleaning.rules import Block

MAX_WIDGET_WORDS = 30
"""Longer blocks are prose even when they use widget words."""
TAIL_LINK_RATIO = 0.5
"""In the tail, blocks this link-heavy are related-story lists."""
MIN_PROSE_WORDS = 12
"""A block of at least this many words that ends a sentence is prose (it stops the tail sweep)."""

_SOCIAL_NAMES = (
    "facebook", "twitter", "instagram", "youtube", "linkedin",
    "tiktok", "telegram", "whatsapp", "snapchat", "x",
)  # fmt: skip
_SOCIAL = f"(?:{'|'.join(_SOCIAL_NAMES)})"
_WIDGET = KeywordRegex(
    (
        # newsletters and subscriptions
        (
            ("newsletter",),
            r"\bnewsletters?\b.*\b(?:sign|subscribe|inbox|free|daily|weekly|deliver|get)",
        ),
        (
            ("sign", "subscri"),
            r"\b(?:sign(?:ing)? up|subscribe|subscription)\b.*\b(?:newsletter|inbox|today|free)\b",
        ),
        (("subscri",), r"\bsubscri\w+\b.*\b(?:for as little as|use the code)\b"),
        (("sign up", "subscribe"), r"^(?:sign up|subscribe)(?: now| today| here)?\W*$"),
        (("signing up", "subscribing"), r"thanks? (?:you )?for (?:signing up|subscribing)"),
        (("inbox",), r"keep an eye on your inbox"),
        (("error", "try again"), r"error (?:has occurred|processing your)|please try again"),
        (("sorry",), r"^sorry!?$"),
        # page tools
        (
            ("print", "mail this"),
            r"^(?:order )?reprints?$|^print(?: this)? (?:article|page)$|^e-?mail this article$",
        ),
        (("has been sent to",), r"this (?:article|story) has been sent to"),
        (("non-commercial use",), r"for your personal,? non-commercial use"),
        (("click here", "tap here"), r"\bclick here\b|\btap here\b"),
        (("delivered",), r"delivered (?:to|through) your (?:letterbox|door|inbox)"),
        # follow us, contact lines
        (("follow",), rf"\bfollow (?:us|\w+(?: \w+)?) on\b.*\b{_SOCIAL}\b"),
        (
            _SOCIAL_NAMES,
            rf"\b{_SOCIAL}\W+(?:and\W+|,\W*)?{_SOCIAL}\W+(?:and\W+|,\W*)?{_SOCIAL}\b",
        ),
        (("@",), r"\b(?:write to|reach(?:ed)?|contact|e-?mail)\b.*[\w.+-]+@[\w-]+\.\w"),
        (("have a",), r"^have a (?:news )?tip\b"),
        # teaser labels
        (
            ("miss", "see more", "more:", "most popular", "recommended"),
            r"^(?:don[’']?t miss|see more|more:|most popular|recommended(?: for you)?)\W*$",
        ),
        # Arabic ("subscribe now / to the newsletter", "follow us on", "download the app",
        # "click here", "don't miss", "send to a friend", "print")
        (
            ("اشترك", "للاشتراك"),
            r"اشترك(?:وا)? (?:الآن|معنا|في (?:النشرة|نشرتنا|قناتنا|القائمة))|للاشتراك (?:في|ب)",
        ),
        (("النشرة", "القائمة البريدية"), r"النشرة (?:البريدية|الإخبارية)|القائمة البريدية"),
        (("تابع", "تطبيق"), r"تابع(?:ونا|نا) (?:على|عبر|في)|حمّ?ل(?:وا)? تطبيق"),
        (
            ("هنا", "لا تفوت", "صديق", "طباعة", "رسل الخبر", "رسل المقال"),
            r"(?:انقر|اضغط) هنا|^لا تفوت\W*$|أرسل(?: إلى)? صديق|^طباعة$|^(?:أرسل|ارسل) (?:الخبر|المقال)",
        ),
    )
)
# Tokens that separate menu entries and breadcrumbs ("Home | News | Sport", "Home » World").
_SEPARATORS = frozenset("|»«›‹•·>/")
MIN_MENU_SEPARATORS = 4
"""A block with this many free-standing separators between short entries is a menu."""
MAX_MENU_ENTRY_WORDS = 4
"""Menu and breadcrumb entries are this short on average; sentences are longer."""
_BRACKET_LABEL = re.compile(r"\[\s*[A-Z][A-Z ]{2,}\s*\]")
_SENTENCE_END = re.compile(r"[.!?؟…:»”\"')\]]\s*$")


def _words(text: str) -> int:
    return len(text.split())


def is_menu(block: Block) -> bool:
    """Navigation, ticker or breadcrumb entries run together: "Home | Local | Sport | ..."."""
    if block.kind == "table":  # data tables have short cells too
        return False
    tokens = block.text.split()
    separators = sum(1 for t in tokens if t in _SEPARATORS)
    entries = len(tokens) - separators
    return separators >= MIN_MENU_SEPARATORS and entries <= MAX_MENU_ENTRY_WORDS * (separators + 1)


def is_widget(block: Block) -> bool:
    """A block that speaks to the reader about the page, not about the news."""
    text = " ".join(block.text.split())
    if not text:
        return False
    if is_menu(block):
        return True
    if len(_BRACKET_LABEL.findall(text)) >= 2:  # "headline [VIDEO] | headline [INSIGHT]"
        return True
    return _words(text) <= MAX_WIDGET_WORDS and _WIDGET.search(text)


def _is_prose(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.kind in {"p", "quote", "list"}
        and block.link_ratio < TAIL_LINK_RATIO
        and _words(text) >= MIN_PROSE_WORDS
        and bool(_SENTENCE_END.search(text))
    )


def drop_noise(blocks: list[Block]) -> list[Block]:
    """The blocks without widget lines, and without the page furniture after the article.

    After the last paragraph of prose, headings and link-heavy lines go, and so do list items
    when most of them carry a link (a related-stories list; a closing list of facts rarely
    links every item). Any other block there (a short closing line, a table) is kept.
    """
    kept = [b for b in blocks if not is_widget(b)]
    last_prose = max((i for i, b in enumerate(kept) if _is_prose(b)), default=-1)
    if last_prose < 0:
        return kept
    tail = kept[last_prose + 1 :]
    items = [b for b in tail if b.kind == "list"]
    linked_list = sum(1 for b in items if b.link_ratio > 0) * 2 > len(items)
    tail = [
        b
        for b in tail
        if b.kind != "head"
        and b.link_ratio < TAIL_LINK_RATIO
        and not (b.kind == "list" and linked_list)
    ]
    return kept[: last_prose + 1] + tail
