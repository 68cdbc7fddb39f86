"""The figures a report needs beyond `twincli.progress.standing`, computed so that templates only
format: a practice's mean score, where each stakeholder sits on the influence/interest grid,
the bars of the gantt charts, a cohort's burn-up, and travel claimed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from twincli.model import (
    Action,
    ActionPlan,
    City,
    Edition,
    Event,
    Pilot,
    PracticeAssessment,
    StakeholderPlan,
    TransferabilityAssessment,
)
from twincli.progress.history import Step
from twincli.progress.standing import (
    CohortProgress,
    event_attendance,
    events_in_order,
)
from twincli.schedule import due_date

DIMENSIONS = ("governance", "finance", "technical", "social", "legal")
"""The transferability dimensions, in the order the reports show them."""
LEVELS = ("low", "medium", "high")
_GRID_POSITION = {"low": Decimal("0.17"), "medium": Decimal("0.5"), "high": Decimal("0.83")}
_GRID_SPREAD = (
    (0, 0),
    (6, 5),
    (-6, -5),
    (6, -5),
    (-6, 5),
    (0, 9),
    (0, -9),
    (10, 0),
    (-10, 0),
)
"""Offsets (hundredths) for stakeholders in the same cell of the grid, so points do not
overlap; the ninth and later share the last offsets."""


@dataclass(frozen=True, slots=True)
class Travel:
    """Travel costs of site visits that were not cancelled."""

    claimed: Decimal
    reimbursed: Decimal


@dataclass(frozen=True, slots=True)
class EventEntry:
    """A session of the cohort's schedule, how many active cities took part, and the names
    of those that did not."""

    event: Event
    activity: str
    past: bool
    attended: int
    cities: int
    absent: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GanttTask:
    """A bar of a gantt chart, or a milestone when `end` is None. `tags` are Mermaid's
    (done, active, crit, milestone)."""

    name: str
    id: str
    start: date
    end: date | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GanttSection:
    name: str
    tasks: tuple[GanttTask, ...]


@dataclass(frozen=True, slots=True)
class Gantt:
    """A Mermaid gantt chart: end dates are inclusive, as in the data."""

    title: str
    sections: tuple[GanttSection, ...]


@dataclass(frozen=True, slots=True)
class GridPoint:
    """A stakeholder on the quadrant chart; x is interest and y influence, each written
    as Mermaid wants them (0.05 to 0.95)."""

    name: str
    x: str
    y: str


@dataclass(frozen=True, slots=True)
class StakeholderGrid:
    """Stakeholders by influence and interest: `cells[influence][interest]` holds their
    names; `unplaced` those without both levels."""

    cells: Mapping[str, Mapping[str, tuple[str, ...]]]
    points: tuple[GridPoint, ...]
    unplaced: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PracticeScores:
    """One assessed practice: its scores in `DIMENSIONS` order and their mean."""

    assessment: PracticeAssessment
    scores: tuple[int | None, ...]
    mean: Decimal | None
    """The mean of the scores given, to one decimal (None when none is given)."""


@dataclass(frozen=True, slots=True)
class ActionPlanFigures:
    """An action plan's chart and totals."""

    gantt: Gantt | None
    unscheduled: tuple[Action, ...]
    """Actions without both a start and an end, which the chart cannot show."""
    budget: Decimal
    """The budget of the actions that are not dropped."""
    by_status: Mapping[str, int]


# --- computing them -------------------------------------------------------------------------


def mean_score(scores: Iterable[int | None]) -> Decimal | None:
    """The mean of the scores given, rounded half up to one decimal."""
    given = [s for s in scores if s is not None]
    if not given:
        return None
    return (Decimal(sum(given)) / len(given)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def practice_scores(content: TransferabilityAssessment) -> tuple[PracticeScores, ...]:
    out = []
    for practice in content.practices:
        scores = tuple(getattr(practice.scores, d) if practice.scores else None for d in DIMENSIONS)
        out.append(PracticeScores(practice, scores, mean_score(scores)))
    return tuple(out)


def stakeholder_grid(content: StakeholderPlan) -> StakeholderGrid:
    cells: dict[str, dict[str, list[str]]] = {i: {j: [] for j in LEVELS} for i in LEVELS}
    points, unplaced = [], []
    for s in content.stakeholders:
        if s.influence is None or s.interest is None:
            unplaced.append(s.name)
            continue
        cell = cells[s.influence][s.interest]
        dx, dy = _GRID_SPREAD[min(len(cell), len(_GRID_SPREAD) - 1)]
        cell.append(s.name)
        points.append(
            GridPoint(
                s.name,
                _coordinate(_GRID_POSITION[s.interest] + Decimal(dx) / 100),
                _coordinate(_GRID_POSITION[s.influence] + Decimal(dy) / 100),
            )
        )
    return StakeholderGrid(
        {i: {j: tuple(names) for j, names in row.items()} for i, row in cells.items()},
        tuple(points),
        tuple(unplaced),
    )


def _coordinate(value: Decimal) -> str:
    clamped = min(max(value, Decimal("0.05")), Decimal("0.95"))
    return f"{clamped:.2f}"


def action_plan_figures(content: ActionPlan, title: str, as_of: date) -> ActionPlanFigures:
    sections: dict[str, list[GanttTask]] = {}
    unscheduled = []
    for n, action in enumerate(content.actions, 1):
        if action.status == "dropped":
            continue
        if action.start is None or action.end is None:
            unscheduled.append(action)
            continue
        name = f"{action.id} {action.title}" if action.id else action.title
        sections.setdefault(action.practice or "Other actions", []).append(
            GanttTask(name, f"a{n}", action.start, action.end, _action_tags(action, as_of))
        )
    gantt = (
        Gantt(title, tuple(GanttSection(k, tuple(v)) for k, v in sections.items()))
        if sections
        else None
    )
    by_status: dict[str, int] = {}
    for action in content.actions:
        key = action.status or "unknown"
        by_status[key] = by_status.get(key, 0) + 1
    budget = sum(
        (a.budget_eur for a in content.actions if a.budget_eur and a.status != "dropped"),
        Decimal(0),
    )
    return ActionPlanFigures(gantt, tuple(unscheduled), budget, by_status)


def _action_tags(action: Action, as_of: date) -> tuple[str, ...]:
    if action.status == "done":
        return ("done",)
    late = action.end is not None and action.end < as_of
    if action.status == "in-progress":
        return ("crit", "active") if late else ("active",)
    return ("crit",) if late else ()


def travel(cities: Iterable[City]) -> Travel:
    claimed = reimbursed = Decimal(0)
    for city in cities:
        for visit in city.visits:
            if visit.status != "cancelled":
                claimed += visit.claimed_eur or 0
                reimbursed += visit.reimbursed_eur or 0
    return Travel(claimed, reimbursed)


def cohort_events(cohort: CohortProgress, edition: Edition | None) -> tuple[EventEntry, ...]:
    active = sum(1 for c in cohort.cities if c.active)
    out = []
    for event in events_in_order(cohort.cohort):
        spec = edition.activities.get(event.activity) if edition else None
        seen = event_attendance(cohort, event)
        out.append(
            EventEntry(
                event,
                (spec.title if spec and spec.title else event.activity),
                seen.held,
                len(seen.attended),
                active,
                tuple(c.city.name for c in seen.absent),
            )
        )
    return tuple(out)


def cohort_schedule(cohort: CohortProgress, pilots: Mapping[str, Pilot]) -> Gantt:
    """Sessions as milestones, outputs' due dates, and each active city's site visits."""
    as_of = cohort.as_of
    sessions = tuple(
        GanttTask(
            e.event.title or e.activity,
            f"e{n}",
            e.event.date,
            None,
            ("done", "milestone") if e.past else ("milestone",),
        )
        for n, e in enumerate(cohort_events(cohort, cohort.edition), 1)
    )
    sections = [GanttSection("Sessions", sessions)] if sessions else []
    if cohort.edition is not None:
        dues = []
        for n, spec in enumerate(cohort.edition.outputs.values(), 1):
            due = due_date(cohort.cohort, spec.due_month)
            if due is not None:
                name = f"{spec.title or spec.id} due"
                dues.append(GanttTask(name, f"d{n}", due, None, ("milestone",)))
        if dues:
            sections.append(GanttSection("Outputs due", tuple(dues)))
    n = 0
    for cp in cohort.cities:
        if not cp.active:
            continue
        pilot = pilots.get(cp.city.pilot)
        partner = (pilot.acronym or pilot.title) if pilot is not None else cp.city.pilot
        tasks = []
        for visit in cp.city.visits:
            if visit.status == "cancelled":
                continue
            n += 1
            where = visit.city or partner
            name = f"to {where}" if visit.direction == "to-partner" else f"hosting {where}"
            end = visit.end or visit.start
            if visit.status == "done":
                tags: tuple[str, ...] = ("done",)
            elif end < as_of:
                tags = ("crit",)
            else:
                tags = ()
            tasks.append(GanttTask(name, f"v{n}", visit.start, end, tags))
        if tasks:
            sections.append(GanttSection(cp.city.name, tuple(tasks)))
    title = cohort.cohort.title or cohort.cohort.id
    return Gantt(f"{title} schedule", tuple(sections))


# --- burn-up --------------------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class BurnUp:
    """One measure of a cohort over its months: what was done (bars) against the plan
    (a line), for a Mermaid xychart."""

    title: str
    axis: str
    months: tuple[str, ...]
    """The x-axis: `Oct 24` for each step."""
    done: tuple[float, ...]
    plan: tuple[float, ...]

    @property
    def top(self) -> int:
        """The y-axis's end: the largest figure, at least 1."""
        return max(1, math.ceil(max((*self.done, *self.plan), default=0)))


def burnup(steps: Sequence[Step]) -> tuple[BurnUp, ...]:
    """Outputs approved against those due, sessions attended against those held, and site
    visits made against those funded pro rata, at each step (`progress.history`)."""
    if not steps:
        return ()
    months = tuple(f"{_MONTHS[s.day.month - 1]} {s.day:%y}" for s in steps)
    return (
        BurnUp(
            "Outputs approved (bars) and due (line)",
            "Outputs",
            months,
            tuple(s.approved for s in steps),
            tuple(s.due for s in steps),
        ),
        BurnUp(
            "Sessions attended (bars) and held (line)",
            "Sessions",
            months,
            tuple(s.attended for s in steps),
            tuple(s.held for s in steps),
        ),
        BurnUp(
            "Site visits made (bars) and funded pro rata (line)",
            "Visits",
            months,
            tuple(s.visits for s in steps),
            tuple(s.funded for s in steps),
        ),
    )
