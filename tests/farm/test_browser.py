"""Lists only a browser sees: Debian Chromium renders the report links the raw HTML lacks."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from portalfarm import Farm, FarmSpec
from tests.farm.conftest import fetch

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.skipif(shutil.which(str(CHROMIUM)) is None, reason="no Chromium")]


def dump_dom(url: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
             "--virtual-time-budget=3000", "--dump-dom", url],
            capture_output=True, timeout=60, check=True)
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("pager", ["js_json", "js_xml"])
def test_chromium_renders_the_js_list(farm: Farm, spec: FarmSpec, pager: str) -> None:
    portal = spec.with_style(pager=pager)
    column = portal.column("ndbg")
    url = farm.url(portal.id, column.path)
    first_page = [e.title for e in farm.app.site(portal.id).entries(column)][: column.page_size]
    assert not any(title in fetch(url).body.decode("utf-8") for title in first_page)
    rendered = dump_dom(url)
    assert all(title in rendered for title in first_page)
    assert 'onclick="' in rendered  # the pager exists only as script
