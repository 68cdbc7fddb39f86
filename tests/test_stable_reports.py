"""Reports that change only when the programme does (issue 17): the day a report states is the
last on which a figure it shows changed (`report.stable`), so rendering the same data on two
days between which nothing falls gives the same bytes, and a re-render after a deadline passes
changes only what that deadline touches."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.cli import run
from tests.support.folders import EXAMPLE, build_tree, snapshot
from twincli.progress.past import as_it_stood
from twincli.progress.standing import programme_progress
from twincli.read.loader import load_programme
from twincli.report.plan import Document, plan_documents
from twincli.report.render import Renderer, marker_line, read_report, root_from
from twincli.report.templating import make_environment

SMALL_PROGRAMME = """\
name: Small programme
health: {due_soon_days: 20, attendance_percent: 60, sessions_held: 2, missed_in_a_row: 2}
editions:
  tlp-12:
    title: Twelve months
    months: 12
    modules:
      start: {title: Getting started, months: [1, 4]}
      middle: {title: Co-creating, months: [5, 9]}
    activities:
      kick-off: {title: Kick-off, count: 1}
      seminar: {title: Seminar, count: 3}
      site-visit: {title: Site visit, count: 3, to-partner: 2, from-partner: 1}
    outputs:
      learning-roadmap: {title: Roadmap, due_month: 3, milestone: m1}
      action-plan: {title: Action plan, due_month: 10, milestone: m2}
    milestones:
      m1: {title: Planned, due_month: 4}
      m2: {title: Delivered, due_month: 12}
"""
"""A cohort that runs a year from 31 January 2025 (month ends clamp: due dates fall on 30
April and 31 October), another that starts later, and cities that meet every rule: an
approval, visits done and planned, an action plan's actions, the pace of visits, a city that
withdrew."""

SMALL_FILES = {
    "programme.yaml": SMALL_PROGRAMME,
    "cohorts/cohort-2.yaml": """\
edition: tlp-12
start: 2025-01-31
events:
  kick-off: {activity: kick-off, date: 2025-02-10}
  seminar-1: {activity: seminar, date: 2025-03-18}
  seminar-2: {activity: seminar, date: 2025-05-06}
  seminar-3: {activity: seminar, date: 2025-09-09}
""",
    "cohorts/cohort-3.yaml": """\
edition: tlp-12
selected: 2025-10-20
start: 2026-03-01
events:
  kick-off: {activity: kick-off, date: 2026-03-10}
""",
    "cities/soria.yaml": """\
name: Soria
country: ES
cohort: cohort-2
pilot: urbanew
attended: [kick-off, seminar-1]
visits:
  - {direction: to-partner, city: Valladolid, start: 2025-03-03, end: 2025-03-04, status: done}
  - {direction: from-partner, city: Valladolid, start: 2025-07-14, end: 2025-07-15, status: planned}
outputs:
  learning-roadmap:
    status: approved
    submitted: 2025-04-20
    approved: 2025-05-12
    content:
      objectives:
        - {title: District heating, practice: Heat networks}
  action-plan:
    status: drafting
    started: 2025-06-16
    content:
      actions:
        - {id: a1, title: Heat study, start: 2025-06-01, end: 2025-08-31, status: in-progress}
        - {id: a2, title: Pilot street, start: 2025-09-01, end: 2026-01-15, status: planned}
""",
    "cities/lugo.yaml": """\
name: Lugo
country: ES
cohort: cohort-2
pilot: urbanew
attended: [kick-off]
visits:
  - {direction: to-partner, city: Valladolid, start: 2025-02-20, status: done}
outputs:
  learning-roadmap:
    status: drafting
    started: 2025-03-20
    content:
      objectives:
        - {title: Retrofits, practice: One-stop shop}
""",
    "cities/vigo.yaml": """\
name: Vigo
country: ES
cohort: cohort-2
pilot: urbanew
status: withdrawn
withdrawn: {date: 2025-04-02, reason: No team left}
""",
    "cities/teruel.yaml": """\
name: Teruel
country: ES
cohort: cohort-3
pilot: urbanew
outputs:
  learning-roadmap:
    status: drafting
    content:
      objectives:
        - {title: Solar roofs, practice: Community energy}
    started: 2026-03-05
""",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_tree(tmp_path_factory.mktemp("small") / "programme", SMALL_FILES)
    assert load_programme(root).diagnostics == ()
    return root


def renderer_for(root: Path) -> Renderer:
    loaded = load_programme(root)
    return Renderer(loaded.programme, root, root / "reports", make_environment(root))


def truthful(renderer: Renderer, as_of: date, stated: dict[str, date]) -> list[Document]:
    """Every document with its figures as of `as_of` itself, stating the day in `stated`:
    what render wrote before, but for the day in its footer and marker."""
    then = as_it_stood(renderer.programme, as_of)
    documents = plan_documents(
        then.programme,
        programme_progress(then.programme, as_of),
        renderer.selection,
        root_from(renderer.out, renderer.root),
        then.undated,
    )
    return [Document(d.path, d.template, {**d.context, "as_of": stated[d.path]}) for d in documents]


def check_day(renderer: Renderer, as_of: date) -> None:
    documents = renderer.plan(as_of)
    stated = {d.path: d.as_of for d in documents}
    bodies = renderer.render(documents)
    assert all(day <= as_of for day in stated.values())
    # The figures as of the day stated are those as of the day asked for: nothing the
    # reports show changed in between.
    assert renderer.render(truthful(renderer, as_of, stated)) == bodies
    # Rendered as of a day a report states, the report states that day again, with the same
    # bytes: `render --check` re-renders each report as of its marker's day.
    for day in set(stated.values()):
        again = {d.path: d for d in renderer.plan(day) if stated[d.path] == day}
        assert {p: d.as_of for p, d in again.items()} == dict.fromkeys(again, day)
        rendered = renderer.render(list(again.values()))
        assert rendered == {p: bodies[p] for p in again}


@pytest.fixture(scope="module")
def example_renderer() -> Renderer:
    return renderer_for(EXAMPLE)


@settings(max_examples=25, deadline=None)
@given(st.dates(date(2023, 9, 1), date(2026, 8, 31)))
def test_the_example_states_a_day_whose_figures_are_the_as_of_days(
    example_renderer: Renderer, as_of: date
) -> None:
    check_day(example_renderer, as_of)


@pytest.fixture(scope="module")
def small_renderer(small: Path) -> Renderer:
    return renderer_for(small)


@settings(max_examples=40, deadline=None)
@given(st.dates(date(2024, 12, 1), date(2027, 6, 30)))
def test_a_small_programme_states_a_day_whose_figures_are_the_as_of_days(
    small_renderer: Renderer, as_of: date
) -> None:
    check_day(small_renderer, as_of)


def test_every_change_day_of_the_small_programme_and_the_day_before(
    small_renderer: Renderer,
) -> None:
    """Beside the days Hypothesis draws, the edges: each day written in the data and the day
    after it (found in the files, not by the code under test), and each day a report states
    and the day before it."""
    renderer = small_renderer
    written = {
        date.fromisoformat(found)
        for text in SMALL_FILES.values()
        for found in re.findall(r"\d{4}-\d{2}-\d{2}", text)
    }
    days = written | {day + timedelta(days=1) for day in written}
    for day in (date(2025, 1, 1) + timedelta(days=n) for n in range(0, 520, 7)):
        stated = {d.as_of for d in renderer.plan(day)}
        days |= stated | {s - timedelta(days=1) for s in stated}
    for day in sorted(days):
        check_day(renderer, day)


def test_the_small_programme_s_reports_name_dates_not_counts(small: Path) -> None:
    renderer = renderer_for(small)
    bodies = renderer.render(renderer.plan(date(2025, 6, 20)))
    cohort = bodies["cohorts/cohort-2.md"]
    # Soria started drafting its action plan on 16 June: nothing changed from then to 20 June.
    assert "**As of 16 June 2025**: Co-creating, months 5 to 9 of 12." in cohort
    assert "- 🔴 **Lugo** is behind: Roadmap overdue since 2025-04-30; " in cohort
    assert "| 2025-04-30 | ⏰ overdue | Lugo | Output: Roadmap |" in cohort
    visit = "| 2025-07-14 | coming up | Soria | Visit: site visit from-partner (Valladolid) |"
    assert visit in cohort
    roadmap = bodies["cities/lugo/learning-roadmap.md"]
    assert "| **Due** | 30 April 2025 · ⏰ overdue |" in roadmap


# --- with git, as a programme officer would -------------------------------------------------


def test_renders_on_two_days_with_nothing_between_are_byte_identical(tmp_path: Path) -> None:
    root = tmp_path / "programme"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("reports"))
    assert run(root, "render", as_of="2025-07-01").exit_code == 0
    first = snapshot(root / "reports")
    second = run(root, "render", as_of="2025-07-08")
    assert second.exit_code == 0
    assert "0 written, 55 unchanged" in second.stdout
    assert snapshot(root / "reports") == first
    assert run(root, "render", "--check", as_of="2025-07-08").exit_code == 0


def test_a_deadline_passing_changes_only_what_it_must(tmp_path: Path) -> None:
    """The small programme's action plan falls due on 30 November 2025: on 1 December it is
    overdue for Soria and Lugo. Cohort 2's report and the overview say so; its cities'
    documents state the new day, and Soria's action plan says it is overdue; cohort 3, which
    starts next year, is left as it was (it states the day its cities were selected)."""
    root = build_tree(tmp_path / "programme", SMALL_FILES)
    assert run(root, "render", as_of="2025-11-30").exit_code == 0
    before = snapshot(root / "reports")
    result = run(root, "render", as_of="2025-12-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(": 5 written, 2 unchanged\n")
    after = snapshot(root / "reports")
    changed = {
        p: sorted(set(after[p].decode().splitlines()) - set(before[p].decode().splitlines()))
        for p in after
        if after[p] != before[p]
    }
    assert sorted(changed) == [
        "README.md",
        "cities/lugo/learning-roadmap.md",
        "cities/soria/action-plan.md",
        "cities/soria/learning-roadmap.md",
        "cohorts/cohort-2.md",
    ]
    marker = marker_line(date(2025, 12, 1))
    footer = "<sub>As of 1 December 2025. Generated by twincli from [the programme data]({}):"
    assert changed["cities/lugo/learning-roadmap.md"] == [
        marker,
        footer.format("../../../cities/lugo.yaml"),
    ]
    assert changed["cities/soria/action-plan.md"] == [
        marker,
        footer.format("../../../cities/soria.yaml"),
        "| **Due** | 30 November 2025 · ⏰ overdue |",
    ]
    cohort = changed["cohorts/cohort-2.md"]
    assert "| 2025-11-30 | ⏰ overdue | Soria | Output: Action plan |" in cohort
    assert "- **Overdue outputs:** 3" in cohort
    assert read_report(root / "reports" / "cohorts" / "cohort-3.md").as_of == date(2025, 10, 20)  # type: ignore[union-attr]
    assert run(root, "render", "--check", as_of="2025-12-20").exit_code == 0


def test_check_finds_a_report_stale_when_the_data_moves_its_day(tmp_path: Path) -> None:
    """An approval recorded after the render, dated before it: the reports' figures as of
    their marker's day change (a milestone reached), and so does the day they state."""
    root = build_tree(tmp_path / "programme", SMALL_FILES)
    assert run(root, "render", as_of="2025-06-20").exit_code == 0
    soria = root / "cities" / "soria.yaml"
    text = soria.read_text(encoding="utf-8")
    soria.write_text(text.replace("approved: 2025-05-12", "approved: 2025-06-10"), "utf-8")
    check = run(root, "render", "--check", as_of="2025-06-20")
    assert check.exit_code == 1
    assert "cohorts/cohort-2.md: stale" in check.stdout
