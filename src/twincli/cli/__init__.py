"""The command line: a thin Typer layer over the library.

Each command module parses options, calls one library function and hands the result to a
printer. Heavy imports happen inside the commands, so `twincli --version` stays instant.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from twincli import __version__
from twincli.cli.common import Options
from twincli.cli.deadlines import deadlines
from twincli.cli.export import export_app
from twincli.cli.init import init
from twincli.cli.new import new_app
from twincli.cli.record import record_app
from twincli.cli.render import render
from twincli.cli.schema import schema
from twincli.cli.show import show
from twincli.cli.status import status
from twincli.cli.validate import validate

app = typer.Typer(
    name="twincli",
    help="Run NetZeroCities' Twinning Learning Programme out of a git repository.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.command()(validate)
app.command()(status)
app.command()(deadlines)
app.command()(show)
app.command()(render)
app.command()(schema)
app.add_typer(export_app)
app.command()(init)
app.add_typer(new_app)
app.add_typer(record_app)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"twincli {__version__}")
        raise typer.Exit()


def _parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date as YYYY-MM-DD", param_hint="'--as-of'"
        ) from None


@app.callback()
def global_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="The programme folder (else $TWINCLI_DATA, else the nearest folder above "
            "holding programme.yaml).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The day date-relative figures are computed for (default: today).",
            show_default=False,
        ),
    ] = None,
    no_color: Annotated[
        bool,
        typer.Option(
            "--no-color", help="No colour (also: $NO_COLOR, or not a terminal).", metavar=""
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            metavar="",
            callback=_show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Run NetZeroCities' Twinning Learning Programme out of a git repository."""
    ctx.obj = Options(data=data, as_of=_parse_as_of(as_of), no_color=no_color)


def main() -> None:
    """The `twincli` console script."""
    if sys.argv[1:] == ["--version"]:
        # Answered before Typer builds the command tree, which costs more than the answer.
        print(f"twincli {__version__}")
        return
    app()
