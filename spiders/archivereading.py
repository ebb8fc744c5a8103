"""Archives through the ``news`` spider (issue 14): one request per WARC file, its pages as
page items, so an archived page takes the same pipelines as a fetched one.

A mixin of :class:`spiders.news.NewsSpider`, kept apart so that the spider's own module stays
the routing of live discovery. The reading itself is pure (``crawler.archives``); this is the
Scrapy side: the request scrapy-redis shares between workers, the callback that streams a file
in a thread batch by batch, and where each file's next run starts
(``crawler.extensions.archivepositions``).
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler import meta as keys
from crawler.archives.locations import cc_news_archives
from crawler.archives.records import ArchivedPage, DamagedRecord, Outcome, read_records
from crawler.archives.streams import is_remote, opener, validators
from crawler.extensions.archivepositions import archive_positions
from crawler.extraction.content import page_problem
from crawler.failures import decided, report
from crawler.items import PageItem
from crawler.store.articles import article_store
from crawler.store.state import UrlStatus
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

    from crawler.archives.selection import ArchiveSelection
    from crawler.store.state import StateStore

T = TypeVar("T")

# Pages an earlier run settled: an archived copy of one is not extracted again.
_KNOWN_URL = frozenset({UrlStatus.WRITTEN, UrlStatus.NOT_ARTICLE, UrlStatus.DUPLICATE})


class ArchiveReading:
    """The archive side door of the ``news`` spider (``-a warc=``, ``-a cc_news=``)."""

    crawler: Crawler
    cc_news_base: str
    selection: ArchiveSelection

    if TYPE_CHECKING:  # the spider's own, shared with live discovery

        def fetch_failed(self, failure: Failure) -> None: ...

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def _count_by(self, key: str, count: int) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def archive_request(self, location: str, *, start: bool = False) -> Request:
        """One request per archive file: the unit scrapy-redis shares between workers.

        ``crawler.downloadermiddlewares.archives`` answers it at once; ``parse_archive``
        streams the file.
        """
        if start:
            self._count("news/start/requests")
        self._count("news/warc/files")
        url = location if is_remote(location) else Path(location).as_uri()
        return Request(
            url,
            callback=self.parse_archive,
            errback=self.fetch_failed,
            meta={keys.ARCHIVE: location, keys.START: start},
            dont_filter=True,
        )

    def parse_cc_news_index(self, response: Response, **kwargs: Any) -> Iterator[Request]:
        """A CC-NEWS month's ``warc.paths.gz``: its archives, in the published order."""
        self._count("news/start/ok")
        locations = cc_news_archives(self.cc_news_base, response.body)
        self._count_by("news/warc/files_listed", len(locations))
        for location in locations:
            yield self.archive_request(location)

    async def parse_archive(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        """The HTML pages of one archive as page items, read in a thread, batch by batch,
        from where an earlier run stopped (``crawler.extensions.archivepositions``)."""
        location = str(response.meta[keys.ARCHIVE])
        if response.meta.get(keys.START):
            self._count("news/start/ok")
        settings = self.crawler.settings
        timeout = settings.getfloat("NEWS_ARCHIVE_TIMEOUT")
        agent = str(settings.get("USER_AGENT"))
        positions = archive_positions(self.crawler)
        state = article_store(self.crawler).state
        try:
            current = await _in_thread(validators, location, timeout=timeout, user_agent=agent)
            if (read := positions.start(location, current)) is None:
                self._count("news/warc/files_unchanged")
                return
            if offset := read.resume_at:
                self._count("news/warc/files_resumed")
            open_at = opener(
                location,
                timeout=timeout,
                retries=settings.getint("NEWS_ARCHIVE_RETRIES"),
                user_agent=agent,
            )
            records = read_records(open_at, offset, max_size=settings.getint("DOWNLOAD_MAXSIZE"))
            batch = settings.getint("NEWS_ARCHIVE_BATCH")
            while not _closing(self.crawler) and (
                outcomes := await _in_thread(_take, records, batch)
            ):
                self._count_by("news/warc/bytes", outcomes[-1].offset - offset)
                offset = outcomes[-1].offset
                for outcome in outcomes:
                    read.judged(outcome.offset)
                    if item := self._archived_item(location, outcome, state):
                        read.sent(item.url, outcome.offset)
                        yield item
                positions.save(location)
        except Exception as exc:  # noqa: BLE001 - one unreadable archive never ends the run
            report(self.crawler.stats, "errors/warc/unreadable", location, str(exc))
            return
        if not _closing(self.crawler):  # else the rest is for the next run
            positions.save(location, whole=True)
            self._count("news/warc/files_read")

    def _archived_item(self, location: str, outcome: Outcome, state: StateStore) -> PageItem | None:
        self._count("news/warc/records")
        if isinstance(outcome, DamagedRecord):
            detail = f"record at byte {outcome.offset}: {outcome.message}"
            report(self.crawler.stats, "errors/warc/damaged", location, detail)
            return None
        if not isinstance(outcome, ArchivedPage):
            self._count(f"news/warc/skipped/{outcome.kind}")
            return None
        kept, source_name = self.selection.source_for(outcome.url)
        if not kept:
            self._count("news/warc/skipped/not_selected")
            return None
        if problem := page_problem(outcome.content_type or "", outcome.body):
            report(self.crawler, problem[0], outcome.url, problem[1])
            return None
        if (status := state.url_status(canonical_url(outcome.url))) in _KNOWN_URL:
            decided(self.crawler, "skipped/known", outcome.url, reason=str(status))
            return None
        self._count("news/warc/pages")
        return PageItem(
            url=outcome.url,
            body=outcome.body,
            content_type=outcome.content_type,
            fetched_at=outcome.date,
            source_name=source_name,
            discovered_via="warc",
        )


def _take(records: Iterator[Any], count: int) -> list[Any]:
    """The next ``count`` outcomes of the archive reader (run in a thread)."""
    return list(islice(records, count))


async def _in_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Blocking archive I/O off the reactor thread, awaited from a coroutine callback."""
    return await maybe_deferred_to_future(deferToThread(function, *args, **kwargs))


def _closing(crawler: Crawler) -> bool:
    """The crawl is ending (``limit``, a timeout, Ctrl-C): an archive's pages stop here, or
    Scrapy would wait for the rest of a 1 GB file before it closes. (The engine says so only
    in its slot.)"""
    engine = crawler.engine
    slot = getattr(engine, "_slot", None)
    return engine is None or not engine.running or getattr(slot, "closing", None) is not None
