"""Docs complete by test: every setting and CLI command is documented in README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.cli import COMMANDS
from nianbao.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_documented(field: str) -> None:
    assert f"`NIANBAO_{field.upper()}`" in README


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_documented(command: str) -> None:
    assert f"`nianbao {command}" in README


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "./run demo" in first_block and "./run test" in first_block


def test_ci_calls_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "./run test" in ci
