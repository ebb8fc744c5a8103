"""Web archives (WARC, ARC) as a source of pages: which files, how to stream them, their records.

Pure, like ``crawler.extraction``: no Scrapy import. The spider turns each archive into one
request (so scrapy-redis can share them), and hands its HTML responses to the same
pipelines as a live crawl's pages.
"""
