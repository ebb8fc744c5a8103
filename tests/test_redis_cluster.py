"""Cluster membership against a real redis-server: seed lease, adoption, run end, heartbeat."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from tests.redis_server import require_redis_packages

require_redis_packages()

import redis

from crawler.distributed.cluster import BUSY, IDLE, Cluster, SeedRole, worker_id
from crawler.distributed.keys import RedisKeys, corpus_id

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


@pytest.fixture
def join(redis_url: str):
    """Make registered clusters that are closed after the test."""
    made: list[Cluster] = []

    def make(worker: str, ttl: int = 30) -> Cluster:
        cluster = Cluster(redis.Redis.from_url(redis_url), RedisKeys("t"), worker, "f" * 16, ttl)
        cluster.register()
        made.append(cluster)
        return cluster

    yield make
    for cluster in made:
        cluster.close()


def kill(cluster: Cluster) -> None:
    cluster.client.delete(cluster.keys.alive(cluster.session))


def test_one_worker_seeds_the_others_wait_then_skip(join: Callable[..., Cluster]) -> None:
    first, second = join("w1"), join("w2")
    assert first.seed_role() is SeedRole.SEED
    assert second.seed_role() is SeedRole.WAIT
    assert first.seed_role() is SeedRole.SEED  # asking again does not lose the lease
    first.seed_done()
    assert second.seed_role() is SeedRole.DONE
    assert join("w3").seed_role() is SeedRole.DONE


def test_the_seed_lease_of_a_dead_worker_is_taken_over(join: Callable[..., Cluster]) -> None:
    first, second = join("w1"), join("w2")
    assert first.seed_role() is SeedRole.SEED
    kill(first)
    assert second.seed_role() is SeedRole.SEED
    assert first.seed_role() is SeedRole.WAIT  # it is second's now, even if first comes back


def test_a_dead_workers_ledger_is_adopted_exactly_once(join: Callable[..., Cluster]) -> None:
    dead, alive, other = join("w1"), join("w2"), join("w3")
    dead.client.hset(dead.keys.taken(dead.session), mapping={"t1": b"req-1", "t2": b"req-2"})
    assert alive.adopt_dead() == []  # still beating
    kill(dead)
    adopted: dict[str, int] = {}
    barrier = threading.Barrier(2)

    def adopt(cluster: Cluster) -> None:
        barrier.wait()
        adopted[cluster.worker] = sum(len(a.entries) for a in cluster.adopt_dead())

    threads = [threading.Thread(target=adopt, args=(c,)) for c in (alive, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(adopted.values()) == [0, 2]
    winner = alive if adopted["w2"] == 2 else other
    assert winner.client.hgetall(winner.keys.taken(winner.session)) == {
        b"t1": b"req-1",
        b"t2": b"req-2",
    }
    assert not dead.client.exists(dead.keys.taken(dead.session))
    assert dead.session.encode() not in winner.client.hkeys(winner.keys.workers)


def test_an_adopted_worker_learns_it_on_its_next_beat(join: Callable[..., Cluster]) -> None:
    first, second = join("w1"), join("w2")
    assert first.beat()
    kill(first)
    [adopted] = second.adopt_dead()
    assert adopted.info["worker"] == "w1"
    assert adopted.info["folder"] == "f" * 16
    assert not first.beat()
    assert first.presumed_dead.is_set()
    assert not first.set_status(IDLE)


def test_the_run_ends_with_the_last_idle_worker_and_an_empty_queue(
    join: Callable[..., Cluster],
) -> None:
    first, second = join("w1"), join("w2")
    first.seed_role()
    first.client.sadd(first.keys.dupefilter, "fingerprint")
    assert not first.leave(finished=True)  # second is busy: it may queue more
    assert first.client.exists(first.keys.seed, first.keys.dupefilter) == 2
    second.client.zadd(second.keys.requests, {b"req": 0})
    assert second.set_status(IDLE)
    assert not second.leave(finished=True)  # the queue still holds a request
    third = join("w3")
    second.client.delete(second.keys.requests)
    assert third.set_status(IDLE)
    assert not third.leave(finished=False)  # closed early (timeout, signal): no run end
    fourth = join("w4")
    fourth.set_status(IDLE)
    assert fourth.leave(finished=True)
    assert not fourth.client.exists(fourth.keys.seed, fourth.keys.dupefilter)
    assert join("w5").seed_role() is SeedRole.SEED  # the next run reads the start pages again


def test_a_dead_worker_with_unfinished_requests_keeps_the_run_open(
    join: Callable[..., Cluster],
) -> None:
    dead, last = join("w1"), join("w2")
    dead.client.hset(dead.keys.taken(dead.session), "t1", b"req")
    kill(dead)
    last.set_status(IDLE)
    assert not last.leave(finished=True)


def test_others_busy_sees_only_live_busy_workers(join: Callable[..., Cluster]) -> None:
    me, other = join("w1"), join("w2")
    assert other.status == BUSY
    assert me.others_busy()
    other.set_status(IDLE)
    assert not me.others_busy()
    other.set_status(BUSY)
    kill(other)
    assert not me.others_busy()


def test_the_heartbeat_thread_renews_the_ttl_three_times_per_ttl(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    left: list[int] = []  # seconds the heartbeat key had left each time the thread paused
    paused: list[float] = []

    def no_time_passes(seconds: float) -> bool:
        paused.append(seconds)
        left.append(client.ttl(cluster.keys.alive(cluster.session)))
        client.expire(cluster.keys.alive(cluster.session), 1000)  # the next beat must reset it
        return len(paused) == 4  # then stop

    cluster = Cluster(client, RedisKeys("t"), "w1", "f" * 16, 30, wait=no_time_passes)
    cluster.register()
    cluster.start_heartbeat()
    cluster.stop_heartbeat()  # joins the thread, which stops itself after four pauses
    cluster.close()
    assert paused == [10.0] * 4
    assert all(0 < seconds <= 30 for seconds in left), left  # registered, then renewed by each beat


def test_worker_ids_name_files_safely() -> None:
    assert worker_id("node-1.a_b") == "node-1.a_b"
    assert worker_id("").rsplit("-", 1)[1].isdigit()
    for bad in ("a/b", "../x", "x y", "a" * 65):
        with pytest.raises(ValueError, match="NEWS_WORKER_ID"):
            worker_id(bad)


def test_workers_sharing_a_folder_agree_on_its_id(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    ids: list[str] = []
    threads = [threading.Thread(target=lambda: ids.append(corpus_id(folder))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 1
    assert corpus_id(folder) == ids[0]
    assert corpus_id(tmp_path / "other") != ids[0]
    assert sorted(p.name for p in folder.iterdir()) == [".corpus-id"]
