"""``python -m crawler.bench crawl [--articles N]``: crawl a generated local site, print figures.

Generates a site of N articles (60-100 KB pages), serves it on 127.0.0.1 (a free port), runs
``scrapy crawl news -a sitemaps=<index>`` in a subprocess exactly as a user would, and prints
articles per second, CPU seconds per article (the crawl process and all its children, from
``getrusage(RUSAGE_CHILDREN)``), peak RSS (the process tree, sampled with psutil when it is
installed, else the largest single process), recall (articles written / N) and duplicates.
``--compare`` crawls in-process and with the pool; ``--peer`` then runs trafilatura's CLI over
the same article URLs (:mod:`crawler.bench.peer`) and prints the same figures for it and the
ratio. Figures depend on the machine and its load: compare runs made in the same invocation,
and note ``uptime`` (printed first).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from crawler.bench.peer import cpu_seconds, peer_command, peer_written
from crawler.bench.progress import ManifestWatch, disk_use, summary
from crawler.bench.sitegen import generate
from crawler.localsite.server import serve

ROOT = Path(__file__).resolve().parents[2]
_STAT_RE = re.compile(r"'(news/[^']+|elapsed_time_seconds|finish_reason)': ([^,\n}]+)")


def _sample(pid: int) -> tuple[int, float]:
    """Resident bytes of a process and its descendants, and the process's own CPU seconds.

    (0, 0.0) without psutil. The CPU is the crawl process alone, without its extraction
    workers: what the crawl process itself spends, which on two cores extraction does not get.
    """
    try:
        import psutil  # noqa: PLC0415  # optional: a dev dependency
    except ImportError:
        return 0, 0.0
    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
        times = parent.cpu_times()
    except psutil.Error:
        return 0, 0.0
    total = 0
    for process in processes:
        try:
            total += int(process.memory_info().rss)
        except psutil.Error:
            continue
    return total, times.user + times.system


def run_crawl(
    command: list[str], log_path: Path, watch: ManifestWatch | None = None
) -> tuple[float, int, float]:
    """Run a command (a crawl, the peer): its wall seconds, its tree's peak RSS, and the CPU
    seconds of the process itself (last sample, 0.2 s before its end at worst). ``watch``
    follows the crawl's manifest at each sample."""
    peak, own = 0, 0.0
    started = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(  # noqa: S603  # our own command line, no shell
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        while process.poll() is None:
            rss, cpu = _sample(process.pid)
            peak, own = max(peak, rss), max(own, cpu)
            if watch is not None:
                watch.sample(rss)
            time.sleep(0.2)
    return time.monotonic() - started, peak, own


def crawl_stats(log: str) -> dict[str, str]:
    """The ``news/*`` counters, elapsed time and finish reason from Scrapy's stats dump."""
    dump = log[log.rfind("Dumping Scrapy stats") :]
    return {key: value.strip().strip("'") for key, value in _STAT_RE.findall(dump)}


@dataclass(frozen=True, slots=True)
class CrawlFigures:
    """What one benchmark crawl measured."""

    label: str
    written: int
    wall: float
    cpu: float
    peak: int

    @property
    def rate(self) -> float:
        return self.written / self.wall if self.wall else 0.0

    @property
    def per_article(self) -> float:
        return self.cpu / max(1, self.written)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.bench crawl", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000, help="articles on the site")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated texts")
    parser.add_argument("--concurrency", type=int, default=16, help="parallel requests")
    parser.add_argument("--workers", default="auto", help="NEWS_EXTRACT_WORKERS for the crawl")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="crawl twice, NEWS_EXTRACT_WORKERS=0 then --workers, and print their ratio",
    )
    parser.add_argument(
        "--peer",
        action="store_true",
        help="then run trafilatura's CLI (-i urls.txt --parallel 2) on the same article URLs",
    )
    parser.add_argument(
        "--every",
        type=int,
        default=5000,
        help="print RSS and articles/s each time the crawl passes this many articles",
    )
    parser.add_argument("--keep", type=Path, help="keep the site, output and log in this folder")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="newscrawler-bench-"))
    site = work / "site"
    site.mkdir(parents=True, exist_ok=True)
    server, base = serve(site)
    runs = (
        [("in-process", "0"), ("pool", args.workers)] if args.compare else [("crawl", args.workers)]
    )
    results = []
    peer: CrawlFigures | None = None
    sys.stdout.write(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    try:
        started = time.monotonic()
        generated = generate(site, args.articles, base, args.seed)
        made = time.monotonic() - started
        sys.stdout.write(
            f"site: {args.articles} articles, {generated.total_bytes / 2**20:.0f} MiB "
            f"(mean {generated.total_bytes / max(1, args.articles) / 1024:.0f} KiB), "
            f"generated in {made:.1f} s, served at {base}\n"
        )
        for label, workers in runs:
            results.append(_crawl(label, workers, base, work / label, args, out=sys.stdout))
        if args.peer:
            urls = [f"{base}/{path}" for path in generated.paths]
            peer = _peer(urls, work / "peer", out=sys.stdout)
    finally:
        server.close()
    if args.compare:
        slow, fast = results
        sys.stdout.write(
            f"compare: pool/in-process articles/s {fast.rate / slow.rate if slow.rate else 0:.2f}x"
            f" ({fast.rate:.1f} vs {slow.rate:.1f}); CPU s/article "
            f"{fast.cpu / max(1, fast.written):.4f} vs {slow.cpu / max(1, slow.written):.4f}; "
            f"peak RSS {fast.peak / 2**20:.0f} vs {slow.peak / 2**20:.0f} MiB\n"
        )
    if peer is not None:
        ours = results[-1]
        sys.stdout.write(
            f"peer: ours ({ours.label})/trafilatura articles/s "
            f"{ours.rate / peer.rate if peer.rate else 0:.2f}x ({ours.rate:.1f} vs {peer.rate:.1f});"
            f" CPU s/article {ours.per_article:.4f} vs {peer.per_article:.4f}; "
            f"peak RSS {ours.peak / 2**20:.0f} vs {peer.peak / 2**20:.0f} MiB\n"
        )
    sys.stdout.write(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    return 0


def _peer(urls: list[str], work: Path, *, out: TextIO) -> CrawlFigures:
    """trafilatura's CLI over ``urls``, measured as a crawl is; prints and returns its figures."""
    run = peer_command(urls, work)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, peak, _ = run_crawl(run.command, run.log)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = CrawlFigures("peer", peer_written(run), wall, cpu_seconds(before, after), peak)
    rss = peak or after.ru_maxrss * 1024
    out.write(
        "== peer (trafilatura CLI, --parallel 2, SSRF guard off, no sleep)\n"
        f"articles/s: {figures.rate:.1f} (wall {wall:.1f} s)\n"
        f"CPU s/article: {figures.per_article:.4f} ({figures.cpu:.1f} s user+sys)\n"
        f"peak RSS: {rss / 2**20:.0f} MiB\n"
        f"written: {figures.written} of {len(urls)} (log and output: {work})\n"
    )
    return figures


def _crawl(
    label: str, workers: str, base: str, work: Path, args: argparse.Namespace, *, out: TextIO
) -> CrawlFigures:
    """One crawl of the served site into ``work/out``; prints and returns its figures."""
    work.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "scrapy", "crawl", "news",
        "-a", f"sitemaps={base}/sitemap_index.xml",
        "-s", f"NEWS_OUTPUT_DIR={work / 'out'}",
        "-s", f"NEWS_EXTRACT_WORKERS={workers}",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY=0",
        "-s", f"CONCURRENT_REQUESTS={args.concurrency}",
        "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={args.concurrency}",
        "-s", "LOG_LEVEL=INFO",
    ]  # fmt: skip
    watch = ManifestWatch(work / "out" / "manifest.jsonl", args.every)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, peak, own = run_crawl(command, work / "crawl.log", watch)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write(f"== {label} (NEWS_EXTRACT_WORKERS={workers})\n")
    if watch.marks:
        out.write("\n".join(summary(watch.marks)) + "\n")
    return report(
        label=label,
        expected=args.articles,
        work=work,
        wall=wall,
        peak=peak,
        own=own,
        before=before,
        after=after,
        out=out,
    )


def report(
    *,
    label: str,
    expected: int,
    work: Path,
    wall: float,
    peak: int,
    own: float = 0.0,
    before: resource.struct_rusage,
    after: resource.struct_rusage,
    out: TextIO,
) -> CrawlFigures:
    log = (work / "crawl.log").read_text(encoding="utf-8", errors="replace")
    stats = crawl_stats(log)
    manifest = work / "out" / "manifest.jsonl"
    records = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    written = len(records)
    urls = Counter(str(r["canonical_url"]) for r in records)
    texts = Counter(str(r["text_sha1"]) for r in records)
    duplicates = sum(n - 1 for n in urls.values()) + sum(n - 1 for n in texts.values())
    cpu = cpu_seconds(before, after)
    elapsed = float(stats.get("elapsed_time_seconds", "0") or 0)
    rss = peak or after.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux
    lines = [
        (
            f"crawl: finish reason {stats.get('finish_reason', '?')}, wall {wall:.1f} s "
            f"(Scrapy elapsed {elapsed:.1f} s, the rest is start-up)"
        ),
        (
            f"articles/s: {written / wall:.1f} (wall), "
            f"{written / elapsed if elapsed else 0:.1f} (Scrapy elapsed)"
        ),
        f"CPU s/article: {cpu / max(1, written):.4f} ({cpu:.1f} s user+sys, crawl + children)",
        (
            f"crawl process alone: {own / max(1, written):.4f} CPU s/article ({own:.1f} s, "
            "start-up included; the rest is the extraction workers)"
        ),
        f"peak RSS: {rss / 2**20:.0f} MiB ({'process tree' if peak else 'largest process'})",
        f"recall: {written / max(1, expected):.4f} ({written} of {expected} written)",
        (
            f"duplicates written: {duplicates}; skipped as duplicate: "
            f"{stats.get('news/skipped/duplicate', '0')}, near-duplicate: "
            f"{stats.get('news/skipped/near_duplicate', '0')}; errors: "
            f"{stats.get('news/errors/fetch', '0')} fetch, "
            f"{stats.get('news/errors/extract', '0')} extract"
        ),
        "disk: state {:.1f} MiB, manifest {:.1f} MiB, articles and the rest {:.1f} MiB".format(
            *(size / 2**20 for size in disk_use(work / "out"))
        ),
        f"log and output: {work}",
    ]
    out.write("\n".join(lines) + "\n")
    return CrawlFigures(label, written, wall, cpu, rss)
