"""The change an import makes: the sheet's rows turned into edits of the programme's files.

`plan_import(loaded, request)` is the `plan` of `edit.transaction.commit`: it reads the sheet
against the folder as loaded under the edit lock, and returns one `Plan` with a `Change` per
file, made with the editing layer (so each file keeps its comments and layout) and checked
with the whole folder before anything is written. When the sheet has problems, it raises
`SheetProblemsError` with every one of them, and nothing is written.

What a sheet can say is added, never taken away: a session not ticked leaves the city's
attendance as it is, a blank cell leaves a field as it is. So importing a sheet twice changes
nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, TypeVar

from twincli.edit.record import open_city
from twincli.edit.transaction import Change, Plan
from twincli.edit.yamltext import Document
from twincli.errors import TwincliError, UsageError, unknown_id
from twincli.imports.cells import DateOrder, plain, text
from twincli.imports.headers import Columns, Entries, key, match_columns, parse_mapping
from twincli.imports.sheet import Cell, Sheet, SheetProblem
from twincli.model import City, Cohort, Edition
from twincli.read.loader import Loaded

Kind = Literal["cities", "attendance", "outputs", "visits"]
T = TypeVar("T")

KINDS: tuple[Kind, ...] = ("cities", "attendance", "outputs", "visits")

FIELDS: Mapping[Kind, tuple[str, ...]] = {
    "cities": (
        "id", "name", "city", "country", "cohort", "pilot", "status", "contact", "role",
        "email", "phone",
    ),
    "attendance": ("id", "city", "name"),
    "outputs": ("id", "city", "name"),
    "visits": (
        "id", "city", "name", "direction", "partner_city", "start", "end", "status",
        "travellers", "claimed_eur", "reimbursed_eur",
    ),
}  # fmt: skip
"""The fields each import reads; a column of another field is recognised and left out."""


class SheetProblemsError(TwincliError):
    """The sheet cannot be imported as it is: every problem, at its place (exit 1)."""

    exit_code = 1

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the sheet")
        self.problems = tuple(sorted(problems, key=lambda p: (p.place, p.message)))


@dataclass(frozen=True, slots=True)
class Request:
    """What `twincli import` was asked to do."""

    kind: Kind
    sheet: Sheet
    as_of: date
    cohort: str | None = None
    columns: str = ""
    """`--columns`: HEADER=field pairs."""
    order: DateOrder = None


@dataclass
class Edits:
    """The files an import changes, each as its edited document, and what it tells the user."""

    loaded: Loaded
    documents: dict[str, tuple[bytes | None, Document]] = field(default_factory=dict)
    problems: list[SheetProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def document(self, city_id: str) -> Document:
        path = f"cities/{city_id}.yaml"
        if path not in self.documents:
            target = open_city(self.loaded, city_id)
            self.documents[path] = (target.data, target.document)
        return self.documents[path][1]

    def update(self, city_id: str, document: Document) -> None:
        path = f"cities/{city_id}.yaml"
        self.documents[path] = (self.documents[path][0], document)

    def create(self, city_id: str, document: Document) -> None:
        self.documents[f"cities/{city_id}.yaml"] = (None, document)

    def plan(self) -> Plan:
        changes = tuple(
            Change(path, before, document.to_bytes())
            for path, (before, document) in sorted(self.documents.items())
        )
        return Plan(changes, tuple(self.notes))


@dataclass(frozen=True, slots=True)
class Row:
    """A row of data: its cells by field (blank ones left out), and the city it is about."""

    number: int
    cells: Mapping[str, Cell]
    city: Cell


@dataclass(frozen=True, slots=True)
class Rows:
    """A sheet ready to import: its columns matched, its rows of data, and the cohort (and
    its edition) it is about, if one."""

    request: Request
    columns: Columns
    rows: tuple[Row, ...]
    cohort: Cohort | None
    edition: Edition | None


def plan_import(loaded: Loaded, request: Request) -> Plan:
    """The change that brings `request`'s sheet into the folder. Raises SheetProblemsError,
    UsageError (a `--columns` or `--cohort` that cannot be used), and what editing a file
    raises (BrokenFileError, EditError)."""
    from twincli.imports import kinds

    cohort, edition = _cohort(loaded, request)
    entries = _entries(request.kind, cohort, edition)
    fields = FIELDS[request.kind]
    try:
        mapped = parse_mapping(request.columns, fields, entries)
    except ValueError as exc:
        raise UsageError(f"--columns: {exc}") from None
    columns, problems = match_columns(request.sheet, fields, entries, mapped)
    edits = Edits(loaded, problems=problems)
    identity = _identity_field(request.kind, columns)
    if identity is None and request.sheet.rows:
        place = request.sheet.place(columns.header_row, 1)
        edits.problems.append(
            SheetProblem(place, "no column names the city", "a header City, Name or Id")
        )
    elif identity is not None:
        rows = tuple(_rows(request.sheet, columns, identity))
        kinds.IMPORTERS[request.kind](edits, Rows(request, columns, rows, cohort, edition))
    if edits.problems:
        raise SheetProblemsError(edits.problems)
    return edits.plan()


def _cohort(loaded: Loaded, request: Request) -> tuple[Cohort | None, Edition | None]:
    """The cohort of `--cohort` (and its edition); for attendance and outputs, whose columns
    are a cohort's sessions or its edition's outputs, the only cohort when there is one."""
    programme = loaded.programme
    ident = request.cohort
    if ident is None and request.kind in ("attendance", "outputs"):
        if len(programme.cohorts) != 1:
            raise UsageError(
                f"give --cohort: the {request.kind} columns are those of one cohort "
                f"(cohorts: {', '.join(sorted(programme.cohorts)) or 'none yet'})"
            )
        ident = next(iter(programme.cohorts))
    if ident is None:
        return None, None
    from twincli.edit.record import cohort_and_edition

    if ident not in programme.marks.ids("cohorts") and ident not in programme.cohorts:
        raise unknown_id("cohort", ident, programme.marks.ids("cohorts"))
    return cohort_and_edition(loaded, ident)


def _entries(kind: Kind, cohort: Cohort | None, edition: Edition | None) -> Entries | None:
    """The sessions or outputs a column may be named after: by id, title, or (a session)
    its date; a title or date that two share names neither."""
    if kind == "attendance" and cohort is not None:
        names = [(e.id, [e.title, e.date.isoformat()]) for e in cohort.events.values()]
        return Entries("session", _names(names))
    if kind == "outputs" and edition is not None:
        return Entries("output", _names([(o.id, [o.title]) for o in edition.outputs.values()]))
    return None


def _names(entries: Sequence[tuple[str, Sequence[str | None]]]) -> dict[str, str]:
    found: dict[str, str] = {}
    shared: set[str] = set()
    for ident, others in entries:
        for other in others:
            if other is None:
                continue
            k = key(other)
            if k in found and found[k] != ident:
                shared.add(k)
            found[k] = ident
    names = {k: v for k, v in found.items() if k not in shared}
    names.update({key(ident): ident for ident, _ in entries})
    return names


def _identity_field(kind: Kind, columns: Columns) -> str | None:
    """The column a row's city is found by: its id, else the city, else its name."""
    present = set(columns.fields.values())
    if kind == "cities" and "name" in present and "city" in present and "id" not in present:
        return "city"
    for name in ("id", "city", "name"):
        if name in present:
            return name
    return None


def _rows(sheet: Sheet, columns: Columns, identity: str) -> Iterator[Row]:
    city_column = columns.column(identity)
    assert city_column is not None
    for row in sheet.rows[columns.header_row :]:
        cells = {f: row[c - 1] for c, f in columns.fields.items() if not row[c - 1].blank}
        if not cells:
            continue
        yield Row(row[0].place.row, cells, row[city_column - 1])


# --- finding cities --------------------------------------------------------------------------


class CityIndex:
    """The folder's cities by id and by name, compared without accents or case."""

    def __init__(self, loaded: Loaded, cohort: str | None) -> None:
        cities = loaded.programme.cities.values()
        self.cohort = cohort
        self.cities = {c.id: c for c in cities}
        self.by_name: dict[str, list[str]] = {}
        for city in cities:
            self.by_name.setdefault(plain(city.name), []).append(city.id)
        self.ids = set(loaded.programme.marks.ids("cities")) | set(self.cities)

    def find(self, said: str) -> City | list[str] | None:
        """The city `said` names (an id or a name), None, or the ids of several of that name."""
        if said in self.cities:
            return self.cities[said]
        found = self.by_name.get(plain(said), [])
        if len(found) > 1:
            return found
        return self.cities[found[0]] if found else None

    def unknown(self, cell: Cell) -> SheetProblem:
        from twincli.diagnostics import closest, did_you_mean

        said = text(cell) or ""
        names = sorted({c.name for c in self.cities.values()} | set(self.cities))
        hint = did_you_mean(closest(said, names))
        return SheetProblem(cell.place, f"no city '{said}' in the programme", hint)


def read(row: Row, name: str, reader: Callable[[Cell], T | SheetProblem], edits: Edits) -> T | None:
    """The value of the row's `name` cell (None when blank), or None with its problem noted."""
    cell = row.cells.get(name)
    if cell is None:
        return None
    value = reader(cell)
    if isinstance(value, SheetProblem):
        edits.problems.append(value)
        return None
    return value


def find_city(edits: Edits, index: CityIndex, row: Row) -> City | None:
    """The existing city the row is about, or None with the problem noted."""
    said = text(row.city) or ""
    found = index.find(said)
    if isinstance(found, list):
        message = f"'{said}' names {len(found)} cities ({', '.join(found)})"
        edits.problems.append(SheetProblem(row.city.place, message, "use the city's id"))
        return None
    if found is None:
        edits.problems.append(index.unknown(row.city))
        return None
    if index.cohort is not None and found.cohort != index.cohort:
        message = f"{found.name} ({found.id}) is a city of {found.cohort}, not {index.cohort}"
        edits.problems.append(SheetProblem(row.city.place, message))
        return None
    return found
