"""`twincli export csv|json|ics`: data for spreadsheets, scripts and calendars."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from twincli.cli.common import (
    CityOption,
    CohortOption,
    display_path,
    options,
    reporting_errors,
    warn_of_gaps,
)
from twincli.cli.values import choice
from twincli.errors import UsageError

export_app = typer.Typer(
    name="export",
    help="Data for spreadsheets (csv), scripts (json) and calendars (ics).",
    no_args_is_help=True,
    add_completion=False,
)


class Table(StrEnum):
    cities = "cities"
    visits = "visits"
    outputs = "outputs"
    events = "events"
    contacts = "contacts"


class Delimiter(StrEnum):
    comma = ","
    semicolon = ";"
    tab = "tab"


OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Write to this file (default: stdout).",
        metavar="FILE",
        show_default=False,
    ),
]


@export_app.command("csv")
def export_csv(
    ctx: typer.Context,
    table: Annotated[
        Table,
        choice(
            "--table",
            "-t",
            choices=Table,
            help="One row per city, per visit, per output, per event or per contact.",
        ),
    ] = Table.cities,
    cohort: CohortOption = None,
    city: CityOption = None,
    out: OutOption = None,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom/--no-bom",
            help="Start with a UTF-8 byte order mark, which Excel needs.",
            metavar="",
        ),
    ] = True,
    delimiter: Annotated[
        Delimiter,
        choice(
            "--delimiter",
            choices=Delimiter,
            help="';' for Excel where the decimal mark is a comma.",
        ),
    ] = Delimiter.comma,
) -> None:
    """A table as CSV: UTF-8 with a header row, for Excel and LibreOffice."""
    from twincli.export import csvtables
    from twincli.progress import views

    opts = options(ctx)
    with reporting_errors():
        view = views.tables(opts.root(), opts.today(), cohort=cohort, city=city, cache=opts.cache)
        warn_of_gaps(view.loaded, view.gaps)
        sep = "\t" if delimiter is Delimiter.tab else delimiter.value
        text = csvtables.csv_table(table.value, view.programme, view.progress, delimiter=sep)
        _emit(csvtables.csv_bytes(text, bom=bom), out)


@export_app.command("json")
def export_json(
    ctx: typer.Context, cohort: CohortOption = None, city: CityOption = None, out: OutOption = None
) -> None:
    """The whole validated model as JSON: every record under its kind and id."""
    from twincli.export import jsondata
    from twincli.progress import views

    opts = options(ctx)
    with reporting_errors():
        view = views.model(opts.root(), opts.today(), cohort=cohort, city=city, cache=opts.cache)
        warn_of_gaps(view.loaded, view.gaps)
        parts = jsondata.model_json_parts(view.programme)
        # Each part encoded as it is written, never all of them at once: tens of megabytes
        # more in memory (and as many page faults) for nothing.
        _emit((part.encode("utf-8") for part in parts), out)


@export_app.command("ics")
def export_ics(
    ctx: typer.Context, cohort: CohortOption = None, city: CityOption = None, out: OutOption = None
) -> None:
    """An iCalendar of cohort sessions, site visits and output deadlines."""
    from twincli.export import calendar
    from twincli.progress import views

    opts = options(ctx)
    with reporting_errors():
        view = views.model(opts.root(), opts.today(), cohort=cohort, city=city, cache=opts.cache)
        warn_of_gaps(view.loaded, view.gaps)
        _emit(calendar.calendar_ics(view.programme, cohort=cohort, city=city), out)


def _emit(data: bytes | Iterable[bytes], out: Path | None) -> None:
    """The product (its bytes, or its bytes in pieces) to stdout, or to a file written whole
    (a temporary file, then renamed)."""
    pieces: Iterable[bytes] = [data] if isinstance(data, bytes) else data
    if out is None:
        if sys.stdout.isatty():  # shown, not saved: no escape sequence reaches the terminal
            from twincli.terminal import printable

            shown = (piece.decode("utf-8", "replace").replace("\r\n", "\n") for piece in pieces)
            pieces = (printable(text).encode("utf-8") for text in shown)
        write = sys.stdout.buffer.write
        for piece in pieces:
            write(piece)
        sys.stdout.flush()
        return
    try:
        target = out.resolve()
        if target.is_dir():
            raise UsageError(f"--out {out}: is a folder")
        if not target.parent.is_dir():
            raise UsageError(f"--out {out}: no folder {target.parent}")
    except OSError as exc:  # a folder on the way that may not be looked into
        raise UsageError(f"--out {out}: {exc.strerror or exc}") from None
    except RuntimeError:  # pathlib: a loop of symbolic links
        raise UsageError(f"--out {out}: a loop of symbolic links") from None
    from twincli.writing import write_atomic

    try:
        write_atomic(target, data if isinstance(data, bytes) else b"".join(pieces), durable=False)
    except OSError as exc:
        raise UsageError(f"--out {out}: {exc.strerror or exc}") from None
    print(f"wrote {display_path(target.parent, target.name)}", file=sys.stderr)
