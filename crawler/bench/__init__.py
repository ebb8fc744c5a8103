"""Benchmarks that print figures (``python -m crawler.bench NAME``); never timed asserts."""
