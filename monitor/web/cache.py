"""A small memo for the aggregate queries (overview counts, list counts and page ids).

An entry is reused only while the data it was computed from looks unchanged — the newest status
change, report and finding ids and the number of organisations, all index look-ups — and for at
most `ttl` seconds, which bounds staleness for edits those ids do not reveal (a registry re-import
moving an organisation, a reason rewritten without a status change). `ttl=0` turns it off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from db.models import FindingRow, Org, Report, StatusChange, SupervisorScope
from monitor.web.scope import Viewer

T = TypeVar("T")


def data_token(session: Session) -> tuple[Any, ...]:
    """Cheap evidence that statuses, reports or the registry changed."""
    row = session.execute(select(
        select(func.max(StatusChange.id)).scalar_subquery(), select(func.max(Report.id)).scalar_subquery(),
        select(func.max(FindingRow.id)).scalar_subquery(), select(func.count()).select_from(Org).scalar_subquery(),
    )).one()
    return tuple(row)


def scope_key(session: Session, viewer: Viewer) -> Hashable:
    """Viewers with the same roots see the same rows, so they share entries."""
    if viewer.is_admin:
        return "*"
    return tuple(session.scalars(select(SupervisorScope.org_id).where(SupervisorScope.supervisor_id == viewer.id)
                                 .order_by(SupervisorScope.org_id)))


class Memo:
    def __init__(self, *, ttl: float = 120.0, size: int = 512, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, viewer: Viewer, key: Hashable, compute: Callable[[], T]) -> T:
        """The memoised value of `compute()` for this viewer's scope, `key` and the current data token."""
        if self.ttl <= 0:
            return compute()
        full_key = (scope_key(session, viewer), key)
        token = data_token(session)
        now = self.clock()
        with self._lock:
            hit = self._entries.get(full_key)
            if hit is not None and hit[1] == token and now - hit[0] < self.ttl:
                self._entries.move_to_end(full_key)
                return hit[2]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._entries[full_key] = (now, token, value)
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value
