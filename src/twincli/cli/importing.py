"""`twincli import cities|attendance|outputs|visits FILE`: a spreadsheet in, as one checked
change.

The sheet's problems are printed on stderr at their places (`cities.xlsx:Cohort 3!C7: ...`),
all of them, and nothing is written (exit 1). Otherwise the change is made as `record` makes
one (`edits.run_change`): checked with the whole folder, written only if it adds no error.
`--dry-run` prints what would change and writes nothing.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from twincli.cli.common import console, options, reporting_errors
from twincli.cli.edits import run_change
from twincli.cli.values import one_of


class SheetKind(StrEnum):
    cities = "cities"
    attendance = "attendance"
    outputs = "outputs"
    visits = "visits"


def import_sheet(
    ctx: typer.Context,
    kind: Annotated[
        str,  # a SheetKind (`one_of`); not the enum's type, whose values help would repeat
        typer.Argument(
            parser=one_of(SheetKind),
            metavar="KIND",
            help="What the sheet holds: cities (a row per city, with its contact), attendance "
            "(a tick per session), outputs (a state or date per output) or visits (a row per "
            "site visit).",
            show_default=False,
        ),
    ],
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A .csv or .xlsx file.", show_default=False),
    ],
    cohort: Annotated[
        str | None,
        typer.Option(
            "--cohort",
            metavar="ID",
            help="The cohort the sheet is about (needed for attendance and outputs when "
            "there are several; for new cities, when the sheet has no Cohort column).",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", metavar="NAME", help="The sheet of an .xlsx (default: the first)."),
    ] = None,
    columns: Annotated[
        str,
        typer.Option(
            "--columns",
            metavar="HEADER=field,...",
            help="Say what a column holds when its header is not recognised "
            "(HEADER=ignore leaves it out).",
            show_default=False,
        ),
    ] = "",
    day_first: Annotated[
        bool,
        typer.Option("--day-first", help="Dates like 03/04/2025 are 3 April.", metavar=""),
    ] = False,
    month_first: Annotated[
        bool,
        typer.Option("--month-first", help="Dates like 03/04/2025 are March 4.", metavar=""),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print what would change; write nothing.", metavar=""),
    ] = False,
) -> None:
    """Bring a spreadsheet (CSV or .xlsx) into the programme's files, as one checked change."""
    from twincli.errors import UsageError
    from twincli.imports.cells import DateOrder
    from twincli.imports.plan import Request, SheetProblemsError, plan_import
    from twincli.imports.sheet import read_sheet

    opts = options(ctx)
    with reporting_errors():
        if day_first and month_first:
            raise UsageError("--day-first or --month-first, not both")
        order: DateOrder = "day-first" if day_first else "month-first" if month_first else None
        table = read_sheet(file, str(file), sheet)
        request = Request(SheetKind(kind).value, table, opts.today(), cohort, columns, order)
        try:
            run_change(
                opts,
                lambda loaded: plan_import(loaded, request),
                dry_run=dry_run,
                name_files=True,
            )
        except SheetProblemsError as exc:
            _print_problems(opts, exc)
            print(f"twincli: refused: {exc}; nothing was written", file=sys.stderr)
            raise typer.Exit(1) from None


def _print_problems(opts: object, exc: object) -> None:
    from rich.text import Text

    from twincli.imports.plan import SheetProblemsError
    from twincli.terminal import printable

    assert isinstance(exc, SheetProblemsError)
    err = console(opts, stderr=True)  # type: ignore[arg-type]
    for problem in exc.problems:
        line = Text(printable(str(problem.place)) + ": ", style="bold")
        line.append("error", style="red")
        line.append(": " + printable(problem.message))
        if problem.hint:
            line.append(f" ({printable(problem.hint)})", style="dim")
        err.print(line)
