"""``python -m crawler.bench quality``: the harness runs, scores and degrades cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from crawler.bench import __main__ as bench
from crawler.bench import quality
from crawler.bench.scoring import score_page
from tests import ROOT

if TYPE_CHECKING:
    from pathlib import Path

DATA = quality.find_data(None)
needs_data = pytest.mark.skipif(DATA is None, reason="benchmark data not found beside the checkout")

_PARAGRAPHS = [
    (
        "The city council approved the new river bridge on Tuesday after two years of debate, "
        "ending a dispute that had divided the two banks of the town since the old crossing closed."
    ),
    (
        "Engineers say the steel span will carry cyclists and buses from next spring, and that the "
        "work will close the eastern quay for about four months while the foundations are laid."
    ),
    (
        "Residents who opposed the plan said they would keep watching the budget closely, because "
        "the last estimate was revised twice and the council has not published the final contract."
    ),
]
_ARTICLE = f"""<!doctype html><html><head><meta charset="utf-8"><title>Council approves bridge
</title></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council approves bridge</h1>{"".join(f"<p>{p}</p>" for p in _PARAGRAPHS)}</article>
<footer>All rights reserved</footer></body></html>"""
_FRONT = """<!doctype html><html><head><meta charset="utf-8"><title>News</title></head><body>
<ul><li><a href="/a">Council approves bridge</a></li><li><a href="/b">Rain expected</a></li>
<li><a href="/c">Market opens late</a></li></ul></body></html>"""


def _fixtures(folder: Path) -> Path:
    folder.mkdir()
    (folder / "bridge.html").write_text(_ARTICLE, encoding="utf-8")
    (folder / "bridge.txt").write_text(
        "\n\n".join(["Council approves bridge", *_PARAGRAPHS]), encoding="utf-8"
    )
    (folder / "bridge.json").write_text(
        json.dumps({"article": True, "url": "https://example.org/a"})
    )
    (folder / "front.html").write_text(_FRONT, encoding="utf-8")
    (folder / "front.json").write_text(json.dumps({"article": False}))
    return folder


def test_fixture_pages_are_scored_one_line_each(tmp_path, capsys) -> None:
    folder = _fixtures(tmp_path / "articles")
    pages = quality.load_fixtures(folder)
    assert [(p.name, bool(p.truth)) for p in pages] == [("bridge", True), ("front", False)]
    assert pages[0].truth.startswith("The city council")  # the headline is not scored
    ours, reference = quality.run(
        pages, {"ours": quality.ours(quality.crawl_options()), "ref": quality.reference}
    )
    assert ours.scores[0].f1 == 1.0  # the article, exactly
    assert ours.scores[1].empty  # the section front: no article, as expected
    assert reference.scores[0].recall == 1.0
    assert quality.main(["--fixtures", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "bridge" in out
    assert "front" in out
    assert any(line.startswith("ours") for line in out.splitlines())


def test_missing_data_says_so_and_exits_zero(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "crawler.bench", "quality", "--data", str(tmp_path / "none")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "benchmark data not found" in result.stdout


def test_unknown_benchmark_is_a_usage_error(capsys) -> None:
    assert bench.main(["nope"]) == 2
    assert "quality" in capsys.readouterr().err


@needs_data
def test_three_benchmark_pages(capsys) -> None:
    assert DATA is not None
    pages = quality.load_benchmark(DATA, limit=3)
    assert len(pages) == 3
    assert all(p.truth and p.html for p in pages)
    results = quality.run(
        pages, {"ours": quality.ours(quality.crawl_options(min_words=1)), "ref": quality.reference}
    )
    for result in results:
        assert len(result.scores) == 3
        assert result.summary.f1 > 0.8, result
        assert result.pages_per_second > 0
    assert quality.main(["--data", str(DATA), "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("quality: 3 benchmark pages")
    ours_line = next(line for line in lines if line.startswith("ours"))
    f1, precision, recall, exact = (float(x) for x in ours_line.split()[1:5])
    assert 0.8 < f1 <= 1
    assert 0 < precision <= 1
    assert 0 < recall <= 1
    assert 0 <= exact <= 1


def test_fixture_without_json_and_empty_selection(tmp_path, capsys) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "only_html.html").write_text(_FRONT, encoding="utf-8")  # no .json, no .txt
    (folder / "with_txt.html").write_text(_ARTICLE, encoding="utf-8")  # no .json, a .txt
    (folder / "with_txt.txt").write_text("Headline\n\nBody text.", encoding="utf-8")
    pages = quality.load_fixtures(folder)
    assert [(p.name, p.truth) for p in pages] == [("only_html", ""), ("with_txt", "Body text.")]
    assert quality.main(["--data", str(tmp_path / "nothing")]) == 0
    assert "benchmark data not found" in capsys.readouterr().out


@needs_data
def test_empty_selection_says_so(capsys) -> None:
    assert quality.main(["--data", str(DATA), "--limit", "0"]) == 0
    assert "nothing to score" in capsys.readouterr().out


FIXTURE_CASES = quality.load_fixtures(quality.FIXTURES) if quality.FIXTURES.is_dir() else []


@pytest.mark.parametrize("page", FIXTURE_CASES, ids=[p.name for p in FIXTURE_CASES])
def test_every_fixture_page_scores_at_least_0_98(page: quality.Page) -> None:
    """Issue 4's goal on our own pages, with the benchmark's metric and the crawl's options."""
    text = quality.ours(quality.crawl_options())(page)
    score = score_page(text, page.truth)
    assert score.empty or score.f1 >= 0.98, (page.name, score)
