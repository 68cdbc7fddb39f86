"""`twincli deadlines`: what is due or overdue, soonest first."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from twincli.cli.common import (
    CityOption,
    CohortOption,
    console,
    load_for_report,
    options,
    print_payload,
    reporting_errors,
    selected_progress,
)
from twincli.cli.values import choice, whole_number


class DeadlinesFormat(StrEnum):
    table = "table"
    json = "json"


def deadlines(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            parser=whole_number("days", least=0),
            metavar="DAYS",
            help="Only what is overdue or due in at most DAYS days (0 or more).",
        ),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only what is overdue.", metavar="")
    ] = False,
    cohort: CohortOption = None,
    city: CityOption = None,
    output_format: Annotated[
        DeadlinesFormat,
        choice(
            "--format",
            "-f",
            choices=DeadlinesFormat,
            help="A table for the terminal, or JSON for scripts.",
        ),
    ] = DeadlinesFormat.table,
) -> None:
    """What is due or overdue, soonest first: outputs, milestones and planned visits."""
    from twincli.progress.standing import deadlines as find_deadlines

    opts = options(ctx)
    with reporting_errors():
        loaded = load_for_report(opts, cohort=cohort, city=city).loaded
        progress = selected_progress(loaded, opts, cohort, city)
        found = find_deadlines(progress, within=within, overdue_only=overdue)
        if output_format is DeadlinesFormat.json:  # no console: rich is not even imported
            from twincli.progress.payloads import deadlines_payload

            print_payload(lambda: deadlines_payload(progress.as_of.isoformat(), found))
        else:
            from twincli.cli.fitted import print_view
            from twincli.cli.tables import deadlines_view

            print_view(console(opts, wrap=True), deadlines_view(found, progress.as_of))
