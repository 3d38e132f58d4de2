"""Recognising annual reports by title: year, claimed body, noise."""

from __future__ import annotations

import pytest

from crawler.titles import claimed_org, is_annual_report_title, title_year

REPORTS = [
    "双鸭山市人民政府2023年政府信息公开工作年度报告",
    "2023年双鸭山市财政局政府信息公开工作年度报告",
    "双鸭山市人民政府信息公开工作年度报告（2023年）",
    "2023年度政府信息公开年报",
    "二〇二三年政府信息公开工作年度报告",
    "鹤岗市审计局2024年度政府信息公开工作年度报告",
    "双鸭山市自然资源和规划局2023年政府信息公开工作年度报告",
    "市财政局2022年度政府信息公开工作报告",
]
NOISE = [
    "双鸭山市2023年度工作总结",
    "2023年度法治政府建设年度报告",
    "XX县2024年部门预算",
    "双鸭山市司法局2024年度部门决算",
    "图解：石嘴山市人民政府办公室2024年政府信息公开工作年度报告",
    "石嘴山市医疗保障局政府网站工作年度报表（2024年度）",
    "双鸭山市生态环境局关于2024年度国有资产管理情况的报告",
    "双鸭山市文化广电和旅游局2024年度政务公开工作要点落实情况",
    "政府信息公开年报",
    "政府信息公开指南",
]


@pytest.mark.parametrize("title", REPORTS)
def test_reports_are_recognised(title: str) -> None:
    assert is_annual_report_title(title)


@pytest.mark.parametrize("title", NOISE)
def test_noise_is_rejected_even_in_a_report_column(title: str) -> None:
    assert not is_annual_report_title(title, in_report_column=True)


def test_short_titles_count_only_inside_a_report_column() -> None:
    assert not is_annual_report_title("2023年报")
    assert is_annual_report_title("2023年报", in_report_column=True)


@pytest.mark.parametrize(("title", "year"), [
    ("双鸭山市2023年政府信息公开工作年度报告", 2023), ("二〇二二年政府信息公开工作年度报告", 2022),
    ("政府信息公开工作年度报告（２０２１年）", 2021), ("政府信息公开年报", None),
])
def test_title_year(title: str, year: int | None) -> None:
    assert title_year(title) == year


@pytest.mark.parametrize(("title", "org"), [
    ("双鸭山市人民政府2023年政府信息公开工作年度报告", "双鸭山市人民政府"),
    ("2023年双鸭山市财政局政府信息公开工作年度报告", "双鸭山市财政局"),
    ("双鸭山市人民政府信息公开工作年度报告（2023年）", "双鸭山市人民政府"),
    ("2023年度政府信息公开年报", None),
])
def test_claimed_org(title: str, org: str | None) -> None:
    assert claimed_org(title) == org
