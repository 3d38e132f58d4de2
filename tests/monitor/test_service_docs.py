"""docs/deploy.md and the systemd unit stay complete: every job id and `nianbao serve` option is documented."""

from __future__ import annotations

import argparse
import configparser

from monitor.jobs import job_specs
from monitor.service_config import ServiceConfig
from nianbao.commands import serve
from tests.conftest import ROOT

DEPLOY = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def test_every_job_and_option_is_documented() -> None:
    for spec in job_specs(ServiceConfig(instance="docs")):
        assert f"`{spec.id}`" in DEPLOY, spec.id
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    for action in parser._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert option in DEPLOY, option


def test_unit_runs_serve_with_the_environment_file() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(ROOT / "deploy" / "nianbao.service", encoding="utf-8")
    assert unit["Service"]["ExecStart"].endswith("nianbao serve")
    assert unit["Service"]["KillSignal"] == "SIGTERM"
    assert unit["Service"]["EnvironmentFile"] in DEPLOY
    assert unit["Install"]["WantedBy"] == "multi-user.target"
