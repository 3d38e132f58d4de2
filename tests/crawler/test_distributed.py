"""The shared-crawl protocol on the real Redis: when an idle worker may close."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from crawler.distributed import BUSY, IDLE, Worker, _keys

pytestmark = pytest.mark.redis


@pytest.fixture
def spider(redis_url: str) -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:8]}"  # keys of its own, whatever else uses this Redis
    yield name
    client = redis.Redis.from_url(redis_url)
    client.delete(*client.keys(f"nianbao:{name}:*") or [f"nianbao:{name}:none"])
    client.close()


def _worker(redis_url: str, spider: str) -> Worker:
    return Worker(redis.Redis.from_url(redis_url), spider).join()


def test_idle_worker_waits_while_another_is_busy(redis_url: str, spider: str) -> None:
    first, second = _worker(redis_url, spider), _worker(redis_url, spider)
    try:
        assert first.fresh and not second.fresh
        second.set_state(IDLE)
        assert second.work_remains()  # the first is busy: its pages may yield requests
        first.set_state(IDLE)
        assert not second.work_remains() and not first.work_remains()
    finally:
        second.leave()
        first.leave()


def test_idle_worker_waits_while_the_queue_holds_requests(redis_url: str, spider: str) -> None:
    first, second = _worker(redis_url, spider), _worker(redis_url, spider)
    queue = _keys(spider)[0]
    try:
        first.set_state(IDLE)
        second.set_state(IDLE)
        first.client.zadd(queue, {b"request": 0})
        assert first.work_remains()
        first.client.zrem(queue, b"request")
        second.set_state(BUSY)  # it took the request
        assert first.work_remains()
    finally:
        second.leave()
        first.leave()


def test_a_dead_worker_does_not_keep_others_open(redis_url: str, spider: str) -> None:
    first, dead = _worker(redis_url, spider), _worker(redis_url, spider)
    try:
        first.set_state(IDLE)
        assert first.work_remains()
        dead._stop.set()  # killed: no more heartbeats, and the last one expires
        assert dead._thread is not None
        dead._thread.join(timeout=10)
        dead.client.delete(dead._beat_key(dead.id))
        assert not first.work_remains()
    finally:
        first.leave()
