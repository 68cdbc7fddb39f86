"""JSON-ready dictionaries of progress and deadlines, in the shapes cli.md makes stable.

Keys are never removed or renamed; new keys may be added.
"""

from __future__ import annotations

from typing import Any

from twincli.progress.history import CohortHistory
from twincli.progress.past import Past
from twincli.progress.standing import (
    Attendance,
    CityProgress,
    CohortProgress,
    Deadline,
    ProgrammeProgress,
    Totals,
)


def status_payload(progress: ProgrammeProgress, past: Past | None = None) -> dict[str, Any]:
    """`{"as_of", "cohorts": [{"id", "edition", "start", "end", "cities": [...], "totals"}],
    "totals", "dated_later", "undated": [{"city", "what"}]}`: `dated_later` counts the facts
    dated after the as-of day that the figures leave out, `undated` what they show as it
    stands now for want of a date (`progress.past`)."""
    return {
        "as_of": progress.as_of.isoformat(),
        "cohorts": [cohort_payload(c) for c in progress.cohorts],
        "totals": totals_payload(progress.totals),
        "dated_later": past.later if past is not None else 0,
        "undated": [{"city": city, "what": what} for city, what in (past.undated if past else ())],
    }


def cohort_payload(cohort: CohortProgress) -> dict[str, Any]:
    return {
        "id": cohort.cohort.id,
        "title": cohort.cohort.title,
        "edition": cohort.cohort.edition,
        "start": cohort.start.isoformat(),
        "end": cohort.end.isoformat() if cohort.end else None,
        "month": cohort.month,
        "module": cohort.module.id if cohort.module else None,
        "phase": cohort.phase,
        "sessions": {"held": cohort.sessions_held, "expected": cohort.sessions_expected},
        "cities": [city_payload(c) for c in cohort.cities],
        "totals": totals_payload(cohort.totals),
    }


def city_payload(city: CityProgress) -> dict[str, Any]:
    return {
        "id": city.city.id,
        "name": city.city.name,
        "status": city.city.status,
        "health": {"state": city.health, "reasons": list(city.reasons)},
        "activities": {**attendance_payload(city.activities), "missed": list(city.missed)},
        "visits": {
            "done": city.visits.done,
            "planned": city.visits.planned,
            "funded": city.visits.funded,
        },
        "outputs": {
            o.id: {
                "status": o.status,
                "due": o.due.isoformat() if o.due else None,
                "overdue": o.overdue,
                "days_late": o.days_late,
            }
            for o in city.outputs.values()
        },
        "milestones": {
            m.id: {
                "due": m.due.isoformat() if m.due else None,
                "reached": m.reached,
                "reached_on": m.reached_on.isoformat() if m.reached_on else None,
            }
            for m in city.milestones.values()
        },
        "overdue": city.overdue,
    }


def attendance_payload(attendance: Attendance) -> dict[str, int]:
    """`{"done", "held", "expected"}`: attended, of the sessions held so far, of all."""
    return {
        "done": attendance.done,
        "held": attendance.held,
        "expected": attendance.expected,
    }


def totals_payload(totals: Totals) -> dict[str, Any]:
    return {
        "cities": totals.cities,
        "withdrawn": totals.withdrawn,
        "activities": attendance_payload(totals.activities),
        "visits": {
            "done": totals.visits.done,
            "planned": totals.visits.planned,
            "funded": totals.visits.funded,
        },
        "outputs": dict(totals.outputs),
        "milestones": {"reached": totals.milestones.done, "expected": totals.milestones.expected},
        "overdue": totals.overdue,
    }


def deadlines_payload(as_of: str, deadlines: list[Deadline]) -> dict[str, Any]:
    """`{"as_of", "deadlines": [{"cohort", "city", "kind", "item", "due", "days", "state"}]}`"""
    return {
        "as_of": as_of,
        "deadlines": [
            {
                "cohort": d.cohort,
                "city": d.city,
                "kind": d.kind,
                "item": d.item,
                "title": d.title,
                "due": d.due.isoformat(),
                "days": d.days,
                "state": d.state,
            }
            for d in deadlines
        ],
    }


def history_payload(as_of: str, every: str, cohorts: tuple[CohortHistory, ...]) -> dict[str, Any]:
    """`{"as_of", "every", "cohorts": [{"id", "start", "end", "steps": [{"day", "month",
    "cities", "outputs": {"approved", "due"}, "milestones": {"reached", "due"},
    "sessions": {"attended", "held"}, "visits": {"done", "funded"}, "overdue",
    "health": {"behind", "at-risk"}}]}]}`: each figure next to its plan."""
    return {
        "as_of": as_of,
        "every": every,
        "cohorts": [
            {
                "id": c.cohort.id,
                "steps": [
                    {
                        "day": s.day.isoformat(),
                        "month": s.month,
                        "cities": s.cities,
                        "outputs": {"approved": s.approved, "due": s.due},
                        "milestones": {"reached": s.reached, "due": s.milestones_due},
                        "sessions": {"attended": s.attended, "held": s.held},
                        "visits": {"done": s.visits, "funded": s.funded},
                        "overdue": s.overdue,
                        "health": {"behind": s.behind, "at-risk": s.at_risk},
                    }
                    for s in c.steps
                ],
            }
            for c in cohorts
        ],
    }
