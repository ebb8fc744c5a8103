"""The article store of a distributed worker: Redis state, a shared folder, cluster membership.

:class:`crawler.distributed.addon.RedisAddon` puts :class:`SharedArticleStore` in
``EXTENSIONS`` in place of :class:`crawler.store.articles.ArticleStore`; being a subclass,
``crawler.get_extension(ArticleStore)`` finds it, so the pipelines and middlewares do not
know which mode runs. It also owns this worker's :class:`~crawler.distributed.cluster.Cluster`
(the Redis connection and membership), which the scheduler and the seeding middleware reach
through :func:`shared_store`. Nothing connects to Redis before the store opens.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import redis
from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.distributed.cluster import Cluster
from crawler.store.articles import ArticleStore, near_index
from crawler.store.output import OutputFolder
from crawler.store.redisstate import PresumedDeadError, RedisState

if TYPE_CHECKING:
    from typing import Any, Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

    from crawler.store.candidate import Candidate
    from crawler.store.state import Conflict

logger = logging.getLogger(__name__)


class SharedArticleStore(ArticleStore):
    """One worker's view of the shared corpus: its own manifest, the cluster's Redis state."""

    def __init__(self, settings: BaseSettings) -> None:
        self._settings = settings
        self._cluster: Cluster | None = None
        folder = Path(settings["NEWS_OUTPUT_DIR"])
        # The writer (worker id) is known once the cluster is; see open().
        super().__init__(
            OutputFolder(folder, settings["NEWS_MANIFEST_NAME"]), self._redis, near_index(settings)
        )

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        store = super().from_crawler(crawler)
        crawler.signals.connect(store.engine_stopped, signal=signals.engine_stopped)
        return store

    @property
    def cluster(self) -> Cluster:
        """This worker's cluster membership (opens the store on first use)."""
        if self._cluster is None:
            self.open()
        assert self._cluster is not None
        return self._cluster

    def open(self) -> None:
        """Join Redis (or raise RedisUnavailableError), then lock the shared folder and reconcile."""
        if self._cluster is None:
            cluster = Cluster.from_settings(self._settings)
            logger.info(
                "distributed mode: worker %s, Redis key prefix %s",
                cluster.session,
                cluster.keys.prefix,
            )
            self._cluster = cluster
            self.output = OutputFolder(
                self.output.folder, self._settings["NEWS_MANIFEST_NAME"], writer=cluster.worker
            )
        super().open()

    async def add_async(
        self, candidate: Candidate, article_id: str, fields: dict[str, Any], source: str | None
    ) -> Conflict | str:
        """``ArticleStore.add_async``; an article this worker may no longer write (it is stopping:
        Redis gone for good, or back without the corpus, or the worker was adopted) is dropped
        with one line instead of a traceback. Its request stays in the ledger, for the next
        worker to adopt."""
        try:
            return await super().add_async(candidate, article_id, fields, source)
        except (PresumedDeadError, redis.RedisError) as error:
            if not self.stopping:
                raise
            raise DropItem(
                f"not written, this worker is stopping ({error})", log_level="INFO"
            ) from None

    def write(self, file: str, candidate: Candidate, record: dict[str, Any]) -> None:
        """``ArticleStore.write``, unless the worker is stopping: articles claimed before Redis
        went away wait for the writer one by one, and none of them could be recorded now.
        Not writing them keeps the state within one file of the manifest; their requests stay
        in the ledger for the next worker."""
        if self.stopping:
            raise PresumedDeadError(f"{file} not written: Redis is unavailable")
        super().write(file, candidate, record)

    @property
    def stopping(self) -> bool:
        """True once this worker must not write any more (see :meth:`add_async`)."""
        cluster = self._cluster
        if cluster is None:
            return False
        outage = cluster.outage
        return (
            cluster.lost.is_set()
            or cluster.presumed_dead.is_set()
            or (outage is not None and outage.unavailable.is_set())
        )

    def _redis(self) -> RedisState:
        return RedisState(self.cluster, self.near)

    def engine_stopped(self) -> None:
        """The connection outlives the spider: the scheduler's close still uses it."""
        if self._cluster is not None:
            self._cluster.close()


def shared_store(crawler: Crawler) -> SharedArticleStore:
    """The crawl's shared article store (distributed mode only)."""
    store = crawler.get_extension(SharedArticleStore)
    if store is None:
        raise RuntimeError("distributed mode needs crawler.distributed.store.SharedArticleStore")
    return store
