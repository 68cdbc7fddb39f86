"""A spreadsheet read into rows of cells, each cell with its place in the file.

CSV: UTF-8 (with or without a byte order mark), else Windows-1252 as Excel saves it; the
delimiter (`,`, `;`, tab or `|`) is the one the header line uses most. `.xlsx`: openpyxl in
read-only mode, values as Excel stores them (dates as dates, formulas as their last result).
Nothing here knows what the columns mean.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeAlias

from twincli.errors import UsageError
from twincli.read.limits import FileTooLargeError, read_bounded

MAX_SHEET_BYTES = 50 * 1024 * 1024
"""The largest spreadsheet read (a cohort's sheet is a few kilobytes)."""
MAX_ROWS = 100_000
"""Rows read at most: more than any programme has cities or visits."""
DELIMITERS = (",", ";", "\t", "|")

CellValue: TypeAlias = str | int | float | bool | date | time | None
"""What a cell holds: text (always from CSV), or the number, truth value or date of a sheet."""


@dataclass(frozen=True, slots=True, order=True)
class Place:
    """A cell of a sheet: `cities.xlsx:Cohort 3!C7`, or `cities.csv:C7` (no sheet name)."""

    file: str
    """The file as the user named it."""
    sheet: str | None
    row: int
    """1-based."""
    column: int
    """1-based."""

    def __str__(self) -> str:
        sheet = f"{self.sheet}!" if self.sheet else ""
        return f"{self.file}:{sheet}{column_letters(self.column)}{self.row}"


@dataclass(frozen=True, slots=True)
class Cell:
    place: Place
    value: CellValue

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass(frozen=True, slots=True)
class SheetProblem:
    """Something in the sheet that cannot be imported, said at its place."""

    place: Place
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.place}: {self.message}{hint}"


@dataclass(frozen=True, slots=True)
class Sheet:
    """The rows of one sheet, each as long as the longest (blank cells filled in)."""

    file: str
    name: str | None
    rows: tuple[tuple[Cell, ...], ...]

    def place(self, row: int, column: int) -> Place:
        return Place(self.file, self.name, row, column)


def column_letters(column: int) -> str:
    """1 -> A, 27 -> AA, as a spreadsheet names its columns."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_sheet(path: Path, shown: str, sheet: str | None = None) -> Sheet:
    """The sheet in the file at `path` (`shown` is how places name the file): a CSV file, or
    the sheet `sheet` (default: the first) of an .xlsx workbook. Raises UsageError for a file
    that cannot be read, a sheet that is not there, and `--sheet` with a CSV file."""
    try:
        data = read_bounded(path, MAX_SHEET_BYTES)
    except FileTooLargeError:
        raise UsageError(f"{shown}: larger than {MAX_SHEET_BYTES // 2**20} MiB") from None
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(data, shown, sheet)
    if path.suffix.lower() in (".xls", ".ods", ".numbers"):
        raise UsageError(f"{shown}: save it as .xlsx or .csv first (twincli reads those)")
    if sheet is not None:
        raise UsageError(f"--sheet {sheet}: {shown} is a CSV file, which has one sheet")
    return _read_csv(data, shown)


def _read_csv(data: bytes, shown: str) -> Sheet:
    text = decode_csv(data)
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    try:
        records = _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), shown)
    except csv.Error as exc:
        raise UsageError(f"{shown}: not a CSV file that can be read ({exc})") from None
    return _sheet(shown, None, records)


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a byte order mark is dropped), else Windows-1252, the
    encoding Excel saves "CSV" in on Western European Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Five bytes Windows-1252 leaves undefined become U+FFFD rather than a refusal.
        return data.decode("cp1252", "replace")


def _read_xlsx(data: bytes, shown: str, sheet: str | None) -> Sheet:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails anywhere in openpyxl, zipfile or XML
        raise UsageError(f"{shown}: not an .xlsx workbook that can be read ({exc})") from None
    try:
        names = book.sheetnames
        if sheet is None:
            name = names[0]
        elif sheet in names:
            name = sheet
        else:
            listed = ", ".join(names)
            raise UsageError(f"--sheet {sheet}: {shown} has no such sheet (sheets: {listed})")
        records = _bounded(book[name].iter_rows(values_only=True), shown)
    except UsageError:
        raise
    except Exception as exc:  # the sheet's XML is read lazily, row by row
        raise UsageError(f"{shown}: its sheet cannot be read ({exc})") from None
    finally:
        book.close()
    return _sheet(shown, name, [[_value(v) for v in row] for row in records])


def _value(value: object) -> CellValue:
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if value is None or isinstance(value, str | int | float | bool | date | time):
        return value
    return str(value)  # a timedelta, an error value: text, which a field refuses with its place


def _bounded(rows: Iterable[Sequence[Any]], shown: str) -> list[list[Any]]:
    found: list[list[Any]] = []
    for row in rows:
        if len(found) == MAX_ROWS:
            raise UsageError(f"{shown}: more than {MAX_ROWS:,} rows")
        found.append(list(row))
    return found


def _sheet(shown: str, name: str | None, records: list[list[CellValue]]) -> Sheet:
    while records and all(_blank(v) for v in records[-1]):
        records.pop()
    width = max((len(r) for r in records), default=0)
    rows = tuple(
        tuple(
            Cell(Place(shown, name, r, c), row[c - 1] if c <= len(row) else None)
            for c in range(1, width + 1)
        )
        for r, row in enumerate(records, start=1)
    )
    return Sheet(shown, name, rows)


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
