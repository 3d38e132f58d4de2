"""Digest periods (ISO weeks) and the time windows they cover."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

WEEK = timedelta(days=7)


def iso_week(day: date) -> str:
    """The period key of the ISO week containing `day`, e.g. 2026-W49."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_label(period: str) -> str:
    """2026-W49 -> 2026年第49周."""
    year, week = period.split("-W")
    return f"{year}年第{int(week)}周"


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; naive values (some drivers return them) are taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return as_utc(moment).astimezone(tz).date()


def cutoff(as_of: date | datetime, *, tz: ZoneInfo, now: datetime) -> datetime:
    """Where a digest's window ends: the end of the `as_of` day (local time), but never later than now.

    Capping at now matters: events after the run but before midnight belong to the next digest,
    whose window starts where this one ended.
    """
    if isinstance(as_of, datetime):
        end = as_utc(as_of)
    else:
        end = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=tz).astimezone(timezone.utc)
    return min(end, as_utc(now))


def as_of_day(as_of: date | datetime, tz: ZoneInfo) -> date:
    return local_day(as_of, tz) if isinstance(as_of, datetime) else as_of
