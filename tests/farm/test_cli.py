"""`python -m portalfarm`: serves, writes the registry and truth, stops within its time bound."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from portalfarm import FarmSpec
from portalfarm.generator import candidates


def test_cli_writes_registry_and_truth_and_stops(tmp_path: Path) -> None:
    registry, truth = tmp_path / "registry.csv", tmp_path / "truth.json"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "portalfarm", "--seed", "1", "--portals", "3", "--seconds", "0.5",
         "--registry", str(registry), "--truth", str(truth), "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, timeout=60, check=True, text=True)
    assert time.monotonic() - started < 30
    assert registry.read_text(encoding="utf-8").startswith("id,name,aliases,kind")
    assert len(json.loads(truth.read_text(encoding="utf-8"))["portals"]) == 3
    assert "p02\thttp://127.77.0.3:" in done.stderr


def test_the_largest_farm_has_distinct_hosts_and_addresses() -> None:
    spec = FarmSpec.generate(1, len(candidates(1)), faults=False)
    assert len(spec.portals) > 120
    assert len({p.host for p in spec.portals}) == len({p.ip for p in spec.portals}) == len(spec.portals)
    assert sum(len(p.org_ids) for p in spec.portals) == len(spec.orgs)  # no id generated twice
