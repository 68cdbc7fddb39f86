"""What a change does to the figures as of a day: outputs and milestones that become overdue
or stop being so, cities whose health changes, and cohort totals before and after. The
figures are `twincli.progress.standing`'s of the records as they stood on the day
(`twincli.progress.past`), as every report shows them, worked out on each side for the
cohorts the change can touch: those of the cities that changed, those whose files changed,
and every cohort when programme.yaml did (it holds the editions and the health thresholds).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from twincli.model import Programme
from twincli.progress.past import as_it_stood
from twincli.progress.standing import (
    CityProgress,
    CohortProgress,
    Health,
    Totals,
    cohort_progress,
    programme_progress,
)


@dataclass(frozen=True, slots=True)
class OverdueChange:
    """An output or milestone of a city that is overdue on one side only."""

    cohort: str
    city: str
    city_name: str
    kind: Literal["output", "milestone"]
    item: str
    title: str
    due: date | None
    overdue: bool
    """True: newly overdue; False: no longer overdue."""


@dataclass(frozen=True, slots=True)
class HealthChange:
    """A city whose health, or the reasons for it, differ between the sides."""

    cohort: str
    city: str
    city_name: str
    before: Health
    after: Health
    reasons_before: tuple[str, ...]
    reasons_after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TotalsChange:
    """A cohort whose totals differ (None on the side that does not have the cohort)."""

    cohort: str
    title: str
    before: Totals | None
    after: Totals | None


@dataclass(frozen=True, slots=True)
class Effects:
    overdue: tuple[OverdueChange, ...]
    health: tuple[HealthChange, ...]
    totals: tuple[TotalsChange, ...]


def effects(
    before: Programme,
    after: Programme,
    as_of: date,
    cohorts: Collection[str] | None,
) -> Effects:
    """The effects as of `as_of` on `cohorts` (ids; None: every cohort)."""
    old = _progress(before, as_of, cohorts)
    new = _progress(after, as_of, cohorts)
    overdue: list[OverdueChange] = []
    health: list[HealthChange] = []
    totals: list[TotalsChange] = []
    for ident in sorted(set(old) | set(new), key=lambda c: _cohort_order(c, old, new)):
        was, now = old.get(ident), new.get(ident)
        if was is not None and now is not None:
            cities = {c.city.id: c for c in was.cities}
            for city in now.cities:
                previous = cities.get(city.city.id)
                if previous is not None:
                    overdue += _overdue(ident, previous, city)
                    if (previous.health, previous.reasons) != (city.health, city.reasons):
                        health.append(
                            HealthChange(ident, city.city.id, city.city.name, previous.health,
                                         city.health, previous.reasons, city.reasons)
                        )  # fmt: skip
        if (was.totals if was else None) != (now.totals if now else None):
            title = (now or was).cohort.title or ident  # type: ignore[union-attr]
            totals.append(
                TotalsChange(ident, title, was.totals if was else None, now.totals if now else None)
            )
    return Effects(tuple(overdue), tuple(health), tuple(totals))


def _progress(
    programme: Programme, as_of: date, cohorts: Collection[str] | None
) -> dict[str, CohortProgress]:
    """The progress of `cohorts` (None: all) as the dated facts say they stood on the day
    (`past.as_it_stood`), as every report shows it."""
    if cohorts is not None:
        members = {i: c for i, c in programme.cities.items() if c.cohort in cohorts}
        programme = replace(programme, cities=members)
    programme = as_it_stood(programme, as_of).programme
    if cohorts is None:
        return {c.cohort.id: c for c in programme_progress(programme, as_of).cohorts}
    found = {}
    for ident in cohorts:
        cohort = programme.cohorts.get(ident)
        if cohort is not None:
            found[ident] = cohort_progress(programme, cohort, as_of)
    return found


def _cohort_order(
    ident: str, old: dict[str, CohortProgress], new: dict[str, CohortProgress]
) -> tuple[date, str]:
    found = new.get(ident) or old[ident]
    return found.start, ident


def _overdue(cohort: str, old: CityProgress, new: CityProgress) -> Iterator[OverdueChange]:
    for ident, output in new.outputs.items():
        was = old.outputs.get(ident)
        if output.overdue != (was.overdue if was else False):
            yield OverdueChange(cohort, new.city.id, new.city.name, "output", ident,
                                output.title, output.due, output.overdue)  # fmt: skip
    for ident, milestone in new.milestones.items():
        previous = old.milestones.get(ident)
        if milestone.overdue != (previous.overdue if previous else False):
            yield OverdueChange(cohort, new.city.id, new.city.name, "milestone", ident,
                                milestone.title, milestone.due, milestone.overdue)  # fmt: skip


def totals_figures(totals: Totals) -> dict[str, str]:
    """A cohort's totals as people read them, by label: `approved outputs: 12`."""
    figures = {
        "active cities": str(totals.cities),
        "withdrawn": str(totals.withdrawn),
        "sessions attended": f"{totals.activities.done}/{totals.activities.held}",
        "visits done": str(totals.visits.done),
        "visits planned": str(totals.visits.planned),
    }
    figures |= {f"outputs {state}": str(count) for state, count in totals.outputs.items()}
    figures["milestones reached"] = f"{totals.milestones.done}/{totals.milestones.expected}"
    figures["overdue"] = str(totals.overdue)
    return figures
