"""Registry CSV import (interfaces.md): organisations and supervisors, idempotent, bad rows reported by line."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import insert, select, update
from sqlmodel import Session

from db.models import Org, Supervisor, SupervisorScope, utcnow
from nianbao.errors import RegistryError

KINDS = ("government", "department", "township")
LEVELS = ("province", "city", "county", "township")
REQUIRED_COLUMNS = ("id", "name", "kind", "homepage")
ORG_FIELDS = ("name", "aliases", "kind", "region_code", "level", "parent_id", "homepage", "report_list_url", "deadline")
EMAIL = re.compile(r"^[^@\s;,，；]+@[^@\s;,，；]+\.[^@\s;,，；]+$")
SEPARATORS = re.compile(r"[;；]")


@dataclass(frozen=True)
class RowError:
    line: int
    org_id: str | None
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行" + (f"（{self.org_id}）" if self.org_id else "") + f"：{self.message}"


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    supervisors_added: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The Chinese one-line summary the CLI prints."""
        return (f"新增 {len(self.added)} 个机构，更新 {len(self.updated)} 个，未变 {len(self.unchanged)} 个，"
                f"错误行 {len(self.errors)} 行；新增监督人员 {len(self.supervisors_added)} 名")


@dataclass
class _Row:
    line: int
    id: str
    fields: dict[str, Any]
    emails: list[str]


def decode_registry(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GBK/GB18030 text; RegistryError when neither fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegistryError("无法识别名录文件的编码（应为 UTF-8 或 GBK）")


def _records(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise RegistryError("名录文件为空，缺少表头")
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise RegistryError("名录表头缺少必填列：" + "、".join(missing))
    records, start = [], reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            padded = values + [""] * (len(columns) - len(values))
            records.append((start, {c: v.strip() for c, v in zip(columns, padded)}))
        start = reader.line_num + 1
    return columns, records


def _split(value: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(value) if part.strip()]


def _valid_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _valid_deadline(value: str) -> bool:
    if not re.fullmatch(r"\d{2}-\d{2}", value):
        return False
    try:
        date(2000, int(value[:2]), int(value[3:]))  # 2000 is a leap year: 02-29 is allowed
    except ValueError:
        return False
    return True


def _check_row(rec: dict[str, str]) -> str | None:
    """The Chinese reason a row is bad, or None."""
    checks = [
        (not rec.get("id"), "缺少机构标识 id"),
        (not rec.get("name"), "缺少机构名称 name"),
        (rec.get("kind") not in KINDS, f"未知的机构类型 kind“{rec.get('kind', '')}”（应为 government、department 或 township）"),
        (not rec.get("homepage"), "缺少门户网站首页 homepage"),
        (bool(rec.get("homepage")) and not _valid_url(rec["homepage"]), f"门户网站首页地址无效：{rec.get('homepage')}"),
        (bool(rec.get("report_list_url")) and not _valid_url(rec["report_list_url"]), f"年报栏目地址无效：{rec.get('report_list_url')}"),
        (bool(rec.get("region_code")) and not re.fullmatch(r"\d{6}", rec["region_code"]), f"行政区划代码应为 6 位数字：{rec.get('region_code')}"),
        (bool(rec.get("level")) and rec["level"] not in LEVELS, f"未知的层级 level“{rec.get('level')}”（应为 province、city、county 或 township）"),
        (bool(rec.get("deadline")) and not _valid_deadline(rec["deadline"]), f"截止日期 deadline 应为有效的 MM-DD：{rec.get('deadline')}"),
        (rec.get("parent_id") == rec.get("id") and bool(rec.get("id")), "上级机构不能是其自身"),
    ]
    for failed, reason in checks:
        if failed:
            return reason
    bad = [e for e in _split(rec.get("supervisor_emails", "")) if not EMAIL.match(e)]
    return f"监督人员邮箱地址无效：{'、'.join(bad)}" if bad else None


def _to_row(line: int, rec: dict[str, str]) -> _Row:
    fields = {name: (rec.get(name) or None) for name in ORG_FIELDS}
    fields["aliases"] = _split(rec.get("aliases", ""))
    return _Row(line=line, id=rec["id"], fields=fields, emails=[e.lower() for e in _split(rec.get("supervisor_emails", ""))])


def parse_registry(data: bytes) -> tuple[list[_Row], list[RowError]]:
    """Rows that pass the per-row checks, and the errors of the others (tree checks come later)."""
    _, records = _records(decode_registry(data))
    rows: dict[str, _Row] = {}
    errors: list[RowError] = []
    for line, rec in records:
        reason = _check_row(rec)
        if reason is None and rec["id"] in rows:
            reason = f"机构标识重复（第 {rows[rec['id']].line} 行已出现）"
        if reason:
            errors.append(RowError(line, rec.get("id") or None, reason))
        else:
            rows[rec["id"]] = _to_row(line, rec)
    return list(rows.values()), errors


def _resolve_tree(rows: list[_Row], known_parents: dict[str, str | None]) -> tuple[list[_Row], list[RowError]]:
    """Drop rows whose parent is unknown, bad or part of a cycle; order the rest parents first."""
    by_id = {r.id: r for r in rows}
    errors: list[RowError] = []
    changed = True
    while changed:  # a bad parent makes its children bad, and so on down
        changed = False
        for row in list(by_id.values()):
            reason = _parent_problem(row, by_id, known_parents)
            if reason:
                errors.append(RowError(row.line, row.id, reason))
                del by_id[row.id]
                changed = True
    ordered = sorted(by_id.values(), key=lambda r: (_depth(r, by_id), r.line))
    return ordered, sorted(errors, key=lambda e: e.line)


def _parent_of(org_id: str, by_id: dict[str, _Row], known: dict[str, str | None]) -> str | None:
    return by_id[org_id].fields["parent_id"] if org_id in by_id else known.get(org_id)


def _parent_problem(row: _Row, by_id: dict[str, _Row], known: dict[str, str | None]) -> str | None:
    parent = row.fields["parent_id"]
    if parent is None:
        return None
    if parent not in by_id and parent not in known:
        return f"上级机构 parent_id“{parent}”不存在（名录和本文件的有效行中都没有）"
    seen, current = {row.id}, parent
    while current is not None and len(seen) <= len(by_id) + len(known):
        if current in seen:
            return f"上级机构关系形成循环（经过“{current}”）"
        seen.add(current)
        current = _parent_of(current, by_id, known)
    return None


def _depth(row: _Row, by_id: dict[str, _Row]) -> int:
    depth, current = 0, row.fields["parent_id"]
    while current in by_id and depth <= len(by_id):
        depth, current = depth + 1, by_id[current].fields["parent_id"]
    return depth


@dataclass
class _Known:
    """What the database already holds, loaded once as plain rows: import cost stays linear in the file."""

    orgs: dict[str, dict[str, Any]]
    supervisors: dict[str, int]
    scopes: set[tuple[int, str]]

    @classmethod
    def load(cls, session: Session) -> _Known:
        columns = [getattr(Org, name) for name in ORG_FIELDS]
        orgs = {row[0]: dict(zip(ORG_FIELDS, row[1:])) for row in session.execute(select(Org.id, *columns))}
        supervisors = {email.lower(): sid for sid, email in session.execute(select(Supervisor.id, Supervisor.email))}
        scopes = {(sid, oid) for sid, oid in session.execute(select(SupervisorScope.supervisor_id, SupervisorScope.org_id))}
        return cls(orgs, supervisors, scopes)


def _outcome(known: _Known, row: _Row) -> str:
    """'added', 'updated' or 'unchanged'."""
    current = known.orgs.get(row.id)
    if current is None:
        return "added"
    return "unchanged" if current == row.fields else "updated"


def _supervisors(session: Session, known: _Known, rows: list[_Row], result: ImportResult) -> None:
    """Create the supervisors named in `rows` that do not exist yet."""
    for email in dict.fromkeys(e for row in rows for e in row.emails):
        if email not in known.supervisors:
            supervisor = Supervisor(email=email)
            session.add(supervisor)
            session.flush()
            known.supervisors[email] = supervisor.id  # type: ignore[assignment]
            result.supervisors_added.append(email)


def _new_scopes(known: _Known, row: _Row) -> list[dict[str, Any]]:
    """The row's supervisor scopes that do not exist yet."""
    missing = []
    for email in row.emails:
        key = (known.supervisors[email], row.id)
        if key not in known.scopes:
            known.scopes.add(key)
            missing.append({"supervisor_id": key[0], "org_id": row.id})
    return missing


def _write(session: Session, added: list[_Row], updated: list[_Row], scopes: list[dict[str, Any]]) -> None:
    """Bulk statements: new organisations in tree order (parents first), changed ones by id, then scopes."""
    now = utcnow()
    for start in range(0, len(added), 1000):
        chunk = added[start:start + 1000]
        session.execute(insert(Org), [{"id": r.id, **r.fields, "created_at": now, "updated_at": now} for r in chunk])
    if updated:
        session.execute(update(Org), [{"id": r.id, **r.fields, "updated_at": now} for r in updated])
    for start in range(0, len(scopes), 1000):
        session.execute(insert(SupervisorScope), scopes[start:start + 1000])


def import_registry(*, session: Session, data: bytes) -> ImportResult:
    """Import a registry CSV into the session's transaction; bad rows are reported, good rows imported.

    Scopes are only added: an email removed from the file keeps its access until an admin revokes it.
    """
    rows, errors = parse_registry(data)
    known = _Known.load(session)
    ordered, tree_errors = _resolve_tree(rows, {oid: fields["parent_id"] for oid, fields in known.orgs.items()})
    result = ImportResult(errors=sorted(errors + tree_errors, key=lambda e: e.line))
    _supervisors(session, known, ordered, result)
    by_outcome: dict[str, list[_Row]] = {"added": [], "updated": [], "unchanged": []}
    scopes: list[dict[str, Any]] = []
    for row in ordered:
        outcome = _outcome(known, row)
        new_scopes = _new_scopes(known, row)
        scopes.extend(new_scopes)
        by_outcome["updated" if outcome == "unchanged" and new_scopes else outcome].append(row)
    _write(session, by_outcome["added"], [r for r in by_outcome["updated"] if _row_changed(known, r)], scopes)
    session.expire_all()  # bulk statements bypass the identity map
    for outcome, outcome_rows in by_outcome.items():
        getattr(result, outcome).extend(r.id for r in outcome_rows)
    return result


def _row_changed(known: _Known, row: _Row) -> bool:
    current = known.orgs.get(row.id)
    return current is not None and current != row.fields
