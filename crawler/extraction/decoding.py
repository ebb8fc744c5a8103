"""Pure bytes-to-text decoding of HTML pages, so extraction never sees mojibake."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from crawler.extraction.charset import (
    bom_charset,
    declared_charset,
    decode_bytes,
    header_charset,
    resolve_charset,
)

# Characters no XML/HTML tree may hold: lxml refuses the whole text (and trafilatura then
# discards the page) if one is left in. Form feed is HTML whitespace; the rest carry nothing.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Every byte but the control codes of ``_NOT_XML_RE``: a page's UTF-8 keeps one of those codes
# exactly where its text has one, so ``bytes.translate`` finds them in C, three times faster
# than the regex scan (which then runs only on the rare page that has one).
_NOT_CONTROL_BYTES = bytes(byte for byte in range(256) if not _NOT_XML_RE.match(chr(byte)))

# An XHTML page's ``<?xml version="1.0" encoding="…"?>``: once the text is decoded its encoding
# is spent, and lxml refuses a decoded string that still declares one (every such page was lost).
_XML_DECLARATION_RE = re.compile(r"\A\s*<\?xml\s[^>]*\?>", re.IGNORECASE)

# Enough bytes for charset-normalizer to tell windows-1256 from UTF-8 without reading 10 MB.
_DETECT_SAMPLE_BYTES = 64 * 1024


def _detect(body: bytes) -> str | None:
    """Encoding of a page that declares none: UTF-8 when it decodes strictly, else a guess."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best = from_bytes(body[:_DETECT_SAMPLE_BYTES]).best()
    return best.encoding if best is not None else None


def decode_html(body: bytes | str, content_type: str | None = None) -> str:
    """Decode an HTML body the way a browser would.

    Order: byte-order mark, HTTP ``Content-Type`` charset, ``<meta charset>`` /
    ``http-equiv``, then strict UTF-8, then charset-normalizer. Any declaration of another
    charset over bytes that are valid UTF-8 (with non-ASCII text) loses to UTF-8. A header that contradicts a
    body which is not valid in that charset loses to the meta tag (legacy Arabic sites often
    send ``charset=iso-8859-1`` over windows-1256 pages), and so does a legacy header over
    a page that is valid UTF-8 and says so; a UTF-8 declaration over bytes that are not UTF-8
    loses to detection. A leading XML declaration is removed (its encoding has been used).
    Undecodable bytes become U+FFFD; NUL and other control characters
    (and lone surrogates) are removed. Never raises.
    """
    if isinstance(body, str):
        return _xml_safe(body)
    header = content_type if content_type and _header_fits(content_type, body) else None
    encoding, text = _decode_declared(header, body)
    if encoding != "utf-8" and _declared_over_utf8(encoding, body):
        # A legacy declaration (header or meta) over a page saved as UTF-8: "fÃ¼r", "Ø§Ù".
        return _xml_safe(body.decode("utf-8"))
    if encoding == "utf-8" and "\ufffd" in text and not body.startswith(codecs.BOM_UTF8):
        # A template that declares UTF-8 over legacy bytes (a site half-migrated).
        guess = _detect(body)
        if guess and resolve_charset(guess) not in {None, "utf-8"}:
            text = body.decode(guess, errors="replace")
    return _xml_safe(text)


def _decode_declared(content_type: str | None, body: bytes) -> tuple[str, str]:
    """The codec and text by the first of: BOM, header, meta, ``_detect``, UTF-8.

    This is the chain of w3lib 2.5's ``html_to_unicode``, which 2.6 replaced (see
    ``charset.py``). A BOM is removed; ``utf-16`` or ``utf-32`` declared without one is read
    big-endian.
    """
    if bom := bom_charset(body):
        codec, mark = bom
        return codec, decode_bytes(body[len(mark) :], codec)
    encoding = header_charset(content_type)
    if encoding is None:
        encoding = declared_charset(body)
    if encoding is None:
        encoding = _detect(body)
    if encoding is None:
        encoding = "utf8"
    elif encoding in {"utf-16", "utf-32"}:
        encoding += "-be"
    return encoding, decode_bytes(body, encoding)


def _declared_over_utf8(encoding: str, body: bytes) -> bool:
    """Whether bytes declared as ``encoding`` are in fact UTF-8.

    Text in a legacy charset that also decodes strictly as UTF-8, multi-byte sequences and
    all, does not occur in practice beyond a few words (each non-ASCII letter would have to be
    followed by exactly the right continuation bytes), so valid UTF-8 with at least one
    non-ASCII character means the declaration is wrong. UTF-16 and UTF-32 come with their own
    byte-order marks and are left alone.
    """
    if encoding.startswith(("utf-16", "utf-32")) or body.startswith(codecs.BOM_UTF8):
        return False
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _xml_safe(text: str) -> str:
    text = _XML_DECLARATION_RE.sub("", text, count=1).replace("\x0c", " ")
    return _NOT_XML_RE.sub("", text) if _has_non_xml(text) else text


def _has_non_xml(text: str) -> bool:
    """Whether ``_NOT_XML_RE`` matches anywhere in ``text``, without its per-character scan."""
    if "\ufffe" in text or "\uffff" in text:
        return True
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return bool(raw.translate(None, _NOT_CONTROL_BYTES))


# Server-wide defaults that are often wrong for the page; a page's own declaration beats them.
_WEAK_HEADER_ENCODINGS = frozenset({"cp1252", "latin-1", "iso8859-1", "ascii"})


def _header_fits(content_type: str, body: bytes) -> bool:
    """False when the header's charset is probably a server default that the page overrides.

    That is: a Latin-1-family header over a page whose meta tag declares something else, or a
    UTF-8 header over bytes that are not valid UTF-8.
    """
    charset = content_type.lower().partition("charset=")[2].split(";")[0].strip(" \"'")
    if not charset:
        return True
    encoding = resolve_charset(charset)
    if encoding is None:
        return False
    if encoding in _WEAK_HEADER_ENCODINGS:
        declared = declared_charset(body)
        return declared is None or resolve_charset(declared) == encoding
    if encoding != "utf-8":
        # A legacy header over bytes that are valid UTF-8 and declared so: the header is a
        # server default (issue 7, "wrong charset header contradicting the meta tag").
        declared = declared_charset(body)
        return not (
            declared is not None
            and resolve_charset(declared) == "utf-8"
            and _is_utf8(body[:_DETECT_SAMPLE_BYTES])
        )
    return _is_utf8(body[:_DETECT_SAMPLE_BYTES])


def _is_utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut by the sample boundary is still UTF-8.
        return exc.start > len(sample) - 4
    return True
