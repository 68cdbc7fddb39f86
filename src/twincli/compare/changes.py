"""What changed in the records, in programme terms: an output approved, a visit done, a city
withdrawn, a session moved. Pure functions of the two models and the files that differ.

A change is a `Change`: a stable `kind` for scripts and a sentence for people. The changes
of one record (a city, a cohort, a pilot, programme.yaml) are gathered in a `RecordChanges`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from twincli.model import City, CityOutput, Cohort, Event, Pilot, Programme, Visit

Kind = Literal["programme", "cohort", "pilot", "city"]
State = Literal["added", "removed", "changed"]

STATUS_DAY = {
    "drafting": "started",
    "submitted": "submitted",
    "needs-revision": "revision_requested",
    "approved": "approved",
}
"""The date field that says when an output reached each state."""


@dataclass(frozen=True, slots=True)
class Change:
    """One change to a record: what kind of change (`output`, `visit-done`, `attended`...:
    the list is in docs/diff.md) and a sentence that says it."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class RecordChanges:
    """A record added, removed or changed, and how."""

    kind: Kind
    id: str
    name: str
    """What people call it: the city's or pilot's name, the cohort's title, else its id."""
    file: str
    state: State
    changes: tuple[Change, ...]


def record_changes(
    before: Programme, after: Programme, files: Iterable[str]
) -> list[RecordChanges]:
    """The records of the `files` that differ between the two models, with their changes,
    programme.yaml first, then cohorts, pilots and cities, each by id. A file that one side
    could not read is not among `files` (its record would seem added or removed)."""
    found: list[RecordChanges] = []
    for path in sorted(files, key=_file_order):
        kind, _, name = path.partition("/")
        ident = name.removesuffix(".yaml")
        if path == "programme.yaml":
            changes = tuple(_programme(before, after))
            if changes:
                found.append(RecordChanges("programme", "", after.name, path, "changed", changes))
        elif kind == "cohorts":
            found += _compared("cohort", path, before.cohorts.get(ident),
                               after.cohorts.get(ident), _cohort, _cohort_name)  # fmt: skip
        elif kind == "pilots":
            found += _compared("pilot", path, before.pilots.get(ident), after.pilots.get(ident),
                               _pilot, _pilot_name)  # fmt: skip
        elif kind == "cities":
            old, new = before.cities.get(ident), after.cities.get(ident)
            found += _compared("city", path, old, new,
                               lambda o, n: _city(o, n, before, after), _city_name)  # fmt: skip
    return found


def _file_order(path: str) -> tuple[int, str]:
    kind = path.partition("/")[0]
    return ({"programme.yaml": 0, "cohorts": 1, "pilots": 2}.get(kind, 3), path)


def _compared(
    kind: Kind, path: str, old: Any, new: Any, how: Any, name: Any
) -> list[RecordChanges]:
    ident = path.partition("/")[2].removesuffix(".yaml")
    if old is None and new is None:
        return []
    if old is None:
        return [RecordChanges(kind, ident, name(new), path, "added", tuple(_added(kind, new)))]
    if new is None:
        return [RecordChanges(kind, ident, name(old), path, "removed", ())]
    changes = tuple(how(old, new))
    if not changes:
        return []
    return [RecordChanges(kind, ident, name(new), path, "changed", changes)]


def _added(kind: Kind, record: Any) -> Iterator[Change]:
    """What a new record starts with, in a line."""
    if kind == "city":
        yield Change("city-added", f"in {record.cohort}, paired with {record.pilot}")
    elif kind == "cohort":
        yield Change("cohort-added", f"{record.edition}, from {record.start}")


def _cohort_name(cohort: Cohort) -> str:
    return cohort.title or cohort.id


def _pilot_name(pilot: Pilot) -> str:
    return pilot.acronym or pilot.title


def _city_name(city: City) -> str:
    return city.name


# --- programme.yaml, cohorts, pilots ---------------------------------------------------------


def _programme(old: Programme, new: Programme) -> Iterator[Change]:
    for ident in sorted(set(old.editions) | set(new.editions)):
        was, now = old.editions.get(ident), new.editions.get(ident)
        if was == now:
            continue
        if was is None:
            yield Change("edition-added", f"edition {ident} added")
        elif now is None:
            yield Change("edition-removed", f"edition {ident} removed")
        else:
            yield Change("edition-changed", f"edition {ident}: {_fields(was, now)} changed")
    if old.health != new.health:
        yield Change("health-rules", "health thresholds changed")
    others = _fields(old, new, skip=("editions", "health", "cohorts", "pilots", "cities"))
    if others:
        yield Change("details", f"{others} changed")


def _cohort(old: Cohort, new: Cohort) -> Iterator[Change]:
    if old.start != new.start or old.end != new.end:
        yield Change(
            "cohort-moved",
            f"moved: {_window(old.start, old.end)} → {_window(new.start, new.end)}",
        )
    if old.edition != new.edition:
        yield Change("edition", f"edition {old.edition} → {new.edition}")
    yield from _sessions(old.events, new.events)
    others = _fields(old, new, skip=("start", "end", "edition", "events"))
    if others:
        yield Change("details", f"{others} changed")


def _window(start: date, end: date | None) -> str:
    return f"from {start}" + (f" to {end}" if end else "")


def _sessions(old: Any, new: Any) -> Iterator[Change]:
    for ident in sorted(set(old) | set(new)):
        was: Event | None = old.get(ident)
        now: Event | None = new.get(ident)
        if was == now:
            continue
        if was is None:
            assert now is not None
            yield Change("session-added", f"session {ident} ({now.activity}) on {now.date} added")
        elif now is None:
            yield Change("session-removed", f"session {ident} of {was.date} removed")
        else:
            if was.date != now.date:
                yield Change("session-moved", f"session {ident} moved: {was.date} → {now.date}")
            others = _fields(was, now, skip=("date",))
            if others:
                yield Change("session-changed", f"session {ident}: {others} changed")


def _pilot(old: Pilot, new: Pilot) -> Iterator[Change]:
    was = [c.name for c in old.cities]
    now = [c.name for c in new.cities]
    if was != now:
        yield Change("pilot-cities", f"cities: {', '.join(was)} → {', '.join(now)}")
    others = _fields(old, new, skip=("cities",))
    if others:
        yield Change("details", f"{others} changed")


# --- cities ----------------------------------------------------------------------------------


def _city(old: City, new: City, before: Programme, after: Programme) -> Iterator[Change]:
    if old.cohort != new.cohort:
        yield Change("city-moved", f"moved from {old.cohort} to {new.cohort}")
    if old.pilot != new.pilot:
        yield Change("city-moved", f"paired with {new.pilot} instead of {old.pilot}")
    if old.status != new.status:
        if new.status == "withdrawn":
            yield Change("withdrawn", _withdrawal(new))
        else:
            yield Change("reinstated", "no longer withdrawn")
    elif old.withdrawn != new.withdrawn and new.status == "withdrawn":
        yield Change("withdrawn", _withdrawal(new) + " (changed)")
    yield from _outputs(old, new, after if new.cohort in after.cohorts else before)
    yield from _visits(old.visits, new.visits)
    yield from _attendance(old, new, after.cohorts.get(new.cohort))
    if old.notes != new.notes:
        yield Change("notes", "notes changed")
    if old.contacts != new.contacts:
        yield Change("contacts", "contacts changed")
    others = _fields(
        old,
        new,
        skip=("cohort", "pilot", "status", "withdrawn", "outputs", "visits", "attended",
              "notes", "contacts"),
    )  # fmt: skip
    if others:
        yield Change("details", f"{others} changed")


def _withdrawal(city: City) -> str:
    text = "withdrawn"
    if city.withdrawn is not None and city.withdrawn.date is not None:
        text += f" on {city.withdrawn.date}"
    if city.withdrawn is not None and city.withdrawn.reason:
        text += f": {city.withdrawn.reason}"
    return text


def _outputs(old: City, new: City, programme: Programme) -> Iterator[Change]:
    cohort = programme.cohorts.get(new.cohort)
    edition = programme.editions.get(cohort.edition) if cohort is not None else None
    for ident in sorted(set(old.outputs) | set(new.outputs)):
        was, now = old.outputs.get(ident), new.outputs.get(ident)
        if was == now:
            continue
        spec = edition.outputs.get(ident) if edition is not None else None
        title = (spec.title if spec is not None else None) or ident
        if _state(was) != _state(now):
            yield Change("output", f"{title}: {_state(was)} → {_state(now)}")
        if (was.link if was else None) != (now.link if now else None):
            yield Change("output-link", f"{title}: link " + ("removed" if now is None or
                         now.link is None else f"{now.link}"))  # fmt: skip
        if (was.notes if was else None) != (now.notes if now else None):
            yield Change("output-notes", f"{title}: notes changed")
        if was is not None and now is not None:
            others = _fields(was, now, skip=("status", "link", "notes", *STATUS_DAY.values()))
            if others:
                yield Change("output-changed", f"{title}: {others} changed")


def _state(output: CityOutput | None) -> str:
    """`submitted 2025-05-02`: the output's state and the day it reached it."""
    if output is None:
        return "not listed"
    field = STATUS_DAY.get(output.status)
    day = getattr(output, field) if field else None
    return output.status + (f" {day}" if day else "")


def _visits(old: Sequence[Visit], new: Sequence[Visit]) -> Iterator[Change]:
    """Visits added, removed, or changed: a visit is the one of the other side with the same
    direction and partner city, in order, once those equal on both sides are set aside."""
    was = list(old)
    now = list(new)
    for visit in new:
        if visit in was:
            was.remove(visit)
            now.remove(visit)
    for visit in now:
        match = next(
            (v for v in was if (v.direction, v.city) == (visit.direction, visit.city)), None
        )
        if match is None:
            yield Change("visit-added", f"{_visit(visit)} added ({visit.status})")
            continue
        was.remove(match)
        yield from _visit_changes(match, visit)
    for visit in was:
        yield Change("visit-removed", f"{_visit(visit)} removed")


def _visit(visit: Visit) -> str:
    where = f" ({visit.city})" if visit.city else ""
    return f"site visit {visit.direction}{where} of {_days(visit.start, visit.end)}"


def _days(start: date, end: date | None) -> str:
    return f"{start}" + (f"–{end}" if end and end != start else "")


def _visit_changes(old: Visit, new: Visit) -> Iterator[Change]:
    label = _visit(old)
    if old.status != new.status:
        kinds = {"done": "visit-done", "cancelled": "visit-cancelled"}
        yield Change(kinds.get(new.status, "visit-status"), f"{label}: {old.status} → {new.status}")
    if (old.start, old.end) != (new.start, new.end):
        yield Change(
            "visit-moved",
            f"{label} moved: {_days(old.start, old.end)} → {_days(new.start, new.end)}",
        )
    if old.reimbursed_eur != new.reimbursed_eur:
        yield Change(
            "visit-reimbursed",
            f"{label}: reimbursed {_money(old.reimbursed_eur)} → {_money(new.reimbursed_eur)}",
        )
    others = _fields(old, new, skip=("status", "start", "end", "reimbursed_eur"))
    if others:
        yield Change("visit-changed", f"{label}: {others} changed")


def _money(amount: Any) -> str:
    return "nothing" if amount is None else f"€{amount:,}"


def _attendance(old: City, new: City, cohort: Cohort | None) -> Iterator[Change]:
    events = cohort.events if cohort is not None else {}

    def named(ids: set[str]) -> str:
        ordered = sorted(ids, key=lambda e: (events[e].date, e) if e in events else (date.max, e))
        return ", ".join(f"{e} ({events[e].date})" if e in events else e for e in ordered)

    went, goes = set(old.attended), set(new.attended)
    if goes - went:
        yield Change("attended", f"attended {named(goes - went)}")
    if went - goes:
        yield Change("attendance-removed", f"attendance removed: {named(went - goes)}")


def _fields(old: Any, new: Any, skip: Sequence[str] = ()) -> str:
    """`title, place`: the fields that differ between two records of a kind."""
    return ", ".join(
        f.metadata.get("key", f.name)
        for f in dataclasses.fields(old)
        if f.compare and f.name not in skip and getattr(old, f.name) != getattr(new, f.name)
    )
