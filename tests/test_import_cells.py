"""How `import` reads a cell: dates never guessed, ticks, places named as a spreadsheet names
them."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from twincli.imports import cells
from twincli.imports.sheet import Cell, Place, SheetProblem, column_letters

PLACE = Place("s.csv", None, 2, 3)
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


def read(text: str, order: cells.DateOrder = None) -> date | SheetProblem:
    return cells.day(Cell(PLACE, text), order)


@given(DAYS)
def test_a_date_is_read_as_written_in_either_order(day: date) -> None:
    assert read(day.isoformat()) == day
    assert read(f"{day.day:02}/{day.month:02}/{day.year}", "day-first") == day
    assert read(f"{day.month}/{day.day}/{day.year}", "month-first") == day
    assert read(f"{day.day}.{day.month}.{day.year}", "day-first") == day


@given(DAYS)
def test_without_an_order_only_a_date_that_reads_one_way_is_read(day: date) -> None:
    found = read(f"{day.day:02}/{day.month:02}/{day.year}")
    if day.day > 12 or day.day == day.month:
        assert found == day
    else:
        assert isinstance(found, SheetProblem)
        assert found.hint == "say which the sheet uses with --day-first or --month-first"


def test_what_is_not_a_date_says_so_at_its_place() -> None:
    assert read("31/02/2025", "day-first") == SheetProblem(
        PLACE, "'31/02/2025' is not a day of the calendar"
    )
    assert read("March 2025") == SheetProblem(
        PLACE, "'March 2025' is not a date", "write YYYY-MM-DD, DD/MM/YYYY or an Excel date"
    )
    assert isinstance(read("03/04/25", "day-first"), SheetProblem)  # no two-digit years


def test_ticks_and_blanks() -> None:
    for ticked in ("x", "X", "✓", "✔", "yes", "Yes", "1", "TRUE", True, 1):
        assert cells.tick(Cell(PLACE, ticked)) is True, ticked
    for blank in (None, "", " ", "no", "0", "FALSE", "-", False, 0):
        assert cells.tick(Cell(PLACE, blank)) is False, blank
    assert isinstance(cells.tick(Cell(PLACE, "2")), SheetProblem)


def test_states_in_any_case_and_spelling() -> None:
    for said, state in [
        ("Needs revision", "needs-revision"),
        ("NOT_STARTED", "not-started"),
        ("draft", "drafting"),
        ("Approved", "approved"),
    ]:
        assert cells.state(Cell(PLACE, said)) == state


@given(st.integers(min_value=1, max_value=18_278))  # XFD, the last column of Excel
def test_columns_are_lettered_as_spreadsheets_letter_them(column: int) -> None:
    assert column_letters(column) == get_column_letter(column)


def test_a_place_names_the_sheet_when_there_is_one() -> None:
    assert str(Place("cities.xlsx", "Cohort 3", 7, 3)) == "cities.xlsx:Cohort 3!C7"
    assert str(Place("cities.csv", None, 12, 28)) == "cities.csv:AB12"
