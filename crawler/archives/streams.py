"""Open an archive at a byte offset: a local file, or an http(s) URL streamed with ``Range``.

An archive of CommonCrawl is about 1 GB: it is read as a stream, never downloaded whole, and
a connection lost half-way is re-opened where it broke (``Range: bytes=N-``), so a flaky
network costs a few retries, not the file.
"""

from __future__ import annotations

import io
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException, IncompleteRead
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

_NETWORK_ERRORS = (OSError, HTTPException)
_SKIP_CHUNK = 1 << 20


class ArchiveUnavailable(Exception):
    """The archive cannot be opened (missing file, HTTP error, no range support when needed)."""


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Validators:
    """What identifies this version of an archive: a finished one is skipped while they hold."""

    etag: str | None
    last_modified: str | None

    def as_tuple(self) -> tuple[str | None, str | None]:
        return self.etag, self.last_modified


def local_path(location: str) -> Path:
    return Path(location.removeprefix("file://"))


class RangeStream(io.RawIOBase):
    """An HTTP body read from ``start``, re-requested from where it broke on a network error."""

    def __init__(
        self,
        url: str,
        start: int,
        *,
        timeout: float,
        retries: int,
        user_agent: str,
    ) -> None:
        super().__init__()
        self.url, self.position, self.timeout = url, start, timeout
        self.retries, self.user_agent = retries, user_agent
        self._body: IO[bytes] | None = None

    def _open(self) -> IO[bytes]:
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if self.position:
            headers["Range"] = f"bytes={self.position}-"
        request = urllib.request.Request(self.url, headers=headers)  # noqa: S310 - http(s) only
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)  # noqa: S310
        except urllib.error.HTTPError as exc:
            if exc.code == 416:  # asked past the end: nothing left to read
                return io.BytesIO()
            raise ArchiveUnavailable(f"HTTP {exc.code} for {self.url}") from None
        body: IO[bytes] = response
        if self.position and response.status != 206:
            # A server without Range requests: the bytes before the position are read again.
            logger.info("archive %s: no Range support; skipping %d bytes", self.url, self.position)
            left = self.position
            while left > 0:
                skipped = len(response.read(min(left, _SKIP_CHUNK)))
                if not skipped:
                    response.close()
                    raise ArchiveUnavailable(f"{self.url} is shorter than byte {self.position}")
                left -= skipped
        return body

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        for attempt in range(self.retries + 1):
            try:
                if self._body is None:
                    self._body = self._open()
                count = self._body.readinto(buffer)  # type: ignore[attr-defined]
                if not count and getattr(self._body, "length", None):
                    # http.client ends a body cut short silently; its Content-Length did not.
                    raise IncompleteRead(b"", self._body.length)  # type: ignore[attr-defined]
            except _NETWORK_ERRORS as exc:
                if attempt == self.retries:
                    raise
                logger.warning(
                    "archive %s: %s at byte %d; reading on from there", self.url, exc, self.position
                )
                self.close_body()
                continue
            self.position += count or 0
            return count or 0
        return 0

    def close_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self.close_body()
        super().close()


def opener(
    location: str, *, timeout: float, retries: int, user_agent: str
) -> Callable[[int], IO[bytes]]:
    """``open_at(offset)`` for ``crawler.archives.records.read_records``."""

    def open_at(offset: int) -> IO[bytes]:
        if is_remote(location):
            raw = RangeStream(
                location, offset, timeout=timeout, retries=retries, user_agent=user_agent
            )
            return io.BufferedReader(raw, buffer_size=1 << 16)
        try:
            handle = local_path(location).open("rb")
        except OSError as exc:
            raise ArchiveUnavailable(f"{location}: {exc.strerror or exc}") from None
        handle.seek(offset)
        return handle

    return open_at


def validators(location: str, *, timeout: float, user_agent: str) -> Validators:
    """The archive's current identity: size and mtime of a file, ETag/Last-Modified of a URL."""
    if not is_remote(location):
        try:
            stat = local_path(location).stat()
        except OSError as exc:
            raise ArchiveUnavailable(f"{location}: {exc.strerror or exc}") from None
        return Validators(f"{stat.st_size}-{stat.st_mtime_ns}", None)
    request = urllib.request.Request(  # noqa: S310 - http(s) only
        location, method="HEAD", headers={"User-Agent": user_agent}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        raise ArchiveUnavailable(f"HTTP {exc.code} for {location}") from None
    except _NETWORK_ERRORS as exc:
        raise ArchiveUnavailable(f"{location}: {exc}") from None
