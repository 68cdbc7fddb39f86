"""The docs keep up with the code: generated rules, every code, command and key documented."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import typer

from tests.support.folders import REPO
from twincli import model
from twincli.cli import app
from twincli.codes import CATALOGUE, rules_markdown

README = REPO / "README.md"
RULES = REPO / "docs" / "rules.md"
DATA_FORMAT = REPO / "docs" / "data-format.md"

DOCUMENTED_CLASSES = (
    model.Programme,
    model.Edition,
    model.Cohort,
    model.Pilot,
    model.City,
    model.Visit,
    model.CityOutput,
)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _code_blocks(markdown: str) -> str:
    """The text of every fenced code block, joined."""
    return "\n".join(re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.M | re.S))


def _command_names() -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


def _model_keys() -> list[tuple[str, str]]:
    keys = []
    for cls in DOCUMENTED_CLASSES:
        for f in dataclasses.fields(cls):
            if f.name == "marks" or f.metadata.get("from_key") or f.metadata.get("folder"):
                continue
            keys.append((cls.__name__, f.metadata.get("key", f.name)))
    return keys


def test_rules_md_is_generated_from_the_catalogue() -> None:
    assert _read(RULES) == rules_markdown(), (
        "docs/rules.md is stale: run `python -m twincli.codes > docs/rules.md`"
    )


@pytest.mark.parametrize("code", [c.code for c in CATALOGUE])
def test_every_code_is_in_rules_md(code: str) -> None:
    assert f"| {code} |" in _read(RULES)


def test_there_are_commands_to_document() -> None:
    assert "validate" in _command_names()


@pytest.mark.parametrize("name", _command_names())
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"twincli {name}" in _code_blocks(_read(README)), (
        f"README.md shows no `twincli {name}` in a code block"
    )


@pytest.mark.parametrize(("cls", "key"), _model_keys())
def test_every_key_is_in_the_data_format_doc(cls: str, key: str) -> None:
    assert f"`{key}`" in _read(DATA_FORMAT), f"{cls}.{key} is not in docs/data-format.md"


def test_readme_quick_start_is_make_demo_and_make_test() -> None:
    text = _read(README)
    match = re.search(r"^## Quick start\n(.*?)(?=^## )", text, flags=re.M | re.S)
    assert match is not None, "README.md has no '## Quick start' section"
    commands = [
        line.strip()
        for line in _code_blocks(match.group(1)).splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert commands == ["make demo", "make test"]


def _test_functions(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_test_security_md_cites_exists() -> None:
    """SECURITY.md's evidence is a list of tests: each must be a test of that file."""
    cited = re.findall(r"`(tests/\w+\.py)::(\w+)", _read(REPO / "SECURITY.md"))
    assert len(cited) > 50
    missing = [
        f"{file}::{name}"
        for file, name in cited
        if not (REPO / file).is_file() or name not in _test_functions(REPO / file)
    ]
    assert missing == []
