"""Several crawler processes sharing one scrapy-redis queue and dupefilter.

The first worker to join a crawl clears what a previous crawl left; the last to leave cleans up.
Workers are live while their heartbeat key exists, so a killed worker stops counting after HEARTBEAT_TTL.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

import redis

PREFIX = "nianbao:portals"
HEARTBEAT_TTL = 15  # seconds


def _keys(spider: str) -> tuple[str, str]:
    return f"nianbao:{spider}:requests", f"nianbao:{spider}:dupefilter"


@dataclass
class Worker:
    client: redis.Redis
    spider: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    fresh: bool = False  # this worker started a new crawl (no other worker was live)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    @property
    def _members(self) -> str:
        return f"nianbao:{self.spider}:workers"

    def _beat_key(self, worker_id: str) -> str:
        return f"nianbao:{self.spider}:worker:{worker_id}"

    def _live_others(self) -> list[str]:
        live = []
        for raw in self.client.smembers(self._members):
            member = raw.decode() if isinstance(raw, bytes) else str(raw)
            if member == self.id:
                continue
            if self.client.exists(self._beat_key(member)):
                live.append(member)
            else:
                self.client.srem(self._members, member)
        return live

    def join(self) -> Worker:
        with self.client.lock(f"nianbao:{self.spider}:join", timeout=10, blocking_timeout=10):
            if not self._live_others():
                self.client.delete(*_keys(self.spider))
                self.fresh = True
            self.client.sadd(self._members, self.id)
            self.client.set(self._beat_key(self.id), "1", ex=HEARTBEAT_TTL)
        self._thread = threading.Thread(target=self._beat, name="nianbao-heartbeat", daemon=True)
        self._thread.start()
        return self

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_TTL / 3):
            self.client.set(self._beat_key(self.id), "1", ex=HEARTBEAT_TTL)

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
