"""Attribution of a report to a registered body, tolerant of name variants."""

from __future__ import annotations

from crawler.attribution import OrgDirectory, OrgEntry

DIRECTORY = OrgDirectory([
    OrgEntry("230500-gov", "双鸭山市人民政府", ("双鸭山市政府", "双鸭山市")),
    OrgEntry("230500-bgs", "双鸭山市人民政府办公室", (), "230500-gov"),
    OrgEntry("230500-czj", "双鸭山市财政局", (), "230500-gov"),
    OrgEntry("230521-gov", "集贤县人民政府", (), "230500-gov"),
])


def _attribute(title: str, text_org: str | None = None, portal: str | None = "230500-gov"):  # type: ignore[no-untyped-def]
    return DIRECTORY.attribute(title=title, text_org=text_org, text_year=None, portal_org=portal)


def test_body_named_in_the_title() -> None:
    found = _attribute("2023年双鸭山市财政局政府信息公开工作年度报告")
    assert (found.org_id, found.year) == ("230500-czj", 2023)


def test_variants_of_government_and_office_names() -> None:
    assert _attribute("双鸭山市政府2023年政府信息公开工作年度报告").org_id == "230500-gov"
    assert _attribute("双鸭山市政府办公室2023年政府信息公开工作年度报告").org_id == "230500-bgs"
    assert _attribute("集贤县政府2022年政府信息公开年度报告").org_id == "230521-gov"


def test_short_department_name_on_the_city_portal() -> None:
    assert _attribute("市财政局2022年度政府信息公开工作报告").org_id == "230500-czj"


def test_no_name_in_title_uses_the_text_then_the_portal() -> None:
    assert _attribute("2023年度政府信息公开年报", text_org="集贤县人民政府").org_id == "230521-gov"
    found = _attribute("2023年度政府信息公开年报")
    assert (found.org_id, found.claimed_org) == ("230500-gov", "双鸭山市人民政府")


def test_unregistered_body_is_kept_with_its_name() -> None:
    found = _attribute("双鸭山市林业和草原局2023年政府信息公开工作年度报告")
    assert (found.org_id, found.claimed_org, found.year) == (None, "双鸭山市林业和草原局", 2023)
