"""What the compliance engine works on: organisations, report versions and their histories, as plain records.

No database import here: `nianbao status` builds these from Core rows without loading the SQLModel classes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

# Deadlines are dates in Chinese law, so "first seen" instants are read on the Beijing calendar.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


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


@dataclass(slots=True)  # not frozen: 27,000 are read per answer for another as-of date, and frozen init costs twice
class ReportRef:
    """One stored version of one report, without its contents."""

    id: int
    org_id: str
    year: int
    version: int
    published_on: date | None
    published_source: str
    first_seen_at: datetime  # UTC; naive where the engine keeps no offset (SQLite)
    claimed_org: str | None = None
    title: str | None = None

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


def histories_as_of(refs: Iterable[ReportRef], *, as_of: date) -> dict[tuple[str, int], ReportHistory]:
    """(org id, year) -> the versions visible on `as_of`."""
    grouped: dict[tuple[str, int], list[ReportRef]] = defaultdict(list)
    for ref in refs:
        if ref.visible_from <= as_of:
            grouped[(ref.org_id, ref.year)].append(ref)
    return {key: ReportHistory(tuple(sorted(v, key=lambda r: r.version))) for key, v in grouped.items()}
