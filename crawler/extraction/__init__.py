"""Pure article extraction: HTML bytes and URL in, article out. No Scrapy imports."""
