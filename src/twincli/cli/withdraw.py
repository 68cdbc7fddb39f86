"""`twincli withdraw CITY --date D --reason TEXT`: a Twin City leaves the programme."""

# No `from __future__ import annotations`: Typer reads the options from the annotations.
from datetime import date
from typing import Annotated

import typer

from twincli.cli.common import options, reporting_errors
from twincli.cli.edits import meant_id, run_change
from twincli.cli.values import parse_date


def withdraw(
    ctx: typer.Context,
    city: Annotated[str, typer.Argument(metavar="CITY", help="The Twin City's id.")],
    day: Annotated[
        date,
        typer.Option("--date", parser=parse_date, metavar="YYYY-MM-DD", help="When it withdrew."),
    ],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why it withdrew.")],
) -> None:
    """Mark a Twin City withdrawn: its status and the record of when and why, in one change."""
    from twincli.edit.record import withdraw as plan_withdrawal

    opts = options(ctx)
    with reporting_errors():
        city = meant_id(opts, "cities", city)
        run_change(
            opts, lambda loaded: plan_withdrawal(loaded, city, day=day, reason=reason), [city]
        )
