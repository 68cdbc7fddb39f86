"""A cell's value read as a field wants it: text, a tick, a date, a state, a country, a number.

Each reader returns the value, or a `SheetProblem` at the cell's place saying what was
expected. Dates are never guessed: `03/04/2025` is refused unless `--day-first` or
`--month-first` says which order the sheet uses; `15/04/2025` and `2025-04-03` can be read
only one way.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Literal

from twincli.countries import COUNTRY_CODES, COUNTRY_HINTS
from twincli.imports.sheet import Cell, SheetProblem
from twincli.model import OUTPUT_STATUSES

DateOrder = Literal["day-first", "month-first"] | None

TICKS = frozenset({"x", "✓", "✔", "☑", "yes", "y", "1", "true", "attended", "present"})
NOT_TICKED = frozenset({"", "no", "n", "0", "false", "-", "–", "✗", "✘", "absent"})
FORMULA_START = frozenset("=+-@")
"""What `export csv` writes a `'` before (see `export.csvtables`)."""
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\Z")
_MONEY = re.compile(r"[0-9]{1,12}(?:[.,][0-9]{1,2})?\Z")

COUNTRY_NAMES = {
    "austria": "AT", "belgium": "BE", "bulgaria": "BG", "croatia": "HR", "cyprus": "CY",
    "czechia": "CZ", "czech republic": "CZ", "denmark": "DK", "estonia": "EE", "finland": "FI",
    "france": "FR", "germany": "DE", "greece": "GR", "hungary": "HU", "iceland": "IS",
    "ireland": "IE", "italy": "IT", "latvia": "LV", "lithuania": "LT", "luxembourg": "LU",
    "malta": "MT", "netherlands": "NL", "the netherlands": "NL", "norway": "NO",
    "poland": "PL", "portugal": "PT", "romania": "RO", "slovakia": "SK", "slovenia": "SI",
    "spain": "ES", "sweden": "SE", "switzerland": "CH", "turkey": "TR", "turkiye": "TR",
    "united kingdom": "GB", "great britain": "GB", "ukraine": "UA", "serbia": "RS",
    "albania": "AL", "north macedonia": "MK", "montenegro": "ME", "israel": "IL",
    "bosnia and herzegovina": "BA", "moldova": "MD", "georgia": "GE", "armenia": "AM",
    "tunisia": "TN", "faroe islands": "FO",
}  # fmt: skip
"""Country names in English, for the hint that gives their code (Horizon Europe's countries)."""


def text(cell: Cell) -> str | None:
    """The cell as text (None when blank): a whole number without `.0`, a date as ISO."""
    value = cell.value
    if value is None or isinstance(value, bool):
        return None if value is None else ("TRUE" if value else "FALSE")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date | time):
        return value.isoformat()
    shown = str(value).strip()
    if shown[:1] == "'" and shown[1:2] in FORMULA_START:  # as `export csv` protects it
        shown = shown[1:]
    return shown or None


def plain(value: str) -> str:
    """Text as names are compared: without accents, in lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("-", " ").replace("_", " ").split())


_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"})


def tick(cell: Cell) -> bool | SheetProblem:
    """Whether the cell is ticked: `x`, `✓`, `yes`, `1`, TRUE; blank, `no`, `0` are not."""
    if isinstance(cell.value, bool):
        return cell.value
    said = plain(text(cell) or "")
    if said in TICKS:
        return True
    if said in NOT_TICKED:
        return False
    return SheetProblem(
        cell.place, f"'{text(cell)}' is not a tick", "write x, ✓, yes, 1 or TRUE; leave it blank"
    )


def day(cell: Cell, order: DateOrder) -> date | SheetProblem:
    """A date: an Excel date, `YYYY-MM-DD`, or `DD/MM/YYYY` (`.` or `-` too) in the sheet's
    order, which only `order` tells when both readings are possible."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    shown = text(cell) or ""
    iso = _ISO.match(shown)
    if iso:
        return _date(cell, shown, int(iso[1]), int(iso[2]), int(iso[3]))
    numeric = _NUMERIC.match(shown)
    if numeric is None:
        return SheetProblem(
            cell.place, f"'{shown}' is not a date", "write YYYY-MM-DD, DD/MM/YYYY or an Excel date"
        )
    first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
    if order is None:
        if first <= 12 and second <= 12 and first != second:
            return SheetProblem(
                cell.place,
                f"'{shown}' could be read day first or month first",
                "say which the sheet uses with --day-first or --month-first",
            )
        order = "month-first" if second > 12 else "day-first"
    if order == "day-first":
        return _date(cell, shown, year, second, first)
    return _date(cell, shown, year, first, second)


def _date(cell: Cell, shown: str, year: int, month: int, day_: int) -> date | SheetProblem:
    try:
        return date(year, month, day_)
    except ValueError:
        return SheetProblem(cell.place, f"'{shown}' is not a day of the calendar")


def state(cell: Cell) -> str | SheetProblem:
    """An output's status, in any case, with spaces for hyphens (`Needs revision`)."""
    said = plain(text(cell) or "").replace(" ", "-")
    said = {"draft": "drafting", "not-yet-started": "not-started"}.get(said, said)
    if said in OUTPUT_STATUSES:
        return said
    return SheetProblem(
        cell.place,
        f"'{text(cell)}' is not an output's status",
        "one of " + ", ".join(OUTPUT_STATUSES),
    )


def choice(cell: Cell, words: tuple[str, ...], what: str) -> str | SheetProblem:
    """One of `words`, in any case, with spaces for hyphens."""
    said = plain(text(cell) or "").replace(" ", "-")
    if said in words:
        return said
    return SheetProblem(cell.place, f"'{text(cell)}' is not {what}", "one of " + ", ".join(words))


def country(cell: Cell) -> str | SheetProblem:
    """An ISO 3166-1 alpha-2 code, in any case."""
    shown = text(cell) or ""
    code = shown.upper()
    if code in COUNTRY_CODES:
        return code
    hint = COUNTRY_HINTS.get(code)
    named = COUNTRY_NAMES.get(plain(shown))
    message = f"'{shown}' is not an ISO country code"
    if named is not None:
        message += f" ({named})"
    return SheetProblem(cell.place, message, hint)


def whole(cell: Cell, least: int = 0) -> int | SheetProblem:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= least:
        return value
    return SheetProblem(cell.place, f"'{text(cell)}' is not a whole number of {least} or more")


def money(cell: Cell) -> str | SheetProblem:
    """An amount in euros as the format writes it (`1650`, `498.30`); a decimal comma is read."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            amount = Decimal(-1)
        if amount >= 0 and amount == amount.quantize(Decimal("0.01")):
            return (
                str(amount.quantize(Decimal(1)))
                if amount == amount.to_integral()
                else f"{amount:.2f}"
            )
    shown = (text(cell) or "").replace("€", "").strip()
    if _MONEY.match(shown):
        return shown.replace(",", ".")
    return SheetProblem(
        cell.place, f"'{text(cell)}' is not an amount in euros", "like 1650 or 498.30"
    )
