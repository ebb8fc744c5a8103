"""RedisState against a real redis-server: the StateStore contract plus cross-worker claims."""

from __future__ import annotations

import threading

import pytest

from crawler.store.state import DocumentRecord, NearDuplicateIndex, UrlStatus
from tests.redis_server import require_redis_packages

require_redis_packages()

import redis

from crawler.distributed.cluster import Cluster
from crawler.distributed.keys import RedisKeys
from crawler.store.redisstate import PresumedDeadError, RedisState

NEAR = NearDuplicateIndex(threshold=0.8)
STORY = [
    (
        "The harbour authority said on Monday that the new container terminal will open in May "
        "after three years of construction and a long dispute over the dredging contract."
    ),
    (
        "Officials expect the terminal to double the port's capacity and to bring work to "
        "hundreds of dockers who lost their jobs when the old quay was closed in the storm."
    ),
    (
        "Fishermen's unions welcomed the plan but asked for a separate berth for their boats, "
        "saying the new traffic would make the inner basin too dangerous for small vessels."
    ),
]


def make_cluster(url: str, worker: str, *, prefix: str = "t", folder: str = "f" * 16) -> Cluster:
    cluster = Cluster(redis.Redis.from_url(url), RedisKeys(prefix), worker, folder, ttl=30)
    cluster.register()
    return cluster


def make_state(cluster: Cluster, near: NearDuplicateIndex = NEAR) -> RedisState:
    return RedisState(cluster, near)


def kill(cluster: Cluster) -> None:
    """What a SIGKILL looks like from Redis once the TTL ran out: the heartbeat is gone."""
    cluster.client.delete(cluster.keys.alive(cluster.session))


@pytest.fixture
def pair(redis_url: str):
    one, two = make_cluster(redis_url, "w1"), make_cluster(redis_url, "w2")
    yield make_state(one), make_state(two)
    one.close()
    two.close()


def test_url_status_written_beats_not_article(pair) -> None:
    state, _ = pair
    state.mark_not_article("https://a.example/section")
    assert state.url_status("https://a.example/section") == UrlStatus.NOT_ARTICLE
    assert state.url_status("https://a.example/other") is None
    state.record_article(["https://a.example/x"], "sha-x", None, "000_aaaaaaaaaaaaaaaa.txt")
    state.mark_not_article("https://a.example/x")  # must not downgrade a written URL
    assert state.url_status("https://a.example/x") == UrlStatus.WRITTEN
    assert state.file_for_text("sha-x") == "000_aaaaaaaaaaaaaaaa.txt"


def test_numbers_are_unique_across_workers_and_respect_the_floor(pair) -> None:
    one, two = pair
    assert one.next_number(-1) == 0
    assert two.next_number(-1) == 1
    assert one.next_number(41) == 42  # files already in the folder go up to 041
    assert two.next_number(5) == 43


def test_numbers_are_unique_under_concurrency(redis_url: str) -> None:
    clusters = [make_cluster(redis_url, f"w{i}") for i in range(4)]
    states = [make_state(c) for c in clusters]
    numbers: list[int] = []
    lock = threading.Lock()

    def draw(state: RedisState) -> None:
        for _ in range(50):
            number = state.next_number(-1)
            with lock:
                numbers.append(number)

    threads = [threading.Thread(target=draw, args=(s,)) for s in states]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(200))
    for cluster in clusters:
        cluster.close()


def test_a_live_claim_blocks_the_same_url_text_and_near_copy(pair) -> None:
    one, two = pair
    signature = NEAR.signature(STORY)
    assert one.claim(["https://a.example/x"], "sha-x", signature, "000_a.txt") is None
    conflict = two.claim(["https://b.example/x"], "sha-x", None, "001_b.txt")
    assert conflict is not None
    assert (conflict.kind, conflict.file) == ("duplicate", "000_a.txt")
    conflict = two.claim(["https://a.example/x"], "sha-other", None, "001_b.txt")
    assert conflict is not None
    assert conflict.kind == "duplicate"
    near_copy = [*STORY[:2], STORY[2] + " Reporting by the agency."]
    conflict = two.claim(["https://c.example/y"], "sha-y", NEAR.signature(near_copy), "002_c.txt")
    assert conflict is not None
    assert (conflict.kind, conflict.file) == ("near_duplicate", "000_a.txt")
    # Not yet written, so the cheap pre-checks do not report it.
    assert two.url_status("https://a.example/x") is None
    assert two.near_duplicate_of(NEAR.signature(near_copy)) == "000_a.txt"


def test_a_dead_workers_claim_is_taken_over(pair) -> None:
    one, two = pair
    signature = NEAR.signature(STORY)
    assert one.claim(["https://a.example/x"], "sha-x", signature, "000_a.txt") is None
    assert two.file_in_use("000_a.txt")
    kill(one.cluster)
    assert not two.file_in_use("000_a.txt")
    assert two.near_duplicate_of(signature) is None  # an abandoned claim is no original
    assert two.claim(["https://a.example/x"], "sha-x", signature, "001_b.txt") is None


def test_release_frees_everything_the_claim_held(pair) -> None:
    one, two = pair
    signature = NEAR.signature(STORY)
    assert one.claim(["https://a.example/x"], "sha-x", signature, "000_a.txt") is None
    one.release("000_a.txt")
    assert not one.file_in_use("000_a.txt")
    assert two.claim(["https://a.example/x"], "sha-x", signature, "001_b.txt") is None


def test_record_makes_the_claim_permanent_and_known_per_folder(redis_url: str) -> None:
    here = make_state(make_cluster(redis_url, "w1", folder="a" * 16))
    elsewhere = make_state(make_cluster(redis_url, "w2", folder="b" * 16))
    keys = ["https://a.example/x", "https://a.example/x?page=1"]
    assert here.claim(keys, "sha-x", NEAR.signature(STORY), "000_a.txt") is None
    assert here.known_files() == set()
    here.record_article(keys, "sha-x", NEAR.signature(STORY), "000_a.txt")
    kill(here.cluster)  # written files outlive their writer
    assert elsewhere.url_status(keys[1]) == UrlStatus.WRITTEN
    assert elsewhere.file_in_use("000_a.txt")
    assert here.known_files() == {"000_a.txt"}
    assert elsewhere.known_files() == set()  # another output folder sharing the prefix
    conflict = elsewhere.claim(["https://z.example/"], "sha-x", None, "001_b.txt")
    assert conflict is not None
    assert conflict.file == "000_a.txt"


def test_forget_file_keeps_keys_that_point_elsewhere(pair) -> None:
    one, _ = pair
    one.record_article(["https://a.example/x"], "sha-x", NEAR.signature(STORY), "000_a.txt")
    one.record_article(["https://a.example/x"], "sha-y", None, "001_b.txt")  # URL moved on
    one.forget_file("000_a.txt")
    assert one.url_status("https://a.example/x") == UrlStatus.WRITTEN  # still 001_b.txt
    assert one.file_for_text("sha-x") is None
    assert one.near_duplicate_of(NEAR.signature(STORY)) is None
    assert one.known_files() == {"001_b.txt"}


def test_exactly_one_of_many_concurrent_claims_wins(redis_url: str) -> None:
    clusters = [make_cluster(redis_url, f"w{i}") for i in range(6)]
    states = [make_state(c) for c in clusters]
    results: list[object] = []
    barrier = threading.Barrier(len(states))

    def claim(index: int, state: RedisState) -> None:
        barrier.wait()
        # Different URLs, same text: only the text hash and the LSH buckets collide.
        outcome = state.claim(
            [f"https://site{index}.example/story"],
            "same-sha",
            NEAR.signature(STORY),
            f"{index:03d}_{index:016x}.txt",
        )
        results.append(outcome)

    threads = [threading.Thread(target=claim, args=(i, s)) for i, s in enumerate(states)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 1
    for cluster in clusters:
        cluster.close()


def test_near_copies_racing_on_lsh_buckets_are_caught(redis_url: str) -> None:
    """Different text hashes and URLs: only the shared LSH buckets can stop the second one."""
    one, two = make_state(make_cluster(redis_url, "w1")), make_state(make_cluster(redis_url, "w2"))
    copy = [*STORY[:2], STORY[2] + " Reporting by the agency."]
    barrier = threading.Barrier(2)
    results: list[object] = []

    def claim(state: RedisState, text: list[str], name: str) -> None:
        barrier.wait()
        results.append(state.claim([f"https://{name}.example/"], name, NEAR.signature(text), name))

    threads = [
        threading.Thread(target=claim, args=(one, STORY, "000_a.txt")),
        threading.Thread(target=claim, args=(two, copy, "001_b.txt")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 1


def test_prefixes_keep_two_corpora_apart(redis_url: str) -> None:
    first = make_state(make_cluster(redis_url, "w1", prefix="corpus-a"))
    second = make_state(make_cluster(redis_url, "w1", prefix="corpus-b"))
    first.record_article(["https://a.example/x"], "sha-x", NEAR.signature(STORY), "000_a.txt")
    assert second.url_status("https://a.example/x") is None
    assert second.file_for_text("sha-x") is None
    assert second.near_duplicate_of(NEAR.signature(STORY)) is None
    assert second.next_number(-1) == 0


def test_an_adopted_worker_may_not_claim(pair) -> None:
    one, two = pair
    kill(one.cluster)
    assert two.cluster.adopt_dead()  # two takes over one's ledger and registration
    with pytest.raises(PresumedDeadError):
        one.claim(["https://a.example/x"], "sha-x", None, "000_a.txt")
    assert one.cluster.presumed_dead.is_set()


def test_a_lapsed_heartbeat_is_renewed_when_not_adopted(pair) -> None:
    one, _ = pair
    kill(one.cluster)  # expired, e.g. a long pause, but nobody adopted it yet
    assert one.claim(["https://a.example/x"], "sha-x", None, "000_a.txt") is None
    assert one.cluster.is_alive(one.cluster.session)


def test_near_duplicates_off_means_no_index(redis_url: str) -> None:
    state = make_state(make_cluster(redis_url, "w1"), NearDuplicateIndex(threshold=0))
    state.record_article(["https://a.example/x"], "sha-x", None, "000_a.txt")
    assert state.near_duplicate_of(NEAR.signature(STORY)) is None
    assert state.client.keys("t:lsh:*") == []


def test_a_document_remembers_its_articles_until_one_is_no_longer_settled(pair) -> None:
    one, _ = pair
    one.record_article(["https://a.example/x"], "sha-x", None, "000_a.txt")
    one.mark_not_article("https://a.example/list")
    sitemap = "https://a.example/sitemap.xml"
    one.remember_documents(
        [DocumentRecord(sitemap, '"v"', articles=("https://a.example/x", "https://a.example/list"))]
    )
    one.remember_documents([DocumentRecord(sitemap, '"w"')])  # a 304: the articles are kept
    assert one.document(sitemap) == DocumentRecord(sitemap, '"w"')
    assert one.unsettled_articles(sitemap) == 0
    one.forget_file("000_a.txt")  # lost in a crash
    assert one.unsettled_articles(sitemap) == 1
