"""Scope, CSRF, login throttling, escaping and error pages, against the live server on both databases."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlalchemy import func, select
from sqlmodel import Session

from db.models import Supervisor
from tests.web.conftest import Site, csrf_of, login
from tests.web.fixtures import PASSWORD

SYS_TREE = {"230500-gov", "230500-edu", "230502-gov"}


def test_supervisor_cannot_reach_another_subtree(site: Site) -> None:
    s = site.seeded
    with site.login(s.sys_user) as client:
        for path in ("/orgs/230100-fin", "/orgs/230000-gov", f"/reports/{s.hrb_report}", f"/documents/{s.hrb_sha}",
                     "/api/orgs/230100-fin", f"/api/reports/{s.hrb_report}", "/orgs/no-such-org"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert "哈尔滨" not in response.text and "黑龙江省人民政府" not in response.text
        assert "不在您的监督范围内" in client.get("/orgs/230100-fin").text
        for path in ("/admin/supervisors", "/admin/supervisors/1", "/api/supervisors"):
            assert client.get(path).status_code == 403
        assert client.get("/orgs/230500-edu").status_code == 200
        own = client.get(f"/documents/{s.sys_sha}")
        assert own.status_code == 200 and own.content.startswith(b"<html>")
        assert own.headers["content-disposition"].startswith("attachment")


def test_supervisor_lists_and_exports_only_their_subtree(site: Site) -> None:
    with site.login(site.seeded.sys_user) as client:
        rows = client.get("/api/orgs", params={"year": 2023, "per_page": 100}).json()["rows"]
        assert {r["id"] for r in rows} == SYS_TREE
        overview = client.get("/api/overview", params={"year": 2023}).json()
        assert overview["total"] == 3
        assert [(r["region"], r["name"]) for r in overview["by_region"]] == [("230500", "双鸭山市"),
                                                                             ("230502", "双鸭山市尖山区")]
        assert {c["org_id"] for c in overview["changes"]} == {"230500-gov"}  # the 30-day-old one is not this week
        html = client.get("/orgs", params={"year": 2023}).text
        assert "哈尔滨" not in html and "双鸭山市教育局" in html
        exported = client.get("/orgs/export.csv", params={"year": 2023})
        assert exported.content.startswith(b"\xef\xbb\xbf")
        text = exported.content.decode("utf-8-sig")
        assert "哈尔滨" not in text and text.count("\n") == 1 + len(SYS_TREE)
        book = openpyxl.load_workbook(io.BytesIO(client.get("/orgs/export.xlsx", params={"year": 2023}).content))
        ids = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
        assert ids == SYS_TREE
        health = client.get("/api/health").json()
        assert {p["org_id"] for p in health["portals"]} == {"230500-edu"}


def test_filters_search_and_sort(site: Site) -> None:
    with site.login(site.seeded.admin) as client:
        def ids(**params: object) -> list[str]:
            return [r["id"] for r in client.get("/api/orgs", params={"year": 2023, **params}).json()["rows"]]

        assert set(ids(status="missing")) == {"230500-edu", "230102-jd"}
        assert set(ids(kind="township")) == {"230102-jd"}
        assert set(ids(region="2305")) == SYS_TREE
        assert ids(rule="A01") == ["230500-gov"]
        assert set(ids(rule="C01")) == {"230500-edu", "230102-jd"}  # from the status reasons
        assert ids(rule="C02") == []  # only passed ("info") C02 checks
        assert ids(q="教育") == ["230500-edu"]
        assert ids(q="%") == []  # LIKE wildcards are literal
        assert ids(sort="id")[:2] == ["230000-gov", "230100-fin"]
        assert ids(sort="id", desc=1)[0] == "230502-gov"
        assert ids(sort="status")[0] in {"230500-edu", "230102-jd"}  # missing first
        page = client.get("/api/orgs", params={"year": 2023, "per_page": 3, "page": 3}).json()
        assert page["total"] == 7 and page["pages"] == 3 and len(page["rows"]) == 1


def test_forms_without_csrf_token_are_refused(site: Site) -> None:
    s = site.seeded
    with site.client() as anonymous:
        csrf_of(anonymous, "/login")
        response = anonymous.post("/login", data={"email": s.admin, "password": PASSWORD})
        assert response.status_code == 403 and "安全令牌" in response.text
    with site.login(s.admin) as client:
        form = {"email": "new-one@example.cn", "password": "long-enough-1", "scopes": "230502-gov"}
        assert client.post("/admin/supervisors", data=form).status_code == 403
        assert client.post("/admin/supervisors", data={**form, "csrf_token": "forged"}).status_code == 403
        assert client.post("/logout").status_code == 403
        with Session(site.engine) as session:
            assert session.scalar(select(func.count()).select_from(Supervisor)
                                  .where(Supervisor.email == "new-one@example.cn")) == 0
        token = csrf_of(client, "/admin/supervisors")
        assert client.post("/admin/supervisors", data={**form, "csrf_token": token}).status_code == 303
        assert client.post("/logout", data={"csrf_token": token}).status_code == 303
        assert client.get("/").status_code == 303  # logged out
    with site.login("new-one@example.cn", "long-enough-1") as added:
        assert [r["id"] for r in added.get("/api/orgs", params={"year": 2023}).json()["rows"]] == ["230502-gov"]


def test_login_is_rate_limited_per_address_and_account(site: Site) -> None:
    s = site.seeded
    with site.client() as client:
        for _ in range(5):
            assert login(client, s.throttled_user, "wrong-password").status_code == 400
        blocked = login(client, s.throttled_user, PASSWORD)
        assert blocked.status_code == 429
        assert "登录失败次数过多" in blocked.text
        assert login(client, s.hrb_user, PASSWORD).status_code == 303  # another account is unaffected


def test_untrusted_text_is_escaped(site: Site) -> None:
    s = site.seeded
    with site.login(s.admin) as client:
        for path in (f"/reports/{s.sys_report}", "/orgs/230500-gov", "/orgs?year=2023"):
            html = client.get(path).text
            assert "<script>window.__pwned" not in html and "<img src=x" not in html
            assert "&lt;script&gt;" in html
        assert 'href="javascript:' not in client.get(f"/reports/{s.sys_report}").text
        csp = client.get("/").headers["content-security-policy"]
        assert "script-src 'self'" in csp


def test_anonymous_requests_and_error_pages(site: Site) -> None:
    with site.client() as client:
        page = client.get("/orgs?year=2023")
        assert page.status_code == 303 and page.headers["location"] == "/login?next=/orgs%3Fyear%3D2023"
        assert client.get("/api/orgs").status_code == 401
        assert client.get("/api/openapi.json").status_code == 401
        missing = client.get("/no/such/page")
        assert missing.status_code == 404 and "页面不存在" in missing.text
        token = csrf_of(client, "/login")
        evil = client.post("/login", data={"email": site.seeded.hrb_user, "password": PASSWORD,
                                           "csrf_token": token, "next": "//evil.example/"})
        assert evil.headers["location"] == "/"
        token = csrf_of(client, "/login")
        sneaky = client.post("/login", data={"email": site.seeded.hrb_user, "password": PASSWORD,
                                             "csrf_token": token, "next": "/\\evil.example/"})
        assert sneaky.headers["location"] == "/"
        bad = client.get("/orgs?year=abc")
        assert bad.status_code == 400 and "请求参数无效" in bad.text


def test_openapi_document_lists_the_api(site: Site) -> None:
    with site.login(site.seeded.hrb_user) as client:
        paths = set(client.get("/api/openapi.json").json()["paths"])
        assert {"/api/overview", "/api/orgs", "/api/orgs/{org_id}", "/api/reports/{report_id}",
                "/api/health", "/api/me"} <= paths
        report = client.get(f"/api/reports/{site.seeded.hrb_report}").json()
        assert report["org_id"] == "230100-fin" and report["data"]["schema"] == "nianbao.report/1"
        assert re.fullmatch(r"/documents/[0-9a-f]{64}", report["document"]["download_url"])


def test_admin_sets_scopes(site: Site) -> None:
    with site.login(site.seeded.admin) as admin:
        token = csrf_of(admin, "/admin/supervisors")
        form = {"email": "Scoped@Example.cn", "password": "scoped-pass-1", "scopes": "230502-gov", "csrf_token": token}
        assert admin.post("/admin/supervisors", data=form).status_code == 303
        listing = admin.get("/admin/supervisors").text
        assert "scoped@example.cn" in listing and "230502-gov" in listing
        people = {p["email"]: p for p in admin.get("/api/supervisors").json()}
        assert people["scoped@example.cn"]["scopes"] == ["230502-gov"] and people["admin@example.cn"]["is_admin"]
        with Session(site.engine) as session:
            person_id = session.scalars(select(Supervisor.id).where(Supervisor.email == "scoped@example.cn")).one()
        unknown = admin.post(f"/admin/supervisors/{person_id}", data={"scopes": "no-such-org", "csrf_token": token})
        assert unknown.status_code == 400 and "未知的机构编号：no-such-org" in unknown.text
        changed = admin.post(f"/admin/supervisors/{person_id}",
                             data={"scopes": "230100-gov\n230500-edu", "name": "范围测试", "csrf_token": token})
        assert changed.status_code == 303
    with site.login("scoped@example.cn", "scoped-pass-1") as person:
        rows = person.get("/api/orgs", params={"year": 2023}).json()["rows"]
        assert {r["id"] for r in rows} == {"230100-gov", "230100-fin", "230102-jd", "230500-edu"}
        assert person.get("/orgs/230502-gov").status_code == 404


def test_exports_defuse_spreadsheet_formulas() -> None:
    from monitor.web.export import to_csv, to_xlsx
    from monitor.web.queries import OrgRow

    row = OrgRow("x-1", "=HYPERLINK(\"http://evil\")", "department", None, None, "ok", [], None, "+1", None, 0, 0)
    text = to_csv([row], 2023).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",'+1," in text
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([row], 2023))).active
    assert sheet.cell(row=2, column=2).value.startswith("'=")
