"""The parsed report and its findings: plain data, serialised to the `nianbao.report/1` contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

SCHEMA = "nianbao.report/1"
SECTION_IDS = ("overview", "proactive", "applications", "review_litigation", "problems", "other")


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule outcome: `rule` is a rules.md id; `cells` are canonical cell ids (e.g. applications.granted.total)."""

    rule: str
    severity: str  # "error" | "warning"
    message: str
    cells: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "cells": list(self.cells)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(data["rule"], data["severity"], data["message"], tuple(data.get("cells", ())))


@dataclass(slots=True)
class Source:
    path: str | None
    media_type: str
    sha256: str


@dataclass(slots=True)
class Report:
    """A parsed annual report. Tables map row id -> field id -> number or None (blank, '/', '—', '无')."""

    source: Source
    title: str | None = None
    org: str | None = None
    year: int | None = None
    template: str | None = None  # "2021" | "2019"
    published_on: date | None = None
    # Section id -> its text as printed (None when the section is missing).
    section_texts: dict[str, str | None] = field(default_factory=dict)
    art20: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    applications: dict[str, dict[str, int | float | None]] = field(default_factory=dict)
    review_litigation: dict[str, dict[str, int | float | None]] = field(default_factory=dict)
    # Canonical cell id -> the raw text it was read from.
    raw_cells: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def sections(self) -> dict[str, bool]:
        return {sid: self.section_texts.get(sid) is not None for sid in SECTION_IDS}

    def to_json(self) -> dict[str, Any]:
        """The `nianbao parse --json` contract (report.md), plus additive keys."""
        return {
            "schema": SCHEMA,
            "source": asdict(self.source),
            "title": self.title,
            "org": self.org,
            "year": self.year,
            "template": self.template,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "sections": self.sections,
            "art20": self.art20,
            "applications": self.applications,
            "review_litigation": self.review_litigation,
            "findings": [f.to_json() for f in self.findings],
            "section_texts": self.section_texts,
            "raw_cells": self.raw_cells,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """Inverse of to_json, for reports read back from storage."""
        published = data.get("published_on")
        return cls(
            source=Source(**data["source"]),
            title=data.get("title"),
            org=data.get("org"),
            year=data.get("year"),
            template=data.get("template"),
            published_on=date.fromisoformat(published) if published else None,
            section_texts=data.get("section_texts") or {},
            art20=data.get("art20") or {},
            applications=data.get("applications") or {},
            review_litigation=data.get("review_litigation") or {},
            raw_cells=data.get("raw_cells") or {},
            findings=[Finding.from_json(f) for f in data.get("findings", [])],
        )
