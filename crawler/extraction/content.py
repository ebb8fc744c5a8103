"""Pure checks that a response can be an HTML page at all, from its type and first bytes.

Article URLs hide PDFs, images, videos and random bytes, sometimes labelled ``text/html``.
The media type decides first (so a video is stopped at its headers, before its body); a
body that passes is then sniffed for magic numbers and control bytes, which no HTML has.
"""

from __future__ import annotations

# Media types handed to the extractor; a missing type is accepted and sniffed.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})
# Types servers use when they do not know: decided by the body.
UNKNOWN_TYPES = frozenset(
    {"application/octet-stream", "binary/octet-stream", "application/unknown"}
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "RIFF media (WebP, WAV, AVI)"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_SNIFF_BYTES = 4096
# Share of control bytes (other than tab, LF, FF, CR) above which a body is binary.
_MAX_CONTROL_SHARE = 0.10
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r")
# Bytes below the space are ASCII control codes (never text, except the four above).
_FIRST_PRINTABLE = 0x20
# Every byte that is not such a control code: ``bytes.translate`` deletes them in C, so the
# control bytes of 4 KB are counted without a Python loop over each byte.
_NOT_CONTROLS = bytes(
    byte for byte in range(256) if byte >= _FIRST_PRINTABLE or byte in _TEXT_CONTROLS
)


def media_type(content_type: str | bytes | None) -> str:
    """``text/html`` from ``text/html; charset=utf-8``; empty when there is no header."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    return (content_type or "").split(";", 1)[0].strip().lower()


def content_type_problem(content_type: str | bytes | None) -> str | None:
    """Why a response of this Content-Type cannot be an article page, or None if it may be."""
    kind = media_type(content_type)
    if kind in HTML_TYPES or kind in UNKNOWN_TYPES:
        return None
    return f"served as {kind}"


def body_problem(body: bytes) -> str | None:
    """Why these bytes are not an HTML page (a file format, binary noise), or None."""
    head = body[:_SNIFF_BYTES]
    if head.startswith(_TEXT_BOMS):
        return None
    stripped = head.lstrip()
    for magic, name in _MAGIC:
        if stripped.startswith(magic):
            return f"the body is {name}"
    if head[4:8] == b"ftyp":
        return "the body is MP4/QuickTime media"
    if head:
        controls = len(head.translate(None, _NOT_CONTROLS))
        if controls / len(head) > _MAX_CONTROL_SHARE:
            return "the body is binary data"
    return None


def page_problem(content_type: str | bytes | None, body: bytes) -> tuple[str, str] | None:
    """``(kind, detail)`` when a fetched article page holds no HTML to extract, else None."""
    if reason := content_type_problem(content_type):
        return "errors/not_html", reason
    if not body or body.isspace():
        return "errors/empty_body", f"{len(body)} bytes"
    if reason := body_problem(body):
        return "errors/not_html", reason
    return None
