"""What cleaning works on: the extractor's paragraph blocks and what the page says about itself."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-level unit from the extractor."""

    text: str
    kind: str = "p"
    """``p``, ``head`` (subheading), ``list`` (list item), ``quote``, ``table`` or ``caption``."""
    link_ratio: float = 0.0
    """Share of the block's characters that are link text (1.0: a pure link)."""


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the page says about itself, so repeats of it can be recognised in the body."""

    headline: str = ""
    site_name: str = ""
    domain: str = ""
    authors: tuple[str, ...] = ()
    section: str = ""
    captions: frozenset[str] = field(default_factory=frozenset)
    """Normalised texts of figcaptions and image alt texts."""
    titles: tuple[str, ...] = ()
    """Other statements of the headline (og:title, ``<title>``, ``<h1>``)."""
    teasers: frozenset[str] = field(default_factory=frozenset)
    """Fingerprints of the texts in teaser cards (linked heading plus summary) on the page."""
