"""Login throttling and CSRF tokens."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, MutableMapping
from typing import Any

from nianbao.errors import NianbaoError

CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class AccessDenied(NianbaoError):
    """The signed-in user may not do this (shown as 403)."""


class TooManyAttempts(NianbaoError):
    """Too many failed logins for one address and account (shown as 429)."""


class LoginThrottle:
    """At most `limit` failed logins per (client address, account) within `window` seconds.

    Kept in process memory: one web process is the deployment (see ARCHITECTURE.md).
    """

    def __init__(self, *, limit: int = 5, window: float = 300.0, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_keys = max_keys
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, address: str, account: str) -> None:
        """Raise TooManyAttempts while the key is over the limit."""
        with self._lock:
            recent = self._recent((address, account.lower()))
            if len(recent) >= self.limit:
                wait = int(self.window - (self.clock() - recent[0])) // 60 + 1
                raise TooManyAttempts(f"登录失败次数过多，请约 {wait} 分钟后再试")

    def failed(self, address: str, account: str) -> None:
        with self._lock:
            if len(self._failures) >= self.max_keys:
                self._failures.clear()  # bounded memory under a flood of distinct keys
            key = (address, account.lower())
            self._recent(key)
            self._failures.setdefault(key, deque()).append(self.clock())

    def succeeded(self, address: str, account: str) -> None:
        with self._lock:
            self._failures.pop((address, account.lower()), None)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self._failures.get(key, deque())
        cutoff = self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def csrf_valid(session: MutableMapping[str, Any], supplied: object) -> bool:
    expected = session.get(CSRF_KEY)
    return isinstance(expected, str) and isinstance(supplied, str) and hmac.compare_digest(expected, supplied)
