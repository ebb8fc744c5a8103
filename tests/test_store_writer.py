"""The store writes files on its thread; copies of an article in flight are still duplicates."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from scrapy.settings import Settings

from crawler import settings
from crawler.store.articles import ArticleStore
from crawler.store.state import Conflict

if TYPE_CHECKING:
    from collections.abc import Coroutine, Iterator
    from pathlib import Path
    from typing import Any

STORY = [
    "The river rose two metres overnight and the old bridge was closed to all traffic.",
    "Residents of the lower town were moved to the school gymnasium before dawn today.",
    "The mayor said the water would stay high until the weekend, when the rain stops.",
]
NEAR_COPY = [*STORY[:2], STORY[2] + " Reporting by the regional desk."]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ArticleStore]:
    made = ArticleStore.from_settings(Settings({**vars(settings), "NEWS_OUTPUT_DIR": tmp_path}))
    made.open()
    yield made
    made.close()


def _add(
    store: ArticleStore, n: int, paragraphs: list[str], title: str = "Flood"
) -> Coroutine[Any, Any, Conflict | str]:
    url = f"https://news.example/{n}.html"
    candidate = store.candidate(url, url, title, paragraphs)
    return store.add_async(candidate, f"{n:016x}", {"url": url}, None)


def _outcomes(store: ArticleStore, *texts: list[str]) -> list[Conflict | str]:
    async def together() -> list[Conflict | str]:
        return list(await asyncio.gather(*(_add(store, n, t) for n, t in enumerate(texts))))

    return asyncio.run(together())


@pytest.mark.parametrize(("second", "kind"), [(STORY, "duplicate"), (NEAR_COPY, "near_duplicate")])
def test_a_copy_of_an_article_being_written_is_a_duplicate(
    store: ArticleStore, second: list[str], kind: str
) -> None:
    outcomes = _outcomes(store, STORY, second)
    written = [o for o in outcomes if isinstance(o, str)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(written) == 1
    assert [c.kind for c in conflicts] == [kind]
    assert conflicts[0].file == written[0]
    assert len(store.output.manifest_records()) == 1
    assert store.state.known_files() == set(written)


def test_an_article_counts_for_the_caps_from_its_claim(store: ArticleStore) -> None:
    async def scenario() -> tuple[int, int, Conflict | None, Conflict | str]:
        task = asyncio.ensure_future(_add(store, 1, STORY))
        await asyncio.sleep(0)  # the task runs up to its write, then waits for the thread
        # It cannot be recorded yet: that needs the task to resume, and this one holds the loop.
        in_flight, recorded = store.written.total(), len(store.state.known_files())
        url = "https://news.example/copy.html"
        copy = store.check(store.candidate(url, url, "Flood", STORY))
        return in_flight, recorded, copy, await task

    in_flight, recorded, copy, outcome = asyncio.run(scenario())
    assert (in_flight, recorded) == (1, 0)
    assert copy is not None
    assert copy.file == outcome
    assert store.written.total() == 1


def test_a_failed_write_gives_its_claim_and_count_back(store: ArticleStore) -> None:
    async def scenario() -> Conflict | str:
        with pytest.raises(ValueError, match="headline"):
            await _add(store, 1, STORY, title="")  # not a valid seed file: render refuses it
        return await _add(store, 2, STORY)

    outcome = asyncio.run(scenario())
    assert isinstance(outcome, str)
    assert store.written.total() == 1
    assert [r["file"] for r in store.output.manifest_records()] == [outcome]


def test_a_near_duplicate_names_its_similarity_in_flight_and_once_written(
    store: ArticleStore,
) -> None:
    """The ledger records it (issue 16): from the pending files and from the state."""
    in_flight = [o for o in _outcomes(store, STORY, NEAR_COPY) if isinstance(o, Conflict)]
    later = asyncio.run(_add(store, 5, NEAR_COPY))  # another URL, once the first is written
    assert isinstance(later, Conflict)
    for conflict in (*in_flight, later):
        assert conflict.kind == "near_duplicate"
        assert conflict.similarity is not None
        assert 0.8 <= conflict.similarity < 1.0
