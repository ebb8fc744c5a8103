"""Benchmark scripts that print figures (``python -m crawler.bench <name>``); never timed asserts."""
