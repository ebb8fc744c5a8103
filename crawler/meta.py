"""The project's request ``meta`` keys, each defined once (Scrapy's own keys keep their names).

The spider sets them when it makes a request; middlewares, the scheduler and the callbacks
read them. Nothing sets one later to tell another component something: that goes through a
signal, a return value or the article store.
"""

from __future__ import annotations

from typing import Final

ARTICLE: Final = "news_article"
"""``bool``: a candidate article page (not a sitemap, feed, section or robots.txt)."""
DISCOVERY: Final = "news_discovery"
"""``str``: the kind of discovery document: ``robots``, ``sitemap``, ``feed``, ``section``, ``home``,
``navigation`` (a section found in a home page's navigation)."""
START: Final = "news_start"
"""``bool``: a start request (counted in ``news/start/*``, for the exit status)."""
PROBE: Final = "news_probe"
"""``bool``: a guessed sitemap location (``/sitemap.xml``): its failure is not an error."""
FOUND_IN: Final = "news_from"
"""``str | None``: the sitemap or feed that listed this article page."""
LEDGER: Final = "news_ledger"
"""``str``: distributed mode: the ledger token of the request popped from the shared queue."""
SOURCE_NAME: Final = "source_name"
"""``str | None``: the configured source (sources file) the URL was discovered from."""
DISCOVERED_VIA: Final = "discovered_via"
"""``str``: how an article URL was found: ``urls``, ``sitemap``, ``feed``, ``section``,
``navigation`` (a home page's sections, for sites without sitemaps or feeds)."""
PUBLISHED_HINT: Final = "published_hint"
"""``str | None``: the publication date the sitemap or feed stated for the article."""
SECTION_PAGE: Final = "section_page"
"""``int``: the page number of a section page (pagination is followed NEWS_SECTION_PAGES deep)."""
SITEMAP_LASTMOD: Final = "sitemap_lastmod"
"""``str | None``: the ``<lastmod>`` the parent sitemap index gave this sitemap."""
ARCHIVE: Final = "news_archive"
"""``str``: the location (path or URL) of a WARC/ARC file the spider streams itself."""
SITE: Final = "news_site"
"""``str``: the site root (``-a sites=``) a robots.txt, sitemap, feed or home page is read for;
``crawler.discovery.navigation.SiteFallback`` counts them to know when a site gave nothing."""
CONTINUES: Final = "news_continues"
"""``PageItem``: the article whose next page this request fetches (articles split over pages)."""
