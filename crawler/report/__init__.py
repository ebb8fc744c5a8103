"""The corpus report: an output folder's manifests and ledger as one self-contained page.

Pure (no Scrapy): ``queries`` reads the folder, ``charts`` draws inline SVG, ``page`` writes the
HTML; ``build`` ties them for ``scrapy report`` (``crawler.commands.report``) and the benchmark.
"""
