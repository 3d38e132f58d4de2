"""What the compliance engine reads through the ORM tables: organisations and report contents.

Light rows are read with Core selects (tuples, no ORM objects) so 30,000 organisations load quickly;
report contents (`Report.data`) are read only for the versions that matter. Report versions: `monitor.versions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Text, cast, select
from sqlmodel import Session, col

from db.models import Org, Report
from monitor.refs import OrgRef

_CHUNK = 900


def load_orgs(*, session: Session, aliases: bool = True) -> list[OrgRef]:
    """Every registered organisation, ordered by id (`aliases=False` skips decoding them, for speed)."""
    names = cast(Org.aliases, Text) if not aliases else Org.aliases
    cols: tuple[Any, ...] = (Org.id, Org.name, names, Org.kind, Org.level, Org.region_code, Org.deadline, Org.parent_id)
    rows = session.connection().execute(select(*cols).order_by(Org.id)).all()
    return [OrgRef(r[0], r[1], tuple(r[2] or ()) if aliases else (), r[3], r[4], r[5], r[6], r[7]) for r in rows]


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def load_contents(*, session: Session, report_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Report id -> `Report.data` (the `Report.to_json()` object)."""
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(report_ids))):
        query = select(col(Report.id), col(Report.data)).where(col(Report.id).in_(chunk))
        for rid, data in session.execute(query):
            out[rid] = data or {}
    return out
