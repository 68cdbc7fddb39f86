"""The programme as it stood on a day: what its dated facts say about that day.

A city file says where things stand now; its dates say since when. On a day before some of
them (`--as-of` in the past), an output counts as approved only from its `approved` date, as
submitted only from its `submitted` date (in revision from `revision_requested`, in drafting
from `started`), a visit as done only once it ended (its claims with it), attendance only for
sessions held by then and a withdrawal only from its date. `as_it_stood` rewrites the records
to that day, so that every figure computed from them (`standing`) is the day's; facts dated
after the day are not errors there, only left out, and counted.

What the data does not date stays as it is now, and is named (`Past.undated`): an output
`drafting` without a `started` date, a cancelled visit that was still to come on the day, a
withdrawal without a date. It is named only when its cohort's data has facts after the day: a
day the data has not gone beyond is its present.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from twincli.model import City, CityOutput, Cohort, OutputStatus, Programme, Visit

_STEPS: tuple[tuple[str, OutputStatus], ...] = (
    ("started", "drafting"),
    ("submitted", "submitted"),
    ("revision_requested", "needs-revision"),
    ("approved", "approved"),
)
"""An output's dates, and the state each begins, in the order they are taken on one day."""


@dataclass(frozen=True, slots=True)
class Past:
    """The programme as it stood on `day`, and what could not be dated."""

    programme: Programme
    day: date
    later: int
    """Facts dated after the day, left out of its figures."""
    undated: tuple[tuple[str, str], ...]
    """What the data does not date, shown as it stands now, by city: `("soria",
    "learning-roadmap drafting (no 'started' date)")`, of the cities whose cohort's data
    has facts after the day."""

    def note(self) -> str | None:
        """`as of 2024-12-01: 57 facts dated later left out; not dated: soria
        learning-roadmap drafting (no 'started' date)`, or None when the data has
        nothing after the day."""
        if not self.later:
            return None
        s = "s" if self.later != 1 else ""
        line = f"as of {self.day}: {self.later} fact{s} dated later left out"
        if self.undated:
            line += "; not dated: " + named(tuple(f"{c} {what}" for c, what in self.undated))
        return line


NAMED = 5
"""A list of what is not dated names this many, then says how many more."""


def named(items: tuple[str, ...]) -> str:
    """The first `NAMED` items, then how many more."""
    more = len(items) - NAMED
    return ", ".join(items[:NAMED]) + (f" and {more} more" if more > 0 else "")


def as_it_stood(programme: Programme, day: date) -> Past:
    """`programme` with every city's records as its dated facts say they were on `day`. What
    a city's data does not date is named when its cohort's cities have facts after the day:
    a cohort's figures (and its report) depend on its own data alone."""
    later: Counter[str] = Counter()
    unknown: list[tuple[str, str, str]] = []
    cities = dict(programme.cities)
    for ident, city in programme.cities.items():
        cohort = programme.cohorts.get(city.cohort)
        then, count, undated = _city_on(city, cohort, day)
        if count:
            cities[ident] = then
            later[city.cohort] += count
        unknown += ((city.cohort, ident, what) for what in undated)
    if not later:
        return Past(programme, day, 0, ())
    named_ones = tuple((ident, what) for cohort, ident, what in unknown if later[cohort])
    return Past(replace(programme, cities=cities), day, later.total(), named_ones)


def _city_on(city: City, cohort: Cohort | None, day: date) -> tuple[City, int, list[str]]:
    """The city as it stood on `day`, how many of its facts are dated later, and what of it
    is not dated."""
    undated: list[str] = []
    outputs = dict(city.outputs)
    later = 0
    for ident, output in city.outputs.items():
        then, count, unknown = _output_on(output, day)
        outputs[ident] = then
        later += count
        if unknown:
            undated.append(f"{ident} {unknown}")
    visits = []
    for visit in city.visits:
        then_visit, count = _visit_on(visit, day)
        visits.append(then_visit)
        later += count
        if visit.status == "cancelled" and visit.start > day:
            undated.append(f"visit of {visit.start} cancelled (no date)")
    events = cohort.events if cohort is not None else {}
    attended = tuple(e for e in city.attended if e not in events or events[e].date <= day)
    later += len(city.attended) - len(attended)
    status, withdrawn = city.status, city.withdrawn
    if status == "withdrawn":
        withdrew = withdrawn.date if withdrawn is not None else None
        if withdrew is None:
            undated.append("withdrawn (no date)")
        elif withdrew > day:
            later += 1
            status, withdrawn = "active", None
    if not later:
        return city, 0, undated
    then_city = replace(
        city,
        outputs=outputs,
        visits=tuple(visits),
        attended=attended,
        status=status,
        withdrawn=withdrawn,
    )
    return then_city, later, undated


def _output_on(output: CityOutput, day: date) -> tuple[CityOutput, int, str | None]:
    """The output as it stood on `day` (its state the one its latest date by then began),
    how many of its dates are later, and what of it is not dated."""
    dated = [(when, state) for name, state in _STEPS if (when := getattr(output, name))]
    later = sum(1 for when, _ in dated if when > day)
    if not later:
        if output.status == "drafting" and output.started is None and not dated:
            return output, 0, "drafting (no 'started' date)"
        return output, 0, None
    # On one day, a state begins after those listed before it; the state now is last.
    rank = {state: i for i, (_, state) in enumerate(_STEPS)}
    rank[output.status] = len(_STEPS)
    began = [(when, rank[state], state) for when, state in dated if when <= day]
    state: OutputStatus = max(began)[2] if began else "not-started"

    def kept(when: date | None) -> date | None:
        return when if when is not None and when <= day else None

    then = replace(
        output,
        status=state,
        started=kept(output.started),
        submitted=kept(output.submitted),
        revision_requested=kept(output.revision_requested),
        approved=kept(output.approved),
    )
    return then, later, None


def _visit_on(visit: Visit, day: date) -> tuple[Visit, int]:
    """A visit marked done that had not ended on `day` was still planned, its claims not
    made: one fact dated later."""
    if visit.status != "done" or (visit.end or visit.start) <= day:
        return visit, 0
    return replace(visit, status="planned", claimed_eur=None, reimbursed_eur=None), 1
