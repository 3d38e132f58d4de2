"""The truth manifest is right: served documents parse (crawler.report.read_report) to what it states."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.report import read_report
from tests.farm.conftest import fetch

FORMATS = ("html", "docx", "xlsx")  # pdf/doc need LibreOffice: the formats tests cover them


def _sample(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """One clean report per (source kind, format), and one per page charset."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for portal in truth["portals"]:
        for report in portal["reports"]:
            if report["faults"] or report["format"] not in FORMATS:
                continue
            chosen.setdefault((report["source"].split(":")[0], report["format"]), report)
            if report["format"] == "html":
                chosen.setdefault(("charset", str(portal["styles"]["charset"])), report)
    return list(chosen.values())


def test_served_reports_parse_to_their_truth(truth: dict[str, Any]) -> None:
    sample = _sample(truth)
    assert {r["source"].split(":")[0] for r in sample} >= {"generated", "reissued", "seed"}
    for report in sample:
        got = fetch(report["url"])
        parsed = read_report(got.body, name=report["url"].rsplit("/", 1)[-1], media_type=got.headers["Content-Type"])
        truth = report["truth"]
        assert (parsed.year, parsed.template) == (truth["year"], truth["template"]), report["key"]
        assert parsed.applications == truth["applications"], report["key"]
        assert parsed.review_litigation == truth["review_litigation"], report["key"]
        assert sorted({f.rule for f in parsed.findings}) == sorted(report["expected_findings"]), report["key"]


@pytest.mark.parametrize("consistent", [True, False])
def test_consistency_flag_matches_the_findings(truth: dict[str, Any], consistent: bool) -> None:
    reports = [r for p in truth["portals"] for r in p["reports"] if r["consistent"] is consistent]
    arithmetic = {"A01", "A02", "A03", "A04", "A05"}
    assert reports
    assert all(bool(arithmetic & set(r["expected_findings"])) is not consistent for r in reports)
