"""Progress figures over a small fixture programme, with hand-computed expectations.

The cohort starts on 31 August 2024, so month arithmetic clamps at month ends:
month 2 starts on 30 September, the 6-month edition ends (and `plan` is due) on
28 February 2025.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.folders import build_tree
from twincli.model import Programme
from twincli.progress.standing import (
    CityProgress,
    OutputProgress,
    city_progress,
    cohort_progress,
    deadlines,
    milestone_progress,
    output_progress,
    programme_progress,
    select,
)
from twincli.read.loader import load_programme
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


# --- boundaries: what happens on the day itself -----------------------------------------------


def cities_on(programme: Programme, day: date) -> dict[str, CityProgress]:
    return {c.city.id: c for c in programme_progress(programme, day).cohorts[0].cities}


def test_an_output_is_overdue_from_the_day_after_it_is_due(programme: Programme) -> None:
    on_the_day = cities_on(programme, date(2024, 9, 30))["cy"].outputs["roadmap"]
    assert (on_the_day.overdue, on_the_day.days_late) == (False, None)
    next_day = cities_on(programme, date(2024, 10, 1))["cy"].outputs["roadmap"]
    assert (next_day.overdue, next_day.days_late) == (True, 1)


def test_submitted_on_the_due_day_is_not_late(programme: Programme) -> None:
    spec = programme.editions["short"].outputs["roadmap"]
    cohort = programme.cohorts["c"]
    listed = programme.cities["ana"].outputs["roadmap"]
    on_time = replace(listed, status="submitted", submitted=date(2024, 9, 30), approved=None)
    assert output_progress(spec, cohort, on_time, date(2024, 12, 1)).days_late is None
    late = replace(on_time, submitted=date(2024, 10, 1))
    assert output_progress(spec, cohort, late, date(2024, 12, 1)).days_late == 1
    unlisted = output_progress(spec, cohort, None, date(2024, 10, 5))  # active by default
    assert (unlisted.status, unlisted.overdue, unlisted.days_late) == ("not-started", True, 5)


def test_a_milestone_needs_approved_outputs_with_their_dates(programme: Programme) -> None:
    edition = programme.editions["short"]
    cohort = programme.cohorts["c"]
    spec = edition.milestones["m1"]
    day = date(2024, 11, 30)  # its due day
    approved = OutputProgress(
        "roadmap", "R", "approved", None, None, date(2024, 10, 1), False, None
    )
    submitted = replace(approved, id="session", status="submitted")  # an approved date, wrongly
    outputs = {"roadmap": approved, "session": submitted}
    reached = milestone_progress(spec, cohort, outputs, edition, day)
    assert (reached.reached, reached.overdue) == (False, False)  # due today: not overdue yet
    later = milestone_progress(spec, cohort, outputs, edition, day + timedelta(days=1))
    assert later.overdue  # active by default
    both = {"roadmap": approved, "session": replace(approved, id="session")}
    assert milestone_progress(spec, cohort, both, edition, day).reached


def test_a_withdrawn_city_has_no_overdue_milestone(programme: Programme) -> None:
    bo = cities_on(programme, date(2024, 12, 2))["bo"]
    assert not bo.milestones["m1"].reached and not bo.milestones["m1"].overdue


def test_an_event_on_the_day_counts_and_an_unknown_one_does_not(programme: Programme) -> None:
    ana = cities_on(programme, date(2024, 10, 10))["ana"]  # seminar-1 is that day
    assert ana.activities_by_id["seminar"].done == 1
    city = replace(programme.cities["ana"], attended=("kick-off", "nowhere"))
    cohort, edition = programme.cohorts["c"], programme.editions["short"]
    progress = city_progress(city, cohort, edition, date(2024, 12, 2))
    assert (progress.activities.done, progress.activities_by_id["kick-off"].done) == (1, 1)


def test_visits_by_direction(programme: Programme) -> None:
    ana = cities_on(programme, date(2024, 12, 2))["ana"]
    to, back = ana.visits_by_direction["to-partner"], ana.visits_by_direction["from-partner"]
    assert (to.done, to.planned, to.funded) == (1, 1, 2)
    assert (back.done, back.planned, back.funded) == (0, 0, 1)  # the cancelled one is neither


def test_funded_visits_follow_the_edition(programme: Programme) -> None:
    city, cohort = programme.cities["ana"], programme.cohorts["c"]
    edition = programme.editions["short"]
    site = edition.activities["site-visit"]
    day = date(2024, 12, 2)

    def funded(**changes: Any) -> tuple[int, int, int]:
        activities = dict(edition.activities)
        if changes:
            activities["site-visit"] = replace(site, **changes)
        else:
            del activities["site-visit"]
        p = city_progress(city, cohort, replace(edition, activities=activities), day)
        return (
            p.visits_by_direction["to-partner"].funded,
            p.visits_by_direction["from-partner"].funded,
            p.visits.funded,
        )

    assert funded() == (0, 0, 0)  # no site visits in the edition
    assert funded(to_partner=None, from_partner=None) == (0, 0, 3)
    assert funded(count=5) == (2, 1, 5)
    assert funded(count=1) == (2, 1, 3)  # never fewer than the directions fund


def test_site_visits_among_the_activities_are_not_events(programme: Programme) -> None:
    """Wherever the site-visit activity is listed, the others are still counted."""
    edition = programme.editions["short"]
    first = {"site-visit": edition.activities["site-visit"]}
    reordered = {**first, **{k: v for k, v in edition.activities.items() if k not in first}}
    p = city_progress(
        programme.cities["ana"],
        programme.cohorts["c"],
        replace(edition, activities=reordered),
        date(2024, 12, 2),
    )
    assert sorted(p.activities_by_id) == ["kick-off", "seminar"]
    assert (p.activities.done, p.activities.expected) == (2, 3)


def test_health_on_the_first_day_and_thirty_days_ahead(programme: Programme) -> None:
    cy = cities_on(programme, date(2024, 8, 31))["cy"]  # the start; roadmap due in 30 days
    assert cy.health == "at-risk"
    assert cities_on(programme, date(2024, 8, 30))["cy"].health == "not-started"
    assert cities_on(programme, date(2024, 8, 30))["ana"].health == "not-started"


def test_totals_count_every_state_and_planned_visits(programme: Programme) -> None:
    progress = programme_progress(programme, date(2024, 12, 2))
    totals = progress.cohorts[0].totals
    assert totals.visits.planned == 1
    assert totals.outputs == {
        "not-started": 3,
        "drafting": 1,
        "submitted": 0,
        "needs-revision": 0,
        "approved": 2,
    }
    assert progress.totals == totals  # one cohort: the programme's totals are its own


def test_a_cohort_of_an_unknown_edition_has_no_cities(programme: Programme) -> None:
    cohort = replace(programme.cohorts["c"], edition="nowhere")
    broken = replace(programme, cohorts={"c": cohort})
    progress = programme_progress(broken, date(2024, 12, 2)).cohorts[0]
    assert (progress.cities, progress.module, progress.totals.cities) == ((), None, 0)


def test_deadlines_name_their_cohort_and_visit(programme: Programme) -> None:
    progress = programme_progress(programme, date(2024, 12, 2))
    found = deadlines(progress)
    assert {d.cohort for d in found} == {"c"}
    (visit,) = [d for d in found if d.kind == "visit"]
    assert visit.title == "site visit to-partner"
    ana = programme.cities["ana"]
    visits = tuple(replace(v, city="Lund") if v.status == "planned" else v for v in ana.visits)
    named = replace(programme, cities={**programme.cities, "ana": replace(ana, visits=visits)})
    found = deadlines(programme_progress(named, date(2024, 12, 2)))
    (visit,) = [d for d in found if d.kind == "visit"]
    assert visit.title == "site visit to-partner (Lund)"


def test_deadlines_on_the_day_are_due_not_overdue(programme: Programme) -> None:
    progress = programme_progress(programme, date(2025, 1, 20))  # Ana's planned visit
    today = [d for d in deadlines(progress) if d.days == 0]
    assert [(d.kind, d.state) for d in today] == [("visit", "due")]
    assert all(d.days < 0 for d in deadlines(progress, overdue_only=True))
    assert today[0] not in deadlines(progress, overdue_only=True)
    assert [d.days for d in deadlines(programme_progress(programme, date(2024, 12, 2)), within=49)][
        -1
    ] == 49


def test_select_names_every_cohort_and_where_a_city_was_looked_for(
    programme: Programme,
) -> None:
    second = replace(programme.cohorts["c"], id="d")
    two = replace(programme, cohorts={**programme.cohorts, "d": second})
    progress = programme_progress(two, date(2024, 12, 2))
    with pytest.raises(LookupError) as found:
        select(progress, cohort="x")
    assert str(found.value) == "no cohort 'x' (cohorts: c, d)"
    with pytest.raises(LookupError) as found:
        select(progress, cohort="c", city="zed")
    assert str(found.value) == "no city 'zed' in c"
    with pytest.raises(LookupError) as found:
        select(progress, city="zed")
    assert str(found.value) == "no city 'zed'"
    only = select(progress, cohort="c", city="ana")
    assert only.cohorts[0].totals.cities == 1 and only.totals.cities == 1


def test_a_cohort_without_cities_and_one_looked_up_alone(programme: Programme) -> None:
    empty = replace(programme.cohorts["c"], id="empty")
    two = replace(programme, cohorts={**programme.cohorts, "empty": empty})
    progress = programme_progress(two, date(2024, 12, 2))
    by_id = {c.cohort.id: c for c in progress.cohorts}
    assert by_id["empty"].cities == () and by_id["empty"].totals.cities == 0
    alone = cohort_progress(two, programme.cohorts["c"], date(2024, 12, 2))  # finds its cities
    assert alone == by_id["c"]
    assert [c.city.id for c in alone.cities] == ["ana", "bo", "cy"]
    assert cohort_progress(two, empty, date(2024, 12, 2)).cities == ()
