"""`nianbao parse FILE [--json]`: the JSON contract, the readable summary, exit 2 with one line for non-reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.cli import main
from tests.conftest import ROOT, SEEDS

CONTRACT_KEYS = {
    "schema",
    "source",
    "title",
    "org",
    "year",
    "template",
    "published_on",
    "sections",
    "art20",
    "applications",
    "review_litigation",
    "findings",
}
SEED_004 = next(s for s in SEEDS if s.name.startswith("004"))
SUMMARY_2023 = "\n\n".join(("二〇二三年度机关工作总结", "一、主要工作", "全年完成各项任务，机关建设取得新进展。",
                             "二、下一步计划", "继续努力。")) + "\n"


def test_json_is_the_report_md_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED_004), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    truth = json.loads(SEED_004.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert CONTRACT_KEYS <= set(out)
    assert out["schema"] == "nianbao.report/1"
    assert out["source"]["media_type"] == "text/plain" and len(out["source"]["sha256"]) == 64
    assert out["applications"] == truth["applications"]
    finding = out["findings"][0]
    assert set(finding) == {"rule", "severity", "message", "cells"}
    assert all(cell.count(".") >= 2 for f in out["findings"] for cell in f["cells"])


def test_summary_shows_tables_with_flagged_cells_then_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED_004)]) == 0
    out = capsys.readouterr().out
    assert "标题：绥滨县人民政府2022年度政府信息公开工作报告" in out
    new_received = next(line for line in out.splitlines() if "本年新收" in line)
    assert new_received.split()[1:] == ["1*", "0", "0", "0", "0", "0", "1*"]
    review = next(line for line in out.splitlines() if line.strip().startswith("行政复议"))
    assert "*" not in review
    assert out.index("三、收到和处理") < out.index("发现问题 5 项")
    assert "A01 （自然人列）第一项+第二项=1，第三项+第四项=0，勾稽关系不成立" in out


@pytest.mark.parametrize("content", [SUMMARY_2023.encode("utf-8"), b"\x00\x01\x02binary\xff" * 50, b"   \n"])
def test_not_a_report_exits_2_with_one_chinese_line(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    assert main(["parse", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nianbao: ")


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path / "nope.txt")]) == 2
    assert "无法读取文件" in capsys.readouterr().err


def test_work_summary_is_not_a_report_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "总结.txt"
    path.write_text(SUMMARY_2023, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "parse", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "nianbao: 不是政府信息公开工作年度报告：未找到年度报告的标题、章节或统计表格"
    assert "Traceback" not in done.stderr
