"""Where every city and cohort stands on a given day: pure functions of (programme, as_of).

Figures depend only on the data and `as_of`, never on the clock. Withdrawn cities are listed
with their status but left out of every total and have no deadlines. An output a city has not
listed yet counts as `not-started`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from operator import attrgetter
from typing import Literal

from twincli.model import (
    DEFAULT_HEALTH,
    OUTPUT_STATUSES,
    City,
    CityOutput,
    Cohort,
    Edition,
    Event,
    HealthRules,
    MilestoneSpec,
    Module,
    OutputSpec,
    OutputStatus,
    Programme,
)
from twincli.schedule import cohort_end, due_date, module_on, month_of

SITE_VISIT = "site-visit"
DONE_STATES: tuple[OutputStatus, ...] = ("submitted", "approved")
"""States in which an output is no longer the city's to deliver (it awaits or has approval)."""

Health = Literal["on-track", "at-risk", "behind", "withdrawn", "not-started"]


@dataclass(frozen=True, slots=True)
class Tally:
    """How many of something are done out of how many are expected."""

    done: int
    expected: int


@dataclass(frozen=True, slots=True)
class Attendance:
    """Sessions attended, of those held so far that the city was expected at, and of all it
    is expected at: 7 of 7 held (10 in all) is on track, where 7/10 would read as 70 %."""

    done: int
    """Sessions attended among those held (on or before the day)."""
    held: int
    """Sessions held so far that the city was expected at."""
    expected: int
    """Sessions the city is expected at in all."""


@dataclass(frozen=True, slots=True)
class VisitTally:
    """Site visits in one direction (or both): made, still planned, and funded."""

    done: int
    planned: int
    funded: int


@dataclass(frozen=True, slots=True)
class OutputProgress:
    """One output of one city."""

    id: str
    title: str
    status: OutputStatus
    due: date | None
    submitted: date | None
    approved: date | None
    overdue: bool
    """Due date passed and not yet submitted or approved."""
    days_late: int | None
    """Days past due: when submitted, how late it was; when still open, how late it is now."""


@dataclass(frozen=True, slots=True)
class MilestoneProgress:
    """One milestone of one city: reached when every output naming it is approved."""

    id: str
    title: str
    due: date | None
    reached: bool
    reached_on: date | None
    """The day the last of its outputs was approved."""
    overdue: bool


@dataclass(frozen=True, slots=True)
class CityProgress:
    """Everything about one city's progress as of a day."""

    city: City
    activities: Attendance
    activities_by_id: Mapping[str, Attendance]
    missed: tuple[str, ...]
    """The ids of the sessions held that the city was expected at and did not attend, in
    the order they were held."""
    visits: VisitTally
    visits_by_direction: Mapping[str, VisitTally]
    outputs: Mapping[str, OutputProgress]
    milestones: Mapping[str, MilestoneProgress]
    overdue: int
    health: Health
    reasons: tuple[str, ...] = ()
    """Why the city is behind or at risk, the most pressing first (none when on track)."""

    @property
    def active(self) -> bool:
        return self.city.status == "active"

    def output_counts(self) -> Counter[str]:
        return Counter(o.status for o in self.outputs.values())


@dataclass(frozen=True, slots=True)
class Totals:
    """A roll-up over active cities."""

    cities: int
    withdrawn: int
    activities: Attendance
    visits: VisitTally
    outputs: Mapping[str, int]
    """Count of outputs in each state, in the order of OUTPUT_STATUSES."""
    milestones: Tally
    overdue: int


@dataclass(frozen=True, slots=True)
class CohortProgress:
    """A cohort's window, where it is in its modules, and its cities."""

    cohort: Cohort
    edition: Edition | None
    start: date
    end: date | None
    month: int
    """The month of the programme as of the day (0 before the start)."""
    module: Module | None
    cities: tuple[CityProgress, ...]
    totals: Totals
    as_of: date
    sessions_held: int = 0
    """Sessions held so far that each of its cities was expected at."""
    sessions_expected: int = 0
    """Sessions each of its cities is expected at in all."""

    @property
    def phase(self) -> Literal["upcoming", "running", "ended"]:
        """Whether the cohort has not started, is running or has ended as of the day."""
        if self.as_of < self.start:
            return "upcoming"
        if self.end is not None and self.as_of > self.end:
            return "ended"
        return "running"


@dataclass(frozen=True, slots=True)
class ProgrammeProgress:
    """Every cohort's progress, and the programme's totals."""

    as_of: date
    cohorts: tuple[CohortProgress, ...]
    totals: Totals


# --- cities ---------------------------------------------------------------------------------


def output_progress(
    spec: OutputSpec, cohort: Cohort, listed: CityOutput | None, as_of: date, active: bool = True
) -> OutputProgress:
    """One output's state, due date and lateness (nothing is overdue for a withdrawn city)."""
    status: OutputStatus = listed.status if listed else "not-started"
    submitted = listed.submitted if listed else None
    approved = listed.approved if listed else None
    due = due_date(cohort, spec.due_month)
    delivered = status in DONE_STATES
    overdue = active and due is not None and not delivered and as_of > due
    days_late: int | None = None
    if due is not None:
        if delivered and submitted is not None and submitted > due:
            days_late = (submitted - due).days
        elif overdue:
            days_late = (as_of - due).days
    return OutputProgress(
        spec.id, spec.title or spec.id, status, due, submitted, approved, overdue, days_late
    )


def milestone_progress(
    spec: MilestoneSpec,
    cohort: Cohort,
    outputs: Mapping[str, OutputProgress],
    edition: Edition,
    as_of: date,
    active: bool = True,
) -> MilestoneProgress:
    """A milestone is reached when every output naming it is approved (on or before as_of)."""
    naming = [outputs[o.id] for o in edition.outputs.values() if o.milestone == spec.id]
    approvals = [o.approved for o in naming if o.status == "approved" and o.approved]
    reached = bool(naming) and len(approvals) == len(naming) and max(approvals) <= as_of
    due = due_date(cohort, spec.due_month)
    return MilestoneProgress(
        spec.id,
        spec.title or spec.id,
        due,
        reached,
        max(approvals) if reached else None,
        overdue=not reached and due is not None and as_of > due and active,
    )


def city_progress(
    city: City, cohort: Cohort, edition: Edition, as_of: date, plan: CohortPlan | None = None
) -> CityProgress:
    """Where one city stands as of a day (`plan`: the cohort's, when the caller has it)."""
    if plan is None:
        plan = cohort_plan(cohort, edition, as_of)
    active = city.status == "active"
    went = set(city.attended)
    attended = Counter(activity for event, activity in plan.past.items() if event in went)
    by_activity = {
        activity: Attendance(min(attended[activity], count), plan.held[activity], count)
        for activity, count in plan.activities
    }
    missed = tuple(
        event
        for event, activity in plan.past.items()
        if event not in went and attended[activity] < plan.held.get(activity, 0)
    )
    by_direction = {
        direction: VisitTally(
            sum(1 for v in city.visits if v.direction == direction and v.status == "done"),
            sum(1 for v in city.visits if v.direction == direction and v.status == "planned"),
            funded,
        )
        for direction, funded in plan.funded
    }
    outputs = {
        spec.id: output_progress(spec, cohort, city.outputs.get(spec.id), as_of, active)
        for spec in edition.outputs.values()
    }
    milestones = {
        spec.id: milestone_progress(spec, cohort, outputs, edition, as_of, active)
        for spec in edition.milestones.values()
    }
    return CityProgress(
        city,
        Attendance(
            sum(t.done for t in by_activity.values()),
            sum(t.held for t in by_activity.values()),
            sum(t.expected for t in by_activity.values()),
        ),
        by_activity,
        missed,
        VisitTally(
            sum(t.done for t in by_direction.values()),
            sum(t.planned for t in by_direction.values()),
            plan.total_funded,
        ),
        by_direction,
        outputs,
        milestones,
        sum(1 for o in outputs.values() if o.overdue),
        *_health(city, cohort, plan, outputs, milestones, by_activity, as_of, edition),
    )


@dataclass(frozen=True, slots=True)
class CohortPlan:
    """What every city of a cohort shares as of a day, worked out once for them all."""

    past: Mapping[str, str]
    """The activity of each of the cohort's events on or before the day, by event id, in
    the order they were held."""
    activities: tuple[tuple[str, int], ...]
    """(id, count) of the edition's activities, site visits aside, in order."""
    held: Mapping[str, int]
    """Sessions of each of those activities held so far, at most its count."""
    funded: tuple[tuple[str, int], ...]
    """(direction, count) of the site visits funded to the partner and from the partner."""
    total_funded: int
    """Site visits funded in all: the edition's count, or more when its directions add up
    to more."""
    end: date | None = None
    """The cohort's last day."""
    rules: HealthRules = DEFAULT_HEALTH
    """When a city is behind or at risk (programme.yaml's `health`)."""


def cohort_plan(
    cohort: Cohort, edition: Edition, as_of: date, rules: HealthRules | None = None
) -> CohortPlan:
    """The plan `city_progress` follows for each city of `cohort` (`rules`: programme.yaml's
    `health`, else the defaults)."""
    past = {e.id: e.activity for e in events_in_order(cohort) if e.date <= as_of}
    activities = tuple(
        (activity.id, activity.count)
        for activity in edition.activities.values()
        if activity.id != SITE_VISIT
    )
    so_far = Counter(past.values())
    held = {activity: min(so_far[activity], count) for activity, count in activities}
    site = edition.activities.get(SITE_VISIT)
    to_partner = site.to_partner if site and site.to_partner is not None else 0
    from_partner = site.from_partner if site and site.from_partner is not None else 0
    total_funded = site.count if site is not None else 0
    return CohortPlan(
        past,
        activities,
        held,
        (("to-partner", to_partner), ("from-partner", from_partner)),
        max(total_funded, to_partner + from_partner),
        cohort_end(cohort, edition),
        rules or DEFAULT_HEALTH,
    )


def _health(
    city: City,
    cohort: Cohort,
    plan: CohortPlan,
    outputs: Mapping[str, OutputProgress],
    milestones: Mapping[str, MilestoneProgress],
    attendance: Mapping[str, Attendance],
    as_of: date,
    edition: Edition,
) -> tuple[Health, tuple[str, ...]]:
    """The city's health and why (`HealthRules` says when a city is behind or at risk). A
    milestone overdue makes a city behind only while one of its outputs is the city's to
    deliver (one awaiting approval is the programme team's), and is not named when that
    output is itself overdue."""
    if city.status == "withdrawn":
        return "withdrawn", ()
    if as_of < cohort.start:
        return "not-started", ()
    rules = plan.rules
    # Reasons name days, not counts of days, so that they read the same from one day to
    # the next until something changes (the reports print them: issue 17).
    behind = [f"{o.title} overdue since {o.due}" for o in outputs.values() if o.overdue]
    owed: set[str | None] = set()  # milestones with an output the city has yet to deliver
    late: set[str | None] = set()  # ... of which one is overdue: it says so already
    for spec in edition.outputs.values():
        if outputs[spec.id].status not in DONE_STATES:
            owed.add(spec.milestone)
        if outputs[spec.id].overdue:
            late.add(spec.milestone)
    behind += [
        f"milestone {m.title} overdue since {m.due}"
        for m in milestones.values()
        if m.overdue and m.due is not None and m.id in owed - late
    ]
    done = sum(t.done for t in attendance.values())
    held = sum(t.held for t in attendance.values())
    few = held >= max(rules.sessions_held, 1) and done * 100 < rules.attendance_percent * held
    if few:
        behind.append(f"attended {done} of {held} sessions held")
    visits = _visits_behind(city, cohort.start, plan, as_of)
    if visits:
        behind.append(visits)
    risks = [
        f"{o.title} due on {o.due}"
        for o in outputs.values()
        if o.due is not None
        and not o.overdue
        and o.status not in DONE_STATES
        and (o.due - as_of).days <= rules.due_soon_days
    ]
    went = set(city.attended)
    expected = [e for e, activity in plan.past.items() if activity in attendance]
    latest = expected[-rules.missed_in_a_row :]
    if len(latest) == rules.missed_in_a_row and not went.intersection(latest) and not few:
        risks.append(f"missed the last {len(latest)} sessions held")
    if plan.end is not None and plan.total_funded:
        middle = cohort.start + (plan.end - cohort.start) / 2
        if as_of >= middle and not any(v.status in ("done", "planned") for v in city.visits):
            risks.append(f"no site visit made or planned by mid-programme ({middle})")
    if behind:
        return "behind", (*behind, *risks)
    if risks:
        return "at-risk", tuple(risks)
    return "on-track", ()


def _visits_behind(city: City, start: date, plan: CohortPlan, as_of: date) -> str | None:
    """`1 site visit left would end after 2026-05-31 at its pace so far (2 made or planned
    since 2024-09-16)`: from the day `visits_fall_behind` gives to the cohort's end."""
    first = visits_fall_behind(city, start, plan)
    if first is None or as_of < first or plan.end is None or as_of > plan.end:
        return None
    made = sum(1 for v in city.visits if v.status in ("done", "planned"))
    left = plan.total_funded - made
    s = "s" if left != 1 else ""
    return (
        f"{left} site visit{s} left would end after {plan.end} at its pace so far "
        f"({made} made or planned since {start})"
    )


def visits_fall_behind(city: City, start: date, plan: CohortPlan) -> date | None:
    """The first day on which the funded visits that `city` has neither made nor planned
    would end after its cohort, at the pace of those made and planned since the start (one
    every (day - start) // (made + planned) days); None when that never happens before the
    end, or there is no pace yet (none made). Once it happens it holds until the end: the
    pace only slows as days pass with the same visits."""
    made = sum(1 for v in city.visits if v.status == "done")
    planned = sum(1 for v in city.visits if v.status == "planned")
    left = plan.total_funded - made - planned
    if not made or left <= 0 or plan.end is None:
        return None
    length = (plan.end - start).days

    def behind(elapsed: int) -> bool:  # grows with `elapsed`: a search finds where it turns
        return elapsed - length + left * (elapsed // (made + planned)) > 0

    low, high = 0, length + 1
    while low < high:
        middle = (low + high) // 2
        if behind(middle):
            high = middle
        else:
            low = middle + 1
    return start + timedelta(days=low) if low <= length else None


# --- roll-ups -------------------------------------------------------------------------------


def totals(cities: tuple[CityProgress, ...] | list[CityProgress]) -> Totals:
    """The roll-up over the active cities among `cities`."""
    states: dict[str, int] = dict.fromkeys(OUTPUT_STATUSES, 0)
    active = events_done = events_held = events_expected = 0
    visits_done = visits_planned = funded = 0
    reached = expected = overdue = 0
    for c in cities:
        if c.city.status != "active":
            continue
        active += 1
        events_done += c.activities.done
        events_held += c.activities.held
        events_expected += c.activities.expected
        visits_done += c.visits.done
        visits_planned += c.visits.planned
        funded += c.visits.funded
        for o in c.outputs.values():
            if o.status in states:
                states[o.status] += 1
        for m in c.milestones.values():
            reached += m.reached
        expected += len(c.milestones)
        overdue += c.overdue
    return Totals(
        cities=active,
        withdrawn=len(cities) - active,
        activities=Attendance(events_done, events_held, events_expected),
        visits=VisitTally(visits_done, visits_planned, funded),
        outputs=states,
        milestones=Tally(reached, expected),
        overdue=overdue,
    )


def cohort_progress(
    programme: Programme,
    cohort: Cohort,
    as_of: date,
    members: Sequence[City] | None = None,
) -> CohortProgress:
    """A cohort and each of its cities (sorted by id) as of a day. `members`: the cohort's
    cities sorted by id, when the caller has them (else they are looked for)."""
    edition = programme.editions.get(cohort.edition)
    cities: list[CityProgress] = []
    held = expected = 0
    if edition is not None:
        if members is None:
            members = _members(programme).get(cohort.id, [])
        plan = cohort_plan(cohort, edition, as_of, programme.health)
        cities = [city_progress(city, cohort, edition, as_of, plan) for city in members]
        held, expected = sum(plan.held.values()), sum(count for _, count in plan.activities)
    end = cohort_end(cohort, edition)
    return CohortProgress(
        cohort=cohort,
        edition=edition,
        start=cohort.start,
        end=end,
        month=month_of(cohort, as_of),
        module=module_on(cohort, edition, as_of) if edition else None,
        cities=tuple(cities),
        totals=totals(cities),
        as_of=as_of,
        sessions_held=held,
        sessions_expected=expected,
    )


def _members(programme: Programme) -> dict[str, list[City]]:
    """The cities of each cohort, sorted by id."""
    members: dict[str, list[City]] = {}
    for city in sorted(programme.cities.values(), key=lambda c: c.id):
        members.setdefault(city.cohort, []).append(city)
    return members


def programme_progress(programme: Programme, as_of: date) -> ProgrammeProgress:
    """Every cohort (by start date, then id) as of a day."""
    members = _members(programme)  # once: looking for each cohort's would be quadratic
    cohorts = tuple(
        cohort_progress(programme, cohort, as_of, members.get(cohort.id, []))
        for cohort in sorted(programme.cohorts.values(), key=lambda c: (c.start, c.id))
    )
    return ProgrammeProgress(as_of, cohorts, totals([c for cp in cohorts for c in cp.cities]))


def iter_cities(progress: ProgrammeProgress) -> Iterator[tuple[CohortProgress, CityProgress]]:
    """Every (cohort, city) pair, in report order."""
    for cohort in progress.cohorts:
        for city in cohort.cities:
            yield cohort, city


# --- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventAttendance:
    """Who of a cohort's active cities attended one of its sessions, and who did not."""

    event: Event
    held: bool
    """Whether it took place on or before the day."""
    attended: tuple[CityProgress, ...]
    absent: tuple[CityProgress, ...]
    """The active cities that did not attend it (none before it is held)."""


def event_attendance(cohort: CohortProgress, event: Event) -> EventAttendance:
    """Who attended `event`, one of `cohort`'s, as of the cohort's day (cities by id)."""
    held = event.date <= cohort.as_of
    active = [c for c in cohort.cities if c.active] if held else []
    return EventAttendance(
        event,
        held,
        tuple(c for c in active if event.id in c.city.attended),
        tuple(c for c in active if event.id not in c.city.attended),
    )


def events_in_order(cohort: Cohort) -> list[Event]:
    """A cohort's sessions, by date, then id."""
    return sorted(cohort.events.values(), key=lambda e: (e.date, e.id))


# --- deadlines ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    """Something a city owes by a day: an output, a milestone, or a planned visit."""

    cohort: str
    city: str
    city_name: str
    kind: Literal["output", "milestone", "visit"]
    item: str
    """The output or milestone id; for a visit, its direction."""
    title: str
    due: date
    days: int
    """Days until due; negative when late."""

    @property
    def state(self) -> Literal["overdue", "due"]:
        return "overdue" if self.days < 0 else "due"


def _city_deadlines(cohort: str, city: CityProgress, as_of: date) -> list[Deadline]:
    found = []
    city_id, name = city.city.id, city.city.name
    for output in city.outputs.values():
        due = output.due
        if due is not None and output.status not in DONE_STATES:
            found.append(
                Deadline(
                    cohort,
                    city_id,
                    name,
                    "output",
                    output.id,
                    output.title,
                    due,
                    (due - as_of).days,
                )
            )
    for milestone in city.milestones.values():
        due = milestone.due
        if due is not None and not milestone.reached:
            found.append(
                Deadline(
                    cohort,
                    city_id,
                    name,
                    "milestone",
                    milestone.id,
                    milestone.title,
                    due,
                    (due - as_of).days,
                )
            )
    for visit in city.city.visits:
        if visit.status == "planned":
            where = f" ({visit.city})" if visit.city else ""
            found.append(
                Deadline(
                    cohort,
                    city_id,
                    name,
                    "visit",
                    visit.direction,
                    f"site visit {visit.direction}{where}",
                    visit.start,
                    (visit.start - as_of).days,
                )
            )
    return found


def deadlines(
    progress: ProgrammeProgress, within: int | None = None, overdue_only: bool = False
) -> list[Deadline]:
    """Open outputs, unreached milestones and planned visits of active cities, soonest first.
    `within` keeps what is overdue or due in at most that many days."""
    found: list[Deadline] = []
    as_of = progress.as_of
    for cohort, city in iter_cities(progress):
        if city.active:
            found.extend(_city_deadlines(cohort.cohort.id, city, as_of))
    if overdue_only:
        found = [d for d in found if d.days < 0]
    if within is not None:
        found = [d for d in found if d.days <= within]
    found.sort(key=_DEADLINE_ORDER)
    return found


_DEADLINE_ORDER = attrgetter("due", "cohort", "city", "kind", "item")
"""Soonest first; then by cohort, city, kind and item."""


def select(
    progress: ProgrammeProgress, cohort: str | None = None, city: str | None = None
) -> ProgrammeProgress:
    """The progress of one cohort and/or one city, with totals over what is kept.
    Raises LookupError naming what does not exist."""
    if cohort is None and city is None:
        return progress  # its totals are those over every city, already summed
    cohorts = progress.cohorts
    if cohort is not None:
        cohorts = tuple(c for c in cohorts if c.cohort.id == cohort)
        if not cohorts:
            known = ", ".join(c.cohort.id for c in progress.cohorts)
            raise LookupError(f"no cohort '{cohort}' (cohorts: {known})")
    if city is not None:
        kept = []
        for c in cohorts:
            cities = tuple(cp for cp in c.cities if cp.city.id == city)
            if cities:
                kept.append(replace(c, cities=cities, totals=totals(cities)))
        if not kept:
            where = f" in {cohort}" if cohort else ""
            raise LookupError(f"no city '{city}'{where}")
        cohorts = tuple(kept)
    return replace(
        progress, cohorts=cohorts, totals=totals([cp for c in cohorts for cp in c.cities])
    )
