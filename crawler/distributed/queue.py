"""scrapy-redis's priority queue, plus a ledger of the requests this worker has taken.

scrapy-redis pops a request out of Redis for good, so a worker killed with requests in flight
would lose them for the run. Here the pop also copies the request into ``taken:<session>`` in
the same Lua call; the entry is removed (acked) when the request's item has been through the
pipelines, when the request goes back into the queue (retry, redirect), or when the worker is
idle. A dead worker's ledger is adopted by a live one and pushed back into the queue.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from scrapy_redis.queue import PriorityQueue

from crawler import meta

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import redis
    from scrapy import Request, Spider

# KEYS: queue, ledger. Pops the best request and records it in the ledger atomically.
_POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('HSET', KEYS[2], redis.sha1hex(popped[1]), popped[1])
return popped[1]
"""


def token_of(data: bytes) -> str:
    """The ledger token of a serialised request (the SHA-1 that Lua's ``sha1hex`` gives)."""
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


class LedgerQueue(PriorityQueue):  # type: ignore[misc]
    """A per-corpus priority queue whose pops are recorded until acknowledged."""

    def __init__(
        self,
        server: redis.Redis,
        spider: Spider,
        key: str,
        ledger_key: str,
        serializer: Any = None,
    ) -> None:
        super().__init__(server, spider, key, serializer)
        self.ledger_key = ledger_key
        self._pop = server.register_script(_POP)

    def pop(self, timeout: int = 0) -> Request | None:
        data = self._pop(keys=[self.key, self.ledger_key])
        if not data:
            return None
        request: Request = self._decode_request(data)
        request.meta[meta.LEDGER] = token_of(data)
        return request

    def ack(self, token: str) -> None:
        """This worker is done with the request behind ``token``."""
        self.server.hdel(self.ledger_key, token)

    def push_back(self, request: Request, token: str | None = None) -> None:
        """Queue ``request`` again and, in the same transaction, drop its ledger entry."""
        with self.server.pipeline() as pipe:
            pipe.execute_command("ZADD", self.key, -request.priority, self._encode_request(request))
            if token:
                pipe.hdel(self.ledger_key, token)
            pipe.execute()

    def taken(self) -> dict[bytes, bytes]:
        """The ledger: token -> serialised request."""
        return dict(self.server.hgetall(self.ledger_key))

    def clear_ledger(self) -> None:
        self.server.delete(self.ledger_key)

    def requeue(
        self, entries: Iterable[tuple[bytes, bytes]], finished: Callable[[Request], bool]
    ) -> int:
        """Push ledger entries back unless ``finished`` says their work is done; the count."""
        count = 0
        for raw_token, data in entries:
            token = raw_token.decode()
            request: Request = self._decode_request(data)
            if finished(request):
                self.ack(token)
            else:
                self.push_back(request, token)
                count += 1
        return count
