"""Progress over time: a cohort's figures at each step from its start, next to its plan.

Each step is the cohort as its dated facts say it stood on that day (`past.as_it_stood`), so
a step in the past reads as a report of that day would have. The plan beside it is what the
edition asks for by then: the outputs and milestones due, the sessions held, and the funded
site visits pro rata of the cohort's time gone by.

Steps fall every month (or week) from the cohort's start, up to its end or the as-of day, with
the as-of day itself last (`to_the_day`): the cohort report's burn-up chart leaves it out, so
that the chart changes only when a month ends.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from twincli.model import City, Cohort, Programme
from twincli.progress.past import as_it_stood
from twincli.progress.standing import CohortProgress, cohort_progress
from twincli.schedule import add_months, cohort_end

Every = Literal["week", "month"]


@dataclass(frozen=True, slots=True)
class Step:
    """A cohort's figures on one day, over the cities active then, and its plan."""

    day: date
    month: int
    """The month of the programme the day falls in."""
    cities: int
    """Active cities on the day."""
    approved: int
    """Outputs approved."""
    due: int
    """Outputs due by the day, of all active cities (the plan for `approved`)."""
    reached: int
    """Milestones reached."""
    milestones_due: int
    """Milestones due by the day, of all active cities."""
    attended: int
    """Sessions attended."""
    held: int
    """Sessions held by the day that the cities were expected at (the plan for `attended`)."""
    visits: int
    """Site visits made."""
    funded: float
    """The funded site visits pro rata of the cohort's time gone by (to one decimal)."""
    overdue: int
    """Outputs overdue."""
    behind: int
    at_risk: int


@dataclass(frozen=True, slots=True)
class CohortHistory:
    """A cohort and its steps (none before it starts)."""

    cohort: Cohort
    steps: tuple[Step, ...]


def history(
    programme: Programme,
    as_of: date,
    *,
    cohort: str | None = None,
    every: Every = "month",
    to_the_day: bool = True,
) -> tuple[CohortHistory, ...]:
    """The steps of every cohort whose edition is known (by start, then id), or of `cohort`."""
    members: dict[str, list[City]] = {}
    for city in sorted(programme.cities.values(), key=lambda c: c.id):
        members.setdefault(city.cohort, []).append(city)
    found = []
    for each in sorted(programme.cohorts.values(), key=lambda c: (c.start, c.id)):
        if cohort not in (None, each.id) or each.edition not in programme.editions:
            continue
        own = members.get(each.id, [])
        # only its cities are taken back to each day: the cost is its cities times its steps
        alone = replace(programme, cities={c.id: c for c in own})
        steps = tuple(
            _step(alone, each, day)
            for day in step_days(each, programme, as_of, every, to_the_day=to_the_day)
        )
        found.append(CohortHistory(each, steps))
    return tuple(found)


def step_days(
    cohort: Cohort, programme: Programme, as_of: date, every: Every, *, to_the_day: bool = True
) -> list[date]:
    """The cohort's start, then every month (or week) after it, up to its end or `as_of`,
    whichever comes first, which ends the list when `to_the_day`."""
    end = cohort_end(cohort, programme.editions.get(cohort.edition))
    last = as_of if end is None else min(as_of, end)
    if last < cohort.start:
        return []
    days = list(_every(cohort.start, last, every))
    if to_the_day and days[-1] != last:
        days.append(last)
    return days


def _every(start: date, last: date, every: Every) -> Iterator[date]:
    """`start`, then every month or week, up to `last` (and never past the calendar's end,
    where `add_months` clamps)."""
    previous = None
    for n in itertools.count():
        try:
            day = add_months(start, n) if every == "month" else start + timedelta(weeks=n)
        except OverflowError:
            return
        if day > last or day == previous:
            return
        yield day
        previous = day


def _step(alone: Programme, cohort: Cohort, day: date) -> Step:
    then = as_it_stood(alone, day).programme
    progress = cohort_progress(then, cohort, day, list(then.cities.values()))
    return step_of(progress)


def step_of(progress: CohortProgress) -> Step:
    """The figures and the plan of a cohort's progress on its day."""
    day = progress.as_of
    active = [c for c in progress.cities if c.active]
    due = sum(1 for c in active for o in c.outputs.values() if o.due is not None and o.due <= day)
    milestones_due = sum(
        1 for c in active for m in c.milestones.values() if m.due is not None and m.due <= day
    )
    health = Counter(c.health for c in active)
    totals = progress.totals
    return Step(
        day=day,
        month=progress.month,
        cities=totals.cities,
        approved=totals.outputs.get("approved", 0),
        due=due,
        reached=totals.milestones.done,
        milestones_due=milestones_due,
        attended=totals.activities.done,
        held=totals.activities.held,
        visits=totals.visits.done,
        funded=round(totals.visits.funded * _gone_by(progress), 1),
        overdue=totals.overdue,
        behind=health["behind"],
        at_risk=health["at-risk"],
    )


def _gone_by(progress: CohortProgress) -> float:
    """The share of the cohort's time gone by on its day, from 0 to 1."""
    if progress.end is None or progress.end <= progress.start:
        return 1.0
    share = (progress.as_of - progress.start).days / (progress.end - progress.start).days
    return min(max(share, 0.0), 1.0)


# --- as text ---------------------------------------------------------------------------------

HEADER = (
    "Day",
    "Cities",
    "Outputs",
    "Miles",
    "Sessions",
    "Visits",
    "Late",
    "Behind",
    "At risk",
)
"""The columns of `rows`, for a table or Markdown: each figure over its plan."""

CSV_HEADER = (
    "cohort",
    "day",
    "month",
    "cities",
    "outputs_approved",
    "outputs_due",
    "milestones_reached",
    "milestones_due",
    "sessions_attended",
    "sessions_held",
    "visits_done",
    "visits_funded",
    "overdue",
    "behind",
    "at_risk",
)
"""The columns of `csv_rows`: a figure and its plan each in a column of its own."""


def rows(steps: Sequence[Step]) -> list[list[str]]:
    """The steps as text, one row each, in the order of `HEADER`."""
    return [
        [
            s.day.isoformat(),
            str(s.cities),
            f"{s.approved}/{s.due}",
            f"{s.reached}/{s.milestones_due}",
            f"{s.attended}/{s.held}",
            f"{s.visits}/{s.funded:.1f}",
            str(s.overdue),
            str(s.behind),
            str(s.at_risk),
        ]
        for s in steps
    ]


def csv_rows(cohorts: Sequence[CohortHistory]) -> list[list[str]]:
    """Every cohort's steps, one row each, in the order of `CSV_HEADER`."""
    return [
        [
            c.cohort.id,
            s.day.isoformat(),
            str(s.month),
            str(s.cities),
            str(s.approved),
            str(s.due),
            str(s.reached),
            str(s.milestones_due),
            str(s.attended),
            str(s.held),
            str(s.visits),
            f"{s.funded:.1f}",
            str(s.overdue),
            str(s.behind),
            str(s.at_risk),
        ]
        for c in cohorts
        for s in c.steps
    ]
