"""The crawl state in Redis: the ``StateStore`` protocol shared by N workers.

Same meaning as :class:`crawler.store.state.SqliteState`, with one addition that only matters when
several processes write: :meth:`RedisState.claim` reserves an article's URL keys, text hash and
MinHash LSH buckets in one optimistic transaction (WATCH/MULTI). Two workers that both passed
the dedup pipeline with the same article race on the same keys, so exactly one claim succeeds;
two near-duplicates share at least one LSH bucket (that is how LSH finds them), so that race is
caught too. A claim names its worker's session and counts only while that worker's heartbeat
lives; a dead worker's claims are free to take over.

The LSH index is datasketch's banding kept as Redis sets, one per band bucket. Its bands are
tuned for a lower threshold with false negatives weighted heavily, so candidates are found
generously; each is then confirmed by the estimated Jaccard of its stored signature against
``NEWS_NEAR_DUPLICATE_THRESHOLD`` (the same candidate policy as the SQLite state on main).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import redis

from crawler.store.state import Conflict, DocumentRecord, UrlStatus

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.distributed.cluster import Cluster
    from crawler.store.nearduplicates import Signature
    from crawler.store.state import NearDuplicateIndex


class PresumedDeadError(RuntimeError):
    """This worker was presumed dead and adopted: it must not write any more."""


class StateLostError(PresumedDeadError):
    """Redis no longer holds the corpus this worker joined (restarted empty): no writing."""


WRITTEN = "written"
CLAIMED = "claimed"

# KEYS: counter. ARGV: floor. The next number above the floor and every number handed out.
_NEXT_NUMBER = """
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
local floor = tonumber(ARGV[1])
if floor > current then current = floor end
redis.call('SET', KEYS[1], current + 1)
return current + 1
"""

# KEYS: URL and text keys. ARGV: file. Deletes those that still point at the file.
_UNMARK = """
local suffix = ' ' .. ARGV[1]
for _, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if value and string.sub(value, -#suffix) == suffix then redis.call('DEL', key) end
end
return 0
"""


def _text(value: bytes | str) -> str:
    """A Redis reply as text (the client returns bytes: requests are pickled)."""
    return value.decode() if isinstance(value, bytes) else value


@dataclass(frozen=True, slots=True)
class Mark:
    """A URL or text key's value: ``w <file>``, ``n``, ``d <file>`` or ``c <session> <file>``."""

    kind: str
    file: str = ""
    session: str = ""

    @classmethod
    def parse(cls, raw: bytes | str | None) -> Mark | None:
        if raw is None:
            return None
        kind, _, rest = _text(raw).partition(" ")
        if kind == "c":
            session, _, file = rest.partition(" ")
            return cls(kind, file, session)
        return cls(kind, rest)


class RedisState:
    """State of one corpus under the cluster's key prefix (see :mod:`crawler.distributed.keys`)."""

    def __init__(self, cluster: Cluster, near: NearDuplicateIndex) -> None:
        self.cluster = cluster
        self.client = cluster.client
        self.keys = cluster.keys
        self.near = near
        self._next_number = self.client.register_script(_NEXT_NUMBER)
        self._unmark = self.client.register_script(_UNMARK)

    # --- reads -------------------------------------------------------------------------
    def url_status(self, key: str) -> str | None:
        mark = Mark.parse(self.client.get(self.keys.url(key)))
        if mark is None or mark.kind == "c":
            return None
        return {"w": UrlStatus.WRITTEN, "d": UrlStatus.DUPLICATE}.get(
            mark.kind, UrlStatus.NOT_ARTICLE
        )

    def file_for_text(self, sha1: str) -> str | None:
        mark = Mark.parse(self.client.get(self.keys.text(sha1)))
        return mark.file if mark is not None and mark.kind == "w" else None

    def near_duplicate_of(self, signature: Signature) -> str | None:
        found = self.nearest(signature)
        return found[0] if found is not None else None

    def nearest(self, signature: Signature) -> tuple[str, float] | None:
        if not self.near.enabled:
            return None
        with self.client.pipeline(transaction=False) as pipe:
            for band in self._bands(signature):
                pipe.smembers(band)
            candidates = set().union(*pipe.execute())
        return self._most_similar(self.client, signature, candidates)

    def known_files(self) -> set[str]:
        """Files recorded as written into this worker's output folder."""
        members = self.client.smembers(self.keys.written(self.cluster.folder_id))
        return {_text(m) for m in members}

    def file_in_use(self, file: str) -> bool:
        """Recorded as written, or claimed by a live worker: never delete it."""
        raw = self.client.hget(self.keys.files, file)
        if raw is None:
            return False
        entry = json.loads(raw)
        return bool(entry.get("status") == WRITTEN or self._live(entry.get("session", "")))

    # --- writes ------------------------------------------------------------------------
    def mark_not_article(self, key: str) -> None:
        self.client.set(self.keys.url(key), "n", nx=True)

    def mark_duplicate(self, key: str, file: str) -> None:
        self.client.set(self.keys.url(key), f"d {file}", nx=True)

    def document(self, url: str) -> DocumentRecord | None:
        raw = self.client.hget(self.keys.documents, url)
        if raw is None:
            return None
        fields = json.loads(raw)
        return DocumentRecord(
            url,
            fields.get("etag"),
            fields.get("last_modified"),
            fields.get("lastmod"),
            fields.get("read_to"),
        )

    def remember_documents(self, records: Iterable[DocumentRecord]) -> None:
        records = list(records)
        kept = {r.url: self.client.hget(self.keys.documents, r.url) for r in records}
        with self.client.pipeline(transaction=False) as pipe:
            for r in records:
                fields: dict[str, Any] = {
                    "etag": r.etag,
                    "last_modified": r.last_modified,
                    "lastmod": r.lastmod,
                    "read_to": r.read_to,
                }
                old = kept[r.url]
                articles = r.articles
                if articles is None and old is not None:
                    articles = tuple(json.loads(old).get("articles") or ())
                fields["articles"] = list(articles or ())
                pipe.hset(self.keys.documents, r.url, json.dumps(fields))
            pipe.execute()

    def unsettled_articles(self, url: str) -> int:
        """Articles the saved document led to that the state no longer knows (issue 17)."""
        raw = self.client.hget(self.keys.documents, url)
        articles = json.loads(raw).get("articles") or [] if raw is not None else []
        with self.client.pipeline(transaction=False) as pipe:
            for key in articles:
                pipe.get(self.keys.url(key))
            marks = pipe.execute() if articles else []
        return sum(1 for m in marks if (mark := Mark.parse(m)) is None or mark.kind == "c")

    def redirect_target(self, key: str) -> str | None:
        raw = self.client.hget(self.keys.redirects, key)
        return _text(raw) if raw is not None else None

    def remember_redirect(self, key: str, target: str) -> None:
        self.client.hset(self.keys.redirects, key, target)

    def next_number(self, floor: int) -> int:
        return int(self._next_number(keys=[self.keys.counter], args=[floor]))

    def claim(
        self, keys: list[str], sha1: str, signature: Signature | None, file: str
    ) -> Conflict | None:
        url_keys = [self.keys.url(k) for k in keys]
        text_key = self.keys.text(sha1)
        bands = self._bands(signature) if signature is not None else []
        heartbeat = self.keys.alive(self.cluster.session)
        epoch = self.keys.epoch
        with self.client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(*url_keys, text_key, *bands, heartbeat, epoch)  # type: ignore[no-untyped-call]
                    if self.cluster.epoch and _text(pipe.get(epoch) or "") != self.cluster.epoch:
                        pipe.unwatch()
                        self.cluster.check_epoch()
                        raise StateLostError(
                            "Redis no longer holds this corpus (restarted empty?): not writing"
                        )
                    if not pipe.exists(heartbeat):
                        # Lapsed but maybe not adopted yet: beat again and decide afresh.
                        pipe.unwatch()
                        if not self.cluster.beat():
                            raise PresumedDeadError(
                                "another worker adopted this one after its heartbeat expired; "
                                "not writing (it may be writing the same article)"
                            )
                        continue
                    conflict = self._conflict(pipe, [*url_keys, text_key], bands, signature)
                    if conflict is not None:
                        pipe.unwatch()
                        return conflict
                    pipe.multi()
                    mark = f"c {self.cluster.session} {file}"
                    for key in [*url_keys, text_key]:
                        pipe.set(key, mark)
                    self._index(
                        pipe,
                        file,
                        keys=keys,
                        sha1=sha1,
                        signature=signature,
                        bands=bands,
                        status=CLAIMED,
                    )
                    pipe.execute()
                    return None
                except redis.WatchError:
                    continue  # another worker touched one of our keys: decide again
                except (redis.ConnectionError, redis.TimeoutError):
                    # Redis went away mid-transaction (a WATCH is not retried on a new
                    # connection): wait for it as every other command does, then decide again.
                    if self.cluster.outage is None or self.cluster.outage.unavailable.is_set():
                        raise
                    self.client.ping()

    def record_article(
        self, keys: list[str], sha1: str, signature: Signature | None, file: str
    ) -> None:
        bands = self._bands(signature) if signature is not None else []
        with self.client.pipeline() as pipe:
            for key in keys:
                pipe.set(self.keys.url(key), f"w {file}")
            pipe.set(self.keys.text(sha1), f"w {file}")
            self._index(
                pipe, file, keys=keys, sha1=sha1, signature=signature, bands=bands, status=WRITTEN
            )
            pipe.sadd(self.keys.written(self.cluster.folder_id), file)
            pipe.execute()

    def release(self, file: str) -> None:
        """Undo this worker's claim on ``file`` (its write failed)."""
        self.forget_file(file)

    def forget_file(self, file: str) -> None:
        """Remove every trace of ``file``; keys that now point at another file are kept."""
        raw = self.client.hget(self.keys.files, file)
        entry: dict[str, Any] = json.loads(raw) if raw else {}
        marked = [self.keys.url(k) for k in entry.get("keys", [])]
        if entry.get("sha1"):
            marked.append(self.keys.text(entry["sha1"]))
        raw_signature = self.client.hget(self.keys.signatures, file)
        stored = self.near.from_bytes(raw_signature) if isinstance(raw_signature, bytes) else None
        bands = self._bands(stored) if stored is not None else []
        if marked:
            self._unmark(keys=marked, args=[file])
        with self.client.pipeline() as pipe:
            for band in bands:
                pipe.srem(band, file)
            pipe.hdel(self.keys.signatures, file)
            pipe.hdel(self.keys.files, file)
            pipe.srem(self.keys.written(entry.get("folder", self.cluster.folder_id)), file)
            pipe.execute()

    def close(self) -> None:
        """The connection belongs to the cluster, which closes it when the engine stops."""

    # --- helpers -----------------------------------------------------------------------
    def _bands(self, signature: Signature) -> list[str]:
        """The Redis keys of the signature's LSH bands (the same bands as the SQLite backend)."""
        keys = []
        for band in self.near.bands(signature):
            index, digest = band.split(":", 1)
            keys.append(self.keys.band(int(index), digest))
        return keys

    def _live(self, session: str) -> bool:
        return bool(session) and bool(self.client.exists(self.keys.alive(session)))

    def _counts(self, mark: Mark | None) -> bool:
        """A mark that blocks a new claim: written, or claimed by a live worker."""
        return mark is not None and (
            mark.kind == "w" or (mark.kind == "c" and self._live(mark.session))
        )

    def _conflict(
        self, pipe: Any, marked: list[str], bands: list[str], signature: Signature | None
    ) -> Conflict | None:
        for raw in pipe.mget(marked):
            mark = Mark.parse(raw)
            if self._counts(mark):
                assert mark is not None
                return Conflict("duplicate", mark.file)
        if signature is None or not bands:
            return None
        candidates: set[bytes] = set()
        for band in bands:
            candidates |= pipe.smembers(band)
        similar = self._most_similar(pipe, signature, candidates)
        if similar is None:
            return None
        return Conflict("near_duplicate", similar[0], similarity=similar[1])

    def _most_similar(
        self, reader: Any, signature: Signature, candidates: set[bytes]
    ) -> tuple[str, float] | None:
        """The candidate file with the highest similarity at or above the threshold."""
        if not candidates:
            return None
        files = sorted(_text(c) for c in candidates)
        signatures = reader.hmget(self.keys.signatures, files)
        entries = reader.hmget(self.keys.files, files)
        stored = []
        for file, raw_signature, raw_entry in zip(files, signatures, entries, strict=True):
            if raw_signature is None or raw_entry is None:
                continue
            entry = json.loads(raw_entry)
            if entry.get("status") != WRITTEN and not self._live(entry.get("session", "")):
                continue  # a dead worker's abandoned claim
            stored.append((file, bytes(raw_signature)))
        return self.near.closest(signature, stored)

    def _index(
        self,
        pipe: Any,
        file: str,
        *,
        keys: list[str],
        sha1: str,
        signature: Signature | None,
        bands: list[str],
        status: str,
    ) -> None:
        entry = {
            "status": status,
            "session": self.cluster.session,
            "folder": self.cluster.folder_id,
            "keys": keys,
            "sha1": sha1,
        }
        pipe.hset(self.keys.files, file, json.dumps(entry))
        if signature is not None and bands:
            pipe.hset(self.keys.signatures, file, self.near.to_bytes(signature))
            for band in bands:
                pipe.sadd(band, file)
