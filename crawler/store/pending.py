"""Articles claimed but not yet recorded: their file is being written on the store's thread.

The seed file's write costs three fsyncs (about 10 ms of wall time on this machine's virtual
disk, 0.6 ms of CPU), which on the reactor thread stalled every download and every result
coming back from the extraction workers. The store now writes on a thread; while a file is in
flight the state does not know it yet, so the checks also look here: a copy of an article being
written is a duplicate of it, exactly as if it had been recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.store.state import Conflict

if TYPE_CHECKING:
    from crawler.store.candidate import Candidate
    from crawler.store.state import NearDuplicateIndex


class PendingClaims:
    """The keys, text hashes and signatures of the files being written, by file."""

    def __init__(self, near: NearDuplicateIndex) -> None:
        self.near = near
        self._keys: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self._signatures: dict[str, bytes] = {}
        self._owned: dict[str, tuple[tuple[str, ...], str]] = {}
        """Each file's keys and text hash, so ``discard`` touches only its own entries."""

    def add(self, file: str, candidate: Candidate) -> None:
        self._keys.update(dict.fromkeys(candidate.keys, file))
        self._texts[candidate.sha1] = file
        self._owned[file] = (candidate.keys, candidate.sha1)
        if candidate.signature is not None:
            self._signatures[file] = self.near.to_bytes(candidate.signature)

    def __bool__(self) -> bool:
        """True while a file is claimed and not yet recorded (or released)."""
        return bool(self._texts)

    def discard(self, file: str) -> None:
        """``file`` is recorded in the state (or its write failed): the state answers now."""
        keys, sha1 = self._owned.pop(file, ((), ""))
        for key in keys:
            if self._keys.get(key) == file:
                del self._keys[key]
        if self._texts.get(sha1) == file:
            del self._texts[sha1]
        self._signatures.pop(file, None)

    def conflict(self, candidate: Candidate) -> Conflict | None:
        """The check's answer against the files in flight (same bases as the state's).

        The near-duplicate test scores every file in flight in one numpy step
        (``NearDuplicateIndex.closest``: ``MinHash.jaccard``'s share of equal values, the
        first of equal best scores wins), not one ``jaccard`` call per file: with the writer a
        few dozen files behind, those calls were a tenth of the crawl process's time.
        """
        for key in candidate.keys:
            if key in self._keys:
                return Conflict("duplicate", "", basis="url")
        if same := self._texts.get(candidate.sha1):
            return Conflict("duplicate", same, basis="text")
        if candidate.signature is None or not self._signatures:
            return None
        found = self.near.closest(candidate.signature, list(self._signatures.items()))
        if found is None:
            return None
        return Conflict("near_duplicate", found[0], basis="similar", similarity=found[1])
