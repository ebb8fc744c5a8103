"""Decompression bombs built without ever holding their expanded size in memory.

A gzip member is written as one raw-deflate block of 1 MiB of zeros, closed with a full flush
(so it refers to nothing before it) and repeated: the compressed bomb is about 1 KiB per MiB
and costs no CPU to repeat. brotli and zstd bombs are streamed through their compressors
one MiB at a time. The expanded size is what a client that ignores limits would allocate.
"""

from __future__ import annotations

import functools
import importlib
import struct
import threading
import zlib
from typing import Any

MIB = 1 << 20
_ZEROS = bytes(MIB)
_LOCK = threading.Lock()


def _module(*names: str) -> Any:
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def available_encodings() -> list[str]:
    """Content-Encodings this process can build bombs for (Scrapy decodes the same ones)."""
    found = ["gzip"]
    if _module("brotli", "brotlicffi") is not None:
        found.append("br")
    if _module("compression.zstd", "backports.zstd", "zstandard") is not None:
        found.append("zstd")
    return found


def gzip_bomb(expanded_mib: int) -> bytes:
    """A valid gzip member that expands to ``expanded_mib`` MiB of zeros."""
    with _LOCK:
        return _gzip_bomb(expanded_mib)


@functools.cache
def _gzip_bomb(expanded_mib: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(_ZEROS) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # empty final block
    crc = 0
    for _ in range(expanded_mib):
        crc = zlib.crc32(_ZEROS, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (expanded_mib * MIB) & 0xFFFFFFFF)
    return header + block * expanded_mib + final + trailer


def bomb(encoding: str, expanded_mib: int) -> bytes:
    """The compressed body for ``encoding`` (``gzip``, ``br`` or ``zstd``)."""
    if encoding == "gzip":
        return gzip_bomb(expanded_mib)
    with _LOCK:
        return _streamed_bomb(encoding, expanded_mib)


@functools.cache
def _streamed_bomb(encoding: str, expanded_mib: int) -> bytes:
    parts: list[bytes] = []
    if encoding == "br":
        brotli = _module("brotli", "brotlicffi")
        compressor = brotli.Compressor(quality=1)
        parts.extend(compressor.process(_ZEROS) for _ in range(expanded_mib))
        parts.append(compressor.finish())
    elif encoding == "zstd":
        zstd = _module("compression.zstd", "backports.zstd")
        if zstd is not None:
            compressor = zstd.ZstdCompressor(level=1)
            parts.extend(compressor.compress(_ZEROS) for _ in range(expanded_mib))
            parts.append(compressor.flush())
        else:
            zstandard = _module("zstandard")
            compressor = zstandard.ZstdCompressor(level=1).compressobj()
            parts.extend(compressor.compress(_ZEROS) for _ in range(expanded_mib))
            parts.append(compressor.flush())
    else:
        raise ValueError(f"no bomb for Content-Encoding {encoding!r}")
    return b"".join(parts)
