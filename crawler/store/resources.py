"""The per-crawl output folder and state store, shared by the pipelines and middlewares.

Components are built independently by Scrapy; this module gives them one ``CrawlResources``
per crawler, opened on first use and closed when the spider closes. With ``REDIS_URL`` set the
state is :class:`crawler.store.redisstate.RedisState` and the folder is opened shared (one
manifest per worker); ``redis`` is imported only then.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.store.output import OutputFolder
from crawler.store.state import NearDuplicateIndex, SqliteState, StateStore

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Self

    from datasketch import MinHash
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_STATE_NAME = ".state.sqlite3"


class CrawlResources:
    """The output folder (locked) and the state store of one crawl, reconciled on open."""

    def __init__(self, output: OutputFolder, state: StateStore, near: NearDuplicateIndex) -> None:
        self.output = output
        self.state = state
        self.near = near
        self._floor = -1
        self._signatures: dict[str, MinHash] = {}
        self._closing: list[Callable[[str], None]] = []

    def on_close(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(finish_reason)`` when the crawl ends, while the state is still open."""
        self._closing.append(callback)

    def signature(self, text_sha1: str, paragraphs: list[str]) -> MinHash | None:
        """The near-duplicate signature of a text, computed once between check and record."""
        if not self.near.enabled:
            return None
        if text_sha1 not in self._signatures:
            if len(self._signatures) > 1000:  # items dropped after the check never come back
                self._signatures.clear()
            self._signatures[text_sha1] = self.near.signature(paragraphs)
        return self._signatures[text_sha1]

    def forget_signature(self, text_sha1: str) -> None:
        self._signatures.pop(text_sha1, None)

    @classmethod
    def open(
        cls, output: OutputFolder, make_state: Callable[[], StateStore], near: NearDuplicateIndex
    ) -> CrawlResources:
        """Lock the folder first (a locked-out run must not touch the state), then reconcile."""
        output.open()
        try:
            state = make_state()
        except BaseException:
            output.close()
            raise
        resources = cls(output, state, near)
        try:
            resources.reconcile()
        except BaseException:
            resources.close()
            raise
        return resources

    def reconcile(self) -> None:
        """Make folder, manifests and state agree after a killed run: the manifests win.

        The state is read before the manifests: a file is recorded only after its manifest
        line exists, so a file recorded by a live worker meanwhile is always seen as listed.
        """
        known = self.state.known_files()
        records = self.output.manifest_records()
        listed = {str(r["file"]) for r in records}
        if self.output.shared:
            # Other workers are writing: keep what a live one claimed, and never forget a
            # recorded file (its manifest may just not be visible here yet, e.g. over NFS).
            self.output.remove_orphans(listed, self.state.file_in_use)
            if stale := known - listed:
                logger.warning("%d recorded file(s) are in no manifest; kept", len(stale))
        else:
            self.output.remove_orphans(listed)
            for file in known - listed:
                self.state.forget_file(file)
        for record in records:
            file = str(record["file"])
            if file in known or not (self.output.folder / file).exists():
                continue
            paragraphs = (self.output.folder / file).read_text(encoding="utf-8").split("\n\n")[1:]
            keys = [str(k) for k in {record.get("canonical_url"), record.get("url")} if k]
            signature = self.near.signature(paragraphs) if self.near.enabled else None
            self.state.record_article(keys, str(record.get("text_sha1", "")), signature, file)
            logger.info("re-recorded %s in the state after an interrupted run", file)
        # Files present now are below the floor; later numbers come from the state's counter
        # (shared by every worker in distributed mode), so the folder is listed once, not per file.
        self._floor = self.output.highest_number()

    def next_number(self) -> int:
        return self.state.next_number(self._floor)

    def close(self, reason: str = "") -> None:
        for callback in self._closing:
            try:
                callback(reason)
            except Exception:  # closing must go on: the lock and the database are released
                logger.exception("error while closing the crawl state")
        self._closing.clear()
        self.state.close()
        self.output.close()


_open: WeakKeyDictionary[Crawler, CrawlResources] = WeakKeyDictionary()


def crawl_resources(crawler: Crawler) -> CrawlResources:
    """The crawl's resources, opened from its settings on first call."""
    if crawler not in _open:
        settings = crawler.settings
        folder = Path(settings.get("NEWS_OUTPUT_DIR") or "output")
        manifest = settings.get("NEWS_MANIFEST_NAME") or "manifest.jsonl"
        near = NearDuplicateIndex(
            threshold=settings.getfloat("NEWS_NEAR_DUPLICATE_THRESHOLD"),
            permutations=settings.getint("NEWS_NEAR_DUPLICATE_PERMUTATIONS"),
        )
        if settings.get("REDIS_URL"):
            from crawler.distributed.cluster import cluster_for  # noqa: PLC0415 (imports redis)
            from crawler.store.redisstate import RedisState  # noqa: PLC0415

            cluster = cluster_for(crawler)
            _open[crawler] = CrawlResources.open(
                OutputFolder(folder, manifest, writer=cluster.worker),
                lambda: RedisState(cluster, near),
                near,
            )
        else:
            state_path = Path(settings.get("NEWS_STATE_PATH") or folder / DEFAULT_STATE_NAME)
            _open[crawler] = CrawlResources.open(
                OutputFolder(folder, manifest), lambda: SqliteState(state_path, near), near
            )
        crawler.signals.connect(_close_for(crawler), signal=signals.spider_closed, weak=False)
    return _open[crawler]


def _close_for(crawler: Crawler) -> Callable[..., None]:
    def close(reason: str = "", **kwargs: Any) -> None:
        resources = _open.get(crawler)
        if resources is None:
            return
        try:
            resources.close(reason)  # its on_close callbacks may still ask for it
        finally:
            _open.pop(crawler, None)

    return close


class ResourcesExtension:
    """Open the output folder (take its lock) before the scheduler or a request starts.

    Extensions are built before the engine, so a second run on a locked folder fails here,
    without touching its ``JOBDIR`` or the network (``crawler.commands.crawl`` reports it).
    """

    def __init__(self, crawler: Crawler) -> None:
        if crawler.spider is None:
            # Components built outside a crawl (tests, tools): the first user opens them.
            raise NotConfigured("no spider yet: the output folder opens on first use")
        crawl_resources(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)
