"""The state rebuilt from the output folder: the manifest is the source of truth (issue 17).

Everything the state must know to keep a corpus free of repeats is in the folder: each
manifest line names its file, its URL and canonical URL and its text hash, and the file holds
the paragraphs its near-duplicate signature is computed from (the store's own
:meth:`~crawler.store.state.NearDuplicateIndex.signature`, so the signature is the one the
crawl would have stored). File numbers come from the folder itself. The same step re-records
the one article a killed run wrote but did not record, and, with ``NEWS_STATE_REBUILD``, every
article after the damaged state file was set aside. What the folder cannot tell (pages judged
not articles, redirects, sitemap validators) is learnt again by the next crawl.
"""

from __future__ import annotations

import fcntl
import logging
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.store.candidate import article_keys
from crawler.store.seedformat import seed_paragraphs, text_sha1
from crawler.store.statefile import StateFile

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from crawler.store.state import NearDuplicateIndex, StateStore

logger = logging.getLogger(__name__)

_SIDE_FILES = ("", "-wal", "-shm")
"""SQLite's files of one database: the file, its write-ahead log, its shared-memory index."""


def record_listed(
    state: StateStore,
    folder: Path,
    records: Iterable[dict[str, Any]],
    known: set[str],
    near: NearDuplicateIndex,
) -> int:
    """Record every listed file the state does not know; how many were recorded."""
    count = 0
    for record in records:
        file = str(record["file"])
        path = folder / file
        if file in known or not path.exists():
            continue
        paragraphs = seed_paragraphs(path.read_text(encoding="utf-8"))
        keys = article_keys(str(record.get("url") or ""), str(record.get("canonical_url") or ""))
        signature = near.signature(paragraphs) if near.enabled else None
        sha1 = str(record.get("text_sha1") or text_sha1(paragraphs))
        state.record_article(list(keys), sha1, signature, file)
        known.add(file)
        count += 1
    return count


def set_aside(path: Path) -> Path | None:
    """Move a state file (and its WAL) out of the way of a rebuild; where it went, if anywhere.

    Refused like an open would be when another process holds it: a rebuild under a live crawl
    would give two processes two different states of one corpus.
    """
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StateFile.locked_error(path) from None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.set-aside-{stamp}")
        for suffix in _SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.replace(kept.with_name(kept.name + suffix))
    finally:
        os.close(fd)
    logger.warning("NEWS_STATE_REBUILD: the old state %s was set aside as %s", path, kept)
    return kept
