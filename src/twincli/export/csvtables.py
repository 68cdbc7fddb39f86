"""CSV tables for spreadsheets (`twincli export csv`): pure functions of the programme and its
progress as of a day, returning text; the same data always gives the same bytes.

UTF-8 with a byte order mark by default (Excel reads UTF-8 only with one; LibreOffice and
Python's `utf-8-sig` accept it), CRLF line ends, a header row. Text a person typed that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so that a spreadsheet
shows it instead of running it as a formula; figures are never prefixed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from twincli.export.scope import cities_in_order, cohorts_in_order, partner_city, pilot_name
from twincli.model import Programme
from twincli.progress.history import CohortHistory
from twincli.progress.standing import Deadline, ProgrammeProgress, iter_cities

TABLES = ("cities", "visits", "outputs", "events", "contacts")
"""The tables `export csv` writes, `cities` first (the default)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_table(
    table: str, programme: Programme, progress: ProgrammeProgress, *, delimiter: str = ","
) -> str:
    """One table as CSV text (a header row, then one row per item). `progress` is the
    programme's progress as of the day, narrowed the same way as `programme`."""
    import csv

    header, rows = _TABLES[table](programme, progress)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def deadlines_csv(deadlines: list[Deadline], as_of: date, *, delimiter: str = ",") -> str:
    """`twincli deadlines --format csv`: a row per deadline, soonest first, with its state in
    words (`overdue`, `due`)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(
        ["as_of", "due", "days", "state", "cohort", "city", "name", "kind", "item", "title"]
    )
    for d in deadlines:
        row = [as_of, d.due, d.days, d.state, d.cohort, d.city, d.city_name, d.kind, d.item]
        writer.writerow([_cell(value) for value in [*row, d.title]])
    return buffer.getvalue()


def history_csv(cohorts: Sequence[CohortHistory], *, delimiter: str = ",") -> str:
    """`twincli history --format csv`: a row per step of each cohort, each figure and its
    plan in columns of their own (`history.CSV_HEADER`)."""
    import csv

    from twincli.progress.history import CSV_HEADER, csv_rows

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(cohorts))
    return buffer.getvalue()


def csv_bytes(text: str, *, bom: bool = True) -> bytes:
    """CSV text as the bytes of a file: UTF-8, with a byte order mark unless `bom` is off."""
    return text.encode("utf-8-sig" if bom else "utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, int | date):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


Rows = tuple[list[str], Iterator[list[Any]]]


def _cities(programme: Programme, progress: ProgrammeProgress) -> Rows:
    header = [
        "as_of", "cohort", "city", "name", "country", "pilot", "pilot_name", "status",
        "health", "health_reason", "events_attended", "events_held", "events_expected",
        "visits_done", "visits_planned", "visits_funded", "outputs_not_started", "outputs_drafting",
        "outputs_submitted", "outputs_needs_revision", "outputs_approved", "milestones_reached",
        "milestones_expected", "overdue_outputs",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for cohort, cp in iter_cities(progress):
            city = cp.city
            counts = cp.output_counts()
            yield [
                progress.as_of, cohort.cohort.id, city.id, city.name, city.country, city.pilot,
                pilot_name(programme.pilots.get(city.pilot), city.pilot), city.status,
                cp.health, cp.reasons[0] if cp.reasons else None, cp.activities.done,
                cp.activities.held, cp.activities.expected,
                cp.visits.done, cp.visits.planned, cp.visits.funded, counts["not-started"],
                counts["drafting"], counts["submitted"], counts["needs-revision"],
                counts["approved"], sum(m.reached for m in cp.milestones.values()),
                len(cp.milestones), cp.overdue,
            ]  # fmt: skip

    return header, rows()


def _visits(programme: Programme, progress: ProgrammeProgress) -> Rows:
    header = [
        "cohort", "city", "name", "pilot", "visit", "direction", "partner_city", "start",
        "end", "status", "travellers", "claimed_eur", "reimbursed_eur",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for city in cities_in_order(programme):
            pilot = programme.pilots.get(city.pilot)
            for number, visit in enumerate(city.visits, start=1):
                yield [
                    city.cohort, city.id, city.name, city.pilot, number, visit.direction,
                    partner_city(visit, pilot), visit.start, visit.end or visit.start,
                    visit.status, visit.travellers, visit.claimed_eur, visit.reimbursed_eur,
                ]  # fmt: skip

    return header, rows()


def _outputs(programme: Programme, progress: ProgrammeProgress) -> Rows:
    header = [
        "as_of", "cohort", "city", "name", "output", "title", "status", "due", "submitted",
        "approved", "overdue", "days_late",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for cohort, cp in iter_cities(progress):
            for o in cp.outputs.values():
                yield [
                    progress.as_of, cohort.cohort.id, cp.city.id, cp.city.name, o.id, o.title,
                    o.status, o.due, o.submitted, o.approved, o.overdue, o.days_late,
                ]  # fmt: skip

    return header, rows()


def _events(programme: Programme, progress: ProgrammeProgress) -> Rows:
    header = [
        "cohort", "event", "date", "activity", "activity_title", "title", "held", "attended",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for cohort in cohorts_in_order(programme):
            edition = programme.editions.get(cohort.edition)
            members = [c for c in programme.cities.values() if c.cohort == cohort.id]
            for event in sorted(cohort.events.values(), key=lambda e: (e.date, e.id)):
                activity = edition.activities.get(event.activity) if edition else None
                yield [
                    cohort.id,
                    event.id,
                    event.date,
                    event.activity,
                    activity.title if activity else None,
                    event.title,
                    event.date <= progress.as_of,
                    sum(1 for c in members if event.id in c.attended),
                ]

    return header, rows()


def _contacts(programme: Programme, progress: ProgrammeProgress) -> Rows:
    """One row per contact, in the order of the city's file. The person's name is `contact`,
    as `import cities` reads it (a `name` column there is the city's)."""
    header = ["cohort", "city", "contact", "role", "email", "phone"]

    def rows() -> Iterator[list[Any]]:
        for city in cities_in_order(programme):
            for person in city.contacts:
                yield [city.cohort, city.id, person.name, person.role, person.email, person.phone]

    return header, rows()


_TABLES = {
    "cities": _cities,
    "visits": _visits,
    "outputs": _outputs,
    "events": _events,
    "contacts": _contacts,
}
