"""One worker's membership in a distributed crawl: identity, heartbeat, seed lease, run end.

A *run* starts when a worker finds no seed lease, and ends when the last worker finishes with
an empty queue; every worker started in between joins it. Liveness is a heartbeat key with a
TTL: a worker whose key expired is presumed dead, and the first live worker to notice adopts
the requests it had taken (``taken:<session>``) so nothing it held is lost. The heartbeat is
sent from a small thread, so a long page extraction (which blocks the reactor) does not make
a live worker look dead: liveness means "the process is there".
Scripts use keys derived from the prefix inside Lua, so this needs a standalone Redis (or a
replica set), not Redis Cluster.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redis

from crawler.distributed.addon import RedisUnavailableError
from crawler.distributed.keys import RedisKeys, corpus_id
from crawler.distributed.outage import OutageRetry
from crawler.urls import strip_credentials

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

BUSY = "busy"
IDLE = "idle"
_WORKER_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class SeedRole(Enum):
    """What a worker does with the start requests of the current run."""

    SEED = "seed"
    """This worker reads the start and discovery pages now."""
    WAIT = "wait"
    """A live worker is reading them; wait and consume the queue."""
    DONE = "done"
    """They were read in this run already."""


# KEYS: seed. ARGV: my session, heartbeat key prefix.
_SEED_ROLE = """
local holder = redis.call('HGET', KEYS[1], 'holder')
if holder then
  if redis.call('HGET', KEYS[1], 'done') == '1' then return 'done' end
  if holder == ARGV[1] then return 'seed' end
  if redis.call('EXISTS', ARGV[2] .. holder) == 1 then return 'wait' end
end
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'done', '0')
return 'seed'
"""

# KEYS: workers, my heartbeat, epoch. ARGV: my session, status, TTL, my epoch.
# -1: Redis lost the corpus (epoch gone or changed); 0: we were adopted; 1: beat.
_BEAT = """
if ARGV[4] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[4] then return -1 end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return 1
"""

# KEYS: workers, dead heartbeat, dead ledger, my ledger. ARGV: dead session.
_ADOPT = """
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return false end
local entries = redis.call('HGETALL', KEYS[3])
for i = 1, #entries, 2 do redis.call('HSET', KEYS[4], entries[i], entries[i + 1]) end
redis.call('DEL', KEYS[3])
return entries
"""

# KEYS: workers, requests, dupefilter, seed, my heartbeat.
# ARGV: my session, heartbeat prefix, ledger prefix, '1' when this worker finished normally.
_LEAVE = """
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[5])
if ARGV[4] ~= '1' or redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
for _, session in ipairs(redis.call('HKEYS', KEYS[1])) do
  local status = redis.call('GET', ARGV[2] .. session)
  if status == 'busy' then return 0 end
  if not status and redis.call('HLEN', ARGV[3] .. session) > 0 then return 0 end
end
return redis.call('DEL', KEYS[3], KEYS[4])
"""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def worker_id(configured: str) -> str:
    """NEWS_WORKER_ID, or ``<hostname>-<pid>``; it names a file, so only safe characters."""
    if configured:
        if not _WORKER_ID_RE.match(configured):
            raise ValueError(f"NEWS_WORKER_ID={configured!r}: use 1-64 of A-Z a-z 0-9 . _ -")
        return configured
    host = re.sub(r"[^A-Za-z0-9._-]", "_", socket.gethostname())[:40] or "host"
    return f"{host}-{os.getpid()}"


@dataclass(frozen=True, slots=True)
class Adopted:
    """A dead worker's registration and the requests it had taken, now in our ledger."""

    session: str
    info: dict[str, Any]
    entries: dict[bytes, bytes]


class Cluster:
    """This worker's connection, identity and membership in the run."""

    def __init__(
        self,
        client: redis.Redis,
        keys: RedisKeys,
        worker: str,
        folder_id: str,
        ttl: int,
        *,
        wait: Callable[[float], bool] | None = None,
    ) -> None:
        """``wait(seconds)`` paces the heartbeat (True: stop); tests pass one where no time
        passes, so a TTL's worth of beats takes no TTL. Default: wait on ``stop_heartbeat``."""
        self.client = client
        self.keys = keys
        self.worker = worker
        self.folder_id = folder_id
        self.ttl = max(2, ttl)
        # A restarted worker keeps its id (and manifest) but is a new session, so claims
        # and ledgers of its dead predecessor are never mistaken for its own.
        self.session = f"{worker}.{secrets.token_hex(4)}"
        self.status = BUSY
        self.presumed_dead = threading.Event()
        """Set once another worker adopted us: this worker must stop writing and close."""
        self.lost = threading.Event()
        """Set once Redis came back without the corpus (see :meth:`check_epoch`)."""
        self.epoch = ""
        """The corpus's epoch token in Redis, read when this worker registered."""
        self.on_lost: Callable[[], None] = lambda: None
        """Called once when :attr:`lost` is set (the scheduler stops the crawl)."""
        self._stop = threading.Event()
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None
        self._beat = client.register_script(_BEAT)
        self._seed_role = client.register_script(_SEED_ROLE)
        self._adopt = client.register_script(_ADOPT)
        self._leave = client.register_script(_LEAVE)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Cluster:
        url = settings.get("REDIS_URL")
        if not url:
            raise ValueError("distributed mode needs REDIS_URL")
        # At start an unreachable Redis is an error at once; later, an outage is waited out.
        with redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10) as probe:
            try:
                probe.ping()
            except redis.RedisError as exc:
                raise RedisUnavailableError(
                    f"cannot use Redis at {strip_credentials(url)}: {exc}"
                ) from None
        retry = OutageRetry(url, settings.getfloat("NEWS_REDIS_OUTAGE_TIMEOUT"))
        client = redis.Redis.from_url(
            url, socket_timeout=30, socket_connect_timeout=10, health_check_interval=30, retry=retry
        )
        folder = Path(settings["NEWS_OUTPUT_DIR"])
        folder_id = corpus_id(folder)
        prefix = settings.get("NEWS_REDIS_PREFIX") or f"newscrawler:{folder_id}"
        cluster = cls(
            client,
            RedisKeys(prefix),
            worker_id(settings["NEWS_WORKER_ID"]),
            folder_id,
            settings.getint("NEWS_REDIS_WORKER_TTL"),
        )
        retry.on_recovery = lambda seconds: cluster.check_epoch()
        retry.on_outage = lambda: client.connection_pool.disconnect(inuse_connections=False)
        return cluster

    @property
    def outage(self) -> OutageRetry | None:
        """The connection's outage policy (None for a client built without one, in tests)."""
        retry = self.client.get_retry()
        return retry if isinstance(retry, OutageRetry) else None

    # --- membership --------------------------------------------------------------------
    def register(self) -> None:
        """Join the run; the heartbeat starts as busy."""
        info = {
            "worker": self.worker,
            "folder": self.folder_id,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self.client.pipeline() as pipe:
            pipe.set(self.keys.epoch, secrets.token_hex(8), nx=True)
            pipe.get(self.keys.epoch)
            pipe.hset(self.keys.workers, self.session, json.dumps(info))
            pipe.set(self.keys.alive(self.session), BUSY, ex=self.ttl)
            _, epoch, *_ = pipe.execute()
        self.epoch = _text(epoch)

    def check_epoch(self) -> bool:
        """True while Redis still holds the corpus this worker joined; else mark it lost.

        A Redis restarted without persistence comes back empty: no queue, no dupefilter, no
        record of what was written. Going on would fetch and write the corpus again, so the
        worker stops instead (the output folder's manifests are the record; restarted
        workers rebuild the state from them).
        """
        if not self.epoch or self.lost.is_set():
            return not self.lost.is_set()
        current = self.client.get(self.keys.epoch)
        if current is not None and _text(current) == self.epoch:
            return True
        self._lose()
        return False

    def _lose(self) -> None:
        if self.lost.is_set():
            return
        self.lost.set()
        logger.error(
            "Redis came back without the state of this corpus (restarted empty?): "
            "not going on, which would write the corpus again"
        )
        self.on_lost()

    def beat(self) -> bool:
        """Refresh the heartbeat; False once adopted (presumed dead) or once Redis lost us."""
        alive = self._beat(
            keys=[self.keys.workers, self.keys.alive(self.session), self.keys.epoch],
            args=[self.session, self.status, self.ttl, self.epoch],
        )
        if alive == -1:
            self._lose()
            return False
        if not alive:
            self.presumed_dead.set()
        return bool(alive)

    def start_heartbeat(self) -> None:
        """Beat every third of the TTL from a daemon thread until :meth:`stop_heartbeat`."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        self._thread.start()

    def stop_heartbeat(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.ttl)
            self._thread = None

    def _beat_forever(self) -> None:
        while not self._wait(self.ttl / 3):
            try:
                if not self.beat():
                    return
            except redis.RedisError:
                if self.outage is not None and self.outage.unavailable.is_set():
                    return  # the outage policy said it once; the worker is stopping
                logger.warning("heartbeat to Redis failed; retrying", exc_info=True)

    def set_status(self, status: str) -> bool:
        """Publish ``busy`` or ``idle``; False once presumed dead (see :meth:`beat`)."""
        if status == self.status:
            return True
        self.status = status
        return self.beat()

    def is_alive(self, session: str) -> bool:
        return bool(self.client.exists(self.keys.alive(session)))

    def _others(self) -> list[str]:
        sessions = [
            s.decode() if isinstance(s, bytes) else s for s in self.client.hkeys(self.keys.workers)
        ]
        return [s for s in sessions if s != self.session]

    def others_busy(self) -> bool:
        """True while another registered worker is alive and busy (it may queue more)."""
        others = self._others()
        if not others:
            return False
        statuses = self.client.mget([self.keys.alive(s) for s in others])
        return any(status == BUSY.encode() for status in statuses)

    def adopt_dead(self) -> list[Adopted]:
        """Take over the ledgers of registered workers whose heartbeat expired."""
        others = self._others()
        if not others:
            return []
        alive = self.client.mget([self.keys.alive(s) for s in others])
        adopted = []
        for session, status in zip(others, alive, strict=True):
            if status is not None:
                continue
            raw_info = self.client.hget(self.keys.workers, session)
            result = self._adopt(
                keys=[
                    self.keys.workers,
                    self.keys.alive(session),
                    self.keys.taken(session),
                    self.keys.taken(self.session),
                ],
                args=[session],
            )
            if result is None:
                continue  # it came back, or another worker adopted it first
            flat = list(result)
            entries = dict(zip(flat[::2], flat[1::2], strict=True))
            info = json.loads(raw_info) if raw_info else {}
            logger.warning(
                "worker %s stopped sending heartbeats: adopted %d request(s) it had taken",
                session,
                len(entries),
            )
            adopted.append(Adopted(session, info, entries))
        return adopted

    def leave(self, *, finished: bool) -> bool:
        """Unregister; end the run when no worker is busy and the queue is empty.

        True for the worker that ends it (the first to leave once all are idle).
        """
        ended = self._leave(
            keys=[
                self.keys.workers,
                self.keys.requests,
                self.keys.dupefilter,
                self.keys.seed,
                self.keys.alive(self.session),
            ],
            args=[self.session, self.keys.alive_prefix, self.keys.taken_prefix, int(finished)],
        )
        return bool(ended)

    # --- the seed lease ----------------------------------------------------------------
    def seed_role(self) -> SeedRole:
        role = self._seed_role(keys=[self.keys.seed], args=[self.session, self.keys.alive_prefix])
        return SeedRole(role.decode() if isinstance(role, bytes) else str(role))

    def seed_done(self) -> None:
        self.client.hset(self.keys.seed, "done", "1")

    def close(self) -> None:
        self.stop_heartbeat()
        self.client.close()
