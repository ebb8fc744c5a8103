"""Log lines that name the page, not its whole item (which may hold a page's raw bytes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter, LogFormatterResult

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from twisted.python.failure import Failure


class NewsLogFormatter(LogFormatter):
    """Dropped and scraped items are logged as one short line with their URL."""

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        result["msg"] = "Dropped: %(exception)s"
        result["args"] = {"exception": exception}
        return result

    def scraped(
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        result = super().scraped(item, response, spider)
        adapter = ItemAdapter(item)
        result["msg"] = "Wrote %(file)s from %(url)s"
        result["args"] = {"file": adapter.get("file"), "url": adapter.get("url")}
        return result
