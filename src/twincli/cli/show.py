"""`twincli show city|cohort|pilot ID`: one entity in full, with computed dates and progress."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import console, load_for_report, options, reporting_errors
from twincli.errors import UsageError

if TYPE_CHECKING:
    from twincli.model import Programme


class Kind(StrEnum):
    city = "city"
    cohort = "cohort"
    pilot = "pilot"


def show(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="city, cohort or pilot.")],
    ident: Annotated[str, typer.Argument(metavar="ID", help="Its id (its file name).")],
) -> None:
    """One city, cohort or pilot in full, with its computed dates and progress."""
    from rich.console import RenderableType

    from twincli.cli import tables
    from twincli.progress import iter_cities, programme_progress

    opts = options(ctx)
    with reporting_errors():
        # A city's view needs that city alone (with its cohort, pilot and edition).
        loaded = load_for_report(opts, cities=[ident] if kind is Kind.city else None)
        programme = loaded.programme
        progress = programme_progress(programme, opts.today())
        view: RenderableType
        if kind is Kind.city:
            found = [(c, cp) for c, cp in iter_cities(progress) if cp.city.id == ident]
            if not found:
                raise UsageError(_unknown_city(ident, programme))
            view = tables.city_view(programme, *found[0])
        elif kind is Kind.cohort:
            cohorts = [c for c in progress.cohorts if c.cohort.id == ident]
            if not cohorts:
                raise UsageError(_unknown("cohort", ident, programme.cohorts))
            view = tables.cohort_view(cohorts[0])
        else:
            pilot = programme.pilots.get(ident)
            if pilot is None:
                raise UsageError(_unknown("pilot", ident, programme.pilots))
            twins = [(c, cp) for c, cp in iter_cities(progress) if cp.city.pilot == ident]
            view = tables.pilot_view(pilot, twins)
        console(opts, wrap=True).print(view)


def _unknown_city(ident: str, programme: Programme) -> str:
    """The error for a city without a view: no such file, one that cannot be read, or one
    whose cohort does not exist."""
    path = f"cities/{ident}.yaml"
    city = programme.cities.get(ident)
    if city is not None:
        return f"{path}: its cohort '{city.cohort}' does not exist (twincli validate {path})"
    if ident in programme.marks.ids("cities"):
        return f"{path} cannot be read as a city (twincli validate {path})"
    return _unknown("city", ident, programme.marks.ids("cities"))


def _unknown(kind: str, ident: str, known: object) -> str:
    from twincli.schema import suggest

    names = sorted(known)  # type: ignore[call-overload]
    hint = suggest(ident, names)
    return f"no {kind} '{ident}'" + (f" ({hint})" if hint else f"; {kind} ids: {', '.join(names)}")
