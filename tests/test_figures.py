"""The figures a steering meeting reads (issue 16), hand-computed on a small cohort.

The cohort starts on 1 January 2025 and has ten sessions; by 15 July 2025 (`DAY`) seven are
held: kick-off, seminar-1, workshop-1, thematic-1, seminar-2, workshop-2, thematic-2.
Soria attended all seven, Lugo none, Vigo the first five; Bo withdrew. The cohort ends on
1 January 2026; its middle is 2 July 2025. Soria made one site visit and planned the two
others; Lugo and Vigo neither made nor planned one.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.folders import build_tree
from twincli.model import Programme
from twincli.progress.standing import (
    Attendance,
    CityProgress,
    cohort_plan,
    event_attendance,
    programme_progress,
    visits_fall_behind,
)
from twincli.read.loader import load_programme

DAY = date(2025, 7, 15)

PROGRAMME = """\
name: Figures
editions:
  e:
    title: Twelve months
    months: 12
    activities:
      kick-off: {count: 1}
      seminar: {count: 3}
      workshop: {count: 2}
      thematic: {count: 4}
      site-visit: {count: 3, to-partner: 2, from-partner: 1}
    outputs:
      roadmap: {title: Roadmap, due_month: 3, milestone: m1}
      plan: {title: Plan, due_month: 11, milestone: m2}
    milestones:
      m1: {title: Planned, due_month: 4}
      m2: {title: Delivered, due_month: 12}
    travel: {cap_per_traveller_eur: 900, max_travellers: 2}
"""

COHORT = """\
title: Cohort C
edition: e
start: 2025-01-01
events:
  kick-off: {activity: kick-off, date: 2025-01-10, title: Kick-off}
  seminar-1: {activity: seminar, date: 2025-02-05}
  workshop-1: {activity: workshop, date: 2025-03-05}
  thematic-1: {activity: thematic, date: 2025-04-02}
  seminar-2: {activity: seminar, date: 2025-05-07}
  workshop-2: {activity: workshop, date: 2025-06-04, title: Governance}
  thematic-2: {activity: thematic, date: 2025-07-02, title: Energy}
  seminar-3: {activity: seminar, date: 2025-08-06}
  thematic-3: {activity: thematic, date: 2025-09-03}
  thematic-4: {activity: thematic, date: 2025-10-01}
"""

HELD = ["kick-off", "seminar-1", "workshop-1", "thematic-1", "seminar-2", "workshop-2"]
HELD.append("thematic-2")

OUTPUTS = """\
outputs:
  roadmap: {status: approved, submitted: 2025-03-20, approved: 2025-03-28}
"""


def city(name: str, attended: list[str], more: str = "") -> str:
    return (
        f"name: {name}\ncountry: ES\ncohort: c\npilot: p\n"
        f"attended: [{', '.join(attended)}]\n{OUTPUTS}{more}"
    )


SORIA_VISITS = """\
visits:
  - {direction: to-partner, start: 2025-03-10, status: done}
  - {direction: to-partner, start: 2025-10-07, status: planned}
  - {direction: from-partner, start: 2025-11-05, status: planned}
"""

FILES = {
    "programme.yaml": PROGRAMME,
    "cohorts/cohort-2.yaml": None,
    "cohorts/c.yaml": COHORT,
    "pilots/urbanew.yaml": None,
    "pilots/p.yaml": "title: Pilot\ncities: [{name: Lund, country: SE}]\n",
    "cities/soria.yaml": city("Soria", HELD, SORIA_VISITS),
    "cities/lugo.yaml": city("Lugo", []),
    "cities/vigo.yaml": city("Vigo", HELD[:5]),
    "cities/bo.yaml": city("Bo", HELD[:1], "status: withdrawn\nwithdrawn: {date: 2025-02-01}\n"),
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return build_tree(tmp_path, FILES)


@pytest.fixture
def programme(root: Path) -> Programme:
    loaded = load_programme(root)
    assert loaded.diagnostics == ()
    return loaded.programme


def cities(programme: Programme, day: date = DAY) -> dict[str, CityProgress]:
    return {c.city.id: c for c in programme_progress(programme, day).cohorts[0].cities}


# --- 1. attendance against sessions held ----------------------------------------------------


def test_attendance_counts_sessions_held_not_those_to_come(programme: Programme) -> None:
    found = cities(programme)
    assert found["soria"].activities == Attendance(done=7, held=7, expected=10)
    assert found["lugo"].activities == Attendance(done=0, held=7, expected=10)
    assert found["vigo"].activities == Attendance(done=5, held=7, expected=10)
    assert found["vigo"].activities_by_id["thematic"] == Attendance(1, 2, 4)
    cohort = programme_progress(programme, DAY).cohorts[0]
    assert (cohort.sessions_held, cohort.sessions_expected) == (7, 10)
    # Bo withdrew: listed, but left out of the totals
    assert cohort.totals.activities == Attendance(done=12, held=21, expected=30)


def test_the_sessions_missed_in_the_order_they_were_held(programme: Programme) -> None:
    found = cities(programme)
    assert found["soria"].missed == ()
    assert found["vigo"].missed == ("workshop-2", "thematic-2")
    assert found["lugo"].missed == tuple(HELD)


def test_a_session_on_the_day_is_held_and_one_the_day_after_is_not(
    programme: Programme,
) -> None:
    on_the_day = cities(programme, date(2025, 7, 2))["vigo"]
    assert on_the_day.activities == Attendance(5, 7, 10)
    day_before = cities(programme, date(2025, 7, 1))["vigo"]
    assert day_before.activities == Attendance(5, 6, 10)
    assert day_before.missed == ("workshop-2",)


def test_sessions_beyond_an_activitys_count_are_not_expected(tmp_path: Path) -> None:
    """A fourth seminar held (the edition expects three) does not raise what was held."""
    extra = COHORT.replace(
        "  seminar-3: {activity: seminar, date: 2025-08-06}",
        "  seminar-3: {activity: seminar, date: 2025-06-10}\n"
        "  seminar-4: {activity: seminar, date: 2025-06-11}",
    )
    build_tree(tmp_path, {**FILES, "cohorts/c.yaml": extra})
    programme = load_programme(tmp_path).programme
    soria = cities(programme)["soria"]
    assert soria.activities_by_id["seminar"] == Attendance(2, 3, 3)
    assert soria.missed == ("seminar-3", "seminar-4")  # of seminars, 2 attended of 3 held
    lugo = cities(programme)["lugo"]
    assert lugo.activities_by_id["seminar"] == Attendance(0, 3, 3)


def test_who_attended_a_session_and_who_did_not(programme: Programme) -> None:
    cohort = programme_progress(programme, DAY).cohorts[0]
    seen = event_attendance(cohort, cohort.cohort.events["workshop-2"])
    assert seen.held
    assert [c.city.id for c in seen.attended] == ["soria"]
    assert [c.city.id for c in seen.absent] == ["lugo", "vigo"]  # not Bo: withdrawn
    upcoming = event_attendance(cohort, cohort.cohort.events["seminar-3"])
    assert (upcoming.held, upcoming.attended, upcoming.absent) == (False, (), ())


def test_status_shows_attended_of_held(root: Path) -> None:
    result = run(root, "status", as_of=str(DAY))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "month 7 of 12 · 7 of 10 sessions held" in " ".join(result.stdout.split())
    lines = lines[: lines.index("Needs attention:")]
    row = {
        line.split()[0]: line.split()[1]
        for line in lines
        if line.startswith(" ") and len(line.split()) > 2
    }
    assert (row["Soria"], row["Lugo"], row["Vigo"]) == ("7/7", "0/7", "5/7")
    assert "Events: attended/held so far" in result.stdout


def test_status_json_and_csv_give_attended_held_and_expected(root: Path) -> None:
    result = run(root, "status", "--format", "json", as_of=str(DAY))
    cohort = json.loads(result.stdout)["cohorts"][0]
    assert cohort["sessions"] == {"held": 7, "expected": 10}
    vigo = next(c for c in cohort["cities"] if c["id"] == "vigo")
    assert vigo["activities"] == {
        "done": 5,
        "held": 7,
        "expected": 10,
        "missed": ["workshop-2", "thematic-2"],
    }
    assert cohort["totals"]["activities"] == {"done": 12, "held": 21, "expected": 30}
    csv = run(root, "export", "csv", "--no-bom", as_of=str(DAY)).stdout.splitlines()
    header = csv[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in csv[1:]]
    vigo_row = next(r for r in rows if r["city"] == "vigo")
    assert (vigo_row["events_attended"], vigo_row["events_held"]) == ("5", "7")
    assert vigo_row["events_expected"] == "10"
    events = run(root, "export", "csv", "--table", "events", "--no-bom", as_of=str(DAY))
    rows = events.stdout.splitlines()
    assert rows[0] == "cohort,event,date,activity,activity_title,title,held,attended"
    assert rows[6] == "c,workshop-2,2025-06-04,workshop,,Governance,true,1"
    assert rows[8] == "c,seminar-3,2025-08-06,seminar,,,false,0"


def test_show_city_lists_the_sessions_missed(root: Path) -> None:
    result = run(root, "show", "city", "vigo", as_of=str(DAY))
    assert result.exit_code == 0, result.stderr
    assert "Missed 2 of 7 held: Governance (2025-06-04); Energy (2025-07-02)" in result.stdout
    assert "Missed" not in run(root, "show", "city", "soria", as_of=str(DAY)).stdout


def test_show_event_lists_who_attended_and_who_did_not(root: Path) -> None:
    result = run(root, "show", "event", "c", "workshop-2", as_of=str(DAY))
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0] == "Governance (workshop-2) · Cohort C · workshop · 2025-06-04 · held"
    assert lines[1] == "Attended by 1 of 3 active cities."
    assert [" ".join(line.split()) for line in lines[5:8]] == ["Lugo no", "Soria yes", "Vigo no"]
    upcoming = run(root, "show", "event", "c", "seminar-3", as_of=str(DAY))
    assert "Not held yet: nobody has attended it." in upcoming.stdout


def test_show_event_refuses_what_it_cannot_show(root: Path) -> None:
    unknown = run(root, "show", "event", "c", "seminar-9", as_of=str(DAY))
    assert unknown.exit_code == 2
    assert "no event 'seminar-9' in c (events: kick-off, seminar-1," in unknown.stderr
    assert run(root, "show", "event", "nowhere", "kick-off", as_of=str(DAY)).exit_code == 2
    missing = run(root, "show", "event", "c", as_of=str(DAY))
    assert missing.exit_code == 2
    assert "usage: twincli show event COHORT ID" in missing.stderr
    extra = run(root, "show", "city", "soria", "kick-off", as_of=str(DAY))
    assert extra.exit_code == 2
    assert "usage: twincli show city ID" in extra.stderr


def test_the_cohort_report_names_who_did_not_attend(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = run(root, "render", "--out", str(out), as_of=str(DAY))
    assert result.exit_code == 0, result.stderr
    report = (out / "cohorts" / "c.md").read_text(encoding="utf-8")
    assert "| 2025-06-04 | Governance | workshop | 1/3 | Lugo, Vigo |" in report
    assert "| 2025-08-06 | seminar | seminar | planned |  |" in report
    assert "| Sessions attended | ▰▰▰▰▰▰▱▱▱▱ | 12 | 21 held | 30 |" in report


# --- 2. health that looks at engagement too ------------------------------------------------

NO_VISIT = "no site visit made or planned by mid-programme (2025-07-02)"


def test_health_looks_at_attendance_and_visits(programme: Programme) -> None:
    found = cities(programme)
    assert (found["soria"].health, found["soria"].reasons) == ("on-track", ())
    assert found["lugo"].health == "behind"  # 0 of 7 is under half, with 7 ≥ 3 held
    assert found["lugo"].reasons == ("attended 0 of 7 sessions held", NO_VISIT)
    assert found["vigo"].health == "at-risk"  # 5 of 7 is over half
    assert found["vigo"].reasons == ("missed the last 2 sessions held", NO_VISIT)
    assert (found["bo"].health, found["bo"].reasons) == ("withdrawn", ())


def test_before_the_middle_no_visit_is_not_yet_a_risk(programme: Programme) -> None:
    """On 1 July, a day before the middle, with 6 held: Vigo missed only workshop-2."""
    found = cities(programme, date(2025, 7, 1))
    assert (found["vigo"].health, found["vigo"].reasons) == ("on-track", ())
    assert found["lugo"].reasons == ("attended 0 of 6 sessions held",)


def test_visits_that_cannot_fit_at_the_pace_so_far(tmp_path: Path) -> None:
    """One visit made in the 195 days to 15 July: two more at that pace end after the
    cohort's 170 days left."""
    one = "visits:\n  - {direction: to-partner, start: 2025-03-10, status: done}\n"
    build_tree(tmp_path, {**FILES, "cities/soria.yaml": city("Soria", HELD, one)})
    soria = cities(load_programme(tmp_path).programme)["soria"]
    assert soria.health == "behind"
    assert soria.reasons == (
        "2 site visits left would end after 2026-01-01 at its pace so far "
        "(1 made or planned since 2025-01-01)",
    )


def test_the_pace_rule_turns_on_the_day_visits_fall_behind_gives(tmp_path: Path) -> None:
    """The reason holds from the day `visits_fall_behind` names to the cohort's end, and on
    no day before it: the reports count that day among those on which they change."""
    one = "visits:\n  - {direction: to-partner, start: 2025-03-10, status: done}\n"
    build_tree(tmp_path, {**FILES, "cities/soria.yaml": city("Soria", HELD, one)})
    programme = load_programme(tmp_path).programme
    cohort = programme.cohorts["c"]
    edition = programme.editions[cohort.edition]
    plan = cohort_plan(cohort, edition, DAY)
    first = visits_fall_behind(programme.cities["soria"], cohort.start, plan)
    assert first == date(2025, 5, 3)  # 122 days in: 122 - 365 + 2 * 122 > 0; 121 not

    def pace_reason(day: date) -> bool:
        return any("pace" in r for r in cities(programme, day)["soria"].reasons)

    assert not pace_reason(first - timedelta(days=1))
    assert pace_reason(first) and pace_reason(date(2026, 1, 1))
    assert not pace_reason(date(2026, 1, 2))  # the cohort has ended


def test_health_thresholds_come_from_programme_yaml(tmp_path: Path) -> None:
    rules = "health: {attendance_percent: 80, sessions_held: 8, missed_in_a_row: 3, "
    rules += "due_soon_days: 140}\n"
    build_tree(tmp_path, {**FILES, "programme.yaml": PROGRAMME + rules})
    loaded = load_programme(tmp_path)
    assert loaded.diagnostics == ()
    found = cities(loaded.programme)
    plan_due = "Plan due on 2025-12-01"  # in 139 days: within 140
    assert found["soria"].reasons == (plan_due,)
    assert found["vigo"].reasons == (plan_due, NO_VISIT)  # Vigo attended seminar-2
    assert found["lugo"].health == "at-risk"  # 7 held, fewer than 8: no share yet
    assert found["lugo"].reasons == (plan_due, "missed the last 3 sessions held", NO_VISIT)


def test_a_threshold_out_of_range_is_refused(tmp_path: Path) -> None:
    build_tree(tmp_path, {**FILES, "programme.yaml": PROGRAMME + "health: {missed_in_a_row: 0}\n"})
    result = run(tmp_path, "validate", as_of=str(DAY))
    assert result.exit_code == 1
    assert "programme.yaml:19:" in result.stdout and "missed_in_a_row" in result.stdout


def test_health_reasons_in_json_tables_and_the_report(root: Path, tmp_path: Path) -> None:
    payload = json.loads(run(root, "status", "--format", "json", as_of=str(DAY)).stdout)
    by_id = {c["id"]: c for c in payload["cohorts"][0]["cities"]}
    assert by_id["lugo"]["health"] == {
        "state": "behind",
        "reasons": ["attended 0 of 7 sessions held", NO_VISIT],
    }
    assert by_id["soria"]["health"] == {"state": "on-track", "reasons": []}
    status = run(root, "status", as_of=str(DAY)).stdout.splitlines()
    start = status.index("Needs attention:")
    assert status[start + 1 : start + 4] == [
        "  Lugo (behind): attended 0 of 7 sessions held",
        "  Vigo (at risk): missed the last 2 sessions held",
        "",
    ]
    city = " ".join(run(root, "show", "city", "lugo", as_of=str(DAY)).stdout.split())
    assert f"Why: attended 0 of 7 sessions held; {NO_VISIT}" in city
    out = tmp_path / "reports"
    assert run(root, "render", "--out", str(out), as_of=str(DAY)).exit_code == 0
    report = (out / "cohorts" / "c.md").read_text(encoding="utf-8")
    attention = report[report.index("## Who needs attention") : report.index("## Progress by")]
    assert attention.splitlines()[2:4] == [
        f"- 🔴 **Lugo** is behind: attended 0 of 7 sessions held; {NO_VISIT}.",
        f"- 🟠 **Vigo** is at risk: missed the last 2 sessions held; {NO_VISIT}.",
    ]


# --- 5. travel caps per funded traveller ----------------------------------------------------


def cap_findings(root: Path, visit: str) -> list[tuple[str, int, str]]:
    """The TC504 and TC505 findings for Soria with `visit` (a flow mapping) as its one visit."""
    from twincli.check.validate import validate_folder

    build_tree(root, {**FILES, "cities/soria.yaml": city("Soria", HELD, f"visits:\n  - {visit}\n")})
    found = validate_folder(root, DAY).diagnostics
    return [(d.code, d.location.line, d.message) for d in found if d.code in ("TC504", "TC505")]


VISIT = "{direction: to-partner, start: 2025-03-10, status: done, "


def test_the_cap_counts_only_the_travellers_funded(tmp_path: Path) -> None:
    """3 travelled, the rules fund 2 × €900: €2,600 paid is over the €1,800 cap."""
    found = cap_findings(
        tmp_path, VISIT + "travellers: 3, claimed_eur: 2600, reimbursed_eur: 2600}"
    )
    assert found == [
        ("TC504", 9, "3 travellers; the travel rules fund 2"),
        (
            "TC505",
            9,
            "€2600 reimbursed is over the cap of €1800 "
            "(2 × €900: 3 travelled, the travel rules fund 2)",
        ),
    ]


def test_a_claim_over_the_cap_names_the_arithmetic_of_the_funded(tmp_path: Path) -> None:
    found = cap_findings(
        tmp_path, VISIT + "travellers: 3, claimed_eur: 3100, reimbursed_eur: 1800}"
    )
    assert found[1:] == [
        (
            "TC505",
            9,
            "€3100 claimed is over the cap of €1800 "
            "(2 × €900: 3 travelled, the travel rules fund 2)",
        )
    ]


def test_at_the_cap_and_within_the_travellers_funded_nothing_is_said(tmp_path: Path) -> None:
    assert cap_findings(tmp_path, VISIT + "travellers: 2, claimed_eur: 1800}") == []
    assert cap_findings(tmp_path, VISIT + "travellers: 2, claimed_eur: 1800.01}") == [
        ("TC505", 9, "€1800.01 claimed is over the cap of €1800 (2 × €900)")
    ]


# --- 8. marks that survive without colour ---------------------------------------------------

LATE_LUGO = (
    "name: Lugo\ncountry: ES\ncohort: c\npilot: p\noutputs:\n  roadmap: {status: drafting}\n"
)
"""Lugo's roadmap, due 1 April 2025, is 105 days overdue on 15 July; milestone m1, due
1 May, 75 days."""


def test_an_overdue_output_is_marked_in_plain_text(tmp_path: Path) -> None:
    build_tree(tmp_path, {**FILES, "cities/lugo.yaml": LATE_LUGO})
    result = run(tmp_path, "status", as_of=str(DAY))  # not a terminal: no colour
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    rows = {line.split()[0]: line.split() for line in lines if line.startswith((" Lugo", " Soria"))}
    assert (rows["Lugo"][3], rows["Soria"][4]) == ("D!·", "A·")  # Soria: visits 1/3 +2
    legend = " ".join(result.stdout.split())
    assert "overdue: the letter and ! (R!)." in legend
    assert "underline" not in legend
    city = " ".join(run(tmp_path, "show", "city", "lugo", as_of=str(DAY)).stdout.split())
    assert "drafting 2025-04-01 105 d" in city  # late and not delivered: overdue


def test_deadlines_as_markdown_and_csv(tmp_path: Path) -> None:
    build_tree(tmp_path, {**FILES, "cities/lugo.yaml": LATE_LUGO})
    markdown = run(tmp_path, "deadlines", "--within", "60", "--format", "markdown", as_of=str(DAY))
    assert markdown.exit_code == 0, markdown.stderr
    assert markdown.stdout == (
        "# Deadlines as of 2025-07-15: 2 overdue, 0 coming up\n"
        "\n"
        "| Due | When | City | Kind | What |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 2025-04-01 | ⏰ 105 days late | Lugo | output | Roadmap |\n"
        "| 2025-05-01 | ⏰ 75 days late | Lugo | milestone | Planned |\n"
    )
    csv = run(tmp_path, "deadlines", "--within", "60", "--format", "csv", as_of=str(DAY))
    assert csv.exit_code == 0, csv.stderr
    assert csv.stdout == (
        "as_of,due,days,state,cohort,city,name,kind,item,title\n"
        "2025-07-15,2025-04-01,-105,overdue,c,lugo,Lugo,output,roadmap,Roadmap\n"
        "2025-07-15,2025-05-01,-75,overdue,c,lugo,Lugo,milestone,m1,Planned\n"
    )
    nothing = run(tmp_path, "deadlines", "--city", "soria", "--overdue", "--format", "markdown")
    assert nothing.stdout == "# Deadlines as of 2025-06-30: 0 overdue, 0 coming up\n"


# --- 7. nothing vanishes without its name ---------------------------------------------------

SORIA_YML = "cities/Soria.yml is not read: files here end in .yaml, not .yml (rename it to "
SORIA_YML += "cities/soria.yaml)"


@pytest.fixture
def misnamed(tmp_path: Path) -> Path:
    """The fixture cohort with Soria's file saved as cities/Soria.yml."""
    build_tree(tmp_path, {**FILES, "cities/soria.yaml": None})
    (tmp_path / "cities" / "Soria.yml").write_text(city("Soria", HELD), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [["status"], ["deadlines"], ["export", "csv"], ["export", "json"], ["show", "cohort", "c"]],
)
def test_a_misnamed_file_is_named_in_every_report_with_its_id(
    misnamed: Path, command: list[str]
) -> None:
    result = run(misnamed, *command, as_of=str(DAY))
    assert result.exit_code == 0, result.stderr
    warning = " ".join(result.stderr.split())
    assert f"left out: city soria ({SORIA_YML})" in warning


def test_show_city_says_which_file_is_the_citys_and_why_it_is_not_read(misnamed: Path) -> None:
    result = run(misnamed, "show", "city", "soria", as_of=str(DAY))
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert f"city 'soria' is left out: {SORIA_YML} (twincli validate cities/Soria.yml)" in said
    assert "did you mean" not in said
