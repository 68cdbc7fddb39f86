"""`twincli record attendance|visit|output`: what happened, written into a Twin City's file."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from twincli.cli.common import options, reporting_errors
from twincli.cli.edits import (
    LinkOption,
    NotesOption,
    PlaceOption,
    TimeOption,
    TitleOption,
    meant_id,
    parse_money,
    run_change,
)
from twincli.cli.values import choice, parse_date, whole_number

record_app = typer.Typer(
    name="record",
    help="Record what happened: a Twin City's attendance, site visits and outputs, or a "
    "change to a cohort's session.",
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
    undo: Annotated[
        bool,
        typer.Option("--undo", help="Remove the events from the city's list instead.", metavar=""),
    ] = False,
) -> None:
    """Mark events of the city's cohort attended (or, with --undo, not attended)."""
    from twincli.edit.record import record_attendance

    opts = options(ctx)
    with reporting_errors():
        city = meant_id(opts, "cities", city)
        run_change(opts, lambda loaded: record_attendance(loaded, city, events, undo=undo), [city])


@record_app.command("visit")
def visit(
    ctx: typer.Context,
    city: CityArgument,
    start: Annotated[
        date,
        typer.Option(
            "--start",
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="Its first day: finds the visit, or starts a new one.",
        ),
    ],
    direction: Annotated[
        Direction | None,
        choice(
            "--direction",
            choices=Direction,
            close=True,
            help="to-partner: the city travels; from-partner: the city hosts. Needed for a "
            "new visit, and to tell apart two that start on the same day.",
            show_default=False,
        ),
    ] = None,
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
            close=True,
            help="Whether it took place (for a new visit, default: planned if it ends after "
            "the as-of day, else done).",
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
    notes: NotesOption = None,
    move_to: Annotated[
        date | None,
        typer.Option(
            "--move-to",
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="Move the visit to start on this day (its end moves with it, unless --end).",
        ),
    ] = None,
) -> None:
    """Record the site visit that starts on --start: change it, or add it if there is none.

    Only the options given change: `--status done --claimed 1200` on a planned visit sets
    those two and nothing else. A visit is never added twice."""
    from twincli.edit.record import record_visit

    opts = options(ctx)
    with reporting_errors():
        city = meant_id(opts, "cities", city)
        run_change(
            opts,
            lambda loaded: record_visit(
                loaded,
                city,
                start=start,
                direction=direction.value if direction else None,
                end=end,
                city=partner_city,
                travellers=travellers,
                status=status.value if status else None,
                claimed=claimed,
                reimbursed=reimbursed,
                notes=notes,
                move_to=move_to,
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
        OutputStatus | None,
        choice(
            "--status",
            choices=OutputStatus,
            close=True,
            help="Where the output stands now.",
            show_default=False,
        ),
    ] = None,
    day: Annotated[
        date | None,
        typer.Option(
            "--date",
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="The day of the new status: drafting began, submitted, feedback asking for a "
            "revision sent, approved (default for submitted and approved: the as-of day).",
        ),
    ] = None,
    submitted: Annotated[
        date | None,
        typer.Option(
            "--submitted", parser=parse_date, metavar="YYYY-MM-DD", help="When it was submitted."
        ),
    ] = None,
    approved: Annotated[
        date | None,
        typer.Option(
            "--approved", parser=parse_date, metavar="YYYY-MM-DD", help="When it was approved."
        ),
    ] = None,
    link: Annotated[
        str | None,
        typer.Option("--link", metavar="URL", help="Where the document is kept (https://...)."),
    ] = None,
    notes: NotesOption = None,
) -> None:
    """Move one of the city's outputs along: its status, its dates, its link and notes.

    "Submitted on 1 June, approved on 20 June" is one call:
    `--status approved --submitted 2025-06-01 --approved 2025-06-20`."""
    from twincli.edit.record import record_output

    opts = options(ctx)
    with reporting_errors():
        city = meant_id(opts, "cities", city)
        run_change(
            opts,
            lambda loaded: record_output(
                loaded,
                city,
                output_id,
                status.value if status else None,
                day=day,
                submitted=submitted,
                approved=approved,
                link=link,
                notes=notes,
                as_of=opts.today(),
            ),
            [city],
        )


@record_app.command("event")
def event(
    ctx: typer.Context,
    cohort: Annotated[str, typer.Argument(metavar="COHORT", help="The cohort's id.")],
    ident: Annotated[str, typer.Argument(metavar="EVENT", help="The session's id.")],
    day: Annotated[
        date | None,
        typer.Option(
            "--date",
            parser=parse_date,
            metavar="YYYY-MM-DD",
            help="Move it to this day (the cities' attendance stays).",
        ),
    ] = None,
    title: TitleOption = None,
    time: TimeOption = None,
    place: PlaceOption = None,
    link: LinkOption = None,
    notes: NotesOption = None,
) -> None:
    """Change a session of a cohort's schedule: only the options given."""
    from twincli.edit.events import record_event

    opts = options(ctx)
    with reporting_errors():
        cohort = meant_id(opts, "cohorts", cohort)
        run_change(
            opts,
            lambda loaded: record_event(
                loaded,
                cohort,
                ident,
                day=day,
                title=title,
                time=time,
                place=place,
                link=link,
                notes=notes,
            ),
            cities=(),
        )
