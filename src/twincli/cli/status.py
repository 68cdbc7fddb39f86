"""`twincli status`: progress at a glance, per cohort and per city."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from twincli.cli.common import (
    console,
    load_for_report,
    options,
    print_json,
    reporting_errors,
    selected_progress,
)


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


def status(
    ctx: typer.Context,
    cohort: Annotated[str | None, typer.Option("--cohort", help="Only this cohort.")] = None,
    city: Annotated[
        str | None, typer.Option("--city", help="Only this city, shown in detail.")
    ] = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="table, json or markdown.")
    ] = StatusFormat.table,
) -> None:
    """Progress at a glance: per cohort, one row per city."""
    from twincli import jsontext, payloads
    from twincli.cli import tables
    from twincli.markdown import status_markdown

    opts = options(ctx)
    with reporting_errors():
        loaded = load_for_report(opts)
        progress = selected_progress(loaded, opts, cohort, city)
        out = console(opts, wrap=output_format.value == "table")
        if output_format is StatusFormat.json:
            print_json(jsontext.dumps(payloads.status_payload(progress)))
        elif output_format is StatusFormat.markdown:
            out.print(status_markdown(progress), end="")
        elif city is not None:
            cohort_progress = progress.cohorts[0]
            out.print(
                tables.city_view(loaded.programme, cohort_progress, cohort_progress.cities[0])
            )
        else:
            out.print(tables.status_view(progress.cohorts))
