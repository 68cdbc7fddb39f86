"""`twincli new city|cohort|pilot ID`: a new file from a template, valid from the start."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from twincli.cli import edits
from twincli.cli.common import Options, options, reporting_errors
from twincli.cli.edits import LinkOption, PlaceOption, TimeOption, TitleOption
from twincli.cli.values import choice, parse_date
from twincli.errors import UsageError

new_app = typer.Typer(
    name="new",
    help="Create a city, cohort or pilot file from a template, valid from the start, or add "
    "a session to a cohort.",
    no_args_is_help=True,
    add_completion=False,
)

CityIdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="Its id, which is its file name (e.g. eskisehir).")
]
CohortIdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="Its id, which is its file name (e.g. cohort-3).")
]
PilotIdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="Its id, which is its file name (e.g. urbanew).")
]


class PilotKind(StrEnum):
    pilot_activity = "pilot-activity"
    mission_city = "mission-city"


@new_app.command("city")
def city(
    ctx: typer.Context,
    ident: CityIdArgument,
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="NAME", help="Its name, as the city spells it."),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", metavar="CC", help="ISO 3166-1 alpha-2 code.")
    ] = None,
    cohort: Annotated[
        str | None, typer.Option("--cohort", metavar="ID", help="Its cohort.")
    ] = None,
    pilot: Annotated[
        str | None, typer.Option("--pilot", metavar="ID", help="The pilot it is paired with.")
    ] = None,
) -> None:
    """A new Twin City: cities/ID.yaml, with its edition's outputs not started."""
    from twincli.edit.scaffold import check_new, new_city

    opts = options(ctx)
    with reporting_errors():
        check_new(opts.root(), "city", ident)
        cohorts, pilots = _ids(opts, "cohorts"), _ids(opts, "pilots")
        name, country, cohort, pilot = _fill_in(
            [
                ("--name", name, "Name (as the city spells it)", None),
                ("--country", country, "Country (ISO 3166-1 alpha-2 code, e.g. ES)",
                 edits.country_code),
                ("--cohort", _meant(opts, "cohorts", cohort),
                 f"Cohort ({edits.choices_text(cohorts)})", edits.one_of_ids("cohort", cohorts)),
                ("--pilot", _meant(opts, "pilots", pilot),
                 f"Pilot it is paired with ({edits.choices_text(pilots)})",
                 edits.one_of_ids("pilot", pilots)),
            ]
        )  # fmt: skip
        edits.run_change(
            opts,
            lambda loaded: new_city(
                loaded, ident, name=name, country=country, cohort=cohort, pilot=pilot
            ),
            cities=(),
        )


@new_app.command("cohort")
def cohort(
    ctx: typer.Context,
    ident: CohortIdArgument,
    edition: Annotated[
        str | None,
        typer.Option("--edition", metavar="ID", help="The edition it follows (programme.yaml)."),
    ] = None,
    start: Annotated[
        date | None,
        typer.Option("--start", parser=parse_date, metavar="YYYY-MM-DD", help="Its first day."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="Its name, e.g. 'Cohort 3'.")
    ] = None,
) -> None:
    """A new cohort: cohorts/ID.yaml, with an example of its schedule."""
    from twincli.edit.scaffold import check_new, new_cohort

    opts = options(ctx)
    with reporting_errors():
        check_new(opts.root(), "cohort", ident)
        editions = _editions(opts)
        edition_id, start_text = _fill_in(
            [
                ("--edition", edition, f"Edition ({edits.choices_text(editions)})",
                 edits.one_of_ids("edition", editions) if editions else None),
                ("--start", start.isoformat() if start else None, "Start (YYYY-MM-DD)",
                 edits.a_date),
            ]
        )  # fmt: skip
        first_day = _date(start_text, "--start")
        edits.run_change(
            opts,
            lambda loaded: new_cohort(
                loaded, ident, edition=edition_id, start=first_day, title=title
            ),
            cities=(),
        )


@new_app.command("pilot")
def pilot(
    ctx: typer.Context,
    ident: PilotIdArgument,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The activity's full name.")
    ] = None,
    cities: Annotated[
        list[str] | None,
        typer.Option(
            "--city",
            metavar="NAME:CC",
            help="A city that runs it, with its country code (repeat for each city).",
        ),
    ] = None,
    acronym: Annotated[
        str | None,
        typer.Option("--acronym", metavar="TEXT", help="Its short name, e.g. URBANEW."),
    ] = None,
    kind: Annotated[
        PilotKind,
        choice(
            "--kind",
            choices=PilotKind,
            help="A Pilot City activity or a Mission City.",
        ),
    ] = PilotKind.pilot_activity,
) -> None:
    """A new pilot: pilots/ID.yaml, the partner Twin Cities learn from."""
    from twincli.edit.scaffold import check_new, new_pilot

    opts = options(ctx)
    with reporting_errors():
        check_new(opts.root(), "pilot", ident)
        title_text, first_city = _fill_in(
            [
                ("--title", title, "Title (the activity's full name)", None),
                ("--city", cities[0] if cities else None, "A city that runs it (Name:CC)", None),
            ]
        )
        pairs = [_city(text) for text in (cities or [first_city])]
        edits.run_change(
            opts,
            lambda loaded: new_pilot(
                loaded, ident, title=title_text, cities=pairs, acronym=acronym, kind=kind.value
            ),
            cities=(),
        )


@new_app.command("event")
def event(
    ctx: typer.Context,
    cohort: Annotated[str, typer.Argument(metavar="COHORT", help="The cohort's id.")],
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="The session's id (e.g. seminar-funding).")
    ],
    activity: Annotated[
        str | None,
        typer.Option("--activity", metavar="ID", help="Which of the edition's activities."),
    ] = None,
    day: Annotated[
        date | None,
        typer.Option("--date", parser=parse_date, metavar="YYYY-MM-DD", help="Its day."),
    ] = None,
    title: TitleOption = None,
    time: TimeOption = None,
    place: PlaceOption = None,
    link: LinkOption = None,
) -> None:
    """A new session in a cohort's schedule: an event of cohorts/COHORT.yaml."""
    from twincli.edit.events import new_event

    opts = options(ctx)
    with reporting_errors():
        cohort = edits.meant_id(opts, "cohorts", cohort)
        sessions = _sessions(opts, cohort) if activity is None and edits.interactive() else []
        activity_id, day_text = _fill_in(
            [
                ("--activity", activity, f"Activity ({edits.choices_text(sessions)})",
                 edits.one_of_ids("activity", sessions) if sessions else None),
                ("--date", day.isoformat() if day else None, "Date (YYYY-MM-DD)", edits.a_date),
            ]
        )  # fmt: skip
        on = _date(day_text, "--date")
        edits.run_change(
            opts,
            lambda loaded: new_event(
                loaded,
                cohort,
                ident,
                activity=activity_id,
                day=on,
                title=title,
                time=time,
                place=place,
                link=link,
            ),
            cities=(),
        )


def _ids(opts: Options, kind: str) -> list[str]:
    from twincli.read.loader import list_sources

    sources, _ = list_sources(opts.root())
    return sorted(source.id for source in sources if source.kind == kind)


def _editions(opts: Options) -> list[str]:
    from twincli.read.loader import load_programme

    return sorted(load_programme(opts.root(), cities=()).programme.editions)


def _sessions(opts: Options, cohort: str) -> list[str]:
    """The activities of `cohort`'s edition that are sessions (site visits are not), in the
    edition's order; none when the cohort or its edition cannot be read (the change then
    says why)."""
    from twincli.read.loader import load_programme

    programme = load_programme(opts.root(), cities=()).programme
    found = programme.cohorts.get(cohort)
    edition = programme.editions.get(found.edition) if found is not None else None
    if edition is None:
        return []
    return [a for a in edition.activities if a != "site-visit"]


def _meant(opts: Options, kind: str, typed: str | None) -> str | None:
    return None if typed is None else edits.meant_id(opts, kind, typed)


def _fill_in(fields: list[tuple[str, str | None, str, edits.Check | None]]) -> list[str]:
    """`edits.fill_in`, where input ending (Ctrl-D) before every question was answered is a
    usage error that writes nothing, and Ctrl-C at a question an interrupt (Typer would end
    both with `Aborted.`, exit 1)."""
    try:
        return edits.fill_in(fields)
    except typer.Abort as exc:
        typer.echo()  # end the question's line
        # The prompt raises Abort from the EOFError or KeyboardInterrupt it caught.
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        asked = ", ".join(option for option, value, _, _ in fields if value is None)
        raise UsageError(
            "input ended before every question was answered; nothing was written (the "
            f"answers can be given as options: {asked})"
        ) from None


def _date(text: str, option: str) -> date:
    try:
        return parse_date(text)
    except typer.BadParameter as exc:
        raise UsageError(f"{option}: {exc.message}") from None


def _city(text: str) -> tuple[str, str]:
    """`Espoo:FI` -> (Espoo, FI)."""
    name, colon, code = text.rpartition(":")
    if not colon or not name.strip() or not code.strip():
        raise UsageError(f"--city {text!r}: write the city as NAME:CC, e.g. 'Espoo:FI'")
    return name.strip(), code.strip()
