"""The Typer app: global options, and the commands, each imported when it runs.

`twincli --help` lists the commands from `lazy.COMMANDS` without importing them; a command's
module is imported (and its options built) only when it runs or shows its own help.
"""

# No `from __future__ import annotations`: Typer reads the options from the annotations, which
# it would otherwise evaluate from text on every run.
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from twincli import __version__
from twincli.cli.lazy import LazyGroup
from twincli.cli.values import parse_date

app = typer.Typer(
    name="twincli",
    help="Run NetZeroCities' Twinning Learning Programme out of a git repository.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    cls=LazyGroup,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"twincli {__version__}")
        raise typer.Exit()


def _parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except typer.BadParameter as exc:
        raise typer.BadParameter(exc.message, param_hint="'--as-of'") from None


@app.callback()
def global_options(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="The programme folder (else $TWINCLI_DATA, else the nearest folder above "
            "holding programme.yaml).",
            metavar="PATH",
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
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read every file, ignoring the cache of files read before (also: "
            "$TWINCLI_NO_CACHE).",
            metavar="",
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
    from twincli.cli.common import Options  # not needed for --help

    ctx.obj = Options(data=data, as_of=_parse_as_of(as_of), no_color=no_color, no_cache=no_cache)
