"""The Jinja environment for the pages: autoescape always, StrictUndefined when asked (tests)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import jinja2
from starlette.templating import Jinja2Templates

from monitor.web import labels

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _local_time(value: datetime | None, zone: ZoneInfo) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:  # SQLite returns naive values for timezone-aware columns; they are UTC
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _href(value: str | None) -> str:
    """Only http(s) links from crawled data; anything else (javascript:, data:) becomes inert."""
    return value if value and urlsplit(value).scheme in ("http", "https") else "#"


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def make_templates(*, strict: bool, timezone: str) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined if strict else jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    zone = ZoneInfo(timezone)
    env.filters["local_time"] = lambda value: _local_time(value, zone)
    env.filters["day"] = _day
    env.filters["qs"] = lambda args: urlencode(args)
    env.filters["seg"] = lambda value: quote(str(value), safe="")
    env.filters["href"] = _href
    env.globals.update(
        STATUS_LABELS=labels.STATUS_LABELS, STATUSES=labels.STATUSES, KINDS=labels.KINDS, LEVELS=labels.LEVELS,
        RULES=labels.RULES, SEVERITIES=labels.SEVERITIES, PUBLISHED_SOURCES=labels.PUBLISHED_SOURCES,
        region_label=labels.region_label, PROVINCES=labels.PROVINCES, reason_text=reason_text, problems=problems,
    )
    return Jinja2Templates(env=env)


def problems(reasons: list[Any]) -> list[Any]:
    """The reasons that are problems (monitor.compliance also stores passed checks with severity "info")."""
    return [r for r in reasons if not (isinstance(r, dict) and r.get("severity") == "info")]


def reason_text(reason: Any) -> str:
    """A ComplianceStatus reason (a dict written by monitor.compliance) as one Chinese line."""
    if isinstance(reason, dict):
        message = reason.get("message")
        rule = reason.get("rule")
        if message:
            return f"{rule}：{message}" if rule else str(message)
        if rule:
            return f"{rule}：{labels.RULES.get(str(rule), '')}"
    return str(reason)
