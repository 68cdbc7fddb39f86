"""The rows of the other kinds of sheet turned into edits: attendance, outputs and visits
(cities are `imports.cities`). Each `import_<kind>` adds to `Edits` what its rows say, and a
`SheetProblem` for each cell it cannot use; a row with a problem changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from yaml.nodes import MappingNode

from twincli.edit.record import keys_before
from twincli.edit.yamltext import Value
from twincli.imports import cells
from twincli.imports.cells import text
from twincli.imports.cities import import_cities
from twincli.imports.plan import CityIndex, Edits, Request, Row, Rows, find_city, read
from twincli.imports.sheet import Cell, SheetProblem
from twincli.model import City, CityOutput, Edition, Visit

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
