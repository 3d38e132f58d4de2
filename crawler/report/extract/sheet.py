"""XLS (xlrd) and XLSX (python-calamine): each sheet's blocks, split at blank rows; merged ranges become spans.

A block that is one row with text only in its first cell is a paragraph (a title or a sentence typed into a sheet).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import python_calamine
import xlrd

from crawler.report.document import Block, Cell, Document, Paragraph, Table
from crawler.report.extract import formats
from crawler.report.extract.textutil import number_text
from nianbao.errors import UnreadableDocument

MAX_CELLS = 200_000


@dataclass(slots=True)
class Grid:
    """One sheet as text values plus merged ranges (0-based, inclusive start, exclusive end)."""

    values: list[list[str]]
    merges: list[tuple[int, int, int, int]]  # first_row, end_row, first_col, end_col


MAX_UNPACKED = 200 * 1024 * 1024


def _check_unpacked(data: bytes) -> None:
    """Refuse a zip bomb before openpyxl inflates it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"Excel（XLSX）文件已损坏或不完整，无法读取：{exc}") from exc
    if size > MAX_UNPACKED:
        raise UnreadableDocument("Excel（XLSX）文件解压后过大，不像年度报告")


def _xlsx_grids(data: bytes) -> list[Grid]:
    """Every worksheet's values and merged ranges. calamine (Rust) reads them ten times faster than openpyxl,
    which built a Python object per cell: at crawl scale the parse workers spent a third of their time there."""
    _check_unpacked(data)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [book.get_sheet_by_name(meta.name) for meta in book.sheets_metadata
                  if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
        return [_calamine_grid(sheet) for sheet in sheets]
    except (python_calamine.CalamineError, ValueError) as exc:
        raise UnreadableDocument(f"Excel（XLSX）文件已损坏或不完整，无法读取：{exc}") from exc


def _calamine_grid(sheet: python_calamine.CalamineSheet) -> Grid:
    if sheet.total_height * sheet.total_width > MAX_CELLS:
        raise UnreadableDocument("Excel 工作表过大，不像年度报告")
    values = [[number_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    merges = [(top, bottom + 1, left, right + 1) for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()]
    return Grid(values, merges)


def _xls_grids(data: bytes) -> list[Grid]:
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except (xlrd.XLRDError, ValueError, AssertionError, IndexError) as exc:
        raise UnreadableDocument(f"Excel（XLS）文件已损坏或不完整，无法读取：{exc}") from exc
    grids = []
    for sheet in book.sheets():
        if sheet.nrows * sheet.ncols > MAX_CELLS:
            raise UnreadableDocument("Excel 工作表过大，不像年度报告")
        values = [[number_text(v) for v in sheet.row_values(r)] for r in range(sheet.nrows)]
        grids.append(Grid(values, [tuple(m) for m in sheet.merged_cells]))
    return grids


def _row_blocks(grid: Grid) -> list[tuple[int, int]]:
    """Row ranges separated by blank rows (a merged range keeps its rows together)."""
    spans = {r for top, end, _, _ in grid.merges for r in range(top, end - 1)}
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    for r, row in enumerate(grid.values):
        blank = not any(row) and r not in spans and (r - 1) not in spans
        if blank and start is not None:
            ranges.append((start, r))
            start = None
        elif not blank and start is None:
            start = r
    if start is not None:
        ranges.append((start, len(grid.values)))
    return ranges


def _table(grid: Grid, top: int, end: int) -> Table:
    width = max((len(row) for row in grid.values[top:end]), default=0)
    while width and not any(row[width - 1] for row in grid.values[top:end] if len(row) >= width):
        width -= 1
    origin = {(m[0], m[2]): m for m in grid.merges}
    covered = {(r, c) for m in grid.merges for r in range(m[0], m[1]) for c in range(m[2], m[3])} - set(origin)
    rows = []
    for r in range(top, end):
        row = []
        for c in range(width):
            if (r, c) in covered:
                continue
            text = grid.values[r][c] if c < len(grid.values[r]) else ""
            merge = origin.get((r, c))
            row.append(Cell(text, (merge[1] - merge[0]) if merge else 1, (merge[3] - merge[2]) if merge else 1))
        rows.append(row)
    return Table(rows)


def _blocks(grid: Grid) -> list[Block]:
    blocks: list[Block] = []
    for top, end in _row_blocks(grid):
        table = _table(grid, top, end)
        texts = [c.text for row in table.rows for c in row if c.text]
        if end - top == 1 and len(texts) == 1 and table.rows[0][0].text:
            blocks.append(Paragraph(texts[0]))
        else:
            blocks.append(table)
    return blocks


def extract(data: bytes, kind: str) -> Document:
    grids = _xls_grids(data) if kind == formats.XLS else _xlsx_grids(data)
    blocks = [block for grid in grids for block in _blocks(grid)]
    return Document(blocks=blocks, media_type=kind, pages=max(len(grids), 1))
