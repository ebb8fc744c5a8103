"""Pure URL helpers: canonical form, article id, same-site test. No Scrapy imports."""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import unquote, urlsplit, urlunsplit

from courlan import is_navigation_page, is_not_crawlable
from w3lib.url import canonicalize_url, safe_url_string

# Query parameters that only track the visitor; they never select different content.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "cmpid",
        "ito",
        "ocid",
        "at_medium",
        "at_campaign",
        "xtor",
        "spm",
        "share",
        "amp",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_")

_DEFAULT_PORTS = frozenset({("http", "80"), ("https", "443")})
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def strip_credentials(url: str) -> str:
    """Drop ``user:pass@`` from a URL so it can be logged or stored safely."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[" and other unparsable hosts: nothing to strip safely
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


@functools.lru_cache(maxsize=4096)
def canonical_url(url: str) -> str:
    """The URL two fetches of the same article share.

    Cached: the crawl process asks it of one URL up to four times between the request and
    the written file (the known-URL check, the response, the store's keys, the file id), and
    w3lib's canonical form is among the crawl process's largest costs per article.

    w3lib's canonical form (lower-cased scheme and host, sorted query, normalised
    percent-encoding, no fragment) without tracking parameters, credentials, a default port
    or a trailing dot on the host. Idempotent, and never raises: a string that is no URL
    (``http://[``) is returned stripped, as its own canonical form.
    """
    try:
        current = _canonical_url(url)
        # w3lib and urllib re-read some malformed URLs differently the second time
        # ("a:////@" -> "a://@/" -> "a:/"): settle on the fixed point.
        for _ in range(3):
            following = _canonical_url(current)
            if following == current:
                break
            current = following
    except ValueError:
        return url.strip()
    return current


def _canonical_url(url: str) -> str:
    parts = urlsplit(strip_credentials(safe_url_string(url.strip())))
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not _is_tracking(pair.split("=", 1)[0])
    )
    netloc = parts.netloc.lower()
    host, sep, port = netloc.rpartition(":")
    if sep and "]" not in port and (parts.scheme.lower(), port) in _DEFAULT_PORTS:
        netloc = host
    netloc = netloc.replace(".:", ":").rstrip(".")
    path = parts.path or "/"
    if not netloc and path.startswith("//"):  # would read back as a host
        path = "/" + path.lstrip("/")
    return canonicalize_url(urlunsplit((parts.scheme, netloc, path, query, "")))


def url_id(url: str) -> str:
    """First 16 hex digits of the SHA-256 of the canonical URL: the ``<id>`` in file names."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def registered_domain(url: str) -> str:
    """Host without a leading ``www.``: what the manifest calls the domain."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:  # an unparsable host is no domain
        return ""
    return host.removeprefix("www.")


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs are on one site (equal hosts up to ``www.``/``m.``/``amp.`` prefixes).

    Used to decide whether a page's ``<link rel=canonical>`` may replace its URL: a canonical
    pointing at another site (syndication) must not make two outlets' copies one article.
    """

    def core(url: str) -> str:
        host = registered_domain(url)
        for prefix in ("m.", "amp.", "mobile."):
            host = host.removeprefix(prefix)
        return host

    a, b = core(url_a), core(url_b)
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def is_http_url(url: str) -> bool:
    """Only http(s) URLs are ever fetched; ``javascript:``, ``mailto:``, ``file:``… are not."""
    match = _SCHEME_RE.match(url.strip())
    return match is not None and match.group(0).lower() in {"http:", "https:"}


# A pagination part of a URL (``/page/3/``, ``?page=3``): a list, not an article.
PAGINATION_RE = re.compile(
    r"(?:/page/(\d+)/?$)|(?:[?&](?:page|p|pg|paged)=(\d+)(?:&|$))", re.IGNORECASE
)
_NOT_ARTICLE_EXT_RE = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|pdf|mp[34]|zip|xml|rss|json|js|css|ico|txt)$", re.IGNORECASE
)
_FEED_PATH_RE = re.compile(r"/(?:feed|rss|atom)(?:/|\.xml|$)", re.IGNORECASE)
_ID_RE = re.compile(r"\d{4,}|[0-9][a-z]|[a-z][0-9]", re.IGNORECASE)
_ARTICLE_EXT_RE = re.compile(r"\.(?:s?html?|php|aspx?)$", re.IGNORECASE)
_MIN_SLUG_WORDS = 3
"""A last path segment of this many hyphen-separated words is a headline slug."""
_MIN_ID_SEGMENT_CHARS = 8
"""A shorter last segment with digits is a section code ("/news2"), not an article id."""


def has_article_path(url: str) -> bool:
    """Whether the URL's path has the shape of an article page: a dated path, a headline slug
    or an id, and no file extension, feed, pagination or navigation part (courlan's filters).

    Discovery uses it to pick article links; the extraction to weigh what a page is.
    """
    path = unquote(urlsplit(url).path)
    if _NOT_ARTICLE_EXT_RE.search(path) or _FEED_PATH_RE.search(path) or PAGINATION_RE.search(url):
        return False
    if is_navigation_page(url) or is_not_crawlable(url):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = _ARTICLE_EXT_RE.sub("", segments[-1])
    slug_words = len(re.split(r"[-_+]+", last))
    return bool(
        slug_words >= _MIN_SLUG_WORDS
        or (len(last) >= _MIN_ID_SEGMENT_CHARS and _ID_RE.search(last))
        or re.search(r"/\d{4}/\d{1,2}/", path)
    )
