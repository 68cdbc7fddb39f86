"""The day a report states: the last day, on or before the as-of day, on which anything it
shows changed, so that rendering the same data on another day gives the same bytes.

Reports used to state the day they were rendered and count days ("92 days late"), so every
render rewrote every file and a branch rendered a day later conflicted with all of them
(issue 17). Now a report states a day from the data and says "overdue since" a date; the
report is the programme as of that day, and stays so until the next day on which a figure it
shows changes. Those days are worked out here from the data alone:

- the cohort's start, the day its cities were selected, the first day after its end, the
  first day of each module and the day after its last month, and the middle of the
  programme (the visits rule of health);
- each session's day (held from then on);
- for each due date of an output or milestone (the cohort's, and so every city's): the day
  after it (overdue), the day the health rules call it due soon (`due_soon_days` before) and
  the day a cohort report starts listing it (`DEADLINE_DAYS` before);
- the first day of each month while it runs (its report's burn-up gains a month);
- for each city: each of its dated facts (the data has it from that day: `progress.past`:
  an output's `started`, `submitted`, `revision_requested` and `approved`, the day a visit
  ended, a withdrawal, each session it attended), each visit's window in the deadlines
  (60 days before its start, and the day after), the day after its last day (late on the
  chart), the day its visits fall behind at their pace (`visits_fall_behind`), and the day
  after each action of an action plan ends.

A cohort's report and its cities' documents state the cohort's day (a city's document
receives its cohort's progress, so the cohort's figures are all it may show); the overview
states the latest of the cohorts' days. Before the first such day there is none to state: a
cohort states the overview's day (it reads the same on every day before its first), and the
overview the as-of day itself.

Each report is rendered from the progress as of the day it states (`Renderer.plan`), so that
it is what `render --check` gets by rendering again as of its marker's day, whatever a
template shows. This list only decides how late that day may be: a day missing from it would
leave a figure out of date, which tests/test_stable_reports.py looks for on many days.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from twincli.model import DEFAULT_HEALTH, ActionPlan, City, Cohort, Edition, Programme
from twincli.progress.standing import CohortPlan, cohort_plan, visits_fall_behind
from twincli.report.plan import DEADLINE_DAYS
from twincli.schedule import add_months, cohort_end, due_date


@dataclass(frozen=True, slots=True)
class StatedDays:
    """The day each report states: the overview's, and each cohort's (its report's and its
    cities' documents')."""

    overview: date
    cohorts: Mapping[str, date]


def stated_days(programme: Programme, as_of: date) -> StatedDays:
    """The days the reports rendered as of `as_of` state."""
    members: dict[str, list[City]] = {}
    for city in programme.cities.values():
        members.setdefault(city.cohort, []).append(city)
    changes = {
        cohort.id: cohort_changes(programme, cohort, members.get(cohort.id, ()))
        for cohort in programme.cohorts.values()
    }
    # What the data does not date is named as it stands now on a day before some fact of its
    # cohort's (`progress.past`): one of the cohort's own days, as each fact is.
    # The overview shows every cohort: it changes when any of them does.
    overview = last_change(sorted(set().union(*changes.values())), as_of, as_of)
    # A cohort whose first change is still to come (one yet to start) reads the same on
    # every day before it: it states the overview's day, the last on which anything changed.
    return StatedDays(
        overview, {cohort: last_change(days, as_of, overview) for cohort, days in changes.items()}
    )


def last_change(changes: Sequence[date], as_of: date, otherwise: date) -> date:
    """The last of `changes` (sorted) on or before `as_of`; `otherwise` when none is."""
    found = bisect.bisect_right(changes, as_of)
    return changes[found - 1] if found else otherwise


def cohort_changes(programme: Programme, cohort: Cohort, members: Iterable[City]) -> list[date]:
    """The days, sorted, on which a figure of `cohort`'s reports may change (a day on which
    none does may be among them: it only makes a report state a later day than it could)."""
    edition = programme.editions.get(cohort.edition)
    rules = programme.health or DEFAULT_HEALTH
    days = set(_schedule_days(cohort, edition, rules.due_soon_days))
    if edition is not None:  # else the cohort lists no city (`cohort_progress`)
        plan = cohort_plan(cohort, edition, cohort.start, programme.health)
        for city in members:
            days.update(_city_days(city, cohort, plan, programme))
    return sorted(days)


def _schedule_days(cohort: Cohort, edition: Edition | None, soon: int) -> Iterator[date]:
    """The days of the cohort's calendar that every city shares."""
    start = cohort.start
    yield start
    if cohort.selected is not None:
        # Nothing changes on it, but a cohort yet to start then states the day its cities
        # were chosen, which stays put, rather than the overview's, which moves.
        yield cohort.selected
    yield from (event.date for event in cohort.events.values())
    end = cohort_end(cohort, edition)
    if end is not None:
        yield from _after(end, 1)
        yield from _after(start, (end - start).days // 2)  # the middle, as health has it
    if edition is None:
        return
    # The cohort report's burn-up gains a month on each month's first day (`history`).
    month = 0
    while end is not None and (day := add_months(start, month)) <= end and day != date.max:
        yield day
        month += 1
    for module in edition.modules.values():
        first, last = module.months
        yield add_months(start, first - 1)  # month m starts m - 1 months in (`month_of`)
        yield add_months(start, last)
    dues = [due_date(cohort, o.due_month) for o in edition.outputs.values()]
    dues += [due_date(cohort, m.due_month) for m in edition.milestones.values()]
    for due in dues:
        if due is not None:
            yield from _after(due, 1, -soon, -DEADLINE_DAYS)


def _facts(city: City, programme: Programme) -> Iterator[date]:
    """The days of a city's dated facts, from which the data has them (`progress.past`)."""
    for output in city.outputs.values():
        dates = (output.started, output.submitted, output.revision_requested, output.approved)
        yield from (day for day in dates if day is not None)
    for visit in city.visits:
        yield visit.end or visit.start  # done once it ended
        yield from _after(visit.start, 1)  # a cancelled one was to come until then
    if city.withdrawn is not None and city.withdrawn.date is not None:
        yield city.withdrawn.date
    cohort = programme.cohorts.get(city.cohort)
    if cohort is not None:
        yield from (cohort.events[e].date for e in city.attended if e in cohort.events)


def _city_days(
    city: City, cohort: Cohort, plan: CohortPlan, programme: Programme
) -> Iterator[date]:
    """The days on which something of one city's changes: its dated facts, and the days
    its figures turn."""
    for output in city.outputs.values():
        if isinstance(output.content, ActionPlan):
            for action in output.content.actions:
                if action.end is not None:
                    yield from _after(action.end, 1)
    for visit in city.visits:
        yield from _after(visit.start, 1, -DEADLINE_DAYS)
        yield from _after(visit.end or visit.start, 1)
    yield from _facts(city, programme)
    behind = visits_fall_behind(city, cohort.start, plan)
    if behind is not None:
        yield behind


def _after(day: date, *shifts: int) -> Iterator[date]:
    """`day` moved by each of `shifts` days, leaving out those past the calendar's ends."""
    for shift in shifts:
        try:
            yield day + timedelta(days=shift)
        except OverflowError:
            continue
