"""The README's editing examples (`init`, `new`, `record`) are real output.

They run on a copy of the example programme (`$ cd /tmp/programme`), never on the example
itself. Every ```console block with an editing command is re-run here, in order, with
`/tmp/programme` a fresh copy of the example, and must match line for line (stdout and stderr
as a terminal shows them).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.folders import EXAMPLE, REPO
from twincli.cli import app

BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
EDITING = re.compile(r"^\$ twincli (--as-of \S+ )?(init|new|record) ", re.MULTILINE)


def editing_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [b for b in BLOCK.findall(text) if EDITING.search(b)]


def replay(blocks: list[str], copy: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    status = 0
    for block in blocks:
        for line in block.splitlines():
            if not line.startswith("$ "):
                continue
            shown.append(line)
            words = shlex.split(line[2:])
            if words == ["cd", "/tmp/programme"]:
                monkeypatch.chdir(copy)
            elif words[0] == "twincli":
                result = CliRunner().invoke(app, words[1:])
                assert result.exception is None or isinstance(result.exception, SystemExit)
                shown += [text.rstrip() for text in result.output.splitlines()]
                status = result.exit_code
            elif words == ["echo", "$?"]:
                shown.append(str(status))
            elif words[0] == "head":
                count = int(words[1].removeprefix("-"))
                shown += Path(words[2]).read_text(encoding="utf-8").splitlines()[:count]
            else:
                raise AssertionError(f"the README runs a command this test cannot: {line}")
    return shown


def test_readme_editing_examples_are_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = editing_blocks()
    assert len(blocks) >= 3
    copy = tmp_path / "programme"
    shutil.copytree(EXAMPLE, copy)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    expected = [line for block in blocks for line in block.splitlines()]
    assert replay(blocks, copy, monkeypatch) == expected
