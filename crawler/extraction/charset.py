"""Which charset a page's bytes are in, by the rules of w3lib 2.5, owned here.

w3lib 2.6 moved these functions to the WHATWG Encoding Standard (``latin1`` names
windows-1252 and ``utf-16`` without a BOM is little-endian everywhere; a UTF-32LE BOM reads
as UTF-16LE; a meta tag that declares UTF-16 means UTF-8) and deprecated the detection hook
``decode_html`` needs. What a page decodes to must not depend on which w3lib is installed, so
the chain w3lib 2.5's ``html_to_unicode`` ran, and the rules each step used, live here on
Python's codecs alone: the byte-order mark, the ``Content-Type`` charset, the ``<meta>`` or
XML declaration, and a label's codec. The policy on top (which declaration loses to which
bytes) is ``decoding.py``'s.
"""

from __future__ import annotations

import codecs
import encodings
import re
from functools import lru_cache

# A label's normalised name, mapped to the codec browsers decode it with (w3lib 2.5's table;
# gb18030 supersedes gb2312 and gbk).
_LABEL_TRANSLATION = {
    "ascii": "cp1252",
    "big5": "big5hkscs",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gb_2312_80": "gb18030",
    "gbk": "gb18030",
    "iso8859_11": "cp874",
    "iso8859_9": "cp1254",
    "latin_1": "cp1252",
    "macintosh": "mac_roman",
    "shift_jis": "cp932",
    "tis_620": "cp874",
    "win_1251": "cp1251",
    "windows_31j": "cp932",
    "win_31j": "cp932",
    "windows_874": "cp874",
    "win_874": "cp874",
    "x_sjis": "cp932",
    "zh_cn": "gb18030",
}
# Codecs a page may not name. UTF-7 re-spells "<", ">" and "&" in ASCII bytes, so it would
# turn text a browser shows as inert into live markup. The other two are not Python's: w3lib
# 2.6 registers them process-wide, and a page declaring them must resolve to nothing as it
# does without them.
_REFUSED_CODECS = frozenset({"utf-7", "x-user-defined", "replacement"})


@lru_cache(maxsize=256)
def resolve_charset(label: str) -> str | None:
    """The Python codec name ``label`` stands for (``latin1`` → ``cp1252``), or None."""
    normed = encodings.normalize_encoding(label).lower()
    canonical = encodings.aliases.aliases.get(normed, normed)
    try:
        name = codecs.lookup(_LABEL_TRANSLATION.get(canonical, canonical)).name
        # A bytes-to-bytes codec (base64, hex, zlib, rot13) decodes no page: w3lib 2.5 returned
        # its name and decoding then raised; it is an unknown charset like any other.
        b"a".decode(name, "replace")
    except LookupError:
        return None
    return None if name in _REFUSED_CODECS else name


# The longer marks first: a UTF-32LE mark starts with the UTF-16LE one.
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF8, "utf-8"),
)


def bom_charset(body: bytes) -> tuple[str, bytes] | None:
    """The codec a leading byte-order mark names, and the mark."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, bom
    return None


# A ``charset=`` parameter whose value ends at whitespace, ";", "," or the end of the header
# (a comma joins duplicate headers: the first charset is kept).
_HEADER_CHARSET_RE = re.compile(
    r'(?:^|;)[ \t]*charset=(?:"([\w-]+)"|([\w-]+))(?![^\s;,])', re.IGNORECASE
)
# One ``name=value`` parameter, its value a token or a quoted string taken whole: a
# "charset=" inside a quoted value belongs to that value.
_HEADER_PARAMETER_RE = re.compile(
    r"(?:^|;)[ \t]*(?P<name>[^\s;=]+)="
    r'(?:"(?P<quoted>[^"\\]*(?:\\.[^"\\]*)*)"(?![^\s;,])|(?P<token>[^;,\s]*))'
)
_LABEL_RE = re.compile(r"[\w-]+")


def header_charset(content_type: str | None) -> str | None:
    """The codec of the charset a ``Content-Type`` header declares, or None."""
    if not content_type or not (match := _HEADER_CHARSET_RE.search(content_type)):
        return None
    if content_type.find('"', 0, match.start()) < 0:  # not inside a quoted value
        return resolve_charset(match.group(1) or match.group(2))
    for parameter in _HEADER_PARAMETER_RE.finditer(content_type):
        if parameter.group("name").lower() == "charset":
            label = parameter.group("quoted")
            if label is None:
                label = parameter.group("token")
            if _LABEL_RE.fullmatch(label):
                return resolve_charset(label)
    return None


# The first meta tag or XML declaration before the body, skipping comments (a declaration in
# one is not honoured); quoted attribute values are consumed whole. Linear: every alternative
# consumes each character at most once.
_DECLARATION_SCAN_RE = re.compile(
    r"""
      <!--.*?(?:-->|$)
    | <\s*meta(?=[\s/])(?P<meta>(?:[^<>=]|=\s*(?:"[^"]*"|'[^']*')?)*)
    | <\?xml\s(?P<xml>[^<>]*)
    | <\s*(?P<body>body)
    """,
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
_ATTRIBUTE_RE = re.compile(
    r"""(?P<name>[^\s<>/=]+)
    (?:\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'>]*)))?""",
    re.VERBOSE,
)
_HTTP_EQUIV_NAMES = frozenset({"http-equiv", "http_equiv", "httpequiv"})
_CONTENT_TYPE_PRAGMA_RE = re.compile(r"content[-_ ]?type", re.IGNORECASE)
_CONTENT_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*(?P<label>[\w-]+)""", re.IGNORECASE)
# A declaration is ASCII markup near the top; HTML5 says 1,024 bytes, pages need more.
_DECLARATION_SCAN_BYTES = 4096


def declared_charset(body: bytes) -> str | None:
    """The codec a ``<meta>`` tag or an XML declaration near the top of ``body`` names."""
    chunk = body[:_DECLARATION_SCAN_BYTES].decode("latin-1")
    for match in _DECLARATION_SCAN_RE.finditer(chunk):
        if match.group("body") is not None:
            return None
        if (attrs := match.group("meta")) is not None:
            label = _meta_label(attrs) if "charset" in attrs.lower() else None
        elif match.group("xml") is not None:
            label = _attribute_label(match.group("xml"), "encoding")
        else:  # a comment
            continue
        if label is not None:
            return resolve_charset(label)
    return None


def _attributes(attrs: str) -> list[tuple[str, str]]:
    """``(lower-cased name, unquoted value)`` of each attribute that has a value."""
    return [
        (found["name"].lower(), found["double"] or found["single"] or found["bare"] or "")
        for found in _ATTRIBUTE_RE.finditer(attrs)
        if found.lastindex != 1
    ]


def _leading_label(value: str) -> str | None:
    match = _LABEL_RE.match(value.lstrip())
    return match.group() if match else None


def _attribute_label(attrs: str, wanted: str) -> str | None:
    for name, value in _attributes(attrs):
        if name == wanted and (label := _leading_label(value)):
            return label
    return None


def _meta_label(attrs: str) -> str | None:
    """A ``charset`` attribute, or a "charset=" in ``content`` beside a content-type pragma."""
    has_pragma = False
    content_label = None
    for name, value in _attributes(attrs):
        if name == "charset":
            if label := _leading_label(value):
                return label
        elif name == "content":
            if content_label is None and (match := _CONTENT_CHARSET_RE.search(value)):
                content_label = match.group("label")
        elif name in _HTTP_EQUIV_NAMES and _CONTENT_TYPE_PRAGMA_RE.search(value):
            has_pragma = True
    return content_label if has_pragma else None


_GB18030_EURO_BYTE = 0x80


def _gb18030_replace(exc: UnicodeError) -> tuple[str, int]:
    """A lead byte 0x80 is the euro sign (as in GBK and browsers); other bad bytes U+FFFD."""
    assert isinstance(exc, UnicodeDecodeError)  # registered for decoding only
    if exc.object[exc.start] == _GB18030_EURO_BYTE:
        return "\u20ac", exc.start + 1
    return "\ufffd", exc.end


codecs.register_error("crawler_gb18030_replace", _gb18030_replace)


def decode_bytes(body: bytes, codec: str) -> str:
    """``body`` in ``codec``, undecodable bytes as U+FFFD."""
    # Every name that resolves to gb18030 contains "18030": the lookup stays off the common path.
    if "18030" in codec and codecs.lookup(codec).name == "gb18030":
        return body.decode(codec, "crawler_gb18030_replace")
    return body.decode(codec, "replace")
