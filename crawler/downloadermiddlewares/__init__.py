"""Downloader middlewares: incremental skips, politeness, request safety."""
