"""A WARC archive of our own crawls: every fetched page's request and response, as received.

So a corpus can be rebuilt when extraction improves (``-a warc=OUTPUT/warc``), without the
network. WARC/1.1, one gzip member per record, flushed after each exchange: a killed run
leaves every finished file valid and the open one readable up to its last whole exchange.
Files rotate at a size; a run never appends to an existing file.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

# Never written into an archive: they carry the crawl's own credentials.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
# Body framing that no longer matches the stored body (Twisted has undone the chunking).
_FRAMING_HEADERS = frozenset({"transfer-encoding"})


def _status(status: int) -> str:
    from http import HTTPStatus  # noqa: PLC0415 - only for the reason phrase

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _request_protocol(response_protocol: str) -> str:
    """The request line's version: Scrapy sends HTTP/1.1 whatever the server answers with."""
    return "HTTP/2" if response_protocol.lower() in {"h2", "http/2"} else "HTTP/1.1"


class ArchiveWriter:
    """Appends request/response pairs to ``folder/<prefix>-<UTC time>-<serial>.warc.gz``."""

    def __init__(self, folder: Path, prefix: str, max_size: int, info: Mapping[str, str]) -> None:
        self.folder, self.prefix, self.max_size, self.info = folder, prefix, max_size, dict(info)
        self._handle: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self._serial = 0
        self.files: list[Path] = []

    def _open(self) -> WARCWriter:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:  # exclusive create: two runs starting in one second never share a file
            path = self.folder / f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            self._serial += 1
            try:
                self._handle = path.open("xb")
                break
            except FileExistsError:
                continue
        self.files.append(path)
        self._writer = WARCWriter(self._handle, gzip=True, warc_version="1.1")
        self._write(self._writer.create_warcinfo_record(path.name, self.info))
        self._flush()
        return self._writer

    def _write(self, record: object) -> None:
        assert self._writer is not None
        self._writer.write_record(record)

    def _flush(self) -> None:
        assert self._handle is not None
        self._handle.flush()

    def add(
        self,
        *,
        url: str,
        method: str,
        request_headers: list[tuple[str, str]],
        request_body: bytes,
        protocol: str,
        status: int,
        response_headers: list[tuple[str, str]],
        body: bytes,
        ip_address: str | None,
    ) -> tuple[str, int]:
        """One exchange: the response record, then its request (``WARC-Concurrent-To``).

        Returns where the response record starts: the file's name and its byte offset (a
        gzip member boundary, so ``warcio`` reads the record from there).
        """
        writer = self._writer or self._open()
        date = writer.curr_warc_date()
        kept = [
            (k, v)
            for k, v in response_headers
            if k.lower() not in SECRET_HEADERS and k.lower() not in _FRAMING_HEADERS
        ]
        extra = {"WARC-Date": date}
        if ip_address:
            extra["WARC-IP-Address"] = ip_address
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(_status(status), kept, protocol=protocol or "HTTP/1.1"),
            warc_headers_dict=extra,
        )
        parts = urlsplit(url)
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        sent = [(k, v) for k, v in request_headers if k.lower() not in SECRET_HEADERS]
        if not any(k.lower() == "host" for k, _ in sent):  # added by the HTTP client, not Scrapy
            sent.insert(0, ("Host", parts.netloc.rsplit("@", 1)[-1]))
        request = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(request_body),
            length=len(request_body),
            http_headers=StatusAndHeaders(
                f"{method} {path} {_request_protocol(protocol)}", sent, is_http_request=True
            ),
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        assert self._handle is not None
        location = (self.files[-1].name, self._handle.tell())
        self._write(response)
        self._write(request)
        self._flush()
        if self._handle.tell() >= self.max_size:
            self.close()
        return location

    def close(self) -> None:
        """Close the open file (fsynced: a finished file survives a crash of the machine)."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
        self._handle, self._writer = None, None
