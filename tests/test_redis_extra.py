"""REDIS_URL without the redis extra: one line saying what to install, and exit status 2."""

from __future__ import annotations

import subprocess
import sys

from crawler.commands.runstatus import EXIT_USAGE
from crawler.distributed.addon import missing_extra
from tests import ROOT
from tests.conftest import crawl_command, crawl_env
from tests.redis_server import require_redis_packages

ABSENT = "crawler_no_such_module"  # stands for scrapy_redis on a machine without the extra
MESSAGE = "REDIS_URL is set but scrapy-redis is not installed: pip install -e '.[redis]'"


def test_redis_url_without_the_extra_says_what_to_install() -> None:
    assert missing_extra("redis://127.0.0.1:6379/0", module=ABSENT) == MESSAGE


def test_no_redis_url_needs_no_extra() -> None:
    assert missing_extra("", module=ABSENT) is None


def test_redis_url_with_the_extra_installed_is_fine() -> None:
    require_redis_packages()
    assert missing_extra("redis://127.0.0.1:6379/0") is None


def test_crawl_command_prints_one_line_and_exits_2(tmp_path) -> None:
    """The real ``scrapy crawl`` with scrapy-redis and redis unimportable, as without the extra."""
    code = (
        "import sys\n"
        "sys.modules['redis'] = sys.modules['scrapy_redis'] = None  # ImportError on import\n"
        "from scrapy.cmdline import execute\n"
        "execute(['scrapy', *sys.argv[1:]])\n"
    )
    # Port 9 (discard) is never listened on: nothing may be fetched or connected to anyway.
    command = crawl_command("news", tmp_path / "out", "-a", "urls=http://127.0.0.1:9/a.html")
    scrapy_args = command[command.index("crawl") :]
    result = subprocess.run(
        [sys.executable, "-c", code, *scrapy_args, "-s", "REDIS_URL=redis://127.0.0.1:9/0"],
        cwd=ROOT,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == EXIT_USAGE, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if " ERROR: " in line]
    assert len(errors) == 1, result.stderr[-2000:]
    assert errors[0].endswith(f" ERROR: {MESSAGE}")
    assert "Traceback" not in result.stderr
    assert "Spider opened" not in result.stderr
