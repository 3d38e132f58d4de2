"""`nianbao parse FILE [--json]`: read one document, parse and validate it, print the report."""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections.abc import Iterable

from crawler.report import read_report
from crawler.report.extract import read_capped
from crawler.report.model import Report
from crawler.report.templates import APPLICANT_COLUMNS, REVIEW_FIELDS, REVIEW_GROUPS, TEMPLATES, Template
from nianbao.settings import Settings

SECTION_MARKS = ("一", "二", "三", "四", "五", "六")
SEVERITY = {"error": "错误", "warning": "提示"}
LABEL_WIDTH = 34
CELL_WIDTH = 9
FLAG = "*"  # marks a cell that a finding names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="年度报告文件（HTML、PDF、DOCX、DOC、XLS/XLSX、TXT）")
    parser.add_argument("--json", action="store_true", help="按 nianbao.report/1 格式输出 JSON")


def run(args: argparse.Namespace, settings: Settings) -> int:
    report = read_report(read_capped(args.file), name=str(args.file))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(summary(report))
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    while _width(text) > width:
        text = text[:-1]
    space = " " * (width - _width(text))
    return space + text if right else text + space


def _cell(value: object, flagged: bool) -> str:
    shown = "—" if value is None else str(int(value) if isinstance(value, float) and value.is_integer() else value)
    return _pad(shown + (FLAG if flagged else ""), CELL_WIDTH, right=True)


def _row(label: str, values: Iterable[tuple[str, object]], flagged: set[str]) -> str:
    return _pad(label, LABEL_WIDTH) + "".join(_cell(v, cid in flagged) for cid, v in values)


def _art20_lines(report: Report, template: Template, flagged: set[str]) -> list[str]:
    lines = ["二、主动公开政府信息情况"]
    for row in template.art20_rows:
        values = report.art20.get(row.id, {})
        cells = "  ".join(
            f"{label} {_cell(values.get(fid), f'art20.{row.id}.{fid}' in flagged).strip()}" for fid, label in row.fields
        )
        lines.append(f"  {_pad(row.label, 16)}{cells}")
    return lines


def _applications_lines(report: Report, template: Template, flagged: set[str]) -> list[str]:
    lines = [
        "三、收到和处理政府信息公开申请情况",
        _pad("", LABEL_WIDTH) + "".join(_pad(label[:4], CELL_WIDTH, right=True) for _, label in APPLICANT_COLUMNS),
    ]
    for row in template.application_rows:
        values = report.applications.get(row.id, {})
        label = f"{row.group or ''}{row.label}" if row.group and not row.group.startswith("三、") else row.label
        lines.append(
            _row("  " + label, ((f"applications.{row.id}.{c}", values.get(c)) for c, _ in APPLICANT_COLUMNS), flagged)
        )
    return lines


def _review_lines(report: Report, flagged: set[str]) -> list[str]:
    lines = [
        "四、政府信息公开行政复议、行政诉讼情况",
        _pad("", LABEL_WIDTH) + "".join(_pad(label, CELL_WIDTH, right=True) for _, label in REVIEW_FIELDS),
    ]
    for gid, glabel in REVIEW_GROUPS:
        values = report.review_litigation.get(gid, {})
        lines.append(
            _row("  " + glabel, ((f"review_litigation.{gid}.{f}", values.get(f)) for f, _ in REVIEW_FIELDS), flagged)
        )
    return lines


def _findings_lines(report: Report) -> list[str]:
    if not report.findings:
        return ["未发现问题。"]
    lines = [f"发现问题 {len(report.findings)} 项（表中标 {FLAG} 的单元格涉及下列问题）："]
    lines += [f"  [{SEVERITY.get(f.severity, f.severity)}] {f.rule} {f.message}" for f in report.findings]
    return lines


def summary(report: Report) -> str:
    """The report as a reader checks it: metadata, the tables with flagged cells, then the findings."""
    template = TEMPLATES.get(report.template or "2021", TEMPLATES["2021"])
    flagged = {cell for finding in report.findings for cell in finding.cells}
    sections = " ".join(
        f"{mark}{'✓' if present else '✗'}" for mark, present in zip(SECTION_MARKS, report.sections.values())
    )
    lines = [
        f"标题：{report.title or '（未识别）'}",
        f"机构：{report.org or '（未识别）'}　年度：{report.year or '（未识别）'}　"
        f"格式：{report.template + '年版' if report.template else '（未识别）'}　"
        f"落款日期：{report.published_on.isoformat() if report.published_on else '（无）'}",
        f"章节：{sections}",
        "",
        *_art20_lines(report, template, flagged),
        "",
        *_applications_lines(report, template, flagged),
        "",
        *_review_lines(report, flagged),
        "",
        *_findings_lines(report),
    ]
    return "\n".join(lines)
