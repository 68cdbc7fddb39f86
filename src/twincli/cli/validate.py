"""`twincli validate`: load and check everything, print the findings, exit 0, 1 or 2."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import console, display_path, options, reporting_errors
from twincli.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from twincli.diagnostics import Diagnostic
    from twincli.formats import Display


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Report only on these files (references still resolve against the whole folder).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="text, json or github (annotations).")
    ] = Format.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail too.", metavar="")
    ] = False,
) -> None:
    """Load and check every file of the programme folder."""
    from twincli import formats
    from twincli.validate import validate_folder

    opts = options(ctx)
    with reporting_errors():
        root = opts.root()
        only = None if not files else [_folder_relative(root, f) for f in files]
        result = validate_folder(root, opts.today(), only)

        def display(rel: str) -> str:
            return display_path(root, rel)

        out = console(opts)
        if output_format is Format.json:
            out.print(formats.to_json(result.diagnostics, result.summary))
        elif output_format is Format.github:
            for d in result.diagnostics:
                out.print(formats.github_line(d, display))
            out.print(str(result.summary))
        else:
            _print_text(out, result.diagnostics, display, str(result.summary))
    summary = result.summary
    if result.unreadable:
        raise typer.Exit(2)
    if summary.errors or (strict and summary.warnings):
        raise typer.Exit(1)


def _print_text(
    out: Console, diagnostics: Sequence[Diagnostic], display: Display, summary: str
) -> None:
    """One line per diagnostic, as `formats.text_line` spells it, coloured on a terminal."""
    from rich.text import Text

    for d in diagnostics:
        loc = d.location
        line = Text()
        line.append(f"{display(loc.file)}:{loc.line}:{loc.column}:", style="bold")
        line.append(" ")
        line.append(d.severity.value, style="bold red" if d.is_error else "bold yellow")
        line.append(f" {d.code}", style="dim")
        line.append(f" {d.message}")
        if d.hint:
            line.append(f" ({d.hint})", style="cyan")
        out.print(line)
    out.print(Text(summary, style="bold"))


def _folder_relative(root: Path, file: Path) -> str:
    """A file or folder argument as a path relative to the programme folder; a folder ends
    with '/' (the folder itself is '')."""
    path = file.resolve()
    if not path.exists():
        raise UsageError(f"{file}: no such file or folder")
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{file} is not in the programme folder {root}") from None
    if path.is_dir():
        return "" if relative == "." else relative + "/"
    return relative
