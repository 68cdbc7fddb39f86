"""`twincli status`: progress at a glance, per cohort and per city."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from twincli.cli.common import (
    CohortOption,
    console,
    options,
    print_payload,
    reporting_errors,
    warn_of_gaps,
)
from twincli.cli.values import choice


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def status(
    ctx: typer.Context,
    cohort: CohortOption = None,
    city: Annotated[
        str | None, typer.Option("--city", metavar="ID", help="Only this city, shown in detail.")
    ] = None,
    output_format: Annotated[
        StatusFormat,
        choice(
            "--format",
            "-f",
            choices=StatusFormat,
            help="A table for the terminal, JSON for scripts, or Markdown.",
        ),
    ] = StatusFormat.table,
) -> None:
    """Progress at a glance: per cohort, one row per city."""
    from twincli.progress import views

    opts = options(ctx)
    with reporting_errors():
        view = views.status(opts.root(), opts.today(), cohort=cohort, city=city, cache=opts.cache)
        warn_of_gaps(view.loaded, view.gaps)
        progress = view.progress
        if output_format is StatusFormat.json:  # no console: rich is not even imported
            from twincli.progress.payloads import status_payload

            print_payload(lambda: status_payload(progress, view.gaps.past))
            return
        out = console(opts, wrap=output_format.value == "table")
        if output_format is StatusFormat.markdown:
            from twincli.report.markdown import status_markdown

            out.print(status_markdown(progress), end="")
            return
        from twincli.cli import tables
        from twincli.cli.fitted import print_view

        if city is not None:
            cohort_progress = progress.cohorts[0]
            shown = tables.city_view(
                view.loaded.programme, cohort_progress, cohort_progress.cities[0]
            )
        else:
            shown = tables.status_view(progress.cohorts)
        print_view(out, shown)
