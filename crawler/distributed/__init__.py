"""Distributed mode (issue 6): N workers share one scrapy-redis frontier and one Redis state.

Only ``addon`` is imported when ``REDIS_URL`` is unset; every other module here imports
``redis`` or ``scrapy_redis`` and is loaded only in distributed mode.
"""
