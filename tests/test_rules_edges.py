"""The date rules on the day itself, and the edition's calendar, word for word.

The bad-input corpus (tests/support/bad_input.py) shows each code on a broken folder; these pin the
boundaries (a date on the first or last day of a cohort is inside it) and every message and
hint of the edition calendar (TC407).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.support.folders import MINIMAL_CITY, MINIMAL_COHORT, MINIMAL_PROGRAMME, build_tree
from twincli.check.validate import validate_folder

AS_OF = date(2026, 6, 30)
COHORT = "cohorts/cohort-2.yaml"
PROGRAMME = "programme.yaml"


def found(
    tmp_path: Path, files: dict[str, str | None], *, columns: bool = False
) -> list[tuple[Any, ...]]:
    """(code, file, line, message, hint) of each diagnostic, and its column with `columns`."""
    root = build_tree(tmp_path, files)
    return [
        (d.code, d.location.file, d.location.line, d.message, d.hint)
        + ((d.location.column,) if columns else ())
        for d in validate_folder(root, AS_OF).diagnostics
    ]


def with_events(*days: str) -> str:
    """The minimal cohort (2024-09-30 to 2026-03-30) with a seminar on each day."""
    events = "".join(
        f"  extra-{n}: {{activity: info-seminar, date: {day}}}\n" for n, day in enumerate(days)
    )
    return MINIMAL_COHORT + events


def test_events_on_the_first_and_last_day_are_inside_the_cohort(tmp_path: Path) -> None:
    assert found(tmp_path, {COHORT: with_events("2024-09-30", "2026-03-30")}) == []


def test_events_a_day_outside_are_reported_with_the_window(tmp_path: Path) -> None:
    assert found(tmp_path, {COHORT: with_events("2024-09-29", "2026-03-31")}) == [
        (
            "TC402",
            COHORT,
            6,
            "event 'extra-0' on 2024-09-29 is outside the cohort: "
            "cohort-2 runs 2024-09-30 to 2026-03-30",
            None,
        ),
        (
            "TC402",
            COHORT,
            7,
            "event 'extra-1' on 2026-03-31 is outside the cohort: "
            "cohort-2 runs 2024-09-30 to 2026-03-30",
            None,
        ),
    ]


def modules(*ranges: str) -> str:
    lines = "".join(f"      m{n}: {{title: M{n}, months: {r}}}\n" for n, r in enumerate(ranges))
    return MINIMAL_PROGRAMME.replace("    months: 18\n", "    months: 18\n    modules:\n" + lines)


def test_modules_in_order_within_the_edition_are_fine(tmp_path: Path) -> None:
    assert found(tmp_path, {PROGRAMME: modules("[1, 1]", "[2, 17]", "[18, 18]")}) == []


def test_the_edition_calendar_word_for_word(tmp_path: Path) -> None:
    programme = modules("[3, 2]", "[2, 4]", "[4, 6]", "[7, 19]")
    programme = programme.replace("due_month: 17", "due_month: 19")
    overlap = "list modules in order, without overlaps"
    assert found(tmp_path, {PROGRAMME: programme}) == [
        ("TC407", PROGRAMME, 7, "module 'm0' runs from month 3 to month 2", "write [first, last]"),
        (
            "TC407",
            PROGRAMME,
            8,
            "module 'm1' starts in month 2, before the previous module ends (month 2)",
            overlap,
        ),
        (
            "TC407",
            PROGRAMME,
            9,
            "module 'm2' starts in month 4, before the previous module ends (month 4)",
            overlap,
        ),
        (
            "TC407",
            PROGRAMME,
            10,
            "module 'm3' ends in month 19, but the edition lasts 18 months",
            None,
        ),
        (
            "TC407",
            PROGRAMME,
            17,
            "'action-plan' is due in month 19, but the edition lasts 18 months",
            None,
        ),
    ]


def test_the_calendar_points_at_the_module_months(tmp_path: Path) -> None:
    """Each finding on a module is at its `months` value, not at the module."""
    programme = modules("[3, 2]", "[4, 19]")
    columns = {f[2]: f[5] for f in found(tmp_path, {PROGRAMME: programme}, columns=True)}
    assert columns == {7: 31, 8: 31}  # `      m0: {title: M0, months: [3, 2]}`


def test_a_cohort_without_an_end_says_when_it_starts(tmp_path: Path) -> None:
    cohort = with_events("2024-09-01").replace("edition: tlp-18", "edition: tlp-99")
    messages = [f[3] for f in found(tmp_path, {COHORT: cohort}) if f[0] == "TC402"]
    assert messages == [
        "event 'extra-0' on 2024-09-01 is outside the cohort: cohort-2 starts 2024-09-30"
    ]


def test_unknown_references_each_get_their_own_suggestion(tmp_path: Path) -> None:
    city = MINIMAL_CITY.replace("cohort: cohort-2", "cohort: cohort-3").replace(
        "pilot: urbanew", "pilot: urbanev"
    )
    other = city.replace("name: Soria", "name: Cologne")
    hints = {
        (f[1], f[0]): f[4]
        for f in found(tmp_path, {"cities/soria.yaml": city, "cities/cologne.yaml": other})
    }
    assert hints["cities/soria.yaml", "TC302"] == "did you mean 'cohort-2'?"
    assert hints["cities/soria.yaml", "TC303"] == "did you mean 'urbanew'?"
    assert hints["cities/cologne.yaml", "TC303"] == "did you mean 'urbanew'?"


def test_an_event_of_no_cohort_is_reported_without_a_hint_of_another(tmp_path: Path) -> None:
    city = MINIMAL_CITY.replace("attended: [kick-off]", "attended: [kick-off, nowhere]")
    (finding,) = found(tmp_path, {"cities/soria.yaml": city})
    assert "'nowhere'" in finding[3] and "is an event of" not in str(finding[4])


CITY = "cities/soria.yaml"


def withdrawn_on(day: str, extra: str = "") -> str:
    """The minimal city, withdrawn on `day`, with `extra` lines after its record (line 7 on)."""
    return (
        MINIMAL_CITY.replace("attended: [kick-off]\n", "")
        + f"status: withdrawn\nwithdrawn: {{date: {day}, reason: no staff}}\n"
        + extra
    )


def test_a_withdrawal_on_the_first_or_last_day_of_the_cohort_is_inside_it(tmp_path: Path) -> None:
    assert found(tmp_path / "first", {CITY: withdrawn_on("2024-09-30")}) == []
    assert found(tmp_path / "last", {CITY: withdrawn_on("2026-03-30")}) == []


def test_a_withdrawal_a_day_outside_the_cohort_word_for_word(tmp_path: Path) -> None:
    hint = "check the date: a city withdraws between its selection and the end of its cohort"
    assert found(tmp_path / "before", {CITY: withdrawn_on("2024-09-29")}, columns=True) == [
        (
            "TC411",
            CITY,
            6,
            "the city withdrew on 2024-09-29, before cohort-2 started (2024-09-30)",
            hint,
            19,
        )
    ]
    assert found(tmp_path / "after", {CITY: withdrawn_on("2026-03-31")}, columns=True) == [
        (
            "TC411",
            CITY,
            6,
            "the city withdrew on 2026-03-31, after cohort-2 ended (2026-03-30)",
            hint,
            19,
        )
    ]


def test_a_withdrawal_after_the_as_of_day_is_reported_once(tmp_path: Path) -> None:
    """After the as-of day and after the cohort's end: the error says it, not also the warning."""
    assert found(tmp_path, {CITY: withdrawn_on("2026-07-01")}, columns=True) == [
        (
            "TC405",
            CITY,
            6,
            "the city is marked withdrawn on 2026-07-01, after 2026-06-30",
            "check the date and the status; dates are compared with --as-of, default today",
            19,
        )
    ]


def test_what_a_withdrawn_city_did_after_it_withdrew_word_for_word(tmp_path: Path) -> None:
    city = withdrawn_on(
        "2024-11-11",
        "attended: [kick-off, seminar-1]\n"
        "visits:\n"
        "  - {direction: to-partner, city: Valladolid, start: 2024-11-11, status: done}\n"
        "  - {direction: to-partner, city: Valladolid, start: 2024-11-12, status: done}\n"
        "  - {direction: from-partner, city: Valladolid, start: 2024-11-13, status: cancelled}\n"
        "  - {direction: from-partner, city: Valladolid, start: 2024-11-14, status: planned}\n",
    )
    assert found(tmp_path, {CITY: city}, columns=True) == [
        (
            "TC410",
            CITY,
            7,
            "'seminar-1' is marked attended but takes place on 2024-11-12, after the city "
            "withdrew on 2024-11-11",
            "remove it from 'attended', or check the withdrawal date",
            22,
        ),
        (
            "TC410",
            CITY,
            10,
            "visit marked done starts 2024-11-12, after the city withdrew on 2024-11-11",
            "set 'status: cancelled', or check the withdrawal date",
            54,
        ),
    ]


def test_an_active_city_with_a_withdrawal_record_is_not_checked_against_it(
    tmp_path: Path,
) -> None:
    """Its record contradicts its status (TC603): which one is wrong is not known."""
    city = withdrawn_on("2024-09-01", "attended: [kick-off, seminar-1]\n").replace(
        "status: withdrawn", "status: active"
    )
    assert [f[0] for f in found(tmp_path, {CITY: city})] == ["TC603"]
