"""The headline and site name trafilatura's metadata gives, without the rest of its metadata.

Cleaning needs both (a paragraph that only repeats the headline, a line that only names the
site). Most pages state them in their own markup (``crawler.extraction.metadata``); for the
others trafilatura's ``extract_metadata`` used to run in full, where about nine tenths of its
time went to what we never use here: its search for author names by class name (a copy of the
whole tree), its date search (we read dates from the markup) and its category, tag and
licence lookups. This runs only its title and site-name steps, in its order, so the two
values are the ones it gave.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document

if TYPE_CHECKING:
    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)


def page_names(tree: HtmlElement, url: str | None) -> tuple[str | None, str | None]:
    """(headline, site name) as trafilatura's ``extract_metadata(tree, url)`` would find them."""
    metadata = examine_meta(tree)
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as exc:  # noqa: BLE001 - trafilatura's JSON-LD reader on a stranger's page
        logger.debug("trafilatura's JSON-LD metadata failed: %r", exc)
    title = metadata.title or extract_title(tree)
    site = metadata.sitename or extract_sitename(tree)
    if site:
        site = site.lstrip("@")
        if site and "." not in site and not site[0].isupper():
            site = site.title()
    elif (page_url := metadata.url or extract_url(tree, url)) and (
        match := META_URL.match(page_url)
    ):
        site = match[1]
    names = Document()
    names.title, names.sitename = title, site
    names.clean_and_trim()  # as trafilatura trims its fields
    return names.title or None, names.sitename or None
