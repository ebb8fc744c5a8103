"""A pre-imported parent that forks ``scrapy crawl`` processes, so tests can kill many crawls.

Starting a crawl costs seconds of imports (scrapy, trafilatura, lxml, numpy) before
it does anything; a test that SIGKILLs twenty crawls would spend its time importing. This
process imports everything once and forks a child per crawl: the child runs
``scrapy.cmdline.execute`` exactly as ``python -m scrapy crawl`` does (its own reactor,
pipelines, output folder), only without the import time. No thread exists before a fork.

Protocol, one JSON object per line: ``{"argv": [...], "log": PATH}`` forks a crawl and answers
``{"pid": N}``; ``{"wait": N}`` reaps it and answers ``{"status": EXIT}`` (negative: signal).
"""

from __future__ import annotations

import json
import os
import sys


def _warm() -> None:
    import scrapy.cmdline  # noqa: PLC0415
    import scrapy.crawler  # noqa: F401, PLC0415

    import crawler.pipelines.extract  # noqa: PLC0415
    import crawler.pipelines.store  # noqa: F401, PLC0415 (the article store)
    import spiders.news  # noqa: F401, PLC0415
    from crawler import settings  # noqa: PLC0415
    from crawler.extraction.language import detect_language  # noqa: PLC0415

    detect_language(
        "langdetect loads its profiles on the first call, so call it once here",
        max_chars=settings.NEWS_LANGUAGE_SAMPLE_CHARS,
        detector=settings.NEWS_LANGUAGE_DETECTOR,
    )


def _child(argv: list[str], log: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    code = 1
    try:
        from scrapy.cmdline import execute  # noqa: PLC0415

        execute(["scrapy", *argv])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    _warm()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if "argv" in request:
            pid = os.fork()
            if pid == 0:
                _child(list(request["argv"]), str(request["log"]))
            print(json.dumps({"pid": pid}), flush=True)
        elif "wait" in request:
            _, status = os.waitpid(int(request["wait"]), 0)
            print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    main()
