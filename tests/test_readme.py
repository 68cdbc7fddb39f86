"""The README's examples on the example programme are real output.

Every ```console block whose commands all run twincli on examples/programme is re-run here
(80 columns, not a terminal) and must match, line for line. After a deliberate change in the
output, `UPDATE_README=1 make pytest` rewrites those blocks; review the diff.
"""

from __future__ import annotations

import os
import re
import shlex

import pytest
from typer.testing import CliRunner

from tests.support.folders import REPO
from twincli.cli import app

README = REPO / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
EXAMPLE_COMMAND = "twincli --data examples/programme "


def example_blocks(text: str) -> list[str]:
    blocks = []
    for match in BLOCK.finditer(text):
        commands = [line[2:] for line in match.group(1).splitlines() if line.startswith("$ ")]
        if commands and all(c.startswith(EXAMPLE_COMMAND) for c in commands):
            blocks.append(match.group(1))
    return blocks


def run_block(block: str) -> str:
    out = []
    for line in block.splitlines():
        if not line.startswith("$ "):
            continue
        out.append(line)
        args = shlex.split(line[2:])[1:]
        result = CliRunner().invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        out += [text.rstrip() for text in result.stdout.splitlines()]
    return "\n".join(out) + "\n"


@pytest.fixture(autouse=True)
def at_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_readme_has_examples_on_the_example_programme() -> None:
    assert len(example_blocks(README.read_text(encoding="utf-8"))) >= 4


def test_readme_examples_are_real_output() -> None:
    text = README.read_text(encoding="utf-8")
    if os.environ.get("UPDATE_README"):
        for block in example_blocks(text):
            text = text.replace(block, run_block(block))
        README.write_text(text, encoding="utf-8")
    for block in example_blocks(text):
        assert run_block(block) == block
