"""Start-up: `--version` without Typer, `--help` without importing the commands, option values
read without pydantic, and the same help and errors as Typer gives."""

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
from typer._coercion import build_runtime_param
from typer.testing import CliRunner

from tests.support.folders import EXAMPLE
from twincli import __version__
from twincli.cli import app, lazy


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
    assert out == "[] ['twincli.cli.commands', 'twincli.cli.lazy']"


def test_help_imports_neither_markdown_nor_tracebacks() -> None:
    """`typer.rich_utils` gets stand-ins for rich's Markdown and Traceback (`lazy.LeanRichUtils`),
    which import the real classes when they are used."""
    out = after_help(
        "heavy = ('rich.markdown', 'markdown_it', 'rich.traceback', 'pygments', 'rich.syntax')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "import typer.rich_utils as utils\n"
        "shown = utils.Markdown('# hi')\n"
        "import rich.markdown\n"
        "print(type(shown) is rich.markdown.Markdown, isinstance(shown, utils.Markdown))\n"
        "from typer.models import DeveloperExceptionConfig\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError as exc:\n"
        "    print(type(utils.get_traceback(exc, DeveloperExceptionConfig(), [])).__name__)"
    )
    assert out.splitlines() == ["[]", "True True", "Traceback"]


def test_no_option_is_converted_with_pydantic() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, lazy.LazyGroup)
    slow = []
    for command in lazy.COMMANDS:
        todo = [(command.name, group.load(command.name))]
        while todo:
            path, built = todo.pop()
            for param in built.params:
                if getattr(param, "type_descriptor", None) is not None and not isinstance(
                    param._runtime_param, lazy._Fast
                ):
                    slow.append(f"{path} {param.name}")
            todo += [
                (f"{path} {name}", sub) for name, sub in getattr(built, "commands", {}).items()
            ]
    assert slow == []


def test_a_command_runs_without_pydantic() -> None:
    out = run_python(
        "import sys, io, contextlib\n"
        f"sys.argv = ['twincli', '--data', {str(EXAMPLE)!r}, '--as-of', '2025-06-30',"
        " 'validate', '--format', 'json']\n"
        "from twincli.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('pydantic' in sys.modules)"
    )
    assert out == "False"


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
        "longtables",
        "tablecells",
        "edits",
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
    "value", ["0", "7", "007", "30", "+5", " 5", "5 ", "1_000", "-1", "x", "", "1.5", "٣"]
)
def test_whole_numbers_are_converted_as_typer_converts_them(value: str) -> None:
    """The same numbers are taken, and the same refused (in twincli's words)."""
    from twincli.cli.deadlines import deadlines

    single = typer.Typer(add_completion=False)
    single.command()(deadlines)
    command = typer.main.get_command(single)
    (within,) = [p for p in command.params if p.name == "within"]
    ctx = typer.Context(command)
    typer_way = build_runtime_param(within.type_descriptor)
    try:
        expected: object = typer_way.coerce(value, within, ctx)
    except typer.BadParameter:
        expected = "refused"
    lazy.fast_coercion(command)
    assert isinstance(within._runtime_param, lazy._Fast)
    try:
        got: object = within._runtime_param.coerce(value, within, ctx)
    except typer.BadParameter as exc:
        got = "refused"
        assert exc.message.endswith(": give a number of days, 0 or more"), exc.message
    assert got == expected


HELP_PATHS = [
    [],
    *[[c.name] for c in lazy.COMMANDS],
    *[["export", kind] for kind in ("csv", "json", "ics")],
    *[["new", kind] for kind in ("city", "cohort", "pilot")],
    *[["record", kind] for kind in ("attendance", "visit", "output")],
]


@pytest.mark.parametrize("path", HELP_PATHS, ids=lambda p: " ".join(p) or "twincli")
def test_help_shows_flags_without_a_value_type(path: list[str]) -> None:
    # Typer 0.29 writes `--help <bool>`, as if --help took a value; twincli's flags show none.
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    help_rows = [line for line in result.stdout.splitlines() if "--help" in line]
    assert len(help_rows) == 1
    assert "<" not in help_rows[0]
    assert "<bool>" not in result.stdout


PYTHON_TYPE = re.compile(r"<[^<>\s]*>|\{[^{}\s]*\}")
"""What Typer 0.29 shows for a value with no metavar: `<str>`, `<int range>`, `<list[Path]>`,
`<path>`, `<a|b>` for choices, and `{NAME}` for a required argument in the usage line."""


@pytest.mark.parametrize("path", HELP_PATHS, ids=lambda p: " ".join(p) or "twincli")
@pytest.mark.parametrize("columns", ["60", "100"])
def test_help_shows_no_python_type_placeholder(path: list[str], columns: str) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert PYTHON_TYPE.findall(result.stdout) == []
    assert "<int" not in result.stdout  # `<int range>` has a space
    assert "[x>=" not in result.stdout  # the range of `<int range>`
    arguments = [
        p
        for p in _command_at(path).params
        if isinstance(p, typer.core.TyperArgument) and not p.hidden
    ]
    assert [p.metavar for p in arguments if p.metavar is None or not p.metavar.isupper()] == []


def _command_at(path: list[str]) -> Any:
    group = typer.main.get_command(app)
    assert isinstance(group, lazy.LazyGroup)
    command: Any = group
    for name in path:
        command = group.load(name) if command is group else command.commands[name]
    return command
