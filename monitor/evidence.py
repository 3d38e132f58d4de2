"""What the compliance engine reads: organisations, report versions (light columns) and report contents.

Light rows are read with Core selects (tuples, no ORM objects) so 30,000 organisations load quickly;
report contents (`Report.data`) are read only for the versions that matter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast, select
from sqlmodel import Session, col

from db.models import Org, Report

# Deadlines are dates in Chinese law, so "first seen" instants are read on the Beijing calendar.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_CHUNK = 900


@dataclass(slots=True)
class OrgRef:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    level: str | None
    region_code: str | None
    deadline: str | None
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class ReportRef:
    """One stored version of one report, without its contents."""

    id: int
    org_id: str
    year: int
    version: int
    published_on: date | None
    published_source: str
    first_seen_at: datetime
    claimed_org: str | None
    title: str | None

    @property
    def first_seen_on(self) -> date:
        """The Beijing date on which this version was first captured."""
        seen = self.first_seen_at if self.first_seen_at.tzinfo else self.first_seen_at.replace(tzinfo=timezone.utc)
        return seen.astimezone(LOCAL_TZ).date()

    @property
    def publication(self) -> tuple[date, str]:
        """The publication date used for deadlines and where it came from ("page" or "first_seen")."""
        if self.published_on is not None and self.published_source == "page":
            return self.published_on, "page"
        return self.published_on or self.first_seen_on, "first_seen"

    @property
    def visible_from(self) -> date:
        """The first day this version is known to exist (its page date may precede our capture)."""
        return min(self.publication[0], self.first_seen_on)


@dataclass(frozen=True, slots=True)
class ReportHistory:
    """The versions of one organisation's report for one year that existed on the as-of date."""

    versions: tuple[ReportRef, ...]  # ascending by version

    @property
    def first(self) -> ReportRef:
        return self.versions[0]

    @property
    def newest(self) -> ReportRef:
        return self.versions[-1]


def load_orgs(*, session: Session, aliases: bool = True) -> list[OrgRef]:
    """Every registered organisation, ordered by id (`aliases=False` skips decoding them, for speed)."""
    names = cast(Org.aliases, Text) if not aliases else Org.aliases
    cols: tuple[Any, ...] = (Org.id, Org.name, names, Org.kind, Org.level, Org.region_code, Org.deadline, Org.parent_id)
    rows = session.connection().execute(select(*cols).order_by(Org.id)).all()
    return [OrgRef(r[0], r[1], tuple(r[2] or ()) if aliases else (), r[3], r[4], r[5], r[6], r[7]) for r in rows]


def load_report_refs(*, session: Session, years: Iterable[int]) -> list[ReportRef]:
    """Every version of every report filed under an organisation for `years`."""
    cols: tuple[Any, ...] = (
        Report.id,
        Report.org_id,
        Report.year,
        Report.version,
        Report.published_on,
        Report.published_source,
        Report.first_seen_at,
        Report.claimed_org,
        Report.title,
    )
    query = select(*cols).where(col(Report.year).in_(list(years)), col(Report.org_id).is_not(None))
    return [ReportRef(*row) for row in session.connection().execute(query).all()]


def histories_as_of(refs: Iterable[ReportRef], *, as_of: date) -> dict[tuple[str, int], ReportHistory]:
    """(org id, year) -> the versions visible on `as_of`."""
    grouped: dict[tuple[str, int], list[ReportRef]] = defaultdict(list)
    for ref in refs:
        if ref.visible_from <= as_of:
            grouped[(ref.org_id, ref.year)].append(ref)
    return {key: ReportHistory(tuple(sorted(v, key=lambda r: r.version))) for key, v in grouped.items()}


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
