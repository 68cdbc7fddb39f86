"""The pre-commit hooks this repository offers: well-formed, on the right files, and running
commands that exist."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml

from tests.support.cli import invoke
from tests.support.folders import EXAMPLE, REPO

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"


def hooks() -> dict[str, dict[str, Any]]:
    loaded = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in loaded}


def test_the_hooks_are_declared() -> None:
    found = hooks()
    assert list(found) == ["twincli-validate", "twincli-render-check"]
    for hook in found.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False  # a change to one file can break another
        assert hook["entry"].startswith("twincli ")


@pytest.mark.parametrize(
    ("path", "validate", "render"),
    [
        ("programme.yaml", True, True),
        ("cities/soria.yaml", True, True),
        ("cities/Soria.yml", True, True),
        ("programme/pilots/urbanew.yaml", True, True),
        ("templates/city-output.md.j2", False, True),
        ("reports/cohort-2.md", False, True),
        ("README.md", False, False),
        ("docs/programme.yaml.bak", False, False),
        ("cities/archive/old.yaml", True, True),
    ],
)
def test_the_hooks_run_on_programme_files(path: str, validate: bool, render: bool) -> None:
    found = hooks()
    assert bool(re.search(found["twincli-validate"]["files"], path)) is validate
    assert bool(re.search(found["twincli-render-check"]["files"], path)) is render


def test_the_validate_hook_runs_offline_on_the_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    args = shlex.split(hooks()["twincli-validate"]["entry"])[1:]
    result = invoke("--as-of", "2025-06-30", *args)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith("0 errors, 0 warnings in 31 files\n")


def test_the_render_hook_is_a_real_command() -> None:
    args = shlex.split(hooks()["twincli-render-check"]["entry"])[1:]
    result = invoke(*args, "--help")
    assert result.exit_code == 0
    assert "--check" in result.stdout
