"""The items that flow through the pipelines: a fetched page, then an article."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.store.fingerprint import Fingerprint


@dataclass(kw_only=True)
class PageItem:
    """A fetched candidate article page, as the spider hands it over (never exported)."""

    url: str
    """Final URL of the page, after redirects."""
    body: bytes = field(repr=False)
    """Raw response body (kept out of logs); decoded by the extraction, dropped once the article exists."""
    content_type: str | None = None
    """The HTTP Content-Type header, for its charset."""
    fetched_at: str = ""
    """UTC ISO 8601 time of the fetch."""
    source_name: str | None = None
    """Name of the configured source (sources file) the page was discovered from."""
    discovered_via: str | None = None
    """How the URL was found: ``urls``, ``sitemap``, ``feed``, ``section``, ``navigation``."""
    published_hint: str | None = None
    """Publication date stated by the sitemap or feed that listed the URL, if any."""
    continuation: list[tuple[str, bytes, str | None]] = field(default_factory=list, repr=False)
    """The article's following pages (URL, body, Content-Type), in order, when it is split over
    several pages; their text is appended to this page's (``crawler.pipelines.continued``)."""


@dataclass(kw_only=True)
class ArticleItem:
    """One article: what the manifest records and what feed exports (-O) write."""

    url: str
    """Final URL of the article page, after redirects."""
    canonical_url: str
    """Canonical URL (page's rel=canonical on the same site, else the URL), tracking removed."""
    id: str
    """First 16 hex digits of the SHA-256 of ``canonical_url``."""
    title: str
    """Headline, without site-name suffixes."""
    text: str
    """Body paragraphs joined by blank lines; the headline is not included."""
    paragraphs: list[str] = field(default_factory=list)
    """The body paragraphs: what the seed file, the text hash and the near-duplicate
    signature are made of (never ``text`` split again)."""
    source: str | None = None
    """Site name as the page states it (og:site_name, JSON-LD publisher), else None."""
    domain: str = ""
    """Host without ``www.``."""
    authors: list[str] = field(default_factory=list)
    """Author names as stated by the page."""
    published: str | None = None
    """ISO 8601 date or datetime stated by the page or its sitemap/feed; None, never a guess."""
    language: str | None = None
    """ISO 639-1 code from langdetect, or None when undetectable."""
    language_probability: float | None = None
    """langdetect's probability for ``language``."""
    fetched_at: str = ""
    """UTC ISO 8601 time of the fetch."""
    words: int = 0
    """Whitespace-separated words in ``text``."""
    text_sha1: str = ""
    """SHA-1 of the whitespace-normalised text: the exact-duplicate key (set by the store)."""
    source_name: str | None = None
    """Configured source (sources file) the article was discovered from, if any."""
    file: str | None = None
    """``NNN_<id>.txt`` once written; None before the writer ran."""
    fingerprint: Fingerprint = field(init=False, repr=False, compare=False)
    """Text hash, signature and seed text from the extraction worker, for the store; unset
    until then, and deleted by the store pipeline, so it is never exported (like ``body``)."""
