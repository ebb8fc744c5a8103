"""Which archived pages a run takes: ``-a domains=`` and the sources file's outlets and patterns.

A CC-NEWS file holds pages of thousands of outlets; a corpus of a few takes only theirs. With a
sources file, a page belongs to the source that lists its host and whose allow/deny patterns
accept its URL (the source's name goes into the manifest, as for a live crawl).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.discovery.sources import Source


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _under(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


@dataclass(frozen=True, slots=True)
class ArchiveSelection:
    """The rules an archived page's URL must pass before it is extracted."""

    domains: frozenset[str] = frozenset()
    """Registered domains to keep (``-a domains=``); empty keeps all."""
    sources: tuple[Source, ...] = ()
    """Sources of a sources file; empty means no source rules."""

    def source_for(self, url: str) -> tuple[bool, str | None]:
        """(kept, source name); a page of no listed outlet, or one a pattern refuses, is not kept."""
        host = host_of(url)
        if self.domains and not _under(host, self.domains):
            return False, None
        if not self.sources:
            return True, None
        for source in self.sources:
            hosts = {
                host_of(u)
                for u in (
                    *source.urls,
                    *source.sitemaps,
                    *source.feeds,
                    *source.sections,
                    *source.sites,
                )
            }
            if _under(host, hosts) and source.accepts(url):
                return True, source.name
        return False, None


def domain_list(values: Iterable[str]) -> frozenset[str]:
    """``-a domains=`` entries as lower-case host names without ``www.`` or a scheme."""
    return frozenset(host_of(v if "//" in v else f"http://{v}") for v in values if v.strip())
