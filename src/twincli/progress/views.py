"""The views of the report commands: the figures each shows, and what they leave out.

One function per view: `status`, `deadlines`, `history`, `city`, `cohort`, `event` and `pilot`
(`show`), `tables` (`export csv`), `model` (`export json` and `ics`), `valid_model` (`render`).
Each loads the programme folder as its view needs, looks up the ids it is asked for, and
returns its figures with `Gaps`: how many errors the data has, what the figures leave out and
what they show though its files have errors (`twincli.progress.leftout`). Problems in the
data do not stop a view (but for `render`, which needs valid data).

None of them prints or exits. An id the folder does not have raises `UnknownIdError`; one it
has, but whose data errors leave it out, `LeftOutError` (exit code 1); a city asked for in a
cohort it is not in, `UsageError`; data with errors, where the view needs valid data,
`InvalidDataError` (exit code 1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import NoReturn

from twincli.diagnostics import Diagnostic
from twincli.errors import InvalidDataError, LeftOutError, UsageError, unknown_id
from twincli.model import Pilot, Programme
from twincli.progress import leftout, standing
from twincli.progress.history import CohortHistory, Every
from twincli.progress.history import history as history_of
from twincli.progress.leftout import Kind, LeftOut
from twincli.progress.past import Past, as_it_stood
from twincli.progress.standing import (
    CityProgress,
    CohortProgress,
    Deadline,
    EventAttendance,
    ProgrammeProgress,
)
from twincli.read.loader import Loaded, load_programme

NAMED = 5
"""A list of what is left out names this many, then says how many more."""

LATER = "TC405"
"""The code of a fact dated after the as-of day: an error to `validate`, but to a report a
fact of the future, left out of the day's figures (`progress.past`)."""


@dataclass(frozen=True, slots=True)
class Gaps:
    """What the figures of a view lack, and why."""

    errors: int
    """How many errors the data has (as `twincli validate` counts them)."""
    left_out: tuple[LeftOut, ...] = ()
    """What the view would show, but errors in the data leave out."""
    with_errors: tuple[LeftOut, ...] = ()
    """What the view shows all the same, though its own files have errors."""
    model: bool = False
    """Whether the view is of the records as loaded (`export json`), not of the figures."""
    past: Past | None = None
    """What an as-of day before some of the data's facts leaves out, and what it cannot
    date; None when the data has nothing after the day."""

    def warning(self) -> str | None:
        """`the data has 1 error; figures may be incomplete (run `twincli validate`); left
        out: city belfast (cities/belfast.yaml has 1 error)`, or None when nothing is
        amiss."""
        if not self.errors and not self.left_out:
            return None
        s = "s" if self.errors != 1 else ""
        line = (
            f"the data has {self.errors} error{s}; figures may be incomplete "
            "(run `twincli validate`)"
        )
        if self.left_out:
            line += "; left out: " + _named(self.left_out, model=self.model)
        if self.with_errors:
            line += "; shown with errors: " + _named(self.with_errors)
        return line


def _named(entries: Sequence[LeftOut], *, model: bool = False) -> str:
    listed = [leftout.described(entry, model=model) for entry in entries[:NAMED]]
    more = len(entries) - NAMED
    return ", ".join(listed) + (f" and {more} more" if more > 0 else "")


# --- the views ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusView:
    """`twincli status`: the progress of the programme, of a cohort or of a city."""

    loaded: Loaded
    progress: ProgrammeProgress
    """Narrowed to the cohort and the city asked for, with totals over what is kept."""
    gaps: Gaps


def status(
    root: Path,
    as_of: date,
    *,
    cohort: str | None = None,
    city: str | None = None,
    cache: bool | None = None,
) -> StatusView:
    """Progress as of the day, of the whole programme or of `cohort` and/or `city`. Only
    `city`'s file is read when it is asked for (with the shared files)."""
    cities = None if city is None else [city]
    loaded, gaps = _load(root, as_of, cache, cities=cities, cohort=cohort, city=city)
    progress = standing.programme_progress(loaded.programme, as_of)
    return StatusView(loaded, standing.select(progress, cohort, city), gaps)


@dataclass(frozen=True, slots=True)
class DeadlinesView:
    """`twincli deadlines`: what is due or overdue, soonest first."""

    loaded: Loaded
    as_of: date
    deadlines: list[Deadline]
    gaps: Gaps


def deadlines(
    root: Path,
    as_of: date,
    *,
    cohort: str | None = None,
    city: str | None = None,
    within: int | None = None,
    overdue: bool = False,
    cache: bool | None = None,
) -> DeadlinesView:
    """What is due or overdue as of the day (`standing.deadlines`), of `cohort` and/or
    `city`: only what is overdue or due `within` days, only what is `overdue`."""
    loaded, gaps = _load(root, as_of, cache, cohort=cohort, city=city)
    progress = standing.select(standing.programme_progress(loaded.programme, as_of), cohort, city)
    found = standing.deadlines(progress, within=within, overdue_only=overdue)
    return DeadlinesView(loaded, as_of, found, gaps)


@dataclass(frozen=True, slots=True)
class HistoryView:
    """`twincli history`: each cohort's figures at each step from its start, and its plan."""

    loaded: Loaded
    as_of: date
    cohorts: tuple[CohortHistory, ...]
    gaps: Gaps


def history(
    root: Path,
    as_of: date,
    *,
    cohort: str | None = None,
    every: Every = "month",
    cache: bool | None = None,
) -> HistoryView:
    """Progress over time (`progress.history`), of every cohort or of `cohort`. Each step
    takes the data back to its day, so the figures of the as-of day are those of `status`."""
    loaded, gaps = _load(root, as_of, cache, cohort=cohort)
    found = history_of(loaded.programme, as_of, cohort=cohort, every=every)
    return HistoryView(loaded, as_of, found, gaps)


@dataclass(frozen=True, slots=True)
class CityView:
    """`twincli show city ID`."""

    loaded: Loaded
    cohort: CohortProgress
    city: CityProgress
    gaps: Gaps


def city(root: Path, as_of: date, ident: str, *, cache: bool | None = None) -> CityView:
    """One city's progress as of the day; only its file is read (with the shared files)."""
    loaded, gaps = _load(root, as_of, cache, cities=[ident], city=ident)
    progress = standing.programme_progress(loaded.programme, as_of)
    found = [(c, cp) for c, cp in standing.iter_cities(progress) if cp.city.id == ident]
    return CityView(loaded, *found[0], gaps)


@dataclass(frozen=True, slots=True)
class CohortView:
    """`twincli show cohort ID`."""

    loaded: Loaded
    cohort: CohortProgress
    gaps: Gaps


def cohort(root: Path, as_of: date, ident: str, *, cache: bool | None = None) -> CohortView:
    """One cohort's progress as of the day, with each of its cities'."""
    loaded, gaps = _load(root, as_of, cache, cohort=ident)
    progress = standing.programme_progress(loaded.programme, as_of)
    found = [c for c in progress.cohorts if c.cohort.id == ident]
    return CohortView(loaded, found[0], gaps)


@dataclass(frozen=True, slots=True)
class EventView:
    """`twincli show event COHORT ID`."""

    loaded: Loaded
    cohort: CohortProgress
    attendance: EventAttendance
    gaps: Gaps


def event(
    root: Path, as_of: date, cohort_id: str, ident: str, *, cache: bool | None = None
) -> EventView:
    """One session of a cohort: who of its active cities attended it, and who did not."""
    view = cohort(root, as_of, cohort_id, cache=cache)
    found = view.cohort.cohort.events.get(ident)
    if found is None:
        events = view.cohort.cohort.events
        raise unknown_id("event", ident, events, where=cohort_id)
    attendance = standing.event_attendance(view.cohort, found)
    return EventView(view.loaded, view.cohort, attendance, view.gaps)


@dataclass(frozen=True, slots=True)
class PilotView:
    """`twincli show pilot ID`."""

    loaded: Loaded
    pilot: Pilot
    twins: tuple[tuple[CohortProgress, CityProgress], ...]
    """The Twin Cities paired with it, with their cohorts, in report order."""
    notes: tuple[str, ...]
    """What the view says of the cities that errors leave out, paired with it or that may
    be: never that no Twin City is paired with it when one is left out."""
    gaps: Gaps


def pilot(root: Path, as_of: date, ident: str, *, cache: bool | None = None) -> PilotView:
    """A pilot activity and the progress of each Twin City paired with it."""
    loaded, gaps = _load(root, as_of, cache, pilot=ident)
    progress = standing.programme_progress(loaded.programme, as_of)
    twins = tuple((c, cp) for c, cp in standing.iter_cities(progress) if cp.city.pilot == ident)
    notes = _pilot_notes(gaps.left_out, ident)
    return PilotView(loaded, loaded.programme.pilots[ident], twins, notes, gaps)


def _pilot_notes(left_out: Sequence[LeftOut], pilot: str) -> tuple[str, ...]:
    """`(1 paired city left out: belfast has errors)`, and the like."""
    found = leftout.paired(left_out, pilot)
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
    return tuple(notes)


def _left_out_note(ids: Sequence[str], one: str, many: str) -> str:
    """`(1 paired city left out: belfast has errors)`"""
    if len(ids) == 1:
        return f"(1 {one} left out: {ids[0]} has errors)"
    return f"({len(ids)} {many} left out: {_and(ids)} have errors)"


def _and(ids: Sequence[str]) -> str:
    """`a, b and c`; after the first `NAMED`, how many more."""
    if len(ids) > NAMED:
        return ", ".join(ids[:NAMED]) + f" and {len(ids) - NAMED} more"
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + f" and {ids[-1]}"


@dataclass(frozen=True, slots=True)
class TablesView:
    """`twincli export csv`: the records and their progress, narrowed alike."""

    loaded: Loaded
    programme: Programme
    """Only the cohort and the city asked for, and the pilots of its cities (`narrow`)."""
    progress: ProgrammeProgress
    gaps: Gaps


def tables(
    root: Path,
    as_of: date,
    *,
    cohort: str | None = None,
    city: str | None = None,
    cache: bool | None = None,
) -> TablesView:
    """The programme and its progress as of the day, of `cohort` and/or `city`."""
    from twincli.export.scope import narrow

    loaded, gaps = _load(root, as_of, cache, cohort=cohort, city=city)
    progress = standing.select(standing.programme_progress(loaded.programme, as_of), cohort, city)
    return TablesView(loaded, narrow(loaded.programme, cohort, city), progress, gaps)


@dataclass(frozen=True, slots=True)
class ModelView:
    """`twincli export json` and `ics`: the records as loaded, not their figures."""

    loaded: Loaded
    programme: Programme
    """Only the cohort and the city asked for, and the pilots of its cities (`narrow`)."""
    gaps: Gaps


def model(
    root: Path,
    as_of: date,
    *,
    cohort: str | None = None,
    city: str | None = None,
    cache: bool | None = None,
) -> ModelView:
    """The records of the programme, of `cohort` and/or `city`. What errors leave out of the
    model counts (a file with errors, an edition), not what the figures alone leave out (a
    cohort whose edition does not exist is still a record)."""
    from twincli.export.scope import narrow

    loaded, gaps = _load(root, as_of, cache, cohort=cohort, city=city, model=True)
    return ModelView(loaded, narrow(loaded.programme, cohort, city), gaps)


def valid_model(root: Path, as_of: date, *, cache: bool | None = None) -> Programme:
    """The whole programme, when its data has no errors (else `InvalidDataError`, with
    them): reports are never rendered from a folder that does not validate (a broken city
    file would otherwise look like a city whose reports should be removed). A fact dated
    after the day is no error here: a report as of a day leaves it out (`Renderer.plan`
    takes the programme to the day of each report)."""
    from twincli.check.validate import validate_folder

    result = validate_folder(root, as_of, cache=cache)
    errors = [d for d in result.diagnostics if d.is_error and d.code != LATER]
    if errors:
        raise InvalidDataError(errors)
    return result.loaded.programme


# --- loading, looking up --------------------------------------------------------------------


def _load(
    root: Path,
    as_of: date,
    cache: bool | None,
    *,
    cities: Collection[str] | None = None,
    cohort: str | None = None,
    city: str | None = None,
    pilot: str | None = None,
    model: bool = False,
) -> tuple[Loaded, Gaps]:
    """Load the folder for a view of the whole programme, or of `cohort`, `city` or `pilot`,
    and find what its figures lack. With `cities` (ids), only those cities are read, with
    the shared files (`load_programme`), and the errors are counted as `validate` finds
    them, a city at a time (with the cache, from what it found before). `model`: the view
    is the records as loaded."""
    loaded = load_programme(root, cache=cache, cities=cities)
    found: Iterable[Diagnostic]
    if cities is None:
        from twincli.check import rules
        from twincli.check.causes import with_causes

        found = with_causes(
            [*loaded.diagnostics, *rules.check(loaded.programme, as_of, loaded.programme_ok)]
        )
    else:
        from twincli.check.validate import check_folder

        found = check_folder(root, as_of, cache=cache).diagnostics
    errors = Counter(d.location.file for d in found if d.is_error and d.code != LATER)
    everything = leftout.left_out(loaded, errors, cities)
    _look_up(loaded, everything, cohort, city, pilot, model)
    if everything and (cohort is not None or pilot is not None):
        everything = leftout.placed(root, everything)  # which cohort, which pilot
    pilots = None
    if model and (cohort is not None or city is not None):
        pilots = {
            c.pilot
            for c in loaded.programme.cities.values()
            if c.id == city or (city is None and c.cohort == cohort)
        }
    shown = leftout.in_view(
        everything, cohort=cohort, city=city, pilot=pilot, model=model, pilots=pilots
    )
    flawed = leftout.with_errors(loaded, errors, everything, cohort=cohort, city=city, pilot=pilot)
    then = as_it_stood(loaded.programme, as_of)
    gaps = Gaps(
        sum(errors.values()), tuple(shown), tuple(flawed), model, then if then.later else None
    )
    return replace(loaded, programme=then.programme), gaps


def _look_up(
    loaded: Loaded,
    entries: list[LeftOut],
    cohort: str | None,
    city: str | None,
    pilot: str | None,
    model: bool,
) -> None:
    """Check that the cohort, city and pilot asked for are in the view."""
    programme = loaded.programme
    marks = programme.marks
    if cohort is not None:
        own_cohort = programme.cohorts.get(cohort)
        # a cohort whose edition is not in the model has no place in progress
        if own_cohort is None or (not model and own_cohort.edition not in programme.editions):
            _missing(entries, "cohort", cohort, marks.ids("cohorts"))
    if pilot is not None and pilot not in programme.pilots:
        _missing(entries, "pilot", pilot, marks.ids("pilots"))
    if city is not None:
        found = programme.cities.get(city)
        own = programme.cohorts.get(found.cohort) if found is not None else None
        if own is None or (not model and own.edition not in programme.editions):
            _missing(entries, "city", city, marks.ids("cities"))
        elif cohort is not None and own.id != cohort:
            raise UsageError(f"no city '{city}' in {cohort} (it is in {own.id})")


def _missing(entries: list[LeftOut], kind: Kind, ident: str, known: Collection[str]) -> NoReturn:
    """Stop for a `kind` `ident` that is not in the view: left out, or unknown."""
    entry = leftout.concerning(entries, kind, ident)
    if entry is None:
        raise unknown_id(kind, ident, known)
    raise LeftOutError(leftout.why(entry, kind, ident), kind, ident, entry.file)
