"""Every page answers for an admin."""

from __future__ import annotations

from tests.web.conftest import Site


def test_pages_render_for_admin(site: Site) -> None:
    s = site.seeded
    with site.login(s.admin) as client:
        for path in ("/", "/?year=2022", "/orgs", "/orgs?sort=name&desc=1", "/orgs/230500-gov",
                     f"/reports/{s.sys_report}", f"/reports/{s.hrb_report}", "/health", "/admin/supervisors",
                     "/api/overview", "/api/orgs", "/api/orgs/230500-gov", f"/api/reports/{s.sys_report}",
                     "/api/health", "/api/openapi.json"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:2000])
