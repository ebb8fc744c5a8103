"""The real ``redis-server`` of the distributed-mode tests (``crawler.bench.redisserver``),
or a skip with the reason (a failure in CI) where it or the client packages are missing."""

from __future__ import annotations

import os
import shutil

import pytest

from crawler.bench.redisserver import RedisServer

__all__ = ["RedisServer", "redis_server_binary", "require_redis_packages"]


def _skip_or_fail(message: str) -> None:
    """Skip with ``message``; in CI (``CI=true``) fail instead: CI must run these tests."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, so this is required: {message}", pytrace=False)
    pytest.skip(message, allow_module_level=True)


def require_redis_packages() -> None:
    """The redis client and scrapy-redis (the ``[redis]``/``[dev]`` extras), or skip/fail."""
    for module in ("redis", "scrapy_redis"):
        try:
            __import__(module)
        except ImportError:
            _skip_or_fail(f"{module} is not installed: pip install -e '.[dev]'")


def redis_server_binary() -> str:
    """The redis-server path; skip the test without it, except in CI where it must exist."""
    require_redis_packages()
    binary = shutil.which("redis-server")
    if binary is None:
        _skip_or_fail(
            "redis-server is not installed (Debian: apt-get install -y redis-server); "
            "the distributed-mode tests need a real one"
        )
    assert binary is not None
    return binary
