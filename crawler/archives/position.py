"""How far an archive is done, so a stopped or killed run's successor starts there.

A record is done once it has been judged and, if it was a page, once the pipelines have
finished with it (written, dropped or failed). Pages pass the pipelines several at a time and
finish out of order, so the position is the offset of the earliest page still in them, or, with
none in flight, of the last record judged (that one record is judged again on resume: a page
the state knows is not extracted twice).
"""

from __future__ import annotations

import heapq


class ReadPosition:
    """The byte offset from which an archive still needs reading."""

    def __init__(self, start: int = 0) -> None:
        self._judged = start
        self._in_flight: dict[str, list[int]] = {}
        """Page URL -> offsets of its records still in the pipelines (a heap: an archive may
        hold one URL twice)."""
        self.done = False
        """Read to its end and every page through the pipelines."""

    def judged(self, offset: int) -> None:
        """The record at ``offset`` was read and judged (records come in file order)."""
        self._judged = max(self._judged, offset)

    def sent(self, url: str, offset: int) -> None:
        """The page of the record at ``offset`` went to the pipelines."""
        heapq.heappush(self._in_flight.setdefault(url, []), offset)
        self.judged(offset)

    def finished(self, url: str) -> bool:
        """The pipelines are done with a page of ``url``; False if none was in flight."""
        offsets = self._in_flight.get(url)
        if not offsets:
            return False
        heapq.heappop(offsets)
        if not offsets:
            del self._in_flight[url]
        return True

    @property
    def in_flight(self) -> int:
        return sum(len(offsets) for offsets in self._in_flight.values())

    @property
    def resume_at(self) -> int:
        """Where the next run starts reading: every record before it is done."""
        earliest = [offsets[0] for offsets in self._in_flight.values()]
        return min(earliest, default=self._judged)
