"""Records each URL's fate and each run in the ledger (``crawler.store.ledger``, issue 16).

Every decision is counted in one place (``crawler.failures.decided``/``report``), which also
sends ``DECIDED``; this extension turns those into ledger rows. The WARC archive middleware
says where a page's record starts (``RECORDED``); the page's next decision carries it. The run
row opens when the spider opens and closes with the article store (its ``on_close``, while the
state is still open), with the finish reason, the summary counts and the exit status
``crawler.commands.runstatus`` gives those stats.

Single process: the tables live in the SQLite state file. Distributed mode: in the worker's
own ``.ledger-<worker>.sqlite3`` in the shared folder, so no worker waits on another's ledger
and Redis holds only what the workers must share.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.commands.runstatus import exit_status
from crawler.downloadermiddlewares.warcarchive import RECORDED
from crawler.extensions.summary import summarise
from crawler.failures import DECIDED
from crawler.store.articles import article_store, state_path
from crawler.store.ledger import Ledger, decision, worker_file

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class LedgerRecorder:
    """Writes this crawl's run and its URL rows; off with ``NEWS_LEDGER = False``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.ledger: Ledger | None = None
        self._warc: dict[str, tuple[str, int]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NEWS_LEDGER"):
            raise NotConfigured
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.decided, signal=DECIDED)
        crawler.signals.connect(recorder.archived, signal=RECORDED)
        return recorder

    def path(self) -> Path:
        """The state file, or a distributed worker's own ledger file."""
        store = article_store(self.crawler)
        store.open()
        if store.output.writer:
            return worker_file(store.output.folder, store.output.writer)
        return state_path(self.crawler.settings)

    def spider_opened(self, **kwargs: Any) -> None:
        store = article_store(self.crawler)
        path = self.path()
        self.ledger = Ledger(path, worker=store.output.writer or "")
        store.on_close(self.finish)

    def decided(  # noqa: PLR0917 - the signal's keyword arguments, by name
        self,
        kind: str,
        url: str,
        detail: str = "",
        source: str | None = None,
        reason: str = "",
        file: str | None = None,
        similarity: float | None = None,
    ) -> None:
        row = decision(
            kind, url, detail, source=source, reason=reason, file=file, similarity=similarity
        )
        if row is None or self.ledger is None:
            return
        self.ledger.add(row, self._warc.pop(row.url, None))

    def archived(self, url: str, file: str, offset: int) -> None:
        self._warc[url] = (file, offset)

    def finish(self, reason: str) -> None:
        """The run's end: its rows, finish reason, summary and exit status."""
        ledger, self.ledger = self.ledger, None
        if ledger is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        status, _ = exit_status({**stats, "finish_reason": reason}, None)
        try:
            ledger.finish(reason, status, summarise(stats))
        finally:
            ledger.close()
            self._warc.clear()
