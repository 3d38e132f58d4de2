"""Headless Debian Chromium against the live server: log in, overview, filter, a report with an A01 finding."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.web.conftest import ARTIFACTS, Site
from tests.web.fixtures import A01_CELLS, A01_MESSAGE, PASSWORD

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("NIANBAO_REQUIRE_SERVICES") == "1":
            pytest.fail("Debian chromium is required in CI")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, sqlite_site: Site):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=sqlite_site.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def _log_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "/login" in page.url
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url("**/")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def test_login_overview_filter_and_report(page, sqlite_site: Site) -> None:  # type: ignore[no-untyped-def]
    s = sqlite_site.seeded
    _log_in(page, s.admin)
    assert page.locator("h1").inner_text() == "2023 年度年报概览"
    assert page.locator("svg.chart rect.bar").count() == 6
    assert "双鸭山市人民政府" in page.locator(".changes").inner_text()
    _shot(page, "overview")

    page.click("nav.menu >> text=机构列表")
    page.select_option("select[name=status]", "missing")
    page.click("button:has-text('筛选')")
    page.wait_for_url("**/orgs?*status=missing*")
    assert page.locator("#result-count").inner_text() == "共 2 个机构"
    assert page.locator("table.orgs tbody tr").count() == 2
    _shot(page, "orgs-filtered")

    page.goto("/orgs?year=2023&rule=A01")
    page.click("table.orgs >> text=双鸭山市人民政府")
    page.wait_for_url("**/orgs/230500-gov")
    assert page.locator("text=第 1 版").count() == 1 and page.locator("text=第 2 版（最新）").count() == 1
    _shot(page, "org")
    page.locator("a[href='/reports/%d']" % s.sys_report).first.click()
    page.wait_for_url(f"**/reports/{s.sys_report}")
    for cell_id in A01_CELLS:
        cell = page.locator(f'td[data-cell="{cell_id}"]')
        assert "failing" in (cell.get_attribute("class") or "")
        background = cell.evaluate("el => getComputedStyle(el).backgroundColor")
        assert background != "rgba(0, 0, 0, 0)"
    assert page.locator("td.failing").count() == len(A01_CELLS)
    notes = page.locator("#t-applications aside.notes")
    assert A01_MESSAGE in notes.inner_text()
    assert page.evaluate("window.__pwned === undefined")
    assert "<script>" in page.locator("h1").inner_text()  # shown as text, not run
    _shot(page, "report-a01")

    page.click("nav.menu >> text=抓取状况")
    assert "连接超时（双鸭山市教育局门户）" in page.locator("table.data").inner_text()
    _shot(page, "health")


def test_supervisor_sees_own_subtree_on_a_phone(browser, sqlite_site: Site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=sqlite_site.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        _log_in(page, sqlite_site.seeded.sys_user)
        assert page.locator(".card.s-missing .card-count").inner_text() == "1"
        overflow = page.evaluate("document.documentElement.scrollWidth") - 390
        assert overflow <= 1, f"page scrolls sideways by {overflow}px"
        _shot(page, "overview-phone")
        response = page.goto(f"/reports/{sqlite_site.seeded.hrb_report}")
        assert response is not None and response.status == 404
        assert "不在您的监督范围内" in page.locator(".message").inner_text()
        page.goto(f"/reports/{sqlite_site.seeded.sys_report}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 391
        _shot(page, "report-phone")
    finally:
        context.close()
