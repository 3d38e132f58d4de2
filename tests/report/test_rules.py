"""Each one-document rule of rules.md on reports built from generated truth, one condition at a time."""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path

import pytest

from crawler.report.model import SECTION_IDS, Report, Source
from crawler.report.validate import RULES, validate
from portalfarm.generate import generate

RULES_MD = Path(__file__).resolve().parents[3] / "shared" / "spec" / "rules.md"
OWN_RULES = {"S01", "S02", "S03", "S04", "S05", "A01", "A02", "A03", "A04", "A05", "T01", "T02", "T03"}
FEE = "本年度未收取信息处理费。"


def make_report(template: str = "2021", year: int = 2023, seed: int = 1, **texts: str | None) -> Report:
    """A consistent report (generated truth) with plain section texts, overridable per section."""
    truth = generate(template=template, year=year, seed=seed).truth
    sections: dict[str, str | None] = {sid: "内容。" for sid in SECTION_IDS}
    sections["problems"] = "存在的主要问题：政策解读形式单一。改进情况：增加图表解读，加强业务培训。"
    sections["other"] = FEE
    sections.update(texts)
    return Report(
        source=Source(None, "text/plain", "0" * 64),
        title=truth["title"],
        org=truth["org"],
        year=year,
        template=template,
        published_on=date(year + 1, 1, 20),
        section_texts=sections,
        art20=copy.deepcopy(truth["art20"]),
        applications=copy.deepcopy(truth["applications"]),
        review_litigation=copy.deepcopy(truth["review_litigation"]),
    )


def rule_ids(report: Report) -> set[str]:
    return {f.rule for f in validate(report)}


def test_every_rule_is_a_record_named_by_a_catalogue_id() -> None:
    catalogue = set(re.findall(r"^\| ([STAYC]\d\d) \|", RULES_MD.read_text(encoding="utf-8"), re.M))
    assert OWN_RULES <= set(RULES) <= catalogue
    assert all(rule.id == key and rule.severity in ("error", "warning") and rule.summary for key, rule in RULES.items())


@pytest.mark.parametrize("template, year", [("2021", 2023), ("2019", 2020)])
def test_consistent_report_has_no_finding(template: str, year: int) -> None:
    assert validate(make_report(template, year)) == []


@pytest.mark.parametrize("missing", SECTION_IDS)
def test_s01_names_the_missing_section(missing: str) -> None:
    findings = [f for f in validate(make_report(**{missing: None})) if f.rule == "S01"]
    assert len(findings) == 1 and findings[0].severity == "error"


def test_s02_for_an_unreadable_table_and_no_s04_for_its_cells() -> None:
    report = make_report()
    for row in report.applications.values():
        row.update(dict.fromkeys(row))
    findings = validate(report)
    assert [f.rule for f in findings if f.rule in ("S02", "S04")] == ["S02"]
    assert "收到和处理政府信息公开申请情况" in findings[0].message


def test_s03_only_for_2019_template_from_2021_on() -> None:
    assert "S03" in rule_ids(make_report("2019", 2022))
    assert "S03" not in rule_ids(make_report("2019", 2020))
    assert "S03" not in rule_ids(make_report("2021", 2022))


def test_s04_quotes_the_printed_text_and_skips_the_identities_of_the_blank_cell() -> None:
    report = make_report()
    report.applications["granted"]["natural_person"] = None
    report.raw_cells["applications.granted.natural_person"] = "/"
    findings = validate(report)
    assert [f.rule for f in findings] == ["S04"]
    assert findings[0].cells == ("applications.granted.natural_person",)
    assert "（三）" not in findings[0].message and "“/”" in findings[0].message


def test_s05_no_year_or_year_after_publication() -> None:
    report = make_report()
    report.year = None
    assert "S05" in rule_ids(report)
    report.year, report.published_on = 2025, date(2024, 1, 10)
    assert "S05" in rule_ids(report)
    report.year = 2023
    assert "S05" not in rule_ids(report)


def test_a01_message_quotes_both_sides_and_names_the_cells() -> None:
    report = make_report()
    report.applications["carried_forward"]["research"] += 4
    report.applications["carried_forward"]["total"] += 4
    (finding,) = [f for f in validate(report) if f.rule == "A01" and "科研机构" in f.message]
    column = report.applications
    left = column["new_received"]["research"] + column["carried_over"]["research"]
    assert finding.message == f"（科研机构列）第一项+第二项={left}，第三项+第四项={left + 4}，勾稽关系不成立"
    assert "applications.carried_forward.research" in finding.cells


def test_a02_row_total_against_its_columns() -> None:
    report = make_report()
    report.applications["denied.third_party"]["total"] += 2
    report.applications["denied.state_secret"]["total"] -= 0  # untouched rows stay quiet
    findings = [f for f in validate(report) if f.rule == "A02"]
    assert len(findings) == 1 and "applications.denied.third_party.total" in findings[0].cells
    assert "保护第三方合法权益" in findings[0].message


def test_a03_2019_sums_the_single_other_row() -> None:
    report = make_report("2019", 2020)
    report.applications["other"]["natural_person"] += 1
    report.applications["other"]["total"] += 1
    findings = [f for f in validate(report) if f.rule == "A03"]
    assert {f.cells[0] for f in findings} == {
        "applications.results_total.natural_person",
        "applications.results_total.total",
    }
    assert all(
        "applications.other.natural_person" in f.cells or "applications.other.total" in f.cells for f in findings
    )


def test_a04_per_review_group() -> None:
    report = make_report()
    report.review_litigation["litigation_after_review"]["total"] += 1
    (finding,) = [f for f in validate(report) if f.rule == "A04"]
    assert finding.message.startswith("（行政诉讼·复议后起诉）总计=")
    assert finding.cells[0] == "review_litigation.litigation_after_review.total"


def test_a05_negative_or_fractional_counts_but_not_amounts_or_2019_changes() -> None:
    report = make_report()
    report.art20["rules"]["made"] = -1
    report.art20["licensing"]["decisions"] = 2.5
    report.art20["fees"]["amount_wan"] = 12.75
    assert {f.cells for f in validate(report) if f.rule == "A05"} == {
        ("art20.rules.made",),
        ("art20.licensing.decisions",),
    }
    old = make_report("2019", 2020)
    old.art20["licensing"]["items_change"] = -3
    assert "A05" not in rule_ids(old)


def _with_prose(text: str, **tables: int) -> Report:
    report = make_report(overview=text)
    report.applications["new_received"].update(dict.fromkeys(report.applications["new_received"], 0))
    report.applications["new_received"]["natural_person"] = tables.get("new", 0)
    report.applications["new_received"]["total"] = tables.get("new", 0)
    report.applications["carried_over"]["total"] = tables.get("carried", 0)
    report.review_litigation["review"]["total"] = tables.get("review", 0)
    for group in ("litigation_direct", "litigation_after_review"):
        report.review_litigation[group]["total"] = 0
    return report


def _t01(report: Report) -> list[str]:
    return [f.message for f in validate(report) if f.rule == "T01"]


@pytest.mark.parametrize(
    "text, tables",
    [
        ("2023年，全市共办理政府信息依申请公开174件，比上年增加48件。", {"new": 174}),  # seed 000; 48 is a change
        ("共收到政府信息公开申请 12 件。", {"new": 12}),
        ("共收到政府信息公开申请1,012件。", {"new": 1012}),
        ("全市共办理政府信息依申请公开12件（其中，市直部门办理7件）。", {"new": 12}),
        ("共受理政府信息公开申请15件（含上年结转3件）。", {"new": 12, "carried": 3}),
        ("申请人称未收到答复书，后撤销。", {"new": 12}),
        ("本年度未发生因政府信息公开引起的行政复议。", {"review": 0}),
        ("2023年度我镇无依申请公开事项。", {"new": 0}),
        ("共收到政府信息公开申请12件，其中市直部门收到申请7件。", {"new": 12}),
        ("行政复议决定均未被行政复议机关撤销。", {"review": 2}),
        ("公开行政复议决定书、不予受理行政复议申请决定书 65 件。", {"review": 0}),
    ],
)
def test_t01_no_false_positive(text: str, tables: dict[str, int]) -> None:
    assert _t01(_with_prose(text, **tables)) == []


@pytest.mark.parametrize(
    "text, tables, quoted",
    [
        ("本年度共收到政府信息公开申请20件。", {"new": 12}, "20"),
        ("全年共办理政府信息公开申请30件。", {"new": 12, "carried": 3}, "30"),
        ("上年结转政府信息公开申请5件。", {"carried": 0}, "5"),
        ("因政府信息公开引发行政复议3件。", {"review": 1}, "3"),
        ("本年度未收到政府信息公开申请。", {"new": 4}, "4"),
        ("本年度未发生因政府信息公开引起的行政复议、行政诉讼。", {"review": 2}, "2"),
    ],
)
def test_t01_prose_contradicts_table(text: str, tables: dict[str, int], quoted: str) -> None:
    (message,) = _t01(_with_prose(text, **tables))
    assert quoted in message


def test_t01_prose_figure_against_blank_cells() -> None:
    report = make_report(review_litigation="因政府信息公开申请引发行政复议1件。")
    report.review_litigation["review"].update(dict.fromkeys(report.review_litigation["review"]))
    assert "T01" in rule_ids(report)


@pytest.mark.parametrize(
    "other, fires",
    [
        ("无", True),
        ("无。", True),
        ("公布行政事业性收费目录清单。", True),
        ("2023年度，全市没有发生收取政府信息公开信息费用行为。", False),
        ("未收取信息处理费。", False),
        ("全年收取政府信息公开信息处理费 3940 元。", False),
    ],
)
def test_t02_fee_statement(other: str, fires: bool) -> None:
    assert ("T02" in rule_ids(make_report(other=other))) is fires


@pytest.mark.parametrize("problems, fires", [
    ("无", True),
    ("暂无。", True),
    ("", True),
    ("工作还有不足，将继续努力。", True),
    ("存在的主要问题：政策解读形式单一。改进情况：增加图表和视频解读，加强培训。", False),
])
def test_t03_section_five_must_name_problems(problems: str, fires: bool) -> None:
    assert ("T03" in rule_ids(make_report(problems=problems))) is fires


def test_t02_not_reported_when_section_six_is_missing() -> None:
    assert rule_ids(make_report(other=None)) == {"S01"}


def test_findings_depend_only_on_the_stored_json(seeds: list[Path]) -> None:
    from crawler.report import read_report

    for seed in seeds:
        report = read_report(seed.read_bytes(), name=seed.name)
        assert validate(Report.from_json(report.to_json())) == report.findings
