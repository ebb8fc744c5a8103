"""Scrapy extensions: response guards, crawl delay, log formatting, the summary line."""
