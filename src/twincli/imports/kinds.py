"""The rows of each kind of sheet turned into edits: cities (with their contacts), attendance,
outputs and visits. Each `import_<kind>` adds to `Edits` what its rows say, and a
`SheetProblem` for each cell it cannot use; a row with a problem changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from yaml.nodes import MappingNode

from twincli.diagnostics import closest, did_you_mean
from twincli.edit.record import keys_before
from twincli.edit.scaffold import new_city
from twincli.edit.yamltext import Document, Value
from twincli.imports import cells
from twincli.imports.cells import plain, text
from twincli.imports.headers import Columns, key
from twincli.imports.plan import CityIndex, Edits, Request, Row, Rows
from twincli.imports.sheet import Cell, SheetProblem
from twincli.model import City, CityOutput, Contact, Edition, Programme, Visit
from twincli.read.records import is_slug, slug_hint, slugify

T = TypeVar("T")

CITY_FIELDS = ("name", "country", "cohort", "pilot", "status")
"""The fields of a city file a cities sheet sets, in the file's order."""
NEEDED = ("name", "country", "cohort", "pilot")
"""What a new city's row must give."""
NEW_CITY = {"status": "active"}
"""What a new city's file says of the fields a row may give but need not."""
CONTACT_FIELDS = ("name", "role", "email", "phone")
LEAD_HEADERS = frozenset({"lead", "leadcontact"})
"""Headers that make the contact in their column the city's lead."""


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


# --- cities ---------------------------------------------------------------------------------


@dataclass
class CitySeen:
    """A city as the rows so far have said it, so that two rows about it agree."""

    values: dict[str, tuple[str, Cell]] = field(default_factory=dict)
    contacts: list[dict[str, str]] = field(default_factory=list)
    """Contacts of the file, then those the rows add, in the file's order."""


def import_cities(edits: Edits, sheet: Rows) -> None:
    """Create the cities the folder does not have; set the fields the sheet gives of those it
    has; add the contacts each city does not list yet (matched by e-mail or name)."""
    request, rows = sheet.request, sheet.rows
    programme = edits.loaded.programme
    index = CityIndex(edits.loaded, None)
    lead = _lead_column(request, sheet.columns)
    seen: dict[str, CitySeen] = {}
    for row in rows:
        before = len(edits.problems)
        values = _city_values(edits, programme, row)
        contact = _contact(edits, row)
        known, existing = _existing(edits, index, row)
        if not known or len(edits.problems) > before:
            continue
        if request.cohort is not None and "cohort" not in values:
            if existing is None:
                values["cohort"] = (request.cohort, row.city)
            elif existing.cohort != request.cohort:
                message = (
                    f"{existing.name} ({existing.id}) is a city of {existing.cohort}, "
                    f"not {request.cohort}"
                )
                edits.problems.append(
                    SheetProblem(row.city.place, message, "a Cohort column moves it")
                )
                continue
        ident = existing.id if existing is not None else _new_id(edits, row)
        if ident is None:
            continue
        state = seen.get(ident)
        if state is None:
            state = seen[ident] = CitySeen(
                contacts=[_contact_data(c) for c in existing.contacts] if existing else []
            )
        if not _agree(edits, state, values):
            continue
        if existing is None and f"cities/{ident}.yaml" not in edits.documents:
            first = _as_lead(contact, lead) if contact is not None else None
            if not _create(edits, index, row, ident, values, first):
                continue
            state.contacts.extend([first] if first is not None else [])
            contact = None
        document = _set_fields(edits.document(ident), existing, values)
        if contact is not None:
            document = _add_contact(document, state, contact, lead)
        edits.update(ident, document)


def _create(
    edits: Edits,
    index: CityIndex,
    row: Row,
    ident: str,
    values: dict[str, tuple[str, Cell]],
    contact: dict[str, str] | None,
) -> bool:
    """Create the new city `ident` as `twincli new city` would, with its first contact;
    False, with a problem noted, when the row lacks what a new city needs."""
    if "name" not in values and row.city is not row.cells.get("id"):
        values["name"] = (text(row.city) or "", row.city)  # a new city's name
    missing = [f for f in NEEDED if f not in values]
    if missing:
        hint = index.unknown(row.city).hint  # a typo of a city it has?
        message = f"no city '{text(row.city)}' yet, and a new one needs {_and(missing)}"
        edits.problems.append(SheetProblem(row.city.place, message, hint))
        return False
    fields = {f: values[f][0] for f in NEEDED}
    first = [contact] if contact is not None else []
    change = new_city(edits.loaded, ident, **fields, contacts=first).changes[0]
    edits.create(ident, Document.from_bytes(change.after, change.path))
    return True


def _set_fields(
    document: Document, city: City | None, values: dict[str, tuple[str, Cell]]
) -> Document:
    """Set each field the row gives that the file has otherwise (a new city's file has them
    all but its status, which is active)."""
    for name in CITY_FIELDS:
        if name not in values:
            continue
        value = values[name][0]
        current = getattr(city, name) if city is not None else NEW_CITY.get(name, value)
        if value != current:
            document = document.set_key([], name, value, after=keys_before(City, name))
    return document


def _lead_column(request: Request, columns: Columns) -> bool:
    """Whether the contact column's header calls them the lead (and there is no role column)."""
    column = columns.column("contact")
    if column is None or columns.column("role") is not None:
        return False
    header = request.sheet.rows[columns.header_row - 1][column - 1]
    return key(text(header) or "") in LEAD_HEADERS


def _city_values(edits: Edits, programme: Programme, row: Row) -> dict[str, tuple[str, Cell]]:
    """The city's fields the row gives, each with its cell. The cell that names the city
    (`row.city`) is a new city's name, never a new name for a city found by it."""
    values: dict[str, tuple[str, Cell]] = {}
    name_cell = row.cells.get("name")
    if name_cell is not None and name_cell is not row.city:  # a name beside an id or a city
        values["name"] = (text(name_cell) or "", name_cell)
    readers: dict[str, Callable[[Cell], str | SheetProblem]] = {
        "country": cells.country,
        "status": lambda c: cells.choice(c, ("active", "withdrawn"), "a city's status"),
        "cohort": lambda c: _cohort_id(programme, c),
        "pilot": lambda c: _pilot_id(programme, c),
    }
    for name, reader in readers.items():
        value = read(row, name, reader, edits)
        if value is not None:
            values[name] = (value, row.cells[name])
    return values


def _cohort_id(programme: Programme, cell: Cell) -> str | SheetProblem:
    said = text(cell) or ""
    for c in programme.cohorts.values():
        if said == c.id or plain(said) in (plain(c.id), plain(c.title or "")):
            return c.id
    hint = did_you_mean(closest(said, sorted(programme.cohorts)))
    return SheetProblem(cell.place, f"no cohort '{said}'", hint)


def _pilot_id(programme: Programme, cell: Cell) -> str | SheetProblem:
    """A pilot named by its id, its acronym or its title."""
    said = text(cell) or ""
    for p in programme.pilots.values():
        if said == p.id or plain(said) in (plain(p.id), plain(p.acronym or ""), plain(p.title)):
            return p.id
    names = sorted(
        {*programme.pilots, *(p.acronym for p in programme.pilots.values() if p.acronym)}
    )
    hint = did_you_mean(closest(said, names))
    return SheetProblem(cell.place, f"no pilot '{said}' (by id, acronym or title)", hint)


def _existing(edits: Edits, index: CityIndex, row: Row) -> tuple[bool, City | None]:
    """(known, city): the city of the folder the row names, or None for a new one; known is
    False when the name is that of several cities (the problem noted)."""
    said = text(row.city) or ""
    found = index.find(said)
    if isinstance(found, list):
        message = f"'{said}' names {len(found)} cities ({', '.join(found)})"
        edits.problems.append(SheetProblem(row.city.place, message, "use the city's id"))
        return False, None
    return True, found


def _new_id(edits: Edits, row: Row) -> str | None:
    said = text(row.city) or ""
    if "id" in row.cells:
        if not is_slug(said):
            edits.problems.append(
                SheetProblem(row.city.place, f"'{said}' is not a valid id", slug_hint(said))
            )
            return None
        return said
    ident = slugify(said)
    if ident is None:
        edits.problems.append(
            SheetProblem(row.city.place, f"'{said}' cannot be made an id", "add an Id column")
        )
    return ident


def _agree(edits: Edits, state: CitySeen, values: dict[str, tuple[str, Cell]]) -> bool:
    """Whether the row says of the city what earlier rows said (a problem noted if not)."""
    agreed = True
    for name, (value, cell) in values.items():
        earlier = state.values.get(name)
        if earlier is not None and earlier[0] != value:
            message = f"{name} '{value}' differs from '{earlier[0]}' at {earlier[1].place}"
            edits.problems.append(SheetProblem(cell.place, message))
            agreed = False
        else:
            state.values.setdefault(name, (value, cell))
    return agreed


def _contact(edits: Edits, row: Row) -> dict[str, str] | None:
    """The contact the row gives (name, role, e-mail, phone), or None."""
    data = {
        name: text(row.cells[column]) or ""
        for name, column in (
            ("name", "contact"),
            ("role", "role"),
            ("email", "email"),
            ("phone", "phone"),
        )
        if column in row.cells
    }
    if not data:
        return None
    if "name" not in data:
        place = next(row.cells[c] for c in ("email", "role", "phone") if c in row.cells).place
        edits.problems.append(SheetProblem(place, "a contact needs a name", "add a Contact column"))
        return None
    email = data.get("email")
    if email is not None and (email.count("@") != 1 or any(ch.isspace() for ch in email)):
        edits.problems.append(
            SheetProblem(row.cells["email"].place, f"'{email}' is not an e-mail address")
        )
        return None
    return {name: data[name] for name in CONTACT_FIELDS if name in data}


def _as_lead(contact: dict[str, str], lead: bool) -> dict[str, str]:
    """A new contact from a column headed `Lead` (and no role column) is the city's lead; an
    existing one keeps the role its file gives."""
    if not lead or "role" in contact:
        return contact
    data = {**contact, "role": "lead"}
    return {name: data[name] for name in CONTACT_FIELDS if name in data}


def _contact_data(contact: Contact) -> dict[str, str]:
    return {n: getattr(contact, n) for n in CONTACT_FIELDS if getattr(contact, n, None) is not None}


def _add_contact(
    document: Document, state: CitySeen, contact: dict[str, str], lead: bool
) -> Document:
    """Add the contact, or complete the one with its e-mail or name."""
    for number, known in enumerate(state.contacts):
        same_email = (
            "email" in contact and contact["email"].casefold() == known.get("email", "").casefold()
        )
        if same_email or plain(contact["name"]) == plain(known["name"]):
            for name, value in contact.items():
                if known.get(name) != value and not (
                    name == "name" and plain(value) == plain(known["name"])
                ):
                    before = CONTACT_FIELDS[: CONTACT_FIELDS.index(name)]
                    document = document.set_key(["contacts", number], name, value, after=before)
                    known[name] = value
            return document
    contact = _as_lead(contact, lead)
    state.contacts.append(dict(contact))
    item: dict[str, Value] = dict(contact)
    return document.append([], "contacts", item, after=keys_before(City, "contacts"))


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --- attendance -----------------------------------------------------------------------------


def import_attendance(edits: Edits, sheet: Rows) -> None:
    """Mark attended each session ticked for a city; an unticked one is left as the file has it."""
    assert sheet.cohort is not None
    index = CityIndex(edits.loaded, sheet.cohort.id)
    added: dict[str, set[str]] = {}
    for row in sheet.rows:
        city = find_city(edits, index, row)
        ticked = [
            event
            for _, event in sheet.columns.entries()
            if read(row, f"entry:{event}", cells.tick, edits)
        ]
        if city is None:
            continue
        done = added.setdefault(city.id, set(city.attended))
        for event in ticked:
            if event not in done:
                done.add(event)
                document = edits.document(city.id).append(
                    [], "attended", event, after=keys_before(City, "attended"), flow=True
                )
                edits.update(city.id, document)


# --- outputs --------------------------------------------------------------------------------

DATED = ("submitted", "approved")


def import_outputs(edits: Edits, sheet: Rows) -> None:
    """Set each output a cell gives a state or a date (a date alone: submitted that day)."""
    cohort, edition, request = sheet.cohort, sheet.edition, sheet.request
    assert cohort is not None and edition is not None
    index = CityIndex(edits.loaded, cohort.id)
    for row in sheet.rows:
        city = find_city(edits, index, row)
        said = [
            (output, read(row, f"entry:{output}", lambda c: _output_cell(c, request), edits))
            for _, output in sheet.columns.entries()
        ]
        if city is None:
            continue
        for output, value in said:
            if value is not None:
                _set_output(edits, city, edition, output, *value, request.as_of)


def _output_cell(cell: Cell, request: Request) -> tuple[str, date | None] | SheetProblem:
    """(status, date) from `approved`, `2025-03-01` (submitted), or `approved 2025-03-01`."""
    if isinstance(cell.value, date):
        return ("submitted", cells.day(cell, request.order))  # type: ignore[return-value]
    said = text(cell) or ""
    words = said.rsplit(None, 1)
    if len(words) == 2 and any(ch.isdigit() for ch in words[1]):
        status = cells.state(Cell(cell.place, words[0]))
        when = cells.day(Cell(cell.place, words[1]), request.order)
        for value in (status, when):
            if isinstance(value, SheetProblem):
                return value
        return (status, when)  # type: ignore[return-value]
    if any(ch.isdigit() for ch in said):
        when = cells.day(cell, request.order)
        return when if isinstance(when, SheetProblem) else ("submitted", when)
    status = cells.state(cell)
    return status if isinstance(status, SheetProblem) else (status, None)


def _set_output(
    edits: Edits,
    city: City,
    edition: Edition,
    output: str,
    status: str,
    when: date | None,
    as_of: date,
) -> None:
    current = city.outputs.get(output)
    if status not in DATED:
        when = None
    elif when is None:
        when = (
            getattr(current, status) if current is not None and current.status == status else None
        )
        if when is None:
            when = as_of
            edits.notes.append(f"{city.id}: {output} {status} dated {as_of} (no date in the sheet)")
    if (
        current is not None
        and current.status == status
        and (when is None or getattr(current, status) == when)
    ):
        return
    document = edits.document(city.id)
    where = ["outputs", output]
    dates: dict[str, Value] = {status: when.isoformat()} if when is not None else {}
    if document.node(where) is None:
        entry: dict[str, Value] = {"status": status, **dates}
        if not isinstance(document.node(["outputs"]), MappingNode):
            document = document.set_key(
                [], "outputs", {output: entry}, after=keys_before(City, "outputs")
            )
        else:
            order = list(edition.outputs)
            document = document.set_key(
                ["outputs"], output, entry, after=order[: order.index(output)]
            )
    else:
        document = document.set_key(where, "status", status)
        for name, value in dates.items():
            document = document.set_key(where, name, value, after=keys_before(CityOutput, name))
        if status != "approved":
            document = document.remove_key(where, "approved")
        if status == "not-started":
            document = document.remove_key(where, "submitted")
    edits.update(city.id, document)


# --- visits ---------------------------------------------------------------------------------

VISIT_FIELDS = (
    "direction", "partner_city", "start", "end", "status", "travellers", "claimed_eur",
    "reimbursed_eur",
)  # fmt: skip
"""A visits sheet's fields, in the order of a visit's keys (`partner_city` is its `city`)."""


def import_visits(edits: Edits, sheet: Rows) -> None:
    """Add each visit a city's file does not have (by start and direction); complete or
    correct the fields of one it has."""
    request = sheet.request
    index = CityIndex(edits.loaded, request.cohort)
    seen: set[tuple[str, date, str]] = set()
    for row in sheet.rows:
        before = len(edits.problems)
        city = find_city(edits, index, row)
        values = _visit_values(edits, row, request)
        if city is None or len(edits.problems) > before:
            continue
        for needed in ("direction", "start"):
            if needed not in values:
                message = f"a visit needs its {needed}"
                edits.problems.append(
                    SheetProblem(row.city.place, message, f"add a {needed.title()} column")
                )
        if len(edits.problems) > before:
            continue
        start, direction = values["start"], values["direction"]
        if (city.id, start, direction) in seen:
            message = f"a second row for {city.id}'s visit {direction} on {start}"
            edits.problems.append(SheetProblem(row.city.place, message))
            continue
        seen.add((city.id, start, direction))
        if "status" not in values:
            values["status"] = "planned" if values.get("end", start) > request.as_of else "done"
        _set_visit(edits, city, values)


def _visit_values(edits: Edits, row: Row, request: Request) -> dict[str, Any]:
    readers: dict[str, Callable[[Cell], Any]] = {
        "direction": lambda c: cells.choice(
            c, ("to-partner", "from-partner"), "a visit's direction"
        ),
        "partner_city": lambda c: text(c) or "",
        "start": lambda c: cells.day(c, request.order),
        "end": lambda c: cells.day(c, request.order),
        "status": lambda c: cells.choice(c, ("planned", "done", "cancelled"), "a visit's status"),
        "travellers": lambda c: cells.whole(c, 1),
        "claimed_eur": cells.money,
        "reimbursed_eur": cells.money,
    }
    values = {}
    for name, reader in readers.items():
        value = read(row, name, reader, edits)
        if value is not None:
            values[name] = value
    return values


def _set_visit(edits: Edits, city: City, values: dict[str, Any]) -> None:
    keys = {"partner_city": "city"}
    written = {keys.get(n, n): _written(values[n]) for n in VISIT_FIELDS if n in values}
    for number, visit in enumerate(city.visits):
        if visit.start == values["start"] and visit.direction == values["direction"]:
            document = edits.document(city.id)
            for name, value in written.items():
                current = getattr(visit, name)
                if current is None or _written(current) != value:
                    document = document.set_key(
                        ["visits", number], name, value, after=keys_before(Visit, name)
                    )
            edits.update(city.id, document)
            return
    item: dict[str, Value] = dict(written)  # in the order of VISIT_FIELDS, the file's
    document = edits.document(city.id).append([], "visits", item, after=keys_before(City, "visits"))
    edits.update(city.id, document)


def _written(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value != value.to_integral() else str(int(value))
    return str(value)


IMPORTERS: dict[str, Callable[[Edits, Rows], None]] = {
    "cities": import_cities,
    "attendance": import_attendance,
    "outputs": import_outputs,
    "visits": import_visits,
}
"""The import of each kind of sheet."""
