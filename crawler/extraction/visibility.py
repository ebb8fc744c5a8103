"""Visibility from what hides an element, not from a substring of its class or id.

trafilatura discards any element whose id holds "hidden" or whose class holds " hidden",
" hide", "-hide-" or "^hide-" (``OVERALL_DISCARD_XPATH``): a visible body container named
``article-body hideable`` or ``content hidden-print`` is dropped with the whole article. What
hides an element is its ``hidden`` attribute or an inline ``display:none`` /
``visibility:hidden`` (trafilatura itself already drops those and ``aria-hidden="true"``).
So, before trafilatura reads the page, elements with the ``hidden`` attribute are removed,
and on the others that hold prose (a body container) the words "hid"/"hide" are taken out of
class and id, except a class token that is itself a stylesheet's hiding class (``hidden``,
``hide``, a hide on desktop screens).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml.etree import XPath

if TYPE_CHECKING:
    from lxml.etree import _Element

MIN_PROSE_CHARS = 80
"""A body container holds a paragraph this long; menus, flaps and buttons hold none."""
# One C pass finds both kinds of candidate: elements with the ``hidden`` attribute, and
# elements named like hidden ones. Then, per candidate (a few a page):
_CANDIDATES = XPath("//*[@hidden or contains(@class, 'hid') or contains(@id, 'hid')]")
# ``hidden="until-found"`` is text the reader reaches by search or by a fragment link; the
# attribute counts in the body only.
_HIDDEN_BY_ATTRIBUTE = XPath(
    "boolean(self::*[@hidden and not(@hidden='until-found')][ancestor::body])"
)
# Named like a hidden element, yet not hidden by attribute or inline style, and holding prose.
_NAMED_VISIBLE = XPath(
    "boolean(self::*[(contains(@class, 'hid') or contains(@id, 'hid')) and not(@hidden)"
    " and not(@aria-hidden='true')"
    " and not(contains(translate(@style, ' ', ''), 'display:none'))"
    " and not(contains(translate(@style, ' ', ''), 'visibility:hidden'))"
    f" and .//p[string-length(normalize-space(.)) >= {MIN_PROSE_CHARS}]])"
)
_HIDE_WORD = re.compile(r"hid(?:eable|able|den|e)?", re.IGNORECASE)
# Class tokens that are themselves a stylesheet's "hide this" (CSS frameworks' utility classes):
# they hide, and stay. A longer name that holds the word ("hideable", "hidden-print",
# "is-hidden-mobile") only says when or where something may be hidden.
_HIDING_TOKENS = frozenset({"hidden", "hide", "is-hidden"})
# ... and so is one that hides on a desktop screen, the one a crawler's page is read at
# ("hide-on-desktop", "hidden-lg", "hide-for-large"): the mobile copy of a block it holds.
_DESKTOP_HIDE = re.compile(r"desktop|large|wide|(?:^|[-_])(?:lg|xl)(?:$|[-_])", re.IGNORECASE)


def _hides(token: str) -> bool:
    """Whether a class token that holds "hid" is itself a stylesheet's hide for this page."""
    return token.lower() in _HIDING_TOKENS or bool(_DESKTOP_HIDE.search(token))


def _top(element: _Element) -> _Element:
    """The outermost ancestor (lxml's ``getroottree`` still names the page's root for an element
    of a removed subtree)."""
    while (parent := element.getparent()) is not None:
        element = parent
    return element


def neutralise_hidden_names(tree: _Element) -> None:
    """Remove what the ``hidden`` attribute hides; keep "hid"/"hide" out of visible names."""
    candidates = _CANDIDATES(tree)
    for element in [e for e in candidates if _HIDDEN_BY_ATTRIBUTE(e)]:
        if element.getparent() is not None:
            element.drop_tree()
    # Names are judged on what is left: a candidate inside a removed element is gone too.
    root = tree.getroottree().getroot()
    named = [e for e in candidates if _top(e) is root and _NAMED_VISIBLE(e)]
    for element in named:
        classes = element.get("class")
        if classes and "hid" in classes.lower():
            tokens = (t if _hides(t) else _HIDE_WORD.sub("", t) for t in classes.split())
            element.set("class", " ".join(t for t in tokens if t))
        name = element.get("id")
        if name and "hid" in name.lower():
            element.set("id", _HIDE_WORD.sub("", name))
