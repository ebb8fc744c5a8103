"""A discovery document's bytes read as a sitemap or a feed, in one order for every reader.

The crawl (``spiders/news.py``) and ``scrapy sources`` (``crawler/commands/sourcecheck.py``)
both take a fetched sitemap or feed through the same steps: the sitemap's XML (gunzipped
within the size limit), the refusal of a document that declares XML entities, the sitemap
reader, then the feed reader on what is left. They differ only in what they do with the
result, so the steps live here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.discovery.feeds import FeedEntry, read_feed
from crawler.discovery.sitemaps import (
    SitemapDocument,
    declares_entities,
    read_sitemap,
    sitemap_body,
)


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """What a discovery document turned out to be; at most one of its readings is set."""

    body: bytes
    """The bytes read: the sitemap's XML (gunzipped) or, when it is none, the body as sent."""
    entities: bool = False
    """It declares XML entities (an expansion bomb or an external entity): not read."""
    sitemap: SitemapDocument | None = None
    feed: list[FeedEntry] | None = None


def read_xml_document(body: bytes, url: str, *, is_xml: bool, max_size: int) -> XmlDocument:
    """``body``, fetched from ``url``, as a sitemap, a feed, or neither (both readings None).

    ``is_xml``: Scrapy made an ``XmlResponse`` of it; ``max_size`` bounds a gunzipped sitemap.
    """
    xml = sitemap_body(body, url, is_xml=is_xml, max_size=max_size)
    read = xml or body
    if declares_entities(read):
        return XmlDocument(read, entities=True)
    if xml and (sitemap := read_sitemap(xml)) is not None:
        return XmlDocument(read, sitemap=sitemap)
    return XmlDocument(read, feed=read_feed(read, url))
