"""Incremental archive reading: where each archive's next run starts, kept in the state.

An archive read to its end is remembered with its identity (size and mtime, or ETag and
Last-Modified) and skipped while that holds; one a run stopped in (killed, interrupted, an
unreadable stretch) is remembered with the byte its successor starts at
(:class:`crawler.archives.position.ReadPosition`), saved after every batch of records, so even
a killed run costs at most a batch and the pages then in the pipelines.

Once the ``limit`` (or a source's ``max_articles``) has turned a page away, positions stop
advancing: a later run with a larger limit must still find that page. The same once the disk
has refused a write (issue 17): the pages dropped after it were never written, and the run
after space is freed must read them again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler import meta
from crawler.archives.position import ReadPosition
from crawler.store.articles import article_store
from crawler.store.state import DocumentRecord
from crawler.urls import strip_credentials

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.archives.streams import Validators

# Pages turned away by a cap of this run or by a disk that refused writes, not by what they are.
_HOLD_STATS = ("news/skipped/limit", "news/errors/storage")


class ArchivePositions:
    """Read positions of this run's archives; reached with ``crawler.get_extension``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._open: dict[str, tuple[ReadPosition, Validators, int | None]] = {}
        self._hooked = False
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self._page_finished, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def start(self, location: str, current: Validators) -> ReadPosition | None:
        """The position to read ``location`` from; None when an earlier run read it whole."""
        store = article_store(self.crawler)
        if not self._hooked:  # saved once more at the end, while the state is still open
            self._hooked = True
            store.on_close(self._closing)
        known = store.state.document(location)
        start = 0
        if known is not None and (known.etag, known.last_modified) == current.as_tuple():
            if known.read_to is None:
                return None
            start = known.read_to
        position = ReadPosition(start)
        self._open[location] = (position, current, start)
        return position

    def save(self, location: str, *, whole: bool = False) -> None:
        """Remember how far ``location`` is read (``whole``: to its end)."""
        position, current, saved = self._open[location]
        position.done = position.done or whole
        if self._capped():
            return
        read_to = None if position.done and not position.in_flight else position.resume_at
        if read_to == saved and read_to is not None:
            return
        self._open[location] = (position, current, read_to)
        record = DocumentRecord(location, *current.as_tuple(), read_to=read_to)
        article_store(self.crawler).state.remember_documents([record])

    def _capped(self) -> bool:
        stats = self.crawler.stats
        return stats is not None and any(stats.get_value(key) for key in _HOLD_STATS)

    def _page_finished(self, item: Any, response: Response | None = None, **kwargs: Any) -> None:
        if response is None or response.request is None:  # an item of start(), not of a response
            return
        location = response.meta.get(meta.ARCHIVE)
        if location is None or location not in self._open:
            return
        url = str(getattr(item, "url", None) or "")
        position = self._open[location][0]
        if not position.finished(url):
            position.finished(strip_credentials(url))

    def _closing(self, reason: str) -> None:
        for location in list(self._open):
            self.save(location)


def archive_positions(crawler: Crawler) -> ArchivePositions:
    """The crawl's archive positions (an extension: ``crawler.get_extension``)."""
    positions = crawler.get_extension(ArchivePositions)
    if positions is None:
        raise RuntimeError(f"{__name__}.ArchivePositions is not in EXTENSIONS")
    return positions
