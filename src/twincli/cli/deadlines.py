"""`twincli deadlines`: what is due or overdue, soonest first."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from twincli.cli.common import (
    CityOption,
    CohortOption,
    console,
    options,
    print_document,
    print_payload,
    reporting_errors,
    warn_of_gaps,
)
from twincli.cli.values import choice, whole_number


class DeadlinesFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


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
            help="A table for the terminal, JSON for scripts, Markdown for an e-mail or an "
            "issue, CSV for a sheet.",
        ),
    ] = DeadlinesFormat.table,
) -> None:
    """What is due or overdue, soonest first: outputs, milestones and planned visits."""
    from twincli.progress import views

    opts = options(ctx)
    with reporting_errors():
        view = views.deadlines(
            opts.root(),
            opts.today(),
            cohort=cohort,
            city=city,
            within=within,
            overdue=overdue,
            cache=opts.cache,
        )
        warn_of_gaps(view.loaded, view.gaps)
        found = view.deadlines
        if output_format is DeadlinesFormat.json:  # no console: rich is not even imported
            from twincli.progress.payloads import deadlines_payload

            print_payload(lambda: deadlines_payload(view.as_of.isoformat(), found))
        elif output_format is DeadlinesFormat.csv:
            from twincli.export.csvtables import deadlines_csv
            from twincli.terminal import printable

            # on stdout, lines end as the platform's text does; a control character in a
            # name is shown as \uXXXX, as in JSON: never run by a terminal
            text = deadlines_csv(found, view.as_of).replace("\r\n", "\n")
            print_document(printable(text))
        elif output_format is DeadlinesFormat.markdown:
            from twincli.report.markdown import deadlines_markdown

            console(opts, wrap=False).print(deadlines_markdown(found, view.as_of), end="")
        else:
            from twincli.cli.fitted import print_view
            from twincli.cli.tables import deadlines_view

            print_view(console(opts, wrap=True), deadlines_view(found, view.as_of))
