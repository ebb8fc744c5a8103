"""Pure clean-up of a parsed page before trafilatura reads it, and page-structure evidence.

Two layouts defeat a main-content extractor: legacy pages built from layout tables (the article
is one cell of a table that also holds the menu and the footer) and ASP.NET pages wrapped in one
``<form>``. ``prepare_tree`` turns the first into plain blocks and removes only the small forms
(comment, search, poll, newsletter). ``teaser_texts`` finds the cards of listing widgets (a
linked heading with a short summary) so their text is never taken for article text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.extraction.inline import rendered_text, string_value
from crawler.extraction.textnorm import fingerprint, normalise_space, words
from crawler.extraction.visibility import neutralise_hidden_names

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lxml.html import HtmlElement

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption")
# A cell with more words than this is prose, not data: its table is a page layout.
_LAYOUT_CELL_WORDS = 80
# A teaser card is a linked heading with at most this many words of summary and meta around it.
_TEASER_MAX_WORDS = 100


def prepare_tree(tree: HtmlElement) -> None:
    """Unwrap layout tables, drop small forms, ruby readings and what the ``hidden`` attribute
    hides; take "hidden" out of the names of visible elements (``visibility``), in place."""
    neutralise_hidden_names(tree)
    # A ruby reading (``<rt>``, in ``<rp>`` brackets) is printed above the line, not in it.
    etree.strip_elements(tree, "rt", "rp", with_tail=False)
    _split_paragraphs(tree)
    layout = [table for table in tree.iter("table") if _is_layout_table(table)]
    _drop_small_forms(tree)
    parts = [
        part
        for table in layout
        for part in table.iterdescendants(*_TABLE_PARTS)
        if part.tag != "table" and _owner_table(part) is table
    ]
    for element in (*parts, *layout):
        element.tag = "div"


_BREAKS = frozenset({"br", "lb"})  # HTML's line break and trafilatura's


def _blank(element: HtmlElement) -> bool:
    """A break, or an element that shows no text (an empty ad slot, an image, a script)."""
    if element.tag in _BREAKS or not isinstance(element.tag, str):
        return True
    return element.tag in {"script", "style"} or not string_value(element).strip()


PARAGRAPH_BREAKS = 2
"""Line breaks in a row (blank elements between them allowed) that end a paragraph on the page."""


def break_runs(children: list[HtmlElement]) -> list[tuple[int, int]]:
    """``(first, last)`` indexes of each run of two or more line breaks among ``children``,
    with only blank elements and whitespace between them: a paragraph break on the page."""
    runs = []
    index = 0
    while index < len(children):
        if children[index].tag not in _BREAKS:
            index += 1
            continue
        last, breaks = index, 0
        for position in range(index, len(children)):
            child = children[position]
            if not _blank(child):
                break
            if child.tag in _BREAKS:
                last, breaks = position, breaks + 1
            if (child.tail or "").strip():
                break
        if breaks >= PARAGRAPH_BREAKS:
            runs.append((index, last))
        index = last + 1
    return runs


_WRAPPERS = frozenset({"b", "strong", "i", "em", "span", "font", "u"})
"""Inline elements that wrap a whole paragraph's text on some sites: ``<p><b>A<br><br>B</b></p>``."""


def _cut_at_runs(
    element: HtmlElement, runs: list[tuple[int, int]]
) -> list[tuple[str | None, list[HtmlElement]]]:
    """Take ``element``'s children out and return its content between the break ``runs``:
    ``(leading text, children)`` per piece, the breaks of each run left out."""
    children = list(element)
    pieces, text, start = [], element.text, 0
    for first, last in runs:
        pieces.append((text, children[start:first]))
        text, start = children[last].tail, last + 1
    pieces.append((text, children[start:]))
    for child in children:
        element.remove(child)
    return pieces


def _hoist_breaks(paragraph: HtmlElement) -> None:
    """``<p><b>A<br><br>B</b></p>`` becomes ``<p><b>A</b><br><br><b>B</b></p>``: the paragraph
    break inside an inline wrapper moves up to the paragraph, where ``_split_paragraphs`` sees it."""
    for wrapper in list(paragraph):
        if wrapper.tag not in _WRAPPERS or len(wrapper) < PARAGRAPH_BREAKS:
            continue
        runs = break_runs(list(wrapper))
        if not runs:
            continue
        attributes = dict(wrapper.attrib)
        pieces = _cut_at_runs(wrapper, runs)
        anchor, tail = wrapper, wrapper.tail
        wrapper.tail = None
        for number, (text, kept) in enumerate(pieces):
            if number:
                for _ in range(PARAGRAPH_BREAKS):
                    anchor.addnext(paragraph.makeelement("br", {}))
                    anchor = anchor.getnext()
                anchor.addnext(wrapper.makeelement(str(wrapper.tag), attributes))
                anchor = anchor.getnext()
            anchor.text = text
            anchor.extend(kept)
        anchor.tail = tail


def _split_paragraphs(tree: HtmlElement) -> None:
    """``<p>A<br><br>B</p>`` becomes ``<p>A</p><p>B</p>``: trafilatura keeps one line break of
    the two inside a paragraph, and the paragraph break is lost."""
    for paragraph in list(tree.iter("p")):
        if len(paragraph):
            _hoist_breaks(paragraph)
        children = list(paragraph)
        runs = break_runs(children) if len(children) >= PARAGRAPH_BREAKS else []
        if not runs:
            continue
        segments = _cut_at_runs(paragraph, runs)
        attributes = {k: v for k, v in paragraph.attrib.items() if k != "id"}
        anchor, tail = paragraph, paragraph.tail
        paragraph.tail = None
        for number, (text, kept) in enumerate(segments):
            target = paragraph if number == 0 else paragraph.makeelement("p", attributes)
            target.text = text
            target.extend(kept)
            if number:
                anchor.addnext(target)
                anchor = target
        anchor.tail = tail


def _owner_table(element: HtmlElement) -> HtmlElement | None:
    node = element.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _is_layout_table(table: HtmlElement) -> bool:
    """A table used for page layout: it nests tables or forms, a cell holds prose, or it has a
    single column (a data table has at least two)."""
    if any(True for _ in table.iterdescendants("table", "form", "h1")):
        return True
    widest = 0
    for row in table.iterdescendants("tr"):
        if _owner_table(row) is table:
            widest = max(widest, sum(1 for cell in row if cell.tag in {"td", "th"}))
    if widest <= 1:
        return True
    return any(
        words(cell.text_content()) > _LAYOUT_CELL_WORDS for cell in table.iterdescendants("td")
    )


_PAGE_FORM_PARAGRAPH_WORDS = 40
"""A form with a paragraph this long wraps the page (ASP.NET); comment and poll forms hold none."""


def _drop_small_forms(tree: HtmlElement) -> None:
    """Remove forms (comments, search, polls, newsletters) but not a form that wraps the page.

    ASP.NET WebForms pages put the whole body inside one ``<form>``; such a form holds the
    headline or long paragraphs and must stay.
    """
    for form in list(tree.iter("form")):
        if any(True for _ in form.iterdescendants("h1", "article")):
            continue
        if any(
            words(p.text_content()) > _PAGE_FORM_PARAGRAPH_WORDS
            for p in form.iterdescendants("p", "div")
        ):
            continue
        parent = form.getparent()
        if parent is not None:
            form.drop_tree()


def teaser_texts(tree: HtmlElement, addresses: Sequence[str] = ()) -> tuple[frozenset[str], ...]:
    """Teaser cards: a container with one linked heading and a short summary.

    Each card is given as the fingerprints of its whole text and of every text in it (the
    heading, the summary, the date line). Section fronts, tag pages and "Recent Posts" grids
    are made of such cards; an article body never is (it has more text, or several headings,
    or headings without links). A heading that links to the page itself (``addresses``: a blog
    post's permalink, a review's own address) heads the article, never a teaser of another:
    a short post under it is a card by size alone.
    """
    found: list[frozenset[str]] = []
    own = own_addresses(addresses)
    for heading in tree.iter(*_HEADINGS[1:]):
        title = normalise_space(_text(heading))
        if not title or not _is_link_text(heading, title) or links_to_page(heading, own):
            continue
        card = _card_of(heading, words(title))
        if card is not None:
            texts = (_text(node) for node in card.iter(etree.Element))  # no comments or PIs
            found.append(frozenset({fingerprint(_text(card))} | {fingerprint(t) for t in texts}))
    return tuple(found)


OwnAddresses = tuple[tuple[str, str, str], ...]
"""A page's addresses, each with its canonical form and the last segment of its path."""


def own_addresses(addresses: Sequence[str]) -> OwnAddresses:
    """Each address with its canonical form and the last segment of its path (a cheap test)."""
    own = []
    for url in addresses:
        if not url:
            continue
        try:
            path = urlsplit(url).path
        except ValueError:  # a stated canonical URL is page text: "h://[" must not raise
            continue
        segments = [s for s in path.split("/") if s]
        own.append((url, _address(url), segments[-1] if segments else ""))
    return tuple(own)


def _address(url: str) -> str:
    """The URL as two links to one page share it: scheme and host in lower case, no default
    port, no fragment, no trailing slash (sites link a post both ways). Cheaper than
    ``crawler.urls.canonical_url`` (w3lib), which a page would pay for each of its links."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    host = parts.netloc.lower()
    if host.endswith((":80", ":443")):
        host = host.rsplit(":", 1)[0]
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{host}{path}" + (f"?{parts.query}" if parts.query else "")


def links_to_page(element: HtmlElement, own: OwnAddresses) -> bool:
    """Whether a link of ``element`` points to the page itself (a permalink): an anchor on it,
    or one of its ``own`` addresses (``own_addresses`` of the fetched URL and the canonical URL
    it states) once resolved and made canonical. Only a link that holds the last segment of
    the address's path is resolved (w3lib's canonical form is slow)."""
    if not own:
        return False
    for a in element.iter("a"):
        href = (a.get("href") or "").strip()
        if not href:
            continue
        if href.startswith("#"):
            return True
        for url, canonical, last in own:
            if (not last or last in href) and _address(_joined(url, href)) == canonical:
                return True
    return False


def _joined(base: str, href: str) -> str:
    """``href`` resolved against ``base``; a link no URL parser accepts ("http://[") is left
    as written (it is page text and never equals a page's address)."""
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _text(element: HtmlElement) -> str:
    """The element's text as rendered, so its fingerprint matches the paragraphs' own."""
    return rendered_text(element)


def _is_link_text(element: HtmlElement, text: str) -> bool:
    linked = sum(len(normalise_space(a.text_content())) for a in element.iter("a") if a.get("href"))
    return linked >= 0.7 * len(text)


def _card_of(heading: HtmlElement, title_words: int) -> HtmlElement | None:
    """The smallest ancestor holding more than the heading, if it is a card."""
    node = heading.getparent()
    for _ in range(4):
        if node is None or node.tag in {"body", "html", "main"}:
            return None
        size = _bounded_words(node, _TEASER_MAX_WORDS)
        if size > _TEASER_MAX_WORDS:
            return None
        if size > title_words + 3:
            break
        node = node.getparent()
    else:
        return None
    if node is None or sum(1 for _ in node.iter(*_HEADINGS)) != 1:
        return None
    return node


def _bounded_words(element: HtmlElement, limit: int) -> int:
    """Words in ``element``, counted only up to ``limit + 1`` (big containers stop early)."""
    count = 0
    for piece in element.itertext():
        count += words(piece)
        if count > limit:
            break
    return count
