"""Which column holds what: the header row found, and each header matched to a field.

Headers match in any case and order, with or without accents, spaces, hyphens or
underscores (`E-mail`, `email`, `E_Mail`), by the usual spellings of each field (`ALIASES`);
columns named after a session or an output match it by id or title (`Entries`). A header
that matches nothing is a problem that names the closest names; `--columns HEADER=field`
maps it, and `HEADER=ignore` leaves it out. Columns `export csv` computes (`health`,
`overdue_outputs`) are recognised and left out, so an export imports again.

The header row is the one, among the first few, that matches the most columns: title rows
above it are passed over, and a header merged over two rows (its text in the upper cell, as
a spreadsheet keeps it) is read from above.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from twincli.diagnostics import closest, did_you_mean
from twincli.imports.sheet import Cell, Sheet, SheetProblem

HEADER_ROWS = 10
"""How many rows from the top may hold the header."""
IGNORE = "ignore"
"""The field of a column left out (`--columns Notes=ignore`)."""

ALIASES: Mapping[str, tuple[str, ...]] = {
    "id": ("id", "city id", "slug"),
    "name": ("name", "city name"),
    "city": ("city", "twin city", "municipality"),
    "country": ("country", "country code", "iso"),
    "cohort": ("cohort",),
    "pilot": ("pilot", "partner", "pilot activity", "paired with"),
    "status": ("status", "state"),
    "contact": ("contact", "lead", "contact name", "contact person", "lead contact"),
    "role": ("role", "contact role"),
    "email": ("e-mail", "email address", "mail", "contact e-mail"),
    "phone": ("phone", "telephone", "tel", "phone number", "mobile"),
    "direction": ("direction",),
    "partner_city": ("partner city", "partner_city", "visited city", "where"),
    "start": ("start", "start date", "from", "date"),
    "end": ("end", "end date", "to", "until"),
    "travellers": ("travellers", "travelers", "people"),
    "claimed_eur": ("claimed", "claimed eur", "claim"),
    "reimbursed_eur": ("reimbursed", "reimbursed eur", "paid"),
}
"""Each field and the headers that name it (compared by `key`)."""

COMPUTED = (
    "as_of", "pilot_name", "health", "events_attended", "events_expected", "visits_done",
    "visits_planned", "visits_funded", "outputs_not_started", "outputs_drafting",
    "outputs_submitted", "outputs_needs_revision", "outputs_approved", "milestones_reached",
    "milestones_expected", "overdue_outputs", "visit", "title", "due", "overdue", "days_late",
)  # fmt: skip
"""Columns of `export csv` that twincli computes: recognised, never imported."""


def key(text: str) -> str:
    """A header as compared: letters and digits only, without accents, in lower case."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


_FIELD_OF = {key(alias): name for name, aliases in ALIASES.items() for alias in aliases}
_FIELD_OF.update({key(name): name for name in ALIASES})
_COMPUTED = frozenset(key(name) for name in COMPUTED)


@dataclass(frozen=True, slots=True)
class Entries:
    """Columns named after entries of the programme (sessions, outputs): each entry's id,
    and its other names (a title, a date) that a header may use instead."""

    kind: str
    """'session' or 'output', for messages."""
    names: Mapping[str, str]
    """key(name) -> entry id, for every id and every other name that is unique."""


@dataclass(frozen=True, slots=True)
class Columns:
    """The header row and what each column holds."""

    header_row: int
    fields: Mapping[int, str]
    """Column (1-based) -> field name, or `entry:ID` for a column of an entry."""

    def column(self, field: str) -> int | None:
        for column, name in self.fields.items():
            if name == field:
                return column
        return None

    def entries(self) -> list[tuple[int, str]]:
        return [
            (c, f.removeprefix("entry:")) for c, f in self.fields.items() if f.startswith("entry:")
        ]


def match_columns(
    sheet: Sheet,
    fields: Sequence[str],
    entries: Entries | None,
    mapped: Mapping[str, str],
) -> tuple[Columns, list[SheetProblem]]:
    """The header row of `sheet` and its columns. `fields`: those the import reads (others
    are recognised and left out); `mapped`: key(header) -> field, from `--columns`."""
    rows = sheet.rows[:HEADER_ROWS]
    best, best_count = 0, 0
    for index, row in enumerate(rows):
        count = sum(1 for cell in row if _field(_text(cell), entries, mapped) is not None)
        if count > best_count:
            best, best_count = index, count
    problems: list[SheetProblem] = []
    if best_count == 0:  # nothing matches: the first row that says something is the header
        filled = [i for i, row in enumerate(rows) if any(not cell.blank for cell in row)]
        if not filled:
            return Columns(1, {}), [SheetProblem(sheet.place(1, 1), "the sheet is empty")]
        best = filled[0]
    found: dict[int, str] = {}
    for cell in rows[best]:
        text = _text(cell)
        if not text:
            text = _from_above(rows, best, cell.place.column, entries, mapped)
            if not text:
                continue
        field = _field(text, entries, mapped)
        if field is None:
            hint = _suggest(text, fields, entries) or "map it with --columns 'HEADER=field'"
            message = f"no field matches the header '{text}'"
            problems.append(SheetProblem(cell.place, message, hint))
        elif field == IGNORE or not (field in fields or field.startswith("entry:")):
            continue
        elif field in found.values():
            problems.append(SheetProblem(cell.place, f"a second column for {field}"))
        else:
            found[cell.place.column] = field
    return Columns(best + 1, found), problems


def _text(cell: Cell) -> str:
    """A header cell as text (a date as ISO, which an entry's date matches)."""
    if cell.value is None:
        return ""
    if hasattr(cell.value, "isoformat"):
        return cell.value.isoformat()
    return str(cell.value).strip()


def _from_above(
    rows: Sequence[Sequence[Cell]],
    header: int,
    column: int,
    entries: Entries | None,
    mapped: Mapping[str, str],
) -> str:
    """The text of a header merged down over the header row: the nearest cell above, when
    it names a field."""
    for row in reversed(rows[:header]):
        text = _text(row[column - 1])
        if text:
            return text if _field(text, entries, mapped) is not None else ""
    return ""


def _field(text: str, entries: Entries | None, mapped: Mapping[str, str]) -> str | None:
    if not text:
        return None
    k = key(text)
    if k in mapped:
        return mapped[k]
    if entries is not None and k in entries.names:
        return "entry:" + entries.names[k]
    if k in _FIELD_OF:
        return _FIELD_OF[k]
    if k in _COMPUTED:
        return IGNORE
    return None


def _suggest(text: str, fields: Sequence[str], entries: Entries | None) -> str | None:
    by_key = {key(n): n for n in fields}
    if entries is not None:  # a title or date names its entry's id
        by_key.update(sorted(entries.names.items()))
    for alias, field in _FIELD_OF.items():
        if field in fields:
            by_key.setdefault(alias, field)
    near = closest(key(text), list(by_key))
    return did_you_mean(list(dict.fromkeys(by_key[k] for k in near)))


def parse_mapping(text: str, fields: Sequence[str], entries: Entries | None) -> dict[str, str]:
    """`--columns 'Ville=city,Notes=ignore'` as key(header) -> field. Raises ValueError
    naming a pair that is not HEADER=field or a field that does not exist."""
    found: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        header, sep, field = pair.partition("=")
        header, field = header.strip(), field.strip()
        if not sep or not header or not field:
            raise ValueError(f"'{pair}' is not HEADER=field")
        if entries is not None and key(field) in entries.names:
            found[key(header)] = "entry:" + entries.names[key(field)]
        elif field in fields or field == IGNORE:
            found[key(header)] = field
        else:
            known = ", ".join([*fields, IGNORE])
            kinds = f", or a {entries.kind}'s id" if entries is not None else ""
            raise ValueError(f"'{field}' is not a field ({known}{kinds})")
    return found
