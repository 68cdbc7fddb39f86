"""`twincli show city|cohort|pilot ID`: one entity in full, with computed dates and progress."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import (
    LEFT_OUT_NAMED,
    console,
    load_for_report,
    options,
    reporting_errors,
)
from twincli.cli.values import one_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import RenderableType

    from twincli.progress.leftout import LeftOut


class Kind(StrEnum):
    city = "city"
    cohort = "cohort"
    pilot = "pilot"


def show(
    ctx: typer.Context,
    kind: Annotated[
        Kind, typer.Argument(metavar="KIND", parser=one_of(Kind), help="What to show.")
    ],
    ident: Annotated[str, typer.Argument(metavar="ID", help="Its id (its file name).")],
) -> None:
    """One city, cohort or pilot in full, with its computed dates and progress."""
    from twincli.cli import tables
    from twincli.cli.fitted import print_view
    from twincli.progress.standing import iter_cities, programme_progress

    opts = options(ctx)
    with reporting_errors():
        # The id is looked up as the report is loaded: unknown, or left out by errors in
        # the data, it stops there. A city's view needs that city alone (with its cohort,
        # pilot and edition).
        report = load_for_report(
            opts,
            cities=[ident] if kind is Kind.city else None,
            city=ident if kind is Kind.city else None,
            cohort=ident if kind is Kind.cohort else None,
            pilot=ident if kind is Kind.pilot else None,
        )
        programme = report.loaded.programme
        progress = programme_progress(programme, opts.today())
        view: RenderableType
        if kind is Kind.city:
            found = [(c, cp) for c, cp in iter_cities(progress) if cp.city.id == ident]
            view = tables.city_view(programme, *found[0])
        elif kind is Kind.cohort:
            cohorts = [c for c in progress.cohorts if c.cohort.id == ident]
            view = tables.cohort_view(cohorts[0])
        else:
            twins = [(c, cp) for c, cp in iter_cities(progress) if cp.city.pilot == ident]
            view = _with_left_out(
                tables.pilot_view(programme.pilots[ident], twins), report.left_out, ident
            )
        print_view(console(opts, wrap=True), view)


def _with_left_out(view: RenderableType, left_out: Sequence[LeftOut], pilot: str) -> RenderableType:
    """A pilot's view (`tables.pilot_view`), saying which cities paired with it (or that may
    be) are left out: never that no Twin City is paired with it when one is left out."""
    from rich.console import Group
    from rich.text import Text

    from twincli.cli.fitted import FittedTable
    from twincli.progress.leftout import paired

    found = paired(left_out, pilot)
    notes = []
    if found.own:
        notes.append(_left_out_note(found.own, "paired city", "paired cities"))
    if found.with_cohort:
        count = len(found.with_cohort)
        cities = "paired city" if count == 1 else "paired cities"
        notes.append(
            f"({count} {cities} left out with {'its' if count == 1 else 'their'} cohort: "
            f"{_and(found.with_cohort)})"
        )
    if found.unknown:
        notes.append(
            _left_out_note(
                found.unknown,
                "city that may be paired with it",
                "cities that may be paired with it",
            )
        )
    notes += [
        f"(its Twin Cities are not known: {entry.reason})"
        for entry in left_out
        if entry.kind == "folder" and entry.id in ("cities", "cohorts")
    ]
    if not notes or not isinstance(view, Group):
        return view
    parts = list(view.renderables)
    if not any(isinstance(part, FittedTable) for part in parts):  # "No Twin City is paired ..."
        parts = parts[:-1]
    return Group(*parts, *(Text(note, style="dim") for note in notes))


def _left_out_note(ids: Sequence[str], one: str, many: str) -> str:
    """`(1 paired city left out: belfast has errors)`"""
    if len(ids) == 1:
        return f"(1 {one} left out: {ids[0]} has errors)"
    return f"({len(ids)} {many} left out: {_and(ids)} have errors)"


def _and(ids: Sequence[str]) -> str:
    """`a, b and c`; after the first five, how many more."""
    if len(ids) > LEFT_OUT_NAMED:
        return ", ".join(ids[:LEFT_OUT_NAMED]) + f" and {len(ids) - LEFT_OUT_NAMED} more"
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + f" and {ids[-1]}"
