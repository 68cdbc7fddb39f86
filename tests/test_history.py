"""Progress over time: `twincli history` and the cohort report's burn-up, hand-computed on the
fixture cohort of tests/support/dated.py (two cities, facts from October 2024 to March 2025)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.mermaid_check import check_block, mermaid_blocks
from tests.support.cli import run
from tests.support.dated import now

# cohort-2 runs from 2024-09-30 to 2026-03-30 (546 days); 3 funded visits per city
# soria: kick-off 10-15, seminar-1 11-12, seminar-2 2025-02-11; visits ended 11-22 and
# 2025-03-04; roadmap (due 2025-01-30) in revision 01-20, submitted 02-10, approved 03-01
# umea: kick-off only, withdrew on 2025-02-01
EXPECTED = """\
cohort,day,month,cities,outputs_approved,outputs_due,milestones_reached,milestones_due,\
sessions_attended,sessions_held,visits_done,visits_funded,overdue,behind,at_risk
cohort-2,2024-09-30,1,2,0,0,0,0,0,0,0,0.0,0,0,0
cohort-2,2024-10-30,2,2,0,0,0,0,2,2,0,0.3,0,0,0
cohort-2,2024-11-30,3,2,0,0,0,0,3,4,1,0.7,0,0,0
cohort-2,2024-12-30,4,2,0,0,0,0,3,4,1,1.0,0,0,0
cohort-2,2025-01-30,5,2,0,2,0,0,3,4,1,1.3,0,0,2
cohort-2,2025-02-28,6,1,0,1,0,0,3,3,1,0.8,0,0,0
cohort-2,2025-03-15,6,1,1,1,1,0,3,3,2,0.9,0,0,0
"""
"""By hand: 0.3 = 6 visits x 30/546 days; on 2025-01-30 the roadmap is due that day (both at
risk, neither overdue); from 2025-02-01 umea is withdrawn, out of every figure; soria's
roadmap is submitted (not overdue) on 02-28 and approved, with its milestone, by 03-15."""


def test_history_by_hand(tmp_path: Path) -> None:
    result = run(now(tmp_path), "history", "--format", "csv", as_of="2025-03-15")
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED
    assert result.stderr == ""  # nothing is dated after the day


def test_the_last_step_is_status_on_the_day(tmp_path: Path) -> None:
    root = now(tmp_path)
    steps = json.loads(run(root, "history", "-f", "json", as_of="2025-03-15").stdout)
    last = steps["cohorts"][0]["steps"][-1]
    totals = json.loads(run(root, "status", "-f", "json", as_of="2025-03-15").stdout)["totals"]
    assert last["outputs"]["approved"] == totals["outputs"]["approved"]
    assert last["sessions"] == {
        "attended": totals["activities"]["done"],
        "held": totals["activities"]["held"],
    }
    assert last["visits"]["done"] == totals["visits"]["done"]
    assert last["cities"] == totals["cities"]
    assert (steps["as_of"], steps["every"]) == ("2025-03-15", "month")


def test_weekly_steps_and_the_formats_agree(tmp_path: Path) -> None:
    root = now(tmp_path)
    weekly = run(root, "history", "--every", "week", "-f", "csv", as_of="2024-10-30").stdout
    days = [row["day"] for row in csv.DictReader(io.StringIO(weekly))]
    assert days == ["2024-09-30", "2024-10-07", "2024-10-14", "2024-10-21", "2024-10-28",
                    "2024-10-30"]  # fmt: skip
    table = run(root, "history", as_of="2025-03-15").stdout
    assert " 2025-03-15       1      1/1    1/0       3/3   2/0.9     0       0        0\n" in table
    markdown = run(root, "history", "-f", "markdown", as_of="2025-03-15").stdout
    assert "| 2025-03-15 | 1 | 1/1 | 1/0 | 3/3 | 2/0.9 | 0 | 0 | 0 |" in markdown


def test_a_cohort_not_started_and_an_unknown_one(tmp_path: Path) -> None:
    root = now(tmp_path)
    early = run(root, "history", "-f", "json", as_of="2024-09-01")
    assert early.exit_code == 0
    assert json.loads(early.stdout)["cohorts"] == [{"id": "cohort-2", "steps": []}]
    assert "starts on 2024-09-30" in run(root, "history", as_of="2024-09-01").stdout
    unknown = run(root, "history", "--cohort", "cohort-9")
    assert unknown.exit_code == 2
    assert "no cohort 'cohort-9'" in unknown.stderr


@pytest.mark.parametrize("every", ["day", ""])
def test_a_step_that_is_not_a_month_or_a_week(tmp_path: Path, every: str) -> None:
    result = run(now(tmp_path), "history", "--every", every)
    assert result.exit_code == 2
    assert "month" in result.stderr and "week" in result.stderr


def test_the_cohort_report_draws_the_same_series(tmp_path: Path) -> None:
    root = now(tmp_path)
    out = tmp_path / "reports"
    assert run(root, "render", "--out", str(out), as_of="2025-03-15").exit_code == 0
    report = (out / "cohorts" / "cohort-2.md").read_text(encoding="utf-8")
    charts = mermaid_blocks(report)
    burnups = [c for c in charts if c.startswith("xychart-beta")]
    assert [check_block(c) for c in burnups] == [[], [], []]
    # to the last month's end: the as-of day is not a step of the chart
    months = '["Sep 24", "Oct 24", "Nov 24", "Dec 24", "Jan 25", "Feb 25"]'
    assert f"x-axis {months}" in burnups[0]
    assert "bar [0, 0, 0, 0, 0, 0]\n    line [0, 0, 0, 0, 2, 1]" in burnups[0]
    assert "bar [0, 2, 3, 3, 3, 3]\n    line [0, 2, 4, 4, 4, 3]" in burnups[1]
    assert "bar [0, 0, 1, 1, 1, 1]\n    line [0.0, 0.3, 0.7, 1.0, 1.3, 0.8]" in burnups[2]
