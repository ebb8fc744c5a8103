"""The records of one archive that are news pages, and what happened to the others.

warcio reads the records (WARC/1.0, 1.1 and ARC, gzip per record or uncompressed); this module
only decides, per record, whether it is a page the pipeline should see. A damaged record
costs that record: the reader looks for the next record boundary after it and goes on.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPException
from typing import IO, TYPE_CHECKING, Any

from warcio.archiveiterator import ArchiveIterator

from crawler.archives.streams import ArchiveUnavailable

if sys.version_info >= (3, 14):
    from compression import zstd
else:  # Scrapy's own zstd decoder before 3.14
    from backports import zstd

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/"
_SCAN_CHUNK = 1 << 16
# Bytes looked at after the last whole record: a cut record leaves more than blank lines.
_TAIL_PEEK = 256
_RECORD_TYPES = frozenset(
    {
        "warcinfo",
        "response",
        "resource",
        "request",
        "metadata",
        "revisit",
        "conversion",
        "continuation",
        "arc_header",
    }
)
# Errors of the archive's transport: not the record's fault, the archive cannot be read on.
_TRANSPORT = (OSError, HTTPException, ArchiveUnavailable)


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """A ``response`` record of status 200 with an HTML body."""

    url: str
    """``WARC-Target-URI``."""
    date: str
    """``WARC-Date``: when the page was fetched, as ``fetched_at`` of a live crawl
    (``2024-01-02T03:04:05+00:00``)."""
    content_type: str | None
    """The archived HTTP ``Content-Type`` header, for the charset, as for a live response."""
    body: bytes
    """The HTTP payload, with its transfer and content encodings undone."""
    offset: int
    """Byte offset of the record in the archive file."""


@dataclass(frozen=True, slots=True)
class PassedRecord:
    """A record that is not a page to extract, and why (``news/warc/skipped/<kind>``)."""

    kind: str
    """``request``, ``warcinfo``, ``metadata``, ``revisit``, ``status``, ``not_html``, ``too_large``…"""
    offset: int


@dataclass(frozen=True, slots=True)
class DamagedRecord:
    """A truncated or corrupt record: counted as an error and logged with its offset."""

    offset: int
    message: str


Outcome = ArchivedPage | PassedRecord | DamagedRecord


def _judge(record: Any, archive: ArchiveIterator, max_size: int) -> Outcome:  # noqa: PLR0911
    """The record's outcome; its offset is known only once its block was read (warcio)."""
    rec_type = str(record.rec_type or "")
    http = record.http_headers
    if rec_type not in _RECORD_TYPES:
        offset = archive.get_record_offset()
        return DamagedRecord(offset, f"no valid WARC-Type ({rec_type[:40]!r})")
    if rec_type != "response":
        return PassedRecord(rec_type or "unknown", archive.get_record_offset())
    if http is None:  # a DNS or other non-HTTP response record
        return PassedRecord("not_http", archive.get_record_offset())
    if http.get_statuscode() != "200":
        return PassedRecord("status", archive.get_record_offset())
    content_type = http.get_header("Content-Type")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    if media not in _HTML_TYPES:
        return PassedRecord("not_html", archive.get_record_offset())
    if not url.startswith(("http://", "https://")):
        return PassedRecord("no_url", archive.get_record_offset())
    body = record.content_stream().read(max_size + 1)
    offset = archive.get_record_offset()  # reads the rest of the block
    if record.raw_stream.limit:
        return DamagedRecord(offset, "the record ends before its Content-Length")
    if (http.get_header("Content-Encoding") or "").strip().lower() == "zstd":
        # warcio undoes gzip, deflate and br; Scrapy also asks servers for zstd.
        if (decoded := _unzstd(body, max_size)) is None:
            return PassedRecord("bad_encoding", offset)
        body = decoded
    if len(body) > max_size:
        return PassedRecord("too_large", offset)
    date = fetch_time(record.rec_headers.get_header("WARC-Date") or "")
    return ArchivedPage(url, date, content_type, body, offset)


def _unzstd(data: bytes, max_size: int) -> bytes | None:
    """A zstd-encoded body, decoded up to one byte past ``max_size``; None if it is not zstd."""
    try:
        with zstd.ZstdFile(io.BytesIO(data)) as reader:
            return reader.read(max_size + 1)
    except (zstd.ZstdError, EOFError):
        return None


def fetch_time(warc_date: str) -> str:
    """``WARC-Date`` written as a live crawl writes ``fetched_at`` (UTC, whole seconds)."""
    try:
        when = datetime.fromisoformat(warc_date.strip())
    except ValueError:
        return warc_date.strip()
    if when.tzinfo is None:  # WARC dates are UTC by definition
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _next_boundary(open_at: Callable[[int], IO[bytes]], after: int, magic: bytes) -> int | None:
    """The offset of the first record start (``magic``) after ``after``, or None at the end."""
    position = after + 1
    with open_at(position) as stream:
        tail = b""
        while chunk := stream.read(_SCAN_CHUNK):
            data = tail + chunk
            found = data.find(magic)
            if found >= 0:
                return position - len(tail) + found
            tail = data[-(len(magic) - 1) :]
            position += len(chunk)
    return None


def _continues(open_at: Callable[[int], IO[bytes]], end: int) -> bool:
    """Whether the bytes after the last whole record are more than blank lines."""
    try:
        with open_at(end) as stream:
            return bool(stream.read(_TAIL_PEEK).strip())
    except ArchiveUnavailable:  # a server without Range requests: they were more than nothing
        return True


def read_records(
    open_at: Callable[[int], IO[bytes]], start: int = 0, *, max_size: int
) -> Iterator[Outcome]:
    """Every record of the archive from byte ``start``, judged; ``open_at(offset)`` opens it there.

    After a damaged record the reader re-opens the archive at the next record boundary (the
    next gzip member, or the next ``WARC/`` line of an uncompressed file), so one bad record
    never costs the rest of the file.
    """
    magic: bytes | None = None
    while True:
        with open_at(start) as stream:
            if magic is None:  # a gzip member per record, or plain records
                head = stream.peek(len(_GZIP_MAGIC))[: len(_GZIP_MAGIC)]  # type: ignore[attr-defined]
                magic = _GZIP_MAGIC if head == _GZIP_MAGIC else _WARC_MAGIC
            archive = ArchiveIterator(stream, arc2warc=True, ensure_http_headers=False)
            try:
                for record in archive:
                    yield _judge(record, archive, max_size)
                end, consumed = int(archive.offset), stream.tell()
            except _TRANSPORT:
                raise
            except Exception as exc:  # noqa: BLE001 - whatever a damaged record makes warcio raise
                # warcio's position is the start of the record it could not read.
                damaged = max(start, int(archive.offset))
                yield DamagedRecord(damaged, _message(exc))
            else:
                # warcio ends quietly where a record is cut before its headers are whole.
                if consumed > end and _continues(open_at, end):
                    yield DamagedRecord(end, "the archive ends inside this record")
                return
        following = _next_boundary(open_at, damaged, magic)
        if following is None:
            return
        start = following


def _message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".rstrip(": ")[:200]
