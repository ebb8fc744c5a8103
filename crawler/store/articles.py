"""The article store: the one component that decides whether an article is new, and writes it.

It owns the output folder (locked), the state store (SQLite here; Redis in distributed mode,
:class:`crawler.distributed.store.SharedArticleStore`) and the near-duplicate index. An
article's keys (its canonical URLs), text hash and MinHash signature are computed once, from
its paragraphs, by :meth:`ArticleStore.candidate`; :meth:`ArticleStore.add` then checks,
claims, writes and records it, and releases the claim when the write fails.

It is a Scrapy extension, built before the engine so that the folder lock is taken (and a
killed run repaired) before a request is scheduled. Every other component reaches it the
Scrapy way, ``crawler.get_extension(ArticleStore)`` (:func:`article_store`).

A write the disk refuses (output folder or state: full, read-only) stops the crawl (issue 17):
:meth:`ArticleStore.fail` logs one line naming the folder or file and the reason, counts
``news/errors/storage`` (exit status 74) and closes the spider; the article is taken back whole
(its file and manifest line too, when only the state refused it), and every later article is
refused without a write, so no second traceback and no half-written article follow.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler.store.candidate import Candidate, make_candidate
from crawler.store.faults import StorageError, is_disk_error
from crawler.store.output import OutputFolder
from crawler.store.pending import PendingClaims
from crawler.store.rebuild import record_listed, set_aside
from crawler.store.seedformat import file_name, render
from crawler.store.state import Conflict, NearDuplicateIndex, SqliteState, UrlStatus
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

    from crawler.store.fingerprint import Fingerprint
    from crawler.store.state import StateStore

logger = logging.getLogger(__name__)

STORAGE_REASON = "storage_error"
"""The finish reason of a crawl stopped by a write the disk refused."""
STATE_NAME = ".state.sqlite3"
"""The SQLite state's file name inside the output folder (when NEWS_STATE_PATH is empty)."""


class ArticleStore:
    """The output folder and the state of one crawl: check, claim, write, record, release."""

    def __init__(
        self, output: OutputFolder, make_state: Callable[[], StateStore], near: NearDuplicateIndex
    ) -> None:
        self.output = output
        self.near = near
        self._make_state = make_state
        self._state: StateStore | None = None
        self._closed = False
        self._floor = -1
        self._closing: list[Callable[[str], None]] = []
        self._pending = PendingClaims(near)
        self._writer: ThreadPoolExecutor | None = None
        self._writing = asyncio.Lock()
        self.written: Counter[str | None] = Counter()
        """Articles written by this run, per source name (the selection's caps count these),
        counted from their claim, so a file still being written counts too."""
        self.failed: StorageError | None = None
        """The first write the disk refused: the crawl is stopping, nothing more is written."""
        self._crawler: Crawler | None = None
        self._stopping: Any = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        folder = Path(settings["NEWS_OUTPUT_DIR"])
        path = state_path(settings)
        near = near_index(settings)
        rebuild = settings.getbool("NEWS_STATE_REBUILD")

        output = OutputFolder(folder, settings["NEWS_MANIFEST_NAME"])

        def make_state() -> SqliteState:
            if rebuild:  # reconcile then records every listed file into the new one
                set_aside(path)
            # After a crash (the folder's lock file says so) every page of it is checked.
            return SqliteState(path, near, thorough=output.unclean)

        output.check_files = rebuild
        return cls(output, make_state, near)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Built with the extensions: a crawl (it has its spider) opens the store at once.

        A crawler built outside a crawl (tests, tools) opens it on first use instead.
        """
        store = cls.from_settings(crawler.settings)
        store._crawler = crawler
        crawler.signals.connect(store.spider_closed, signal=signals.spider_closed)
        if crawler.spider is not None:
            store.open()
        return store

    # --- life cycle --------------------------------------------------------------------
    def open(self) -> None:
        """Lock the folder first (a locked-out run must not touch the state), then reconcile."""
        if self._state is not None:
            return
        if self._closed:
            raise RuntimeError("the article store of this crawl is closed")
        self.output.open()
        try:
            self._state = self._make_state()
        except BaseException:
            self.output.close()
            raise
        try:
            self.reconcile()
        except BaseException:
            self.close()
            raise

    @property
    def state(self) -> StateStore:
        """The state store, for what it remembers besides articles (documents, redirects)."""
        if self._state is None:
            self.open()
        assert self._state is not None
        return self._state

    def on_close(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(finish_reason)`` when the crawl ends, while the state is still open."""
        self._closing.append(callback)

    def spider_closed(self, reason: str = "", **kwargs: Any) -> None:
        self.close(reason)

    def close(self, reason: str = "") -> None:
        if self._state is None and self._closing and not self._closed:
            self.open()  # opened lazily (outside a crawl): the callbacks still need the state
        if self._state is None:
            self._closed = True
            return
        for callback in self._closing:
            try:
                callback(reason)
            except Exception as exc:  # closing must go on: the lock and the database are released
                if is_disk_error(exc):
                    self.fail(exc)
                else:
                    logger.exception("error while closing the crawl state")
        self._closing.clear()
        if self._writer is not None:
            self._writer.shutdown(wait=True)  # every file in flight lands before the lock goes
            self._writer = None
        if self._pending:
            # A stop that abandoned a write after its file landed (issue 17): record it now,
            # so the state agrees with the manifest when the lock goes.
            try:
                self.reconcile()
            except Exception:  # the next run's open reconciles the same way
                logger.exception("could not record the last file written")
        state, self._state, self._closed = self._state, None, True
        try:
            state.close()
        finally:
            self.output.close()

    def reconcile(self) -> None:
        """Make folder, manifests and state agree after a killed run: the manifests win.

        The state is read before the manifests: a file is recorded only after its manifest
        line exists, so a file recorded by a live worker meanwhile is always seen as listed.
        """
        state = self.state
        known = state.known_files()
        records = self.output.manifest_records()
        listed = {str(r["file"]) for r in records}
        if self.output.shared:
            # Other workers are writing: keep what a live one claimed, and never forget a
            # recorded file (its manifest may just not be visible here yet, e.g. over NFS).
            self.output.remove_orphans(listed, state.file_in_use)
            if stale := known - listed:
                logger.warning("%d recorded file(s) are in no manifest; kept", len(stale))
        else:
            self.output.remove_orphans(listed)
            if lost := known - listed:
                # A crash of the machine can leave the state ahead of the folder: the files
                # are gone, so are their articles (fetched again, not skipped as known).
                logger.warning(
                    "the state knew %d file(s) no manifest lists; forgotten, their articles "
                    "will be fetched again",
                    len(lost),
                )
            for file in lost:
                state.forget_file(file)
        if count := record_listed(state, self.output.folder, records, set(known), self.near):
            logger.info("re-recorded %d listed file(s) in the state", count)
        # Files present now are below the floor; later numbers come from the state's counter
        # (shared by every worker in distributed mode), so the folder is listed once, not per file.
        self._floor = self.output.highest_number()

    def next_number(self) -> int:
        """The next file number: above every file present at open, and every one handed out."""
        return self.state.next_number(self._floor)

    # --- one article -------------------------------------------------------------------
    def candidate(
        self,
        url: str,
        canonical: str,
        title: str,
        paragraphs: Sequence[str],
        fingerprint: Fingerprint | None = None,
    ) -> Candidate:
        """The article as the store judges it (:func:`crawler.store.candidate.make_candidate`)."""
        return make_candidate(self.near, (url, canonical), title, paragraphs, fingerprint)

    def add(
        self, candidate: Candidate, article_id: str, fields: dict[str, Any], source: str | None
    ) -> Conflict | str:
        """Check, claim, write and record an article: its file name, or why it is not new.

        ``fields`` are its manifest fields (without ``file``). A text or near-duplicate's URLs
        are remembered, so the next run does not fetch them again (issue 3).
        """
        name = self._admit(candidate, article_id, source)
        if isinstance(name, Conflict):
            return name
        try:
            self.write(name, candidate, {"file": name, **fields})
            self._commit(candidate, name)
        except BaseException as exc:
            self._abandon(name, source, exc)
            raise
        return name

    async def add_async(
        self, candidate: Candidate, article_id: str, fields: dict[str, Any], source: str | None
    ) -> Conflict | str:
        """``add``, with the file's write (its fsyncs) on the store's writer thread.

        Check, claim and count happen before the first suspension, so no other article runs
        between the selection's caps and the claim; until the file is recorded, the checks
        see it among the pending claims. One file at a time is written and recorded (the
        lock), so the state is never more than one article behind the manifest.
        """
        name = self._admit(candidate, article_id, source)
        if isinstance(name, Conflict):
            return name
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="news-store")
        record = {"file": name, **fields}
        try:
            async with self._writing:
                if self.failed is not None:  # failed while this one waited for the lock
                    raise self.failed
                await asyncio.wrap_future(self._writer.submit(self.write, name, candidate, record))
                self._commit(candidate, name)
        except BaseException as exc:
            self._abandon(name, source, exc)
            raise
        return name

    def _admit(self, candidate: Candidate, article_id: str, source: str | None) -> Conflict | str:
        """Check and claim: the file name the article gets, or why it is not new."""
        if self.failed is not None:
            raise self.failed
        conflict = self.check(candidate)
        if conflict is not None:
            if conflict.basis != "url":
                self.mark_duplicate(candidate, conflict.file)
            return conflict
        name = file_name(self.next_number(), article_id)
        if conflict := self.claim(candidate, name):
            return conflict
        self._pending.add(name, candidate)
        self.written[source] += 1
        return name

    def _commit(self, candidate: Candidate, name: str) -> None:
        try:
            self.record(candidate, name)
        except BaseException:
            self.output.undo_last(name)  # written but not recorded: the next run would repeat it
            raise
        self._pending.discard(name)

    def _abandon(self, name: str, source: str | None, exc: BaseException) -> None:
        self._pending.discard(name)
        self.written[source] -= 1
        if not is_disk_error(exc):
            self.release(name)
            return
        self.fail(exc)
        with contextlib.suppress(Exception):  # the state may be what refused
            self.release(name)

    def fail(self, exc: BaseException) -> StorageError:
        """The disk refused a write: say so once, count it, stop the crawl. The error to raise."""
        if self.failed is None:
            error = exc if isinstance(exc, StorageError) else StorageError(str(exc))
            self.failed = error
            logger.error("%s", error)
            crawler = self._crawler
            if crawler is not None and crawler.stats is not None:
                crawler.stats.inc_value("news/errors/storage")
            engine = crawler.engine if crawler is not None else None
            if engine is not None and engine.spider is not None:
                self._stopping = deferred_from_coro(
                    engine.close_spider_async(reason=STORAGE_REASON)
                )
        return self.failed

    def check(self, candidate: Candidate) -> Conflict | None:
        """Already written or being written: the same URL, the same text, or a similar text."""
        if pending := self._pending.conflict(candidate):
            return pending
        state = self.state
        for key in candidate.keys:
            if state.url_status(key) == UrlStatus.WRITTEN:
                return Conflict("duplicate", "", basis="url")
        if same := state.file_for_text(candidate.sha1):
            return Conflict("duplicate", same, basis="text")
        if candidate.signature is not None and (similar := state.nearest(candidate.signature)):
            return Conflict("near_duplicate", similar[0], basis="similar", similarity=similar[1])
        return None

    def claim(self, candidate: Candidate, file: str) -> Conflict | None:
        """Reserve the article's keys (atomic across distributed workers) before writing."""
        return self.state.claim(list(candidate.keys), candidate.sha1, candidate.signature, file)

    def write(self, file: str, candidate: Candidate, record: dict[str, Any]) -> None:
        """The seed file, atomically, then its manifest line."""
        text = candidate.text
        if text is None:
            text = render(candidate.title, candidate.paragraphs)
        self.output.write_article(file, text, record)

    def record(self, candidate: Candidate, file: str) -> None:
        """Tell the state the file exists (after its manifest line: see ``reconcile``)."""
        self.state.record_article(list(candidate.keys), candidate.sha1, candidate.signature, file)

    def release(self, file: str) -> None:
        """Undo the claim on ``file``: its write failed."""
        self.state.release(file)

    def mark_not_article(self, url: str) -> None:
        """A page judged not an article (or in a language never kept): never fetched again.

        A judgement the disk refused is only lost (the page is judged again next time): the
        crawl stops, and the page's pipeline goes on to drop it.
        """
        try:
            self.state.mark_not_article(canonical_url(url))
        except StorageError as exc:
            self.fail(exc)

    def mark_duplicate(self, candidate: Candidate, file: str) -> None:
        """A copy of ``file``: its URLs are not fetched again."""
        try:
            for key in candidate.keys:
                self.state.mark_duplicate(key, file)
        except StorageError as exc:
            self.fail(exc)


def state_path(settings: BaseSettings) -> Path:
    """The SQLite state file: NEWS_STATE_PATH, or ``.state.sqlite3`` in the output folder."""
    return Path(settings["NEWS_STATE_PATH"] or Path(settings["NEWS_OUTPUT_DIR"]) / STATE_NAME)


def near_index(settings: BaseSettings) -> NearDuplicateIndex:
    """The near-duplicate index configured by NEWS_NEAR_DUPLICATE_*."""
    return NearDuplicateIndex(
        threshold=settings.getfloat("NEWS_NEAR_DUPLICATE_THRESHOLD"),
        permutations=settings.getint("NEWS_NEAR_DUPLICATE_PERMUTATIONS"),
    )


def article_store(crawler: Crawler) -> ArticleStore:
    """The crawl's article store (an extension: ``crawler.get_extension(ArticleStore)``)."""
    store = crawler.get_extension(ArticleStore)
    if store is None:
        raise RuntimeError("crawler.store.articles.ArticleStore is not in EXTENSIONS")
    return store
