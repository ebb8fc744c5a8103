"""The peer of the crawl benchmark: trafilatura's own CLI over the same article URLs (issue 13).

A user choosing a crawler compares us with ``trafilatura -i urls.txt --parallel 2``, so that is
what runs, as a subprocess of the benchmark, on the site the crawl just fetched. Two of its
defaults would make the comparison meaningless on loopback, and both are turned off the way a
user would, with ``--config-file`` (a partial file: trafilatura reads its own defaults first):

- ``SSRF_PROTECTION = off``: trafilatura 2.3 refuses connections to private and loopback
  addresses by default ("set to off for intranet use cases", its settings.cfg);
- ``SLEEP_TIME = 0``: it otherwise waits 5 s between two requests to one host, where our crawl
  runs with ``DOWNLOAD_DELAY=0``.

It writes one file per article with ``-o`` (counted as its articles); it detects no language,
deduplicates nothing, writes no manifest and does not fsync.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import resource

PEER_CONFIG = "[DEFAULT]\nSSRF_PROTECTION = off\nSLEEP_TIME = 0\n"
"""The settings that let trafilatura's CLI fetch from 127.0.0.1 without pausing."""


@dataclass(frozen=True, slots=True)
class PeerRun:
    """What the peer needs: its command line, and where its articles land."""

    command: list[str]
    output: Path
    log: Path


def peer_command(urls: list[str], work: Path, parallel: int = 2) -> PeerRun:
    """Write the URL list and config into ``work``; the CLI call that reads them."""
    work.mkdir(parents=True, exist_ok=True)
    url_file = work / "urls.txt"
    url_file.write_text("".join(f"{url}\n" for url in urls), encoding="utf-8")
    config = work / "trafilatura.cfg"
    config.write_text(PEER_CONFIG, encoding="utf-8")
    output = work / "out"
    script = Path(sys.executable).with_name("trafilatura")
    launcher = (
        [str(script)]
        if script.exists()
        else [
            sys.executable,
            "-c",
            "import sys; from trafilatura.cli import main; sys.exit(main())",
        ]
    )
    command = [
        *launcher,
        "-i", str(url_file),
        "--parallel", str(parallel),
        "--config-file", str(config),
        "-o", str(output),
    ]  # fmt: skip
    return PeerRun(command, output, work / "peer.log")


def peer_written(run: PeerRun) -> int:
    """Articles the peer wrote: one file each in its output folder."""
    if not run.output.is_dir():
        return 0
    return sum(1 for path in run.output.iterdir() if path.is_file())


def cpu_seconds(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    """User plus system CPU of the children that finished between the two readings."""
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
