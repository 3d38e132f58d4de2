"""Several crawler processes sharing one scrapy-redis queue and dupefilter.

The first worker to join a crawl clears what a previous crawl left; the last to leave cleans up.
Workers are live while their heartbeat key exists, so a killed worker stops counting after HEARTBEAT_TTL.
The heartbeat also says whether the worker is busy: an idle worker stays open while the shared queue
holds requests or another worker is busy (its pages may yield more), and closes when neither holds.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import redis
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.scheduler import Scheduler

HEARTBEAT_TTL = 15  # seconds
IDLE_POLL_S = 1.0  # how often an idle worker looks at the shared queue (Scrapy's own heartbeat is 5 s)
BUSY, IDLE = b"busy", b"idle"
_ATTR = "nianbao_worker"


def _keys(spider: str) -> tuple[str, str]:
    return f"nianbao:{spider}:requests", f"nianbao:{spider}:dupefilter"


@dataclass
class Worker:
    client: redis.Redis
    spider: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    fresh: bool = False  # this worker started a new crawl (no other worker was live)
    state: bytes = BUSY
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    @property
    def _members(self) -> str:
        return f"nianbao:{self.spider}:workers"

    def _beat_key(self, worker_id: str) -> str:
        return f"nianbao:{self.spider}:worker:{worker_id}"

    def _live_others(self) -> dict[str, bytes]:
        """Other live workers and their state; members whose heartbeat expired are removed."""
        live = {}
        for raw in self.client.smembers(self._members):
            member = raw.decode() if isinstance(raw, bytes) else str(raw)
            if member == self.id:
                continue
            state = self.client.get(self._beat_key(member))
            if state is None:
                self.client.srem(self._members, member)
            else:
                live[member] = state
        return live

    def join(self) -> Worker:
        with self.client.lock(f"nianbao:{self.spider}:join", timeout=10, blocking_timeout=10):
            if not self._live_others():
                self.client.delete(*_keys(self.spider))
                self.fresh = True
            self.client.sadd(self._members, self.id)
            self._publish()
        self._thread = threading.Thread(target=self._beat, name="nianbao-heartbeat", daemon=True)
        self._thread.start()
        return self

    def _publish(self) -> None:
        self.client.set(self._beat_key(self.id), self.state, ex=HEARTBEAT_TTL)

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_TTL / 3):
            self._publish()

    def set_state(self, state: bytes) -> None:
        if state != self.state:
            self.state = state
            self._publish()

    def work_remains(self) -> bool:
        """Requests wait in the shared queue, or another worker is busy and may yield more."""
        if self.client.zcard(_keys(self.spider)[0]):  # scrapy-redis's PriorityQueue is a sorted set
            return True
        return BUSY in self._live_others().values()

    def leave(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self.client.lock(f"nianbao:{self.spider}:join", timeout=10, blocking_timeout=10):
            self.client.srem(self._members, self.id)
            self.client.delete(self._beat_key(self.id))
            if not self._live_others():
                self.client.delete(*_keys(self.spider), self._members)
        self.client.close()


def join_crawl(redis_url: str, spider: str = "portals") -> Worker:
    """Register this process as a worker of the shared crawl."""
    return Worker(redis.Redis.from_url(redis_url), spider).join()


def attach(crawler: Crawler, worker: Worker) -> None:
    """Give the crawler's SharedScheduler and SharedIdle their worker (before the crawl starts)."""
    setattr(crawler, _ATTR, worker)


def _worker(crawler: Crawler) -> Worker:
    worker = getattr(crawler, _ATTR, None)
    if worker is None:
        raise NotConfigured("no shared-crawl worker attached")
    return worker


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler; taking a request from the shared queue marks this worker busy at once."""

    worker: Worker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.worker = _worker(crawler)
        return scheduler

    def next_request(self) -> Any:
        request = super().next_request()
        if request is not None:
            self.worker.set_state(BUSY)
        return request


class SharedIdle:
    """Keeps an idle worker open while the shared crawl still has work, polling the queue every second."""

    def __init__(self, crawler: Crawler, worker: Worker) -> None:
        self.crawler = crawler
        self.worker = worker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedIdle:
        extension = cls(crawler, _worker(crawler))
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    def engine_started(self) -> None:
        # Scrapy offers no setting for its engine heartbeat; a shorter one lets an idle worker pick up
        # requests other workers' pages yield within a second instead of five.
        if self.crawler.engine is not None and hasattr(self.crawler.engine, "_SLOT_HEARTBEAT_INTERVAL"):
            self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = IDLE_POLL_S

    def spider_idle(self, spider: Spider) -> None:
        self.worker.set_state(IDLE)
        if self.worker.work_remains():
            raise DontCloseSpider
