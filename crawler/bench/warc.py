"""``python -m crawler.bench warc [--records N]``: read a WARC of the generated site, print figures.

Builds a WARC (one gzip member per record, a response and a request record per page) of N
generated article pages (60-100 KB, :mod:`crawler.bench.sitegen`), then, in the same run:

- ours: ``scrapy crawl news -a warc=FILE`` exactly as a user runs it (extraction pool,
  language, dedup, manifest and atomic writes on);
- the plain loop: warcio's ``ArchiveIterator`` plus ``trafilatura.extract`` on each response
  record, one process, one core, nothing written.

Both print records/s and articles/s (wall clock, start-up included), CPU seconds and peak RSS
of their process tree, and the ratio ours/loop. Note the machine's load (printed first).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from crawler.bench.crawl import crawl_stats, run_crawl
from crawler.bench.peer import cpu_seconds
from crawler.bench.sitegen import generate

BASE = "https://bench.example"


def build_archive(folder: Path, pages: int, seed: int) -> tuple[Path, int]:
    """``folder/bench.warc.gz`` with ``pages`` response and request records; its record count."""
    from warcio.statusandheaders import StatusAndHeaders  # noqa: PLC0415
    from warcio.warcwriter import WARCWriter  # noqa: PLC0415

    site = generate(folder / "site", pages, BASE, seed=seed)
    path = folder / "bench.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for relative in site.paths:
            body = (folder / "site" / relative).read_bytes()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            url = f"{BASE}/{relative}"
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
            )
            request = StatusAndHeaders(f"GET /{relative} HTTP/1.1", [], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b""), length=0, http_headers=request
                )
            )
    return path, 2 * len(site.paths)


def plain_loop(path: str) -> None:
    """The reference: every response record through ``trafilatura.extract``; prints counts."""
    import trafilatura  # noqa: PLC0415
    from warcio.archiveiterator import ArchiveIterator  # noqa: PLC0415

    records = articles = 0
    with open(path, "rb") as handle:  # noqa: PTH123
        for record in ArchiveIterator(handle):
            records += 1
            if record.rec_type != "response":
                continue
            html = record.content_stream().read()
            url = record.rec_headers.get_header("WARC-Target-URI")
            if trafilatura.extract(html, url=url):
                articles += 1
    print(json.dumps({"records": records, "articles": articles}))


def _line(label: str, records: int, articles: int, *, wall: float, cpu: float, peak: int) -> str:
    per_article = f"{1000 * cpu / articles:.1f}" if articles else "-"
    return (
        f"{label:<6} records/s {records / wall:7.1f}  articles/s {articles / wall:6.1f}  "
        f"({articles} articles, wall {wall:.1f} s, CPU {cpu:.1f} s = {per_article} ms/article,"
        f" peak RSS {peak / 2**20:.0f} MiB)"
    )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.bench warc", description=__doc__)
    parser.add_argument("--records", type=int, default=5000, help="records (half are pages)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated texts")
    args = parser.parse_args(argv)
    print(f"load average: {_load()}, cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="warc-bench-") as tmp:
        work = Path(tmp)
        path, records = build_archive(work, max(1, args.records // 2), args.seed)
        print(f"archive: {records} records, {path.stat().st_size / 2**20:.0f} MiB")
        command = [
            sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"warc={path}",
            "-s", f"NEWS_OUTPUT_DIR={work / 'out'}", "-s", "LOG_LEVEL=INFO",
        ]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, peak, _ = run_crawl(command, work / "crawl.log")
        ours_cpu = cpu_seconds(before, resource.getrusage(resource.RUSAGE_CHILDREN))
        stats = crawl_stats((work / "crawl.log").read_text(encoding="utf-8", errors="replace"))
        manifest = work / "out" / "manifest.jsonl"
        written = len(manifest.read_text(encoding="utf-8").splitlines()) if manifest.exists() else 0
        read = int(stats.get("news/warc/records", "0"))
        ours = _line("ours", read, written, wall=wall, cpu=ours_cpu, peak=peak)
        loop_command = [
            sys.executable, "-c",
            f"from crawler.bench.warc import plain_loop; plain_loop({str(path)!r})",
        ]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        loop_wall, loop_peak, _ = run_crawl(loop_command, work / "loop.log")
        loop_wall = time.monotonic() - started
        loop_cpu = cpu_seconds(before, resource.getrusage(resource.RUSAGE_CHILDREN))
        counts = json.loads((work / "loop.log").read_text(encoding="utf-8").splitlines()[-1])
        loop = _line(
            "loop",
            counts["records"],
            counts["articles"],
            wall=loop_wall,
            cpu=loop_cpu,
            peak=loop_peak,
        )
        print(ours)
        print(loop)
        ratio = (written / wall) / (counts["articles"] / loop_wall) if counts["articles"] else 0
        records_ratio = (read / wall) / (counts["records"] / loop_wall) if counts["records"] else 0
        print(
            f"ratio ours/loop, articles/s: {ratio:.2f}, records/s: {records_ratio:.2f}"
            f" (finish reason {stats.get('finish_reason')}; load average now {_load()})"
        )
    return 0
