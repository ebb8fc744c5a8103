"""The crawl benchmark's generated site and its dispatcher (figures are never asserted)."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

import pytest
from trafilatura.settings import use_config

from crawler.bench.__main__ import main
from crawler.bench.crawl import crawl_stats
from crawler.bench.peer import peer_command, peer_written
from crawler.bench.progress import ManifestWatch, disk_use, summary
from crawler.bench.sitegen import generate
from crawler.discovery.sitemaps import read_sitemap, robots_sitemaps
from crawler.extraction.article import ExtractionOptions, extract_article

if TYPE_CHECKING:
    from pathlib import Path

BASE = "http://127.0.0.1:1"


def test_generated_pages_are_news_sized_articles(tmp_path: Path) -> None:
    site = generate(tmp_path, 6, BASE, seed=3)
    assert len(set(site.paths)) == 6
    sizes = [(tmp_path / p).stat().st_size for p in site.paths]
    assert all(60_000 <= size <= 100_000 for size in sizes), sizes
    articles = [
        extract_article((tmp_path / p).read_bytes(), f"{BASE}/{p}", ExtractionOptions())
        for p in site.paths[:3]
    ]
    assert [a.language if a else None for a in articles] == ["ar", "en", "en"]
    assert all(a is not None and a.words > 150 for a in articles)
    first, second = (a.paragraphs if a else () for a in articles[1:])
    assert not set(first) & set(second)


def test_generated_sitemaps_list_every_article(tmp_path: Path) -> None:
    site = generate(tmp_path, 11, BASE, per_sitemap=4)
    (index_url,) = robots_sitemaps((tmp_path / "robots.txt").read_bytes(), f"{BASE}/robots.txt")
    index = read_sitemap((tmp_path / index_url.removeprefix(BASE + "/")).read_bytes())
    assert index is not None
    assert index.kind == "sitemapindex"
    listed = []
    for child in index.entries:
        data = (tmp_path / child.loc.removeprefix(BASE + "/")).read_bytes()
        urlset = read_sitemap(gzip.decompress(data) if child.loc.endswith(".gz") else data)
        assert urlset is not None
        listed += [e.loc.removeprefix(BASE + "/") for e in urlset.entries]
    assert listed == list(site.paths)
    assert [c.loc.endswith(".gz") for c in index.entries] == [False, True, False]


def test_dispatcher_rejects_unknown_benchmarks() -> None:
    assert main([]) == 2
    assert main(["nope"]) == 2


def test_stats_are_read_from_the_dump() -> None:
    log = """INFO: Dumping Scrapy stats:
{'elapsed_time_seconds': 12.5,
 'finish_reason': 'finished',
 'news/written': 200,
 'news/skipped/duplicate': 0}
"""
    assert crawl_stats(log) == {
        "elapsed_time_seconds": "12.5",
        "finish_reason": "finished",
        "news/written": "200",
        "news/skipped/duplicate": "0",
    }


def test_extract_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--articles", "3"]) == 0
    printed = capsys.readouterr().out
    assert "extract: 3 pages" in printed
    assert "3 articles" in printed
    assert "pages/s:" in printed
    assert "CPU s/page:" in printed
    assert "speed ratio ours/trafilatura.extract:" in printed


@pytest.mark.e2e
def test_crawl_benchmark_compares_in_process_and_pool(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["crawl", "--articles", "12", "--compare"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("recall: 1.0000 (12 of 12 written)") == 2
    assert "== in-process (NEWS_EXTRACT_WORKERS=0)" in printed
    assert "compare: pool/in-process articles/s" in printed
    assert "duplicates written: 0" in printed


def test_the_peer_config_turns_off_trafilaturas_loopback_guard_and_sleep(tmp_path: Path) -> None:
    run = peer_command([f"{BASE}/news/1.html", f"{BASE}/news/2.html"], tmp_path, parallel=2)
    config = use_config(str(tmp_path / "trafilatura.cfg"))
    assert config.getboolean("DEFAULT", "SSRF_PROTECTION") is False
    assert config.getfloat("DEFAULT", "SLEEP_TIME") == 0
    assert config.getint("DEFAULT", "DOWNLOAD_TIMEOUT") == 30  # its other defaults still hold
    urls = (tmp_path / "urls.txt").read_text(encoding="utf-8").splitlines()
    assert urls == [f"{BASE}/news/1.html", f"{BASE}/news/2.html"]
    assert run.command[run.command.index("--parallel") + 1] == "2"
    assert peer_written(run) == 0


@pytest.mark.e2e
def test_crawl_benchmark_runs_trafilatura_on_the_same_urls(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["crawl", "--articles", "8", "--peer"]) == 0
    printed = capsys.readouterr().out
    assert "recall: 1.0000 (8 of 8 written)" in printed
    assert "written: 8 of 8" in printed  # the peer fetched every article from 127.0.0.1
    assert "peer: ours (crawl)/trafilatura articles/s" in printed


def test_the_manifest_watch_notes_each_mark_once_with_the_peak_rss_before_it(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "manifest.jsonl"
    ticks = iter(range(0, 100, 2))  # each sample two seconds after the previous one
    watch = ManifestWatch(manifest, every=4, window=2, clock=lambda: float(next(ticks)))
    watch.sample(rss=1)  # no manifest yet: nothing counted
    manifest.write_bytes(b"{}\n{}\n{}\n{")  # a line still being written is not counted
    watch.sample(rss=10)
    assert watch.marks == []
    with manifest.open("ab") as handle:
        handle.write(b"}\n" + b"{}\n" * 5)
    watch.sample(rss=20)
    # each mark carries the highest RSS since the previous one, the second starts afresh
    assert [(m.articles, m.rss, m.window) for m in watch.marks] == [(4, 20, 2), (8, 20, 2)]
    watch.sample(rss=30)
    assert len(watch.marks) == 2
    with manifest.open("ab") as handle:
        handle.write(b"{}\n" * 4)
    watch.sample(rss=5)  # the workers have exited: the mark keeps the peak before it
    assert (watch.marks[-1].articles, watch.marks[-1].rss) == (12, 30)
    lines = summary(watch.marks)
    assert lines[0].startswith("at 4: ")
    assert "peak RSS since the last mark 0 MiB" in lines[0]
    assert "over the last 2" in lines[0]
    # articles 2..4 came in 2 s; 4..8 in the same sample (no time to measure: 0); 8..12 in 4 s
    assert [(m.stretch, m.stretch_rate) for m in watch.marks] == [(2, 1.0), (4, 0.0), (4, 1.0)]
    assert lines[-1] == (
        "from 4 to 12: RSS +50.0%, articles/s +0.0% (stretch to stretch; stretches 0.0 to 1.0)"
    )


def test_disk_use_tells_the_state_from_the_manifest_and_the_articles(tmp_path: Path) -> None:
    (tmp_path / ".state.sqlite3").write_bytes(b"s" * 300)
    (tmp_path / ".state.sqlite3-wal").write_bytes(b"w" * 20)
    (tmp_path / "manifest.jsonl").write_bytes(b"m" * 50)
    (tmp_path / "000_a.txt").write_bytes(b"a" * 7)
    assert disk_use(tmp_path) == (320, 50, 7)
    assert disk_use(tmp_path / "absent") == (0, 0, 0)
