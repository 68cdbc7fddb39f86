"""`twincli record attendance|visit|output`: what happened, written into a Twin City's file."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from twincli.cli.common import options, reporting_errors
from twincli.cli.edits import parse_money, run_change
from twincli.cli.values import choice, parse_date, whole_number

record_app = typer.Typer(
    name="record",
    help="Record what happened in a Twin City's file: attendance, a site visit, an output.",
    no_args_is_help=True,
    add_completion=False,
)

CityArgument = Annotated[str, typer.Argument(metavar="CITY", help="The Twin City's id.")]


class Direction(StrEnum):
    to_partner = "to-partner"
    from_partner = "from-partner"


class VisitStatus(StrEnum):
    planned = "planned"
    done = "done"
    cancelled = "cancelled"


class OutputStatus(StrEnum):
    not_started = "not-started"
    drafting = "drafting"
    submitted = "submitted"
    needs_revision = "needs-revision"
    approved = "approved"


@record_app.command("attendance")
def attendance(
    ctx: typer.Context,
    city: CityArgument,
    events: Annotated[
        list[str], typer.Argument(metavar="EVENT", help="Events of the city's cohort (their ids).")
    ],
) -> None:
    """Mark events of the city's cohort attended."""
    from twincli.edit.record import record_attendance

    opts = options(ctx)
    with reporting_errors():
        run_change(opts, lambda loaded: record_attendance(loaded, city, events), [city])


@record_app.command("visit")
def visit(
    ctx: typer.Context,
    city: CityArgument,
    direction: Annotated[
        Direction,
        choice(
            "--direction",
            choices=Direction,
            help="to-partner: the city travels; from-partner: the city hosts.",
        ),
    ],
    start: Annotated[
        date,
        typer.Option("--start", parser=parse_date, metavar="YYYY-MM-DD", help="First day."),
    ],
    end: Annotated[
        date | None,
        typer.Option(
            "--end", parser=parse_date, metavar="YYYY-MM-DD", help="Last day, if not the first."
        ),
    ] = None,
    partner_city: Annotated[
        str | None,
        typer.Option(
            "--city",
            metavar="NAME",
            help="Which of the pilot's cities (required for a multi-city pilot).",
        ),
    ] = None,
    travellers: Annotated[
        int | None,
        typer.Option(
            "--travellers",
            parser=whole_number("travellers", least=1),
            metavar="N",
            help="How many travelled (1 or more).",
        ),
    ] = None,
    status: Annotated[
        VisitStatus | None,
        choice(
            "--status",
            choices=VisitStatus,
            help="Whether it took place (default: planned if it ends after the as-of day, "
            "else done).",
            show_default=False,
        ),
    ] = None,
    claimed: Annotated[
        str | None,
        typer.Option("--claimed", parser=parse_money, metavar="EUR", help="Travel costs claimed."),
    ] = None,
    reimbursed: Annotated[
        str | None,
        typer.Option(
            "--reimbursed", parser=parse_money, metavar="EUR", help="Travel costs reimbursed."
        ),
    ] = None,
) -> None:
    """Add a site visit to the city's file."""
    from twincli.edit.record import record_visit

    opts = options(ctx)
    with reporting_errors():
        run_change(
            opts,
            lambda loaded: record_visit(
                loaded,
                city,
                direction=direction.value,
                start=start,
                end=end,
                city=partner_city,
                travellers=travellers,
                status=status.value if status else None,
                claimed=claimed,
                reimbursed=reimbursed,
                as_of=opts.today(),
            ),
            [city],
        )


@record_app.command("output")
def output(
    ctx: typer.Context,
    city: CityArgument,
    output_id: Annotated[
        str, typer.Argument(metavar="OUTPUT", help="One of the edition's outputs.")
    ],
    status: Annotated[
        OutputStatus,
        choice(
            "--status",
            choices=OutputStatus,
            help="Where the output stands now.",
        ),
    ],
    day: Annotated[
        date | None,
        typer.Option(
            "--date",
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="For submitted and approved: the day (default: the as-of day).",
        ),
    ] = None,
) -> None:
    """Move one of the city's outputs along: its status, and when it was submitted or approved."""
    from twincli.edit.record import record_output

    opts = options(ctx)
    with reporting_errors():
        run_change(
            opts,
            lambda loaded: record_output(
                loaded, city, output_id, status.value, day=day, as_of=opts.today()
            ),
            [city],
        )
