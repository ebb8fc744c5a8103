"""One-time loads that extraction would otherwise pay on its first pages.

langdetect's profiles (about 0.2 s) load on the first language guess, and trafilatura builds
the union of jusText's hundred stoplists (about 1 s) the first time its fallback cascade
runs. In a crawl each extraction worker would pay both on some early page, which then looks
slow (and counts against the page's timeout); in a benchmark the cost lands on whichever
page first needs it. ``preload`` pays them once, up front.
"""

from __future__ import annotations

from trafilatura import external

from crawler.extraction import langfast


def preload() -> None:
    """Load the language profiles and trafilatura's jusText stoplist now (idempotent)."""
    langfast.profiles()
    if external.JT_STOPLIST is None:
        external.jt_stoplist_init()
