"""Pure decision of what a page is: an article, a list of other articles, or too little text.

A section front or tag page is a column of linked headlines, each with a one-line teaser and a
time stamp ("منذ 3 ساعات", "2 hours ago"); trafilatura finds that column as readily as an
article body, and it has words enough to pass ``min_words``. A news brief is short, but it is
one run of prose. No single signal tells them apart (sites call section fronts ``WebPage``,
briefs sit under short URLs, articles end with a "latest news" box), so several vote:

- structure: the share of the body's words in short linked items, and the longest run of
  unlinked prose (time-stamped text with none is a column of teasers);
- time stamps: several blocks carrying a relative time;
- what the page states: JSON-LD ``@type`` and ``og:type`` (``NewsArticle`` vs ``CollectionPage``);
- the URL's shape (``crawler.urls.has_article_path``, the test discovery uses).

A page is a listing only when its structure says so (a stated type or a URL alone never
refuses a page) and the listing votes outnumber the article votes. The decision carries a
short reason, which ``python -m crawler.extract --jsonl`` prints and the crawl log names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.extraction.cleaning.vocabulary import RELATIVE_TIME_MENTION
from crawler.extraction.textnorm import words
from crawler.urls import has_article_path, is_http_url

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.extraction.cleaning.blocks import Block
    from crawler.extraction.metadata import PageMetadata

ARTICLE = "article"
LISTING = "listing"
SHORT = "short"
NO_TEXT = "no_text"
NO_HEADLINE = "no_headline"

LINKED_ITEM_MIN_RATIO = 0.2
"""A block with this share of link text or more starts with (or is) a linked headline."""
ITEM_MAX_WORDS = 60
"""A linked item longer than this is a paragraph with links in it, not a headline and teaser."""
MIN_ITEMS = 4
"""Fewer linked items are a "read also" box or a short list, which articles have too."""
ITEMS_MIN_SHARE = 0.5
"""Linked items are the body's structure when they hold at least this share of its words (by
blocks, a page of prose with a table of contents and a list of related links would count)."""
MIN_TIME_STAMPS = 3
"""This many blocks with a relative time ("2 hours ago") are a stream of teasers."""
PROSE_RUN_WORDS = 40
"""An unbroken run of unlinked blocks this long is article prose (a 60-word brief has one;
a teaser is one line between two headlines)."""
PROSE_MAX_LINK_RATIO = 0.1
"""A block with less link text than this counts as prose."""

LISTING_TYPES = frozenset(
    {"collectionpage", "itemlist", "searchresultspage", "profilepage", "og:profile"}
)
"""Stated types of a page of links (a ``WebSite`` object or ``og:website`` also sit on articles)."""
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "og:article",
    }
)
"""Stated types of one article."""


@dataclass(frozen=True, slots=True)
class PageType:
    """What the page is, and in a few words why."""

    kind: str
    """``article``, ``listing``, ``short``, ``no_text`` or ``no_headline``."""
    reason: str = ""

    @property
    def is_article(self) -> bool:
        return self.kind == ARTICLE


def _longest_prose_run(blocks: Sequence[Block], stamped: Sequence[bool]) -> int:
    """Words in the longest run of consecutive unlinked blocks; a subheading neither adds nor
    breaks, a linked block or a time stamp (the foot of a teaser) breaks."""
    best = current = 0
    for block, stamp in zip(blocks, stamped, strict=True):
        if block.kind == "head":
            continue
        if block.link_ratio < PROSE_MAX_LINK_RATIO and not stamp:
            current += words(block.text)
            best = max(best, current)
        else:
            current = 0
    return best


def _is_item(block: Block) -> bool:
    return block.link_ratio >= LINKED_ITEM_MIN_RATIO and words(block.text) <= ITEM_MAX_WORDS


def _brief_or_short(
    article: list[str],
    listing: list[str],
    body_words: int,
    min_words: int,
    brief: int,
    *,
    claimed: bool,
    complete: bool,
) -> PageType:
    """A body under ``min_words``: a brief when the page itself claims to be an article (a
    stated article type, an article-shaped URL; prose alone is no claim: a login page has a
    run of it), shows more signs of an article than of a listing, has ``brief`` words and
    ends like a sentence (a page cut short does not); else too short."""
    if claimed and len(article) > len(listing) and body_words >= brief and complete:
        return PageType(ARTICLE, "; ".join([f"a brief of {body_words} words", *article]))
    return PageType(SHORT, f"{body_words} words, fewer than {min_words}")


def classify(
    blocks: Sequence[Block],
    meta: PageMetadata,
    url: str,
    *,
    body_words: int,
    min_words: int,
    min_brief_words: int | None = None,
    complete: bool = True,
) -> PageType:
    """The page type from the extractor's blocks (before cleaning, with their link shares),
    what the page states, its URL, and the words cleaning kept (``body_words``); ``complete``
    says whether the kept text ends like a sentence (a page cut short does not)."""
    if not blocks:
        return PageType(NO_TEXT, "no main text found")
    sizes = [words(b.text) for b in blocks]
    item_sizes = [n for b, n in zip(blocks, sizes, strict=True) if _is_item(b)]
    items = len(item_sizes)
    stamped = [bool(RELATIVE_TIME_MENTION.search(b.text)) for b in blocks]
    stamps = sum(stamped)
    prose = _longest_prose_run(blocks, stamped)
    stated = meta.stated_types
    listing: list[str] = []
    article: list[str] = []
    if items >= MIN_ITEMS and sum(item_sizes) >= ITEMS_MIN_SHARE * sum(sizes):
        listing.append(f"{items} linked items, {sum(item_sizes)} of {sum(sizes)} words")
    if stamps >= MIN_TIME_STAMPS:
        listing.append(f"{stamps} relative time stamps")
    structural = bool(listing)
    if prose >= PROSE_RUN_WORDS:
        article.append(f"a prose run of {prose} words")
    elif stamps >= MIN_TIME_STAMPS:
        # Time-stamped fragments: a stream of teasers (show notes and link lists have no stamps).
        listing.append(f"no prose run of {PROSE_RUN_WORDS} words")
    if kinds := sorted(stated & LISTING_TYPES):
        listing.append(f"stated {'/'.join(kinds)}")
    if kinds := sorted(stated & ARTICLE_TYPES):
        article.append(f"stated {'/'.join(kinds)}")
    claimed = bool(kinds)  # the page's own claims: its stated type, its URL
    if not is_http_url(url):
        pass  # a saved file's path says nothing about the page
    elif has_article_path(url):
        article.append("article URL")
        claimed = True
    else:
        listing.append("section-like URL")
    if structural and len(listing) > len(article):
        return PageType(LISTING, "; ".join(listing))
    if body_words < min_words:
        brief = min_words if min_brief_words is None else min_brief_words
        return _brief_or_short(
            article, listing, body_words, min_words, brief, claimed=claimed, complete=complete
        )
    return PageType(ARTICLE, "; ".join(article) or "no listing structure")
