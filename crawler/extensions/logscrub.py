"""A safety net that removes ``user:pass@`` from every log line the crawl writes (issue 8).

Request URLs lose their credentials in ``crawler.downloadermiddlewares.requestsafety`` before anything logs them, but
Scrapy logs a few URLs it builds itself before any middleware sees them (the "Redirecting …"
debug line of a redirect whose Location carries credentials, meta refresh, exception texts).
This filter sits on the log handlers, so it sees only records that are really written.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

# scheme://userinfo@ : the userinfo part cannot hold "/", so "?to=a@b" in a path never matches.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/?#@'\"<>]*@")


def scrub(text: str) -> str:
    """``text`` with the ``user:pass@`` of every URL in it removed."""
    return _USERINFO.sub(r"\1", text) if "@" in text else text


class CredentialScrubFilter(logging.Filter):
    """Formats the record's message once and scrubs it, tracebacks included."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string is the handler's to report
            return True
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


_FILTER = CredentialScrubFilter()


def install_on_root_handlers() -> None:
    """Put the filter on every handler of the root logger (idempotent)."""
    for handler in logging.root.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


class CredentialScrubExtension:
    """Installs the filter now and again when the engine starts.

    Scrapy replaces its root log handler after extensions are built, so the second install
    is the one that lasts; the first covers the lines logged before.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        install_on_root_handlers()
        crawler.signals.connect(install_on_root_handlers, signal=signals.engine_started)
        return cls()
