"""Progress figures over a small fixture programme, with hand-computed expectations.

The cohort starts on 31 August 2024, so month arithmetic clamps at month ends:
month 2 starts on 30 September, the 6-month edition ends (and `plan` is due) on
28 February 2025.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import build_tree
from twincli.loader import load_programme
from twincli.model import Programme
from twincli.progress import deadlines, programme_progress, select
from twincli.schedule import add_months, month_of

PROGRAMME = """\
name: Fixture programme
editions:
  short:
    title: Six months
    months: 6
    modules:
      start: {title: Start, months: [1, 3]}
      finish: {title: Finish, months: [4, 6]}
    activities:
      kick-off: {count: 1}
      seminar: {count: 2}
      site-visit: {count: 3, to-partner: 2, from-partner: 1}
    outputs:
      roadmap: {title: Roadmap, due_month: 1, milestone: m1}
      session: {title: Session, due_month: 3, milestone: m1}
      plan: {title: Plan, due_month: 6, milestone: m2}
    milestones:
      m1: {title: Planned, due_month: 3}
      m2: {title: Delivered, due_month: 6}
"""

COHORT = """\
edition: short
start: 2024-08-31
events:
  kick-off: {activity: kick-off, date: 2024-09-05}
  seminar-1: {activity: seminar, date: 2024-10-10}
  seminar-2: {activity: seminar, date: 2025-01-15}
"""

PILOT = "title: Pilot\ncities: [{name: Lund, country: SE}]\n"

ANA = """\
name: Ana
country: ES
cohort: c
pilot: p
attended: [kick-off, seminar-1]
visits:
  - {direction: to-partner, start: 2024-10-01, status: done}
  - {direction: to-partner, start: 2025-01-20, status: planned}
  - {direction: from-partner, start: 2024-11-05, status: cancelled}
outputs:
  roadmap: {status: approved, submitted: 2024-10-03, approved: 2024-10-10}
  session: {status: approved, submitted: 2024-11-20, approved: 2024-12-02}
  plan: {status: drafting}
"""

BO = """\
name: Bo
country: SE
cohort: c
pilot: p
status: withdrawn
withdrawn: {date: 2024-10-01, reason: left}
outputs:
  roadmap: {status: drafting}
"""

CY = "name: Cy\ncountry: FI\ncohort: c\npilot: p\n"


@pytest.fixture
def programme(tmp_path: Path) -> Programme:
    build_tree(
        tmp_path,
        {
            "programme.yaml": PROGRAMME,
            "cohorts/cohort-2.yaml": None,
            "cohorts/c.yaml": COHORT,
            "pilots/urbanew.yaml": None,
            "pilots/p.yaml": PILOT,
            "cities/soria.yaml": None,
            "cities/ana.yaml": ANA,
            "cities/bo.yaml": BO,
            "cities/cy.yaml": CY,
        },
    )
    loaded = load_programme(tmp_path)
    assert loaded.diagnostics == ()
    return loaded.programme


def test_month_arithmetic_clamps_at_month_ends() -> None:
    start = date(2024, 8, 31)
    assert add_months(start, 1) == date(2024, 9, 30)
    assert add_months(start, 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_month_of_follows_the_same_clamping(programme: Programme) -> None:
    cohort = programme.cohorts["c"]
    assert month_of(cohort, date(2024, 8, 30)) == 0
    assert month_of(cohort, date(2024, 8, 31)) == 1
    assert month_of(cohort, date(2024, 9, 29)) == 1
    assert month_of(cohort, date(2024, 9, 30)) == 2
    assert month_of(cohort, date(2025, 2, 27)) == 6
    assert month_of(cohort, date(2025, 2, 28)) == 7


def test_due_dates_and_window(programme: Programme) -> None:
    cohort = programme_progress(programme, date(2024, 12, 2)).cohorts[0]
    assert (cohort.start, cohort.end) == (date(2024, 8, 31), date(2025, 2, 28))
    ana = cohort.cities[0]
    assert ana.city.id == "ana"
    assert {o.id: o.due for o in ana.outputs.values()} == {
        "roadmap": date(2024, 9, 30),
        "session": date(2024, 11, 30),
        "plan": date(2025, 2, 28),
    }
    assert ana.milestones["m2"].due == date(2025, 2, 28)


def test_a_city_on_track(programme: Programme) -> None:
    cohort = programme_progress(programme, date(2024, 12, 2)).cohorts[0]
    ana = cohort.cities[0]
    assert (ana.activities.done, ana.activities.expected) == (2, 3)
    assert ana.activities_by_id["seminar"].done == 1
    assert (ana.visits.done, ana.visits.planned, ana.visits.funded) == (1, 1, 3)
    assert ana.visits_by_direction["from-partner"].done == 0
    roadmap = ana.outputs["roadmap"]
    assert roadmap.days_late == 3  # submitted 3 October, due 30 September
    assert not roadmap.overdue
    assert ana.outputs["session"].days_late is None
    assert ana.overdue == 0
    assert ana.health == "on-track"


def test_milestone_reached_on_the_day_its_last_output_is_approved(programme: Programme) -> None:
    before = programme_progress(programme, date(2024, 12, 1)).cohorts[0].cities[0]
    assert not before.milestones["m1"].reached
    assert before.milestones["m1"].overdue  # due 30 November
    on_the_day = programme_progress(programme, date(2024, 12, 2)).cohorts[0].cities[0]
    assert on_the_day.milestones["m1"].reached
    assert on_the_day.milestones["m1"].reached_on == date(2024, 12, 2)
    assert not on_the_day.milestones["m1"].overdue
    assert not on_the_day.milestones["m2"].reached


def test_unlisted_outputs_count_as_not_started_and_overdue(programme: Programme) -> None:
    cy = programme_progress(programme, date(2024, 12, 2)).cohorts[0].cities[2]
    assert cy.city.id == "cy"
    assert {o.status for o in cy.outputs.values()} == {"not-started"}
    assert cy.outputs["roadmap"].days_late == 63
    assert cy.outputs["session"].days_late == 2
    assert cy.overdue == 2
    assert cy.health == "behind"


def test_withdrawn_city_is_listed_but_left_out_of_totals(programme: Programme) -> None:
    cohort = programme_progress(programme, date(2024, 12, 2)).cohorts[0]
    bo = cohort.cities[1]
    assert (bo.city.id, bo.health) == ("bo", "withdrawn")
    totals = cohort.totals
    assert (totals.cities, totals.withdrawn) == (2, 1)
    assert totals.overdue == 2  # Cy's two; Bo's overdue roadmap does not count
    assert totals.outputs["drafting"] == 1  # Ana's plan, not Bo's roadmap
    assert (totals.activities.done, totals.activities.expected) == (2, 6)
    assert (totals.milestones.done, totals.milestones.expected) == (1, 4)


def test_as_of_before_the_cohort_starts(programme: Programme) -> None:
    progress = programme_progress(programme, date(2024, 8, 1))
    cohort = progress.cohorts[0]
    assert (cohort.phase, cohort.month, cohort.module) == ("upcoming", 0, None)
    assert {c.health for c in cohort.cities} == {"not-started", "withdrawn"}
    assert cohort.totals.overdue == 0
    assert all(d.state == "due" and d.days > 0 for d in deadlines(progress))


def test_current_module(programme: Programme) -> None:
    cohort = programme_progress(programme, date(2024, 11, 29)).cohorts[0]
    assert (cohort.month, cohort.module and cohort.module.id) == (3, "start")
    cohort = programme_progress(programme, date(2024, 11, 30)).cohorts[0]
    assert (cohort.month, cohort.module and cohort.module.id) == (4, "finish")


def test_as_of_after_the_cohort_ends(programme: Programme) -> None:
    cohort = programme_progress(programme, date(2025, 6, 1)).cohorts[0]
    assert (cohort.phase, cohort.module) == ("ended", None)
    ana = cohort.cities[0]
    assert ana.outputs["plan"].overdue
    assert ana.outputs["plan"].days_late == (date(2025, 6, 1) - date(2025, 2, 28)).days
    assert ana.milestones["m2"].overdue


def test_deadlines_soonest_first(programme: Programme) -> None:
    progress = programme_progress(programme, date(2024, 12, 2))
    found = [
        (d.city, d.kind, d.item, d.due.isoformat(), d.days, d.state) for d in deadlines(progress)
    ]
    assert found == [
        ("cy", "output", "roadmap", "2024-09-30", -63, "overdue"),
        ("cy", "milestone", "m1", "2024-11-30", -2, "overdue"),
        ("cy", "output", "session", "2024-11-30", -2, "overdue"),
        ("ana", "visit", "to-partner", "2025-01-20", 49, "due"),
        ("ana", "milestone", "m2", "2025-02-28", 88, "due"),
        ("ana", "output", "plan", "2025-02-28", 88, "due"),
        ("cy", "milestone", "m2", "2025-02-28", 88, "due"),
        ("cy", "output", "plan", "2025-02-28", 88, "due"),
    ]


def test_deadlines_filters(programme: Programme) -> None:
    progress = programme_progress(programme, date(2024, 12, 2))
    assert len(deadlines(progress, overdue_only=True)) == 3
    assert [d.days for d in deadlines(progress, within=60)] == [-63, -2, -2, 49]
    only_ana = select(progress, city="ana")
    assert {d.city for d in deadlines(only_ana)} == {"ana"}
    assert only_ana.totals.cities == 1


def test_select_unknown_names_the_choices(programme: Programme) -> None:
    progress = programme_progress(programme, date(2024, 12, 2))
    with pytest.raises(LookupError, match="no cohort 'x' \\(cohorts: c\\)"):
        select(progress, cohort="x")
    with pytest.raises(LookupError, match="no city 'zed'"):
        select(progress, city="zed")
