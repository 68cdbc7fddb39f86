"""The programme as it stood on a day in the past: what the dated facts say about that day.

A fixture cohort has facts through 2025; the same cohort edited back by hand to 2024-12-01
must give the same figures on that day as the data itself, in every report command.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.dated import DAY, now, then
from twincli.model import City, CityOutput, Visit, Withdrawal
from twincli.progress.past import as_it_stood
from twincli.read.loader import load_programme

# --- the rules, one record at a time --------------------------------------------------------


def output(**fields: object) -> CityOutput:
    return CityOutput(id="learning-roadmap", **fields)  # type: ignore[arg-type]


def a_city(ident: str = "soria", cohort: str = "c", **fields: object) -> City:
    return City(id=ident, name=ident.title(), country="ES", cohort=cohort, pilot="p", **fields)  # type: ignore[arg-type]


def output_on(day: str, **fields: object) -> CityOutput:
    city = a_city(outputs={"learning-roadmap": output(**fields)})
    return _city_on(city, day).outputs["learning-roadmap"]


def _city_on(city: City, day: str) -> City:
    from twincli.model import Programme

    programme = Programme(name="p", editions={}, cities={city.id: city})
    return as_it_stood(programme, date.fromisoformat(day)).programme.cities[city.id]


REVISED = {
    "status": "approved",
    "started": date(2024, 10, 20),
    "revision_requested": date(2025, 1, 20),
    "submitted": date(2025, 2, 10),
    "approved": date(2025, 3, 1),
}
"""Drafted, submitted, sent back for revision, submitted again and approved."""


@pytest.mark.parametrize(
    ("day", "status", "kept"),
    [
        ("2024-10-19", "not-started", set()),
        ("2024-10-20", "drafting", {"started"}),
        ("2025-01-20", "needs-revision", {"started", "revision_requested"}),
        ("2025-02-10", "submitted", {"started", "revision_requested", "submitted"}),
        ("2025-03-01", "approved", {"started", "revision_requested", "submitted", "approved"}),
    ],
)
def test_an_output_is_in_the_state_its_latest_date_by_then_began(
    day: str, status: str, kept: set[str]
) -> None:
    found = output_on(day, **REVISED)
    assert found.status == status
    dates = ("started", "revision_requested", "submitted", "approved")
    assert {name for name in dates if getattr(found, name) is not None} == kept


def test_a_revision_requested_after_the_last_submission_is_the_state_now() -> None:
    fields = {
        "status": "needs-revision",
        "submitted": date(2025, 1, 10),
        "revision_requested": date(2025, 1, 20),
    }
    assert output_on("2025-01-15", **fields).status == "submitted"
    assert output_on("2025-01-20", **fields).status == "needs-revision"
    # submitted and sent back on one day: the state now comes last
    same_day = {**fields, "revision_requested": date(2025, 1, 10)}
    assert output_on("2025-01-10", **same_day).status == "needs-revision"


def test_an_output_without_a_start_is_not_started_before_its_first_date() -> None:
    assert output_on("2024-12-01", status="approved", submitted=date(2025, 2, 10),
                     approved=date(2025, 3, 1)).status == "not-started"  # fmt: skip


def test_a_visit_is_done_once_it_ended_and_its_claims_come_with_it() -> None:
    visit = Visit(
        direction="to-partner",
        start=date(2025, 3, 3),
        end=date(2025, 3, 4),
        status="done",
        claimed_eur=Decimal(300),
        reimbursed_eur=Decimal(250),
    )
    city = a_city(visits=(visit,))
    during = _city_on(city, "2025-03-03").visits[0]
    assert (during.status, during.claimed_eur, during.reimbursed_eur) == ("planned", None, None)
    assert _city_on(city, "2025-03-04").visits[0] == visit


def test_a_withdrawal_counts_from_its_date() -> None:
    city = a_city("umea", status="withdrawn", withdrawn=Withdrawal(date=date(2025, 2, 1)))
    before = _city_on(city, "2025-01-31")
    assert (before.status, before.withdrawn) == ("active", None)
    assert _city_on(city, "2025-02-01") == city


def test_what_has_no_date_is_named_only_when_the_data_goes_beyond_the_day(
    tmp_path: Path,
) -> None:
    programme = load_programme(now(tmp_path), cache=False).programme
    past = as_it_stood(programme, date(2024, 12, 1))
    # soria: seminar-2, the visit from its partner, 3 dates of its roadmap; umea: its withdrawal
    assert past.later == 6
    assert past.undated == (("soria", "action-plan drafting (no 'started' date)"),)
    assert past.note() == (
        "as of 2024-12-01: 6 facts dated later left out; not dated: soria action-plan "
        "drafting (no 'started' date)"
    )
    today = as_it_stood(programme, date(2025, 6, 30))
    assert (today.later, today.undated, today.note()) == (0, (), None)
    assert today.programme is programme


# --- every report command: the data on the day is the data edited back to it -----------------


def json_of(root: Path, *args: str) -> dict[str, object]:
    result = run(root, *args, as_of=DAY)
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_status_on_a_past_day_is_the_data_edited_back_to_it(tmp_path: Path) -> None:
    was, edited = now(tmp_path), then(tmp_path)
    past = json_of(was, "status", "--format", "json")
    by_hand = json_of(edited, "status", "--format", "json")
    assert past.pop("dated_later") == 6
    assert past.pop("undated") == [
        {"city": "soria", "what": "action-plan drafting (no 'started' date)"}
    ]
    assert (by_hand.pop("dated_later"), by_hand.pop("undated")) == (0, [])
    assert past == by_hand
    soria = past["cohorts"][0]["cities"][0]  # type: ignore[index]
    assert soria["activities"] == {"done": 2, "held": 2, "expected": 4, "missed": []}
    assert soria["visits"] == {"done": 1, "planned": 1, "funded": 3}
    assert soria["outputs"]["learning-roadmap"]["status"] == "drafting"
    assert past["totals"]["cities"] == 2  # type: ignore[index]  # umea had not withdrawn


@pytest.mark.parametrize(
    "args",
    [
        ("deadlines", "--format", "json"),
        ("show", "city", "soria"),
        ("show", "event", "cohort-2", "seminar-2"),
        ("export", "json"),
    ],
)
def test_every_report_command_sees_the_day_as_the_edited_copy(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    was, edited = now(tmp_path), then(tmp_path)
    past, by_hand = run(was, *args, as_of=DAY), run(edited, *args, as_of=DAY)
    assert (past.exit_code, by_hand.exit_code) == (0, 0), past.output + by_hand.output
    assert past.stdout.strip()  # something to compare
    assert past.stdout == by_hand.stdout.replace(str(edited), str(was))


def test_export_csv_tables_of_the_day(tmp_path: Path) -> None:
    was, edited = now(tmp_path), then(tmp_path)
    for table in ("cities", "outputs", "visits", "events"):
        past = run(was, "export", "csv", "--table", table, as_of=DAY)
        by_hand = run(edited, "export", "csv", "--table", table, as_of=DAY)
        assert past.exit_code == by_hand.exit_code == 0, past.output
        rows = list(csv.reader(io.StringIO(past.stdout)))
        assert len(rows) > 1, table  # a header, and the day's rows
        assert rows == list(csv.reader(io.StringIO(by_hand.stdout))), table


def test_later_facts_are_a_note_not_errors_in_a_report(tmp_path: Path) -> None:
    was = now(tmp_path)
    result = run(was, "status", as_of=DAY)
    assert result.exit_code == 0
    assert result.stderr == (
        "twincli: note: as of 2024-12-01: 6 facts dated later left out; not dated: soria "
        "action-plan drafting (no 'started' date)\n"
    )
    # validate still holds the data to its day: each later fact is an error there
    checked = run(was, "validate", "--format", "json", as_of=DAY)
    assert checked.exit_code == 1
    codes = [d["code"] for d in json.loads(checked.stdout)["diagnostics"]]
    assert codes.count("TC405") == 6


def test_a_day_the_data_has_not_gone_beyond_has_no_note(tmp_path: Path) -> None:
    result = run(now(tmp_path), "status", as_of="2025-06-30")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_render_on_a_past_day_names_what_is_not_dated_and_checks(tmp_path: Path) -> None:
    was = now(tmp_path)
    out = tmp_path / "reports"
    assert run(was, "render", "--out", str(out), as_of=DAY).exit_code == 0
    cohort = (out / "cohorts" / "cohort-2.md").read_text(encoding="utf-8")
    assert (
        "_Not dated, so shown as the data has them now: soria action-plan drafting (no "
        "'started' date)._"
    ) in cohort
    assert "| Umeå |" in cohort  # active on the day: a row of its own
    # the reports stay right for their day, whatever is recorded later
    later = run(was, "render", "--check", "--out", str(out), as_of="2025-06-30")
    assert later.exit_code == 0, later.output


def test_what_has_no_date_is_named_in_a_cohort_whose_data_goes_beyond_the_day() -> None:
    """A cohort's figures depend on its own data alone: a fact of another cohort's city dated
    after the day names nothing of this one (its report would change with every cohort's)."""
    from twincli.model import Programme

    drafting = a_city(cohort="cohort-1", outputs={"learning-roadmap": output(status="drafting")})
    approved = a_city(
        "umea",
        cohort="cohort-2",
        outputs={"learning-roadmap": output(status="approved", approved=date(2025, 3, 1))},
    )
    programme = Programme(name="p", editions={}, cities={"soria": drafting, "umea": approved})
    past = as_it_stood(programme, date(2025, 1, 1))
    assert (past.later, past.undated) == (1, ())
    later = replace(drafting, outputs={**drafting.outputs, "action-plan": output(
        status="approved", approved=date(2025, 2, 1))})  # fmt: skip
    both = replace(programme, cities={"soria": later, "umea": approved})
    assert as_it_stood(both, date(2025, 1, 1)).undated == (
        ("soria", "learning-roadmap drafting (no 'started' date)"),
    )
