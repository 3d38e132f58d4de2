"""The statistical tables of sections 二, 三 and 四, read from the token stream by their printed row labels."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from crawler.report.parse.rows import RowSpan, resolve, trim
from crawler.report.parse.tokens import Token, label_key
from crawler.report.templates import (
    APPLICANT_COLUMNS,
    NON_COUNT_FIELDS,
    REVIEW_FIELDS,
    REVIEW_GROUPS,
    TEMPLATES,
    Template,
)

Number = int | float | None
# How much longer than its label a cell may be and still be that label (group prefixes, wrapped notes).
LABEL_SLACK = 12
KEY_PREFIX = 8
_PARENTHETICAL = re.compile(r"[（(][^（()）]*[)）]$")
# Variants printed in the wild for a row label, beyond the national form's wording.
ROW_ALIASES: dict[str, tuple[str, ...]] = {
    "normative_docs": ("规范性文件",),
    "other_services": ("其他对外管理服务",),
    "procurement": ("集中采购",),
    "results_total": ("（七）合计",),
}
TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "第二十条第九项",
        "政府集中采购",
        "采购总金额",
    ),
    "2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
        "逾期未按收费通知",
    ),
}


@dataclass(slots=True)
class TableRead:
    """One table: row id -> field id -> number; the raw text of each cell; whether its labels were found."""

    values: dict[str, dict[str, Number]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    found: bool = False
    # Cell id -> (block, row, cell) of the table cell it was read from (paragraph pieces are not located).
    where: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def take(self, cell_id: str, row: str, fid: str, token: Token) -> None:
        """Record one cell read from `token`."""
        self.values[row][fid] = _as_field(token.number, cell_id)
        self.raw[cell_id] = token.raw
        if token.in_table:
            self.where[cell_id] = (token.block, token.row, token.col)


@dataclass(frozen=True, slots=True)
class LabelKey:
    """What identifies a row label: its first characters, and the length of the whole label."""

    head: str
    length: int

    @classmethod
    def of(cls, label: str) -> LabelKey:
        """No numbering, no trailing note in brackets; a label wrapped across cells still shows its head."""
        core = label_key(_PARENTHETICAL.sub("", label.strip()))
        return cls(core[:KEY_PREFIX], len(label_key(label)))


RowSpec = tuple[str, tuple[LabelKey, ...], tuple[str, ...]]  # (row id, label keys, field ids)


def is_label(token: Token, keys: Sequence[LabelKey]) -> bool:
    """Whether `token` is a cell printing one of `keys` (two-character labels such as 其他 must match exactly)."""
    if token.kind != "text":
        return False
    for key in keys:
        if len(key.head) <= 2:
            if token.key == key.head:
                return True
        elif key.head in token.key and len(token.key) <= key.length + LABEL_SLACK:
            return True
    return False


def _single_other_row(tokens: Sequence[Token]) -> bool:
    """2019's form has one （六）其他处理 row with numbers; 2021's splits it into three labelled rows."""
    for index, token in enumerate(tokens):
        if token.kind == "text" and token.key.endswith("其他处理") and len(token.key) <= 8:
            following = next((t for t in tokens[index + 1 : index + 4] if t.raw.strip()), None)
            return following is not None and following.number is not None
    return False


def detect_template(tokens: Sequence[Token]) -> str:
    """'2019' when its distinctive labels outnumber those of the 2021 form, else '2021'."""
    keys = [t.key for t in tokens if t.kind == "text" and len(t.key) <= 40]
    score = {tid: sum(any(m in k for k in keys) for m in markers) for tid, markers in TEMPLATE_MARKERS.items()}
    score["2019"] += _single_other_row(tokens)
    return "2019" if score["2019"] > score["2021"] else "2021"


def _find_labels(tokens: Sequence[Token], rows: Sequence[tuple[str, tuple[LabelKey, ...]]]) -> dict[str, int]:
    """Row id -> token index of its label, searching forward in printed order; missing rows are skipped."""
    found: dict[str, int] = {}
    start = 0
    for row_id, keys in rows:
        for index in range(start, len(tokens)):
            if is_label(tokens[index], keys):
                found[row_id] = index
                start = index + 1
                break
    return found


def _as_field(value: Number, cell_id: str) -> Number:
    """Counts printed as 3.0 are 3; amounts keep their decimals."""
    if isinstance(value, float) and value.is_integer() and cell_id not in NON_COUNT_FIELDS:
        return int(value)
    return value


def _read_rows(tokens: Sequence[Token], prefix: str, rows: Sequence[RowSpec]) -> TableRead:
    """Rows (id, label keys, field ids): each row's values are the value cells up to the next row's label."""
    positions = _find_labels(tokens, [(rid, keys) for rid, keys, _ in rows])
    ordered = sorted(positions.values()) + [len(tokens)]
    table = TableRead(found=len(positions) >= max(1, len(rows) // 3))
    spans: list[tuple[str, tuple[str, ...], RowSpan]] = []
    for row_id, _, fields in rows:
        table.values[row_id] = {fid: None for fid in fields}
        if row_id in positions:
            start = positions[row_id]
            end = next(p for p in ordered if p > start)
            spans.append((row_id, fields, RowSpan(tokens[start], tokens[start + 1 : end], len(fields))))
    for (row_id, fields, _), cells in zip(spans, resolve([span for _, _, span in spans], tokens)):
        for fid, token in zip(fields, cells):
            table.take(f"{prefix}.{row_id}.{fid}", row_id, fid, token)
    return table


@lru_cache(maxsize=4)
def _art20_rows(template_id: str) -> tuple[RowSpec, ...]:
    return tuple(
        (
            r.id,
            tuple(LabelKey.of(text) for text in (r.label, *ROW_ALIASES.get(r.id, ()))),
            tuple(f for f, _ in r.fields),
        )
        for r in TEMPLATES[template_id].art20_rows
    )


@lru_cache(maxsize=4)
def _application_rows(template_id: str) -> tuple[RowSpec, ...]:
    columns = tuple(c for c, _ in APPLICANT_COLUMNS)
    return tuple(
        (r.id, tuple(LabelKey.of(text) for text in (r.label, *ROW_ALIASES.get(r.id, ()))), columns)
        for r in TEMPLATES[template_id].application_rows
    )


def read_art20(tokens: Sequence[Token], template: Template) -> TableRead:
    """Section 二: the 第二十条 tables."""
    return _read_rows(tokens, "art20", _art20_rows(template.id))


def read_applications(tokens: Sequence[Token], template: Template) -> TableRead:
    """Section 三: applications received and handled, per applicant column."""
    return _read_rows(tokens, "applications", _application_rows(template.id))


def _value_runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """Maximal runs of value cells that contain at least one number."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and token.kind == "value":
            current.append(token)
            continue
        if any(t.number is not None for t in current):
            runs.append(current)
        current = []
    return runs


def _from_data_row(run: list[Token]) -> list[Token]:
    """A run starting in the header's trailing blanks: in a tab table, the values start at the data row."""
    first = next(t for t in run if t.number is not None)
    row = [t for t in run if t.in_table and (t.block, t.row) == (first.block, first.row)]
    return run[run.index(row[0]) :] if len(row) >= 2 else run


def read_review(tokens: Sequence[Token]) -> TableRead:
    """Section 四: one printed row of 15 numbers (three groups of five), possibly split into runs."""
    slots = [(g, f) for g, _ in REVIEW_GROUPS for f, _ in REVIEW_FIELDS]
    table = TableRead(values={g: {f: None for f, _ in REVIEW_FIELDS} for g, _ in REVIEW_GROUPS})
    cells: list[Token] = []
    for run in _value_runs(tokens):
        cells.extend(_from_data_row(run) if not cells else run)
        if len(cells) >= len(slots):
            break
    if not cells:
        return table
    table.found = True
    one_row = all(t.in_table for t in cells) and len({(t.block, t.row) for t in cells}) == 1
    # The form's row of 15 has no label column: in a tab row, blanks at its start are values.
    cells = cells[: len(slots)] if one_row else trim(cells, len(slots))
    for (group, fid), token in zip(slots, cells):
        table.take(f"review_litigation.{group}.{fid}", group, fid, token)
    return table
