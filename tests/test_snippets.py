"""The snippet metric of trafilatura's evaluation set, on cases small enough to count by hand."""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING

import pytest

from crawler.bench import quality, snippets
from crawler.bench.snippets import Counts, score_snippets

if TYPE_CHECKING:
    from pathlib import Path


def test_snippets_are_found_with_whitespace_collapsed() -> None:
    text = "The council  approved\nthe bridge.\n\nShare this article"
    counts = score_snippets(
        text,
        with_=["council approved the", "the  bridge.", "not in the text"],
        without=["Share this", "Cookie settings"],
    )
    assert counts == Counts(tp=2, fn=1, fp=1, tn=1)


def test_a_page_without_output_misses_every_wanted_snippet() -> None:
    assert score_snippets(None, ["a b", "c"], ["d"]) == Counts(fn=2, tn=1, empty=1)
    assert score_snippets("  \n", ["a b"], []) == Counts(fn=1, empty=1)


def test_counts_are_summed_then_turned_into_figures() -> None:
    total = Counts(tp=3, fn=1, fp=1, tn=3) + Counts(tp=1, fn=1, fp=0, tn=2, empty=1)
    assert total == Counts(tp=4, fn=2, fp=1, tn=5, empty=1)
    assert total.precision == pytest.approx(4 / 5)
    assert total.recall == pytest.approx(4 / 6)
    assert total.accuracy == pytest.approx(9 / 12)
    assert total.f_score == pytest.approx(2 * 0.8 * (4 / 6) / (0.8 + 4 / 6))
    assert Counts().f_score == 0.0


_PARAGRAPH = (
    "The river bridge reopened on Tuesday after two years of repairs, and the first buses "
    "crossed it before dawn while residents watched from both banks of the town."
)
_PAGE = f"""<!doctype html><html><head><meta charset="utf-8"><title>Bridge reopens</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Bridge reopens</h1>{"".join(f"<p>{n}. {_PARAGRAPH}</p>" for n in range(5))}</article>
<footer>Subscribe to our newsletter for more stories</footer></body></html>"""


def _snippet_set(folder: Path) -> Path:
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "bridge.html.gz").write_bytes(gzip.compress(_PAGE.encode()))
    truth = {
        "bridge.html": {
            "url": "https://example.org/bridge",
            "with": ["3. The river bridge reopened", "crossed it before dawn"],
            "without": ["Subscribe to our newsletter", "Bridge reopens"],
        },
        "absent.html": {"url": "https://example.org/absent", "with": ["x"], "without": []},
    }
    (folder / snippets.EVALDATA).write_text(json.dumps(truth), encoding="utf-8")
    return folder


def test_the_harness_reads_the_set_and_prints_three_extractors(tmp_path, capsys) -> None:
    folder = _snippet_set(tmp_path / "eval")
    pages = snippets.load_pages(folder)
    assert [p.name for p in pages] == ["bridge.html"]  # a page missing from pages/ is skipped
    assert quality.main(["--data", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"quality: 1 snippet pages from {folder}"
    rows = {line.split()[0]: line.split() for line in lines[2:5]}
    assert rows["ours"][1:6] == ["1.000", "1.000", "1.000", "1.000", "0"]  # headline not counted
    assert set(rows) == {"ours", "trafilatura.extract", "trafilatura"}
