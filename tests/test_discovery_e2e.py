"""Discovery and scheduled runs end to end: ``scrapy crawl news`` against the mock news site.

The site (``fixtures/site``) has a sitemap index with a plain, a gzip and a Google News
child, RSS, Atom and RDF feeds, paginated sections, a robots.txt that disallows
``/private/`` and names the index, and 21 article pages in four templates (issue 3).
"""

from __future__ import annotations

import itertools
import json
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from crawler.commands.runstatus import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE
from crawler.store.output import OutputFolder
from crawler.store.seedformat import is_valid_seed_text, parse_file_name
from tests.conftest import crawl_stats, manifest, run_crawl, wait_until

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from crawler.localsite.server import SiteServer

pytestmark = pytest.mark.e2e

AR = {
    "a01": "ar/news/2025/11/mufawadat-jadida-hawl-almiyah-fi-hawd-alnil.html",
    "a02": "ar/news/2025/11/irtifa-asar-alkhubz-fi-alaswaq-almahalliya.html",
    "a03": "ar/news/2025/11/iftitah-maktaba-amma-jadida-fi-wasat-almadina.html",
    "a04": "ar/news/2025/11/mawsim-qatf-alzaytun-yabda-mubakkiran.html",
    "a05": "ar/news/2025/11/tajribat-alnaql-alkahrabai-fi-alkhutut-aldakhiliya.html",
    "a06": "ar/news/2025/11/muntakhab-alshabab-yataahhal-ila-alnihaiyat.html",
    "a07": "ar/news/2025/11/mahrajan-alfilm-alwathaiqi-yahtafi-bialdhakira.html",
    "a08": "ar/news/2025/11/aldifa-almadani-yuhadhdhir-min-alsuyul.html",
    "a09": "ar/news/2025/11/jamiat-tutliq-barnamijan-lilbahth-fi-altaqa.html",
    "a10": "ar/news/2025/11/tarmim-alqalaa-alathariya-yaqtarib-min-nihayatih.html",
}
EN = {
    "e01": "en/news/2025/11/city-council-approves-new-cycling-lanes.html",
    "e02": "en/news/2025/11/heatwave-strains-regional-power-grid.html",
    "e03": "en/news/2025/11/local-bakery-wins-national-award.html",
    "e04": "en/news/2025/11/port-expansion-plan-draws-environmental-concerns.html",
    "e05": "en/news/2025/11/hospital-opens-new-children-ward.html",
    "e06": "en/news/2025/11/national-team-reaches-championship-final.html",
    "e07": "en/news/2025/11/museum-returns-manuscripts-to-library.html",
    "e08": "en/news/2025/11/farmers-adopt-drip-irrigation-as-rains-fail.html",
}
ARTICLES = {**AR, **EN, "x01": "en/news/2019/03/river-festival-returns-after-decade.html"}
COPY = "en/news/2025/11/syndicated-copy-of-heatwave-grid-story.html"  # e02's text
NOT_ARTICLE = "en/news/2025/11/live-updates-coming-soon-page.html"
PRIVATE = "/private/leaked-draft-report-on-budget-cuts.html"

IN_SITEMAPS = {f"a0{i}" for i in range(1, 8)} | {f"e0{i}" for i in range(1, 7)} | {"x01"}
IN_FEEDS = {"a08", "a09", "a01", "a10", "e06", "e07", "e08", "e01"}
IN_SECTIONS = {"a01", "a02", "a08", "a03", "a09", "a10", "x01", "e02", "e05", "e03", "e08"}
ON_SITE = IN_SITEMAPS | {"a08", "a09", "e07", "e08"}  # sitemaps + the home page's RSS/Atom


def written(out: Path) -> set[str]:
    """The fixture keys of the articles in the manifest, checking the folder on the way."""
    records = manifest(out)
    files = sorted(p.name for p in out.iterdir() if parse_file_name(p.name))
    assert sorted(str(r["file"]) for r in records) == files
    for name in files:
        assert is_valid_seed_text((out / name).read_text(encoding="utf-8")), name
    by_path = {path: key for key, path in ARTICLES.items()}
    by_path[COPY] = "e02"  # the same text: whichever is extracted first is kept
    keys = [by_path.get(str(r["canonical_url"]).split("/", 3)[3], str(r["url"])) for r in records]
    assert len(keys) == len(set(keys)), f"an article was written twice: {keys}"
    return set(keys)


def article_paths(site: SiteServer) -> set[str]:
    return {p for p in site.paths() if p.startswith(("/ar/news/", "/en/news/"))}


def crawl(site: SiteServer, out: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    result = run_crawl("news", out, *[a.replace("{base}", site.base) for a in args])
    stats = crawl_stats(result.stderr) if "Dumping Scrapy stats" in result.stderr else {}
    return result.returncode, result.stderr, stats


def test_sitemap_index_with_gzip_and_news_children(mock_site: SiteServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, log, stats = crawl(mock_site, out, "-a", "sitemaps={base}/sitemap_index.xml")
    assert code == 0, log[-3000:]
    assert written(out) == IN_SITEMAPS
    assert "/sitemaps/articles-2.xml.gz" in mock_site.paths()
    assert PRIVATE not in mock_site.paths()  # listed in the sitemap, disallowed by robots.txt
    assert stats["robotstxt/forbidden"] == 1
    assert stats["news/skipped/not_article"] == 1
    assert stats["news/skipped/duplicate"] == 1  # the syndicated copy of e02
    records = {r["canonical_url"].split("/", 3)[3]: r for r in manifest(out)}
    assert records[AR["a06"]]["published"] == "2025-11-21T22:10:00+03:00"
    assert records[AR["a06"]]["language"] == "ar"
    assert {r["source_name"] for r in records.values()} == {None}
    summary = re.search(r"summary: discovered=(\d+) fetched=(\d+) written=(\d+) ", log)
    assert summary, log[-2000:]
    assert summary.groups() == ("17", "16", "14")


def test_sites_find_sitemaps_in_robots_txt_and_feeds_on_the_home_page(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, log, stats = crawl(mock_site, out, "-a", "sites={base}/")
    assert code == 0, log[-3000:]
    assert written(out) == ON_SITE
    assert {"/robots.txt", "/", "/sitemap_index.xml", "/feeds/rss.xml", "/feeds/atom.xml"} <= set(
        mock_site.paths()
    )
    assert PRIVATE not in mock_site.paths()
    assert stats["news/discovery/feed"] == 2
    # Sitemaps and feeds listed articles: the home page's navigation is not crawled.
    assert "news/discovery/fallback" not in stats
    assert "news/discovery/navigation" not in stats
    assert stats["news/discovery/articles/sitemap"] > 0
    assert stats["news/discovery/articles/feed"] > 0


def test_rss_atom_and_rdf_feeds(mock_site: SiteServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    feeds = "{base}/feeds/rss.xml,{base}/feeds/atom.xml,{base}/feeds/rdf.xml"
    code, log, _ = crawl(mock_site, out, "-a", f"feeds={feeds}")
    assert code == 0, log[-3000:]
    assert written(out) == IN_FEEDS
    published = {r["canonical_url"].split("/", 3)[3]: r["published"] for r in manifest(out)}
    assert published[AR["a10"]] == "2025-11-15T13:30:00+03:00"


def test_sections_and_their_pagination(mock_site: SiteServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, log, stats = crawl(mock_site, out, "-a", "sections={base}/ar/world/,{base}/en/business/")
    assert code == 0, log[-3000:]
    assert written(out) == IN_SECTIONS
    assert "/ar/world/page/3/" in mock_site.paths()
    assert "/ar/world/page/4/" not in mock_site.paths()  # NEWS_SECTION_PAGES = 3
    assert "/" + AR["a05"] not in mock_site.paths()  # only linked from page 4
    assert PRIVATE not in mock_site.paths()
    assert not {"/about.html", "/contact.html", "/tag/economy/"} & set(mock_site.paths())
    assert stats["news/discovery/section"] == 5


def test_sources_file_names_the_source_and_applies_its_rules(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f"""[[source]]
name = "Herald Arabic"
language = "ar"
feeds = ["{mock_site.base}/feeds/rss.xml"]

[[source]]
name = "Herald Business"
sections = ["{mock_site.base}/en/business/"]
allow = ['/en/news/']
max_articles = 3
""",
        encoding="utf-8",
    )
    out, export = tmp_path / "out", tmp_path / "items.jsonl"
    code, log, stats = crawl(mock_site, out, "-a", f"sources={sources}", "-O", str(export))
    assert code == 0, log[-3000:]
    items = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert (
        sorted(i["source_name"] for i in items) == ["Herald Arabic"] * 3 + ["Herald Business"] * 3
    )
    by_source: dict[str, set[str]] = {}
    keys = written(out)
    for record in manifest(out):
        by_source.setdefault(record["source_name"], set()).add(record["canonical_url"])
    assert {k for k in keys if k.startswith("a")} == {"a01", "a08", "a09"}
    assert len(by_source["Herald Arabic"]) == 3
    assert len(by_source["Herald Business"]) == 3  # of 4 on its two pages
    assert stats["news/skipped/language"] == 1  # e06 in the Arabic feed
    assert stats["news/skipped/limit"] == 1


def test_bad_sources_file_is_reported_with_file_and_line(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "Herald"\nfeeds = ["{mock_site.base}/feeds/rss.xml"]\n'
        'sitemap = ["x"]\n',
        encoding="utf-8",
    )
    code, log, _ = crawl(mock_site, tmp_path / "out", "-a", f"sources={sources}")
    assert code == EXIT_USAGE
    assert f"{sources}:4: source 'Herald': sitemap is not a known key" in log
    assert "Traceback" not in log
    assert mock_site.requests == []


@pytest.mark.parametrize("age", ["since=2024-01-01", "max_age_days"])
def test_old_articles_are_skipped_by_sitemap_and_page_dates(
    mock_site: SiteServer, tmp_path: Path, age: str
) -> None:
    if age == "max_age_days":  # a window that ends between 2019 and November 2025
        age = f"max_age_days={(datetime.now(UTC) - datetime(2022, 1, 1, tzinfo=UTC)).days}"
    out = tmp_path / "out"
    code, log, stats = crawl(
        mock_site, out, "-a", "sitemaps={base}/sitemap_index.xml", "-a", age,
        "-a", "sections={base}/ar/world/",
    )  # fmt: skip
    assert code == 0, log[-3000:]
    assert written(out) == (IN_SITEMAPS | {"a08", "a09", "a10"}) - {"x01"}
    # The sitemap's lastmod rules x01 out unseen; the section gives no date, so its page does.
    assert mock_site.paths().count("/" + ARTICLES["x01"]) == 1
    assert stats["news/skipped/too_old"] == 2


def test_second_run_fetches_no_known_article_and_numbers_continue(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ("-a", "sites={base}/", "-a", "sections={base}/ar/world/")
    code, log, _ = crawl(mock_site, out, *args)
    assert code == 0, log[-3000:]
    first = manifest(out)
    assert len(first) == len(ON_SITE | {"a10"})
    mock_site.requests.clear()

    code, log, stats = crawl(mock_site, out, *args)
    assert code == 0, log[-3000:]
    assert article_paths(mock_site) == set()
    assert stats.get("news/fetched", 0) == 0
    assert stats.get("news/written", 0) == 0
    assert stats["news/skipped/known"] == 7  # the section's links, read again
    assert stats["news/discovery/not_modified"] == 2  # RSS and Atom: 304 on If-None-Match
    assert stats["news/discovery/unchanged"] == 3  # children whose <lastmod> did not move
    assert {"/sitemap_index.xml", "/ar/world/page/3/"} <= set(mock_site.paths())  # re-read
    assert manifest(out) == first
    assert re.search(r"summary: discovered=8 fetched=0 written=0 known=7 ", log), log[-2000:]

    # A new article appears in the RSS feed: only it is fetched, with the next number.
    new_path = "en/news/2025/11/new-bridge-opens-to-traffic-after-delays.html"
    body = (mock_site.root / EN["e03"]).read_text(encoding="utf-8")
    (mock_site.root / new_path).write_text(
        body.replace("Family bakery wins national prize for its sourdough", "New bridge opens")
        .replace("bakery", "bridge")
        .replace("sourdough", "steel"),
        encoding="utf-8",
    )
    rss = mock_site.root / "feeds" / "rss.xml"
    rss.write_text(
        rss.read_text(encoding="utf-8").replace(
            "<item>", f"<item><title>New bridge</title><link>{mock_site.url(new_path)}</link>", 1
        ),
        encoding="utf-8",
    )
    mock_site.requests.clear()
    code, log, stats = crawl(mock_site, out, *args)
    assert code == 0, log[-3000:]
    assert article_paths(mock_site) == {"/" + new_path}
    records = manifest(out)
    assert len(records) == len(first) + 1
    assert parse_file_name(str(records[-1]["file"]))[0] == len(first)  # type: ignore[index]


def test_a_second_run_on_a_locked_folder_exits_at_once(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    other_run = OutputFolder(out)
    other_run.open()  # what a running crawl holds
    try:
        code, log, _ = crawl(mock_site, out, "-a", "sites={base}/")
    finally:
        other_run.close()
    assert code == EXIT_LOCKED
    assert f"output folder {out} is in use by another crawl; not starting" in log
    assert "Traceback" not in log
    assert mock_site.requests == []  # not even robots.txt


def test_unusable_output_folder_and_unreachable_sources_fail(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, log, _ = crawl(mock_site, blocker / "out", "-a", "sites={base}/")
    assert code == EXIT_FAILED
    assert "is not usable" in log
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    code, log, _ = crawl(mock_site, tmp_path / "out", "-a", f"feeds={closed}/rss.xml")
    assert code == EXIT_FAILED
    assert "no source reachable: all 1 start URL(s) failed" in log


def test_jobdir_resume_fetches_nothing_already_written(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    out, job = tmp_path / "out", tmp_path / "job"
    args = ("-a", "sitemaps={base}/sitemap_index.xml", "-s", f"JOBDIR={job}")
    # Five article responses pass; the sixth waits at the gate (one request at a time) until
    # the limit has stopped the run, so the other articles are still queued in the JOBDIR.
    gate = mock_site.gate("/ar/", "/en/")
    gate.allow(5)
    with ThreadPoolExecutor(max_workers=1) as pool:
        run = pool.submit(
            crawl, mock_site, out, *args, "-a", "limit=5", "-s", "CONCURRENT_REQUESTS=1"
        )
        lines = out / "manifest.jsonl"
        try:
            assert wait_until(lambda: lines.exists() and lines.read_bytes().count(b"\n") >= 5)
        finally:
            gate.open()  # also on a failure, so the crawl can end
        code, log, stats = run.result()
    assert code == 0, log[-3000:]
    first_log = log
    assert stats["finish_reason"] == "'closespider_itemcount'"
    first = {"/" + ARTICLES[k] for k in written(out)}
    assert len(first) == 5  # the limit is exact, whatever was in flight
    mock_site.requests.clear()

    code, log, stats = crawl(mock_site, out, *args)
    assert code == 0, log[-3000:]
    resumed = re.search(r"Resuming crawl \((\d+) requests scheduled\)", log)
    assert resumed, log[-3000:]
    assert int(resumed[1]) > 0
    assert written(out) == IN_SITEMAPS, "\n".join([first_log[-6000:], "=====", log[-6000:]])
    assert not first & article_paths(mock_site)


def test_retry_after_is_waited_for_and_the_agent_names_the_contact(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    path = "/" + EN["e01"]
    mock_site.scripted[path] = [(429, {"Retry-After": "1"})]
    out = tmp_path / "out"
    contact = "mailto:corpus-team@uni.example"
    code, log, stats = crawl(
        mock_site, out, "-a", "urls={base}" + path, "-s", f"NEWS_CONTACT={contact}"
    )
    assert code == 0, log[-3000:]
    times = [t for t, p, _ in mock_site.log if p == path]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95
    assert written(out) == {"e01"}
    assert stats["news/retry/backoff"] == 1
    agents = {headers.get("User-Agent") for _, _, headers in mock_site.log}
    assert agents == {f"newscrawler/0.1 (+{contact})"}


def test_robots_txt_disallow_and_crawl_delay_hold_for_every_first_request(
    mock_site: SiteServer, tmp_path: Path
) -> None:
    robots = mock_site.root / "robots.txt"
    robots.write_text(robots.read_text(encoding="utf-8") + "Crawl-delay: 0.5\n", encoding="utf-8")
    # Five requests wait together for robots.txt: Scrapy 2.19 let all but the first through.
    urls = ",".join([*(mock_site.url(EN[k]) for k in ("e01", "e02", "e03", "e04")), PRIVATE])
    out = tmp_path / "out"
    code, log, stats = crawl(
        mock_site, out, "-a", "urls=" + urls.replace(PRIVATE, "{base}" + PRIVATE)
    )
    assert code == 0, log[-3000:]
    assert PRIVATE not in mock_site.paths()
    assert stats["robotstxt/forbidden"] == 1
    times = sorted(t for t, p, _ in mock_site.log if p.startswith("/en/news/"))
    assert len(times) == 4
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.45, gaps
    assert stats["news/robots/crawl_delay/127.0.0.1"] == 0.5
