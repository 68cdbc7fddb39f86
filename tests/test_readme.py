"""The examples in README.md and the docs/ pages are real output.

Every ```console block is run here (80 columns, not a terminal) and must match, line for line:

- a block whose commands all run twincli on examples/programme (`twincli --data
  examples/programme ...`) is run at the repository's root, and its stdout compared;
- the other blocks of a page (the walkthrough, the editing commands) are replayed in order, with
  `/tmp/programme` a fresh copy of the example and the current folder an empty one (for
  `twincli init`), and compared with stdout and stderr as a terminal shows them. The replay
  knows the commands the pages use: `cd /tmp/programme`, `twincli ...`, `echo $?`, `head -N
  FILE` and `sed -i '[LINE]s/OLD/NEW/' FILE` (the first match on each line, or on LINE), which
  makes a mistake for twincli to find.

Output that cannot be replayed (a folder that does not exist, a file without permissions)
belongs in a ```text block. After a deliberate change in the output, `UPDATE_README=1 make
pytest` rewrites the ```console blocks (a new one may hold just its commands); review the diff.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.folders import EXAMPLE, REPO
from twincli.cli import app

PAGES = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
EXAMPLE_COMMAND = "twincli --data examples/programme "
SED = re.compile(r"(?P<line>[0-9]+)?s/(?P<old>[^/]*)/(?P<new>[^/]*)/")


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


@pytest.fixture
def at_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.usefixtures("at_the_repository_root")
def test_the_docs_have_examples_on_the_example_programme() -> None:
    blocks = [b for page in PAGES for b in example_blocks(page.read_text(encoding="utf-8"))]
    assert len(blocks) >= 4


@pytest.mark.usefixtures("at_the_repository_root")
@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO)))
def test_examples_on_the_example_programme_are_real_output(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    if os.environ.get("UPDATE_README"):
        for block in example_blocks(text):
            text = text.replace(block, run_block(block))
        page.write_text(text, encoding="utf-8")
    for block in example_blocks(text):
        assert run_block(block) == block


# --- replayed on a copy ---------------------------------------------------------------------


def replayed_blocks(text: str) -> list[str]:
    on_example = set(example_blocks(text))
    return [block for block in BLOCK.findall(text) if block not in on_example]


def sed(expression: str, path: Path) -> None:
    """`sed -i EXPRESSION PATH` for a substitution, on one line or the first match of each."""
    match = SED.fullmatch(expression)
    assert match is not None, f"the replay knows only sed's s/OLD/NEW/: {expression}"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        if match["line"] is None or int(match["line"]) == number:
            lines[number - 1] = re.sub(match["old"], match["new"], line, count=1)
    path.write_text("".join(lines), encoding="utf-8")


def replay(blocks: list[str], copy: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each block as the replay shows it: its commands, each followed by its output."""
    replayed = []
    status = 0
    for block in blocks:
        shown: list[str] = []
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
            elif words[:2] == ["sed", "-i"] and len(words) == 4:
                sed(words[2], Path(words[3]))
            else:
                raise AssertionError(f"the docs run a command this test cannot: {line}")
        replayed.append("\n".join(shown) + "\n")
    return replayed


REPLAYED = [page for page in PAGES if replayed_blocks(page.read_text(encoding="utf-8"))]


def test_the_walkthrough_and_the_editing_commands_are_replayed() -> None:
    readme = replayed_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert any("$ twincli init " in block for block in readme)
    assert any("$ twincli --as-of 2025-06-30 record " in block for block in readme)
    for name in ("init", "new", "record"):
        assert REPO / "docs" / "commands" / f"{name}.md" in REPLAYED


@pytest.mark.parametrize("page", REPLAYED, ids=lambda page: str(page.relative_to(REPO)))
def test_examples_that_change_a_folder_are_real_output(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = page.read_text(encoding="utf-8")
    blocks = replayed_blocks(text)
    copy = tmp_path / "programme"
    shutil.copytree(EXAMPLE, copy)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("NO_COLOR", "FORCE_COLOR", "TWINCLI_DATA"):
        monkeypatch.delenv(name, raising=False)
    replayed = replay(blocks, copy, monkeypatch)
    if os.environ.get("UPDATE_README"):
        for block, shown in zip(blocks, replayed, strict=True):
            text = text.replace(f"```console\n{block}```", f"```console\n{shown}```", 1)
        page.write_text(text, encoding="utf-8")
    assert replayed == blocks


def test_the_readme_layout_is_the_tree() -> None:
    """The README's layout names every package and top-level module of `src/twincli`, and
    nothing that is not there: a package added, moved or removed fails here until the README
    says so."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("\nsrc/twincli/\n", 1)[1].split("```", 1)[0]
    named = {
        line.split("── ", 1)[1].split()[0].rstrip("/")
        for line in block.splitlines()
        if "── " in line
    }
    package = REPO / "src" / "twincli"
    there = {p.stem for p in package.glob("*.py")}
    there |= {p.name for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert {name.removesuffix(".py") for name in named} == there
