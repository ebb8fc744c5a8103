"""``python -m crawler.bench report --articles 50000``: the report of a large synthetic corpus.

Writes a manifest of N articles (Arabic and English headlines, 40 outlets, a year of dates)
and a ledger of R runs (each article's ``written`` row, plus half as many URLs with other
fates, WARC locations for half of them) through the crawl's own ``Ledger``, then times
``write_report`` and the ledger CSV export, and prints the page's size. The ledger's cost per
URL during a crawl is printed too (rows/s through ``Ledger.add``, batching included).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.report.build import write_report
from crawler.report.queries import export_csv
from crawler.store.ledger import OUTCOMES, WRITTEN, Decision, Ledger
from crawler.store.output import OutputFolder, manifest_line

if TYPE_CHECKING:
    from collections.abc import Sequence

_WORDS_EN = [
    "council",
    "river",
    "market",
    "school",
    "election",
    "budget",
    "storm",
    "health",
    "court",
    "team",
]
_WORDS_AR = ["مجلس", "نهر", "سوق", "مدرسة", "انتخابات", "ميزانية", "عاصفة", "صحة", "محكمة", "فريق"]
_OTHER_FATES = [o for o in OUTCOMES if o not in {WRITTEN, "known"}]


def build_corpus(
    folder: Path, articles: int, runs: int, outlets: int, seed: int
) -> tuple[float, float]:
    """The manifest and the ledger of a synthetic corpus; the ledger's wall and CPU seconds."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    names = [f"Outlet {i}" for i in range(outlets)]
    with (folder / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for index in range(articles):
            arabic = index % 3 == 0
            words = _WORDS_AR if arabic else _WORDS_EN
            outlet = names[rng.randrange(outlets)]
            manifest.write(
                manifest_line(
                    {
                        "file": f"{index:03d}_{index:016x}.txt",
                        "url": f"https://news{outlet[-1]}.example/{index}",
                        "domain": f"news{outlet[-1]}.example",
                        "title": " ".join(rng.choice(words) for _ in range(8)),
                        "published": (start + timedelta(days=rng.randrange(365))).isoformat(),
                        "language": "ar" if arabic else "en",
                        "words": int(rng.lognormvariate(6, 0.6)),
                        "source_name": outlet,
                    }
                )
            )
    per_run = -(-articles // runs)
    elapsed = cpu = 0.0
    for run in range(runs):
        moment = start + timedelta(hours=run)
        ledger = Ledger(folder / ".state.sqlite3", clock=lambda m=moment: m)  # type: ignore[misc]
        began, cpu_began = time.perf_counter(), time.process_time()
        for index in range(run * per_run, min(articles, (run + 1) * per_run)):
            outlet = names[index % outlets]
            file = f"{index:03d}_{index:016x}.txt"
            warc = (f"newscrawler-{run:05d}.warc.gz", index * 4096) if index % 2 else None
            ledger.add(
                Decision(f"https://x.example/{index}", WRITTEN, source=outlet, file=file), warc
            )
            if index % 2 == 0:
                fate = _OTHER_FATES[index % len(_OTHER_FATES)]
                ledger.add(Decision(f"https://x.example/o/{index}", fate, "why", source=outlet))
        ledger.finish("finished", 0, {"written": per_run})
        ledger.close()
        elapsed += time.perf_counter() - began
        cpu += time.process_time() - cpu_began
    return elapsed, cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.bench report", description=__doc__)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--outlets", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="build in DIR (new) and keep it, to open")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=bool(not args.keep))
        ledger_seconds, ledger_cpu = build_corpus(
            folder, args.articles, args.runs, args.outlets, args.seed
        )
        rows = args.articles + (args.articles + 1) // 2
        began, cpu = time.perf_counter(), time.process_time()
        OutputFolder(folder).manifest_records()  # the floor: reading the manifest alone
        floor_seconds, floor_cpu = time.perf_counter() - began, time.process_time() - cpu
        began, cpu = time.perf_counter(), time.process_time()
        page = write_report(folder)
        report_seconds = time.perf_counter() - began
        report_cpu = time.process_time() - cpu
        began = time.perf_counter()
        exported = export_csv(folder, folder / "ledger.csv")
        csv_seconds = time.perf_counter() - began
        size = page.stat().st_size
    print(f"articles: {args.articles}  runs: {args.runs}  outlets: {args.outlets}")
    print(
        f"ledger rows written: {rows} in {ledger_seconds:.2f} s"
        f" ({rows / ledger_seconds:,.0f} rows/s; per URL {ledger_seconds / rows * 1e6:.1f} µs,"
        f" {ledger_cpu / rows * 1e6:.1f} µs CPU)"
    )
    print(
        f"report.html: {report_seconds:.2f} s ({report_cpu:.2f} s CPU), {size / 1e6:.1f} MB;"
        f" reading the manifest alone: {floor_seconds:.2f} s ({floor_cpu:.2f} s CPU;"
        f" report = {report_cpu / floor_cpu:.1f}x that in CPU)"
    )
    print(f"ledger CSV: {exported} rows in {csv_seconds:.2f} s")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0
