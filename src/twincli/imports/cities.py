"""A cities sheet turned into edits: the cities the folder does not have are created (as
`twincli new city` writes them), the fields the sheet gives of those it has are set, and the
contacts each city does not list yet are added (a contact met again, by e-mail or name, is
completed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from twincli.diagnostics import closest, did_you_mean
from twincli.edit.record import keys_before
from twincli.edit.scaffold import new_city
from twincli.edit.yamltext import Document, Value
from twincli.imports import cells
from twincli.imports.cells import plain, text
from twincli.imports.headers import Columns, key
from twincli.imports.plan import CityIndex, Edits, Request, Row, Rows, read
from twincli.imports.sheet import Cell, SheetProblem
from twincli.model import City, Contact, Programme
from twincli.read.records import is_slug, slug_hint, slugify

CITY_FIELDS = ("name", "country", "cohort", "pilot", "status")
"""The fields of a city file a cities sheet sets, in the file's order."""
NEEDED = ("name", "country", "cohort", "pilot")
"""What a new city's row must give."""
NEW_CITY = {"status": "active"}
"""What a new city's file says of the fields a row may give but need not."""
CONTACT_FIELDS = ("name", "role", "email", "phone")
LEAD_HEADERS = frozenset({"lead", "leadcontact"})
"""Headers that make the contact in their column the city's lead."""


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
