"""Start-up: `--version` without Typer, `--help` without importing the commands, and the same
help and errors as with every command built."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from tests.support.folders import EXAMPLE
from twincli import __version__
from twincli.cli import app, lazy, values


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def test_version_imports_nothing_heavy() -> None:
    out = run_python(
        "import sys; sys.argv = ['twincli', '--version']\n"
        "from twincli.cli import main; main()\n"
        "print(sorted(m for m in ('typer', 'click', 'rich', 'yaml') if m in sys.modules))"
    )
    assert out.splitlines() == [f"twincli {__version__}", "[]"]


HELP = (
    "import sys, io, contextlib; sys.argv = ['twincli', '--help']\n"
    "from twincli.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try:\n"
    "        main()\n"
    "    except SystemExit:\n"
    "        pass\n"
)


def after_help(code: str) -> str:
    """What `code` prints in a fresh interpreter after `twincli --help` ran there."""
    return run_python(HELP + code)


def test_help_imports_no_command() -> None:
    out = after_help(
        "heavy = ('yaml', 'jinja2', 'dateutil', 'icalendar', 'pydantic', 'twincli.read.loader')\n"
        "loaded = [m for m in sys.modules if m.startswith('twincli.cli.')]\n"
        "print(sorted(m for m in heavy if m in sys.modules), sorted(loaded))"
    )
    assert out == "[] ['twincli.cli.commands', 'twincli.cli.lazy', 'twincli.cli.values']"


@pytest.mark.parametrize("command", lazy.COMMANDS, ids=lambda c: c.name)
def test_each_help_line_is_the_commands_own(command: lazy.Command) -> None:
    built = lazy.build(command)
    assert built.name == command.name
    assert (built.help or "").split("\n\n")[0].replace("\n", " ") == command.help


def test_the_help_is_the_same_as_with_every_command_built() -> None:
    runner = CliRunner()
    lazily = runner.invoke(app, ["--help"], terminal_width=100).stdout
    group = typer.main.get_command(app)
    assert isinstance(group, lazy.LazyGroup)
    for command in lazy.COMMANDS:
        group.load(command.name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.main, "get_command", lambda _: group)
        built = runner.invoke(app, ["--help"], terminal_width=100).stdout
    assert lazily == built
    assert all(f" {command.name} " in lazily for command in lazy.COMMANDS)


def test_every_command_module_is_listed() -> None:
    import twincli.cli as package

    folder = inspect.getfile(package).rsplit("/", 1)[0]
    listed = {command.module.rsplit(".", 1)[1] for command in lazy.COMMANDS}
    helpers = {
        "__init__",
        "commands",
        "common",
        "lazy",
        "tables",
        "fitted",
        "values",
        "edits",
        "refusals",
        "docs",  # python -m twincli.cli.docs: the reference pages in docs/
    }
    modules = {name[:-3] for name in os.listdir(folder) if name.endswith(".py")}
    assert modules - helpers == listed


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--format", "nope"],
        ["status", "--format", "JSON"],
        ["--as-of", "2025-6-1", "status"],
        ["deadlines", "--within", "-1"],
        ["valdate"],
    ],
)
def test_bad_values_are_refused_as_typer_refuses_them(args: list[str]) -> None:
    # Typer's usage lines and exit code, in twincli's words (tests/test_cli_usage.py).
    result = CliRunner().invoke(app, ["--data", str(EXAMPLE), *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    message = " ".join(result.output.replace("│", " ").split())
    assert "Usage: twincli " in message
    assert "Value error" not in message
    if args[-1] == "nope":
        assert "'nope' is not one of auto, text, json, github, sarif, junit" in message
    if args == ["valdate"]:
        assert "Did you mean 'validate'?" in message


def test_option_values_are_converted_as_typer_converts_them() -> None:
    from pathlib import Path

    from twincli.cli.validate import Format

    group = typer.main.get_command(app)
    assert isinstance(group, lazy.LazyGroup)
    validate = group.load("validate")
    params = {p.name: p for p in [*group.params, *validate.params]}
    ctx = typer.Context(validate)
    convert = {name: p.process_value for name, p in params.items()}
    assert convert["data"](ctx, "some/where") == Path("some/where")
    assert convert["as_of"](ctx, "2025-06-30") == "2025-06-30"
    assert convert["output_format"](ctx, "sarif") is Format.sarif
    assert convert["files"](ctx, ("a.yaml", "b/")) == [Path("a.yaml"), Path("b/")]
    assert convert["files"](ctx, ()) in ((), [])
    assert convert["strict"](ctx, True) is True


@pytest.mark.parametrize(
    ("value", "taken"),
    [("0", 0), ("7", 7), ("007", 7), ("+5", 5), (" 5", 5), ("5 ", 5)]
    + [(refused, None) for refused in ("-1", "x", "", "1.5", "1_000", "٣", "1e3")],
)
def test_a_whole_number_is_written_in_digits(value: str, taken: int | None) -> None:
    """What `--within` takes: digits, a sign or spaces around them; nothing else, refused in
    twincli's words."""
    parse = values.whole_number("days", least=0)
    if taken is not None:
        assert parse(value) == taken
        return
    with pytest.raises(typer.BadParameter) as refused:
        parse(value)
    assert refused.value.message.endswith(": give a number of days, 0 or more")


HELP_PATHS = [
    [],
    *[[c.name] for c in lazy.COMMANDS],
    *[["export", kind] for kind in ("csv", "json", "ics")],
    *[["new", kind] for kind in ("city", "cohort", "pilot")],
    *[["record", kind] for kind in ("attendance", "visit", "output")],
]


PYTHON_TYPE = re.compile(r"<[^<>\s]*>")
"""What Typer 0.29 shows for a value with no metavar: `<str>`, `<int range>`, `<path>`,
`<a|b>` for choices."""


@pytest.mark.parametrize("path", HELP_PATHS, ids=lambda p: " ".join(p) or "twincli")
@pytest.mark.parametrize("columns", ["60", "100"])
def test_options_are_shown_by_what_they_take(path: list[str], columns: str) -> None:
    """Each option by its metavar (`ID`, `table | json`), a flag by nothing, never by a Python
    type or the bounds of a number. Typer 0.29 still shows its own `--help <bool>`, and the
    type of an argument beside its name (`ID <str>`): no option of Typer's changes them."""
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "─ Options ─" in line)
    end = next(i for i in range(start, len(lines)) if lines[i].lstrip("│ *").startswith("--help "))
    assert PYTHON_TYPE.findall("\n".join(lines[start:end])) == []
    assert "[x>=" not in result.stdout  # the range of `<int range>`
    params = [p for p in _command_at(path).params if not p.hidden]
    assert [p.name for p in params if p.metavar is None] == []  # flags: ""
    arguments = [p for p in params if isinstance(p, typer.core.TyperArgument)]
    assert [p.metavar for p in arguments if p.metavar is None or not p.metavar.isupper()] == []


def _command_at(path: list[str]) -> Any:
    group = typer.main.get_command(app)
    assert isinstance(group, lazy.LazyGroup)
    command: Any = group
    for name in path:
        command = group.load(name) if command is group else command.commands[name]
    return command
