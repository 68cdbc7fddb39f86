"""`twincli history`: progress over time, each cohort's figures by its plan."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import (
    CohortOption,
    console,
    options,
    print_document,
    print_payload,
    reporting_errors,
    warn_of_gaps,
)
from twincli.cli.values import choice

if TYPE_CHECKING:
    from rich.console import RenderableType

    from twincli.progress.history import CohortHistory


class HistoryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Every(StrEnum):
    month = "month"
    week = "week"


LEGEND = (
    "Each figure over its plan by the day: Outputs approved/due, Miles: milestones "
    "reached/due, Sessions attended/held, Visits made/funded pro rata of the cohort's time. "
    "Cities: active on the day; Late: outputs overdue; Behind, At risk: cities. A day's "
    "figures are what the data's dates say about it."
)


def history(
    ctx: typer.Context,
    cohort: CohortOption = None,
    every: Annotated[
        Every,
        choice("--every", choices=Every, help="A step every month or every week."),
    ] = Every.month,
    output_format: Annotated[
        HistoryFormat,
        choice(
            "--format",
            "-f",
            choices=HistoryFormat,
            help="A table for the terminal, JSON for scripts, CSV for a sheet, or Markdown.",
        ),
    ] = HistoryFormat.table,
) -> None:
    """Progress over time: each cohort's figures every month from its start, by its plan."""
    from twincli.progress import views

    opts = options(ctx)
    with reporting_errors():
        view = views.history(
            opts.root(), opts.today(), cohort=cohort, every=every.value, cache=opts.cache
        )
        warn_of_gaps(view.loaded, view.gaps)
        as_of = view.as_of.isoformat()
        if output_format is HistoryFormat.json:
            from twincli.progress.payloads import history_payload

            print_payload(lambda: history_payload(as_of, every.value, view.cohorts))
        elif output_format is HistoryFormat.csv:
            from twincli.export.csvtables import history_csv
            from twincli.terminal import printable

            print_document(printable(history_csv(view.cohorts).replace("\r\n", "\n")))
        elif output_format is HistoryFormat.markdown:
            from twincli.report.markdown import history_markdown

            console(opts).print(history_markdown(view.cohorts, LEGEND), end="")
        else:
            from twincli.cli.fitted import print_view

            print_view(console(opts, wrap=True), _table_view(view.cohorts))


def _table_view(cohorts: tuple[CohortHistory, ...]) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    from twincli.cli.tables import add_column, new_table
    from twincli.progress.history import HEADER, rows

    parts: list[RenderableType] = []
    for c in cohorts:  # a table ends with a blank line, as a cohort not started does
        heading = Text(c.cohort.title or c.cohort.id, style="bold")
        heading.append(f" ({c.cohort.id}) · from {c.cohort.start}")
        parts.append(heading)
        if not c.steps:
            parts.append(Text(f"  starts on {c.cohort.start}\n"))  # spaced as a table is
            continue
        table = new_table(HEADER[0])
        for header in HEADER[1:]:
            add_column(table, header, justify="right")
        for row in rows(c.steps):
            table.add_row(*row)
        parts.append(table)
    if not cohorts:
        return Text("No cohort yet.")
    parts.append(Text(LEGEND, style="dim"))
    return Group(*parts)
