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
        regions = client.get("/api/overview", params={"year": 2023}).json()["by_region"]
        assert [(r["region"], r["name"]) for r in regions] == [("23", "黑龙江省")]


def test_default_secret_refused_off_loopback() -> None:
    import pytest

    from monitor.web import create_app
    from nianbao.errors import ConfigError
    from nianbao.settings import Settings, load_settings

    default = Settings.model_fields["secret_key"].default
    with pytest.raises(ConfigError, match="NIANBAO_SECRET_KEY"):
        create_app(load_settings(base_url="https://nianbao.example.cn", secret_key=default, db_url="sqlite:///x.db"))
    loopback = load_settings(base_url="http://127.0.0.1:8000", secret_key=default, db_url="sqlite:///x.db")
    assert create_app(loopback) is not None  # the demo's defaults
