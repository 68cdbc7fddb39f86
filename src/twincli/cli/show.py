"""`twincli show city|cohort|pilot ID` and `show event COHORT ID`: one entity in full, with
computed dates and progress."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import console, options, reporting_errors, warn_of_gaps
from twincli.cli.values import one_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import RenderableType


class Kind(StrEnum):
    city = "city"
    cohort = "cohort"
    event = "event"
    pilot = "pilot"


def show(
    ctx: typer.Context,
    kind: Annotated[
        Kind,
        typer.Argument(
            metavar="KIND",
            parser=one_of(Kind),
            help="What to show: city, cohort, event or pilot.",
            show_choices=False,
        ),
    ],
    ident: Annotated[
        str,
        typer.Argument(metavar="ID", help="Its id (its file name); for an event, its cohort's."),
    ],
    event: Annotated[
        str | None,
        typer.Argument(metavar="EVENT", help="For `show event`: the event's id in the cohort."),
    ] = None,
) -> None:
    """One city, cohort, pilot or session in full, with its computed dates and progress.

    `show event COHORT ID`: who of the cohort's cities attended the session, who did not."""
    from twincli.cli import tables
    from twincli.cli.fitted import print_view
    from twincli.progress import views

    opts = options(ctx)
    if (kind is Kind.event) != (event is not None):
        usage = "show event COHORT ID" if kind is Kind.event else f"show {kind} ID"
        raise typer.BadParameter(f"usage: twincli {usage}", param_hint="ID")
    with reporting_errors():
        # The id is looked up as the view is loaded: unknown, or left out by errors in the
        # data, it stops there.
        root, as_of, cache = opts.root(), opts.today(), opts.cache
        shown: RenderableType
        if kind is Kind.city:
            city = views.city(root, as_of, ident, cache=cache)
            warn_of_gaps(city.loaded, city.gaps)
            shown = tables.city_view(city.loaded.programme, city.cohort, city.city)
        elif kind is Kind.cohort:
            cohort = views.cohort(root, as_of, ident, cache=cache)
            warn_of_gaps(cohort.loaded, cohort.gaps)
            shown = tables.cohort_view(cohort.cohort)
        elif kind is Kind.event:
            assert event is not None
            session = views.event(root, as_of, ident, event, cache=cache)
            warn_of_gaps(session.loaded, session.gaps)
            shown = tables.event_view(session.cohort, session.attendance)
        else:
            pilot = views.pilot(root, as_of, ident, cache=cache)
            warn_of_gaps(pilot.loaded, pilot.gaps)
            shown = _with_notes(tables.pilot_view(pilot.pilot, pilot.twins), pilot.notes)
        print_view(console(opts, wrap=True), shown)


def _with_notes(view: RenderableType, notes: Sequence[str]) -> RenderableType:
    """A pilot's view (`tables.pilot_view`) with the notes on the cities left out
    (`views.PilotView.notes`), instead of saying that no Twin City is paired with it."""
    from rich.console import Group
    from rich.text import Text

    from twincli.cli.fitted import FittedTable

    if not notes or not isinstance(view, Group):
        return view
    parts = list(view.renderables)
    if not any(isinstance(part, FittedTable) for part in parts):  # "No Twin City is paired ..."
        parts = parts[:-1]
    return Group(*parts, *(Text(note, style="dim") for note in notes))
