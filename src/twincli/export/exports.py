"""Data for spreadsheets, scripts and calendars: CSV tables, the model as JSON, an iCalendar.

Pure functions of the programme (and, for progress figures, the as-of day) returning text or
bytes; the CLI writes them. The same data always gives the same bytes:

- CSV: UTF-8 with a byte order mark by default (Excel reads UTF-8 only with one; LibreOffice
  and Python's `utf-8-sig` accept it), CRLF line ends, a header row. Text a person typed that
  starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so that a
  spreadsheet shows it instead of running it as a formula; figures are never prefixed.
- JSON: every record under its kind and id, keys as the YAML spells them, in the model's field
  order; absent values as null; dates as ISO strings; amounts as numbers (exact: they have at
  most two decimals).
- iCalendar (RFC 5545): all-day events for cohort sessions, site visits and output deadlines,
  with UIDs made of the programme's ids, and a DTSTAMP derived from the data, not the clock.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from twincli.model import City, Cohort, Pilot, Programme, Record, Visit

if TYPE_CHECKING:  # imported where used: `export json` needs neither progress nor dates
    from twincli.progress.standing import CityProgress, CohortProgress, ProgrammeProgress

TABLES = ("cities", "visits", "outputs", "events")
"""The tables `export csv` writes, `cities` first (the default)."""

UID_DOMAIN = "twincli"
PRODID = "-//twincli//NetZeroCities Twinning Learning Programme//EN"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- narrowing ------------------------------------------------------------------------------


def narrow(programme: Programme, cohort: str | None = None, city: str | None = None) -> Programme:
    """The programme with only one cohort and/or one city (and the pilots its cities are
    paired with). Raises LookupError naming what does not exist."""
    if cohort is None and city is None:
        return programme
    cohorts = dict(programme.cohorts)
    if cohort is not None:
        if cohort not in cohorts:
            known = ", ".join(sorted(cohorts))
            raise LookupError(f"no cohort '{cohort}' (cohorts: {known})")
        cohorts = {cohort: cohorts[cohort]}
    cities = {k: c for k, c in programme.cities.items() if c.cohort in cohorts}
    if city is not None:
        if city not in cities:
            where = f" in {cohort}" if cohort else ""
            raise LookupError(f"no city '{city}'{where}")
        cities = {city: cities[city]}
        cohorts = {k: c for k, c in cohorts.items() if k == cities[city].cohort}
    paired = {c.pilot for c in cities.values()}
    pilots = {k: p for k, p in programme.pilots.items() if k in paired}
    return dataclasses.replace(programme, cohorts=cohorts, cities=cities, pilots=pilots)


# --- CSV ------------------------------------------------------------------------------------


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


def _pilot_name(pilot: Pilot | None, fallback: str) -> str:
    if pilot is None:
        return fallback
    return pilot.acronym or pilot.title


def _cities(programme: Programme, progress: ProgrammeProgress) -> Rows:
    header = [
        "as_of", "cohort", "city", "name", "country", "pilot", "pilot_name", "status",
        "health", "events_attended", "events_expected", "visits_done", "visits_planned",
        "visits_funded", "outputs_not_started", "outputs_drafting", "outputs_submitted",
        "outputs_needs_revision", "outputs_approved", "milestones_reached",
        "milestones_expected", "overdue_outputs",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for cohort, cp in _each_city(progress):
            city = cp.city
            counts = cp.output_counts()
            yield [
                progress.as_of, cohort.cohort.id, city.id, city.name, city.country, city.pilot,
                _pilot_name(programme.pilots.get(city.pilot), city.pilot), city.status,
                cp.health, cp.activities.done, cp.activities.expected, cp.visits.done,
                cp.visits.planned, cp.visits.funded, counts["not-started"], counts["drafting"],
                counts["submitted"], counts["needs-revision"], counts["approved"],
                sum(m.reached for m in cp.milestones.values()), len(cp.milestones), cp.overdue,
            ]  # fmt: skip

    return header, rows()


def _visits(programme: Programme, progress: ProgrammeProgress) -> Rows:
    header = [
        "cohort", "city", "name", "pilot", "visit", "direction", "partner_city", "start",
        "end", "status", "travellers", "claimed_eur", "reimbursed_eur",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for city in _cities_in_order(programme):
            pilot = programme.pilots.get(city.pilot)
            for number, visit in enumerate(city.visits, start=1):
                yield [
                    city.cohort, city.id, city.name, city.pilot, number, visit.direction,
                    _partner_city(visit, pilot), visit.start, visit.end or visit.start,
                    visit.status, visit.travellers, visit.claimed_eur, visit.reimbursed_eur,
                ]  # fmt: skip

    return header, rows()


def _outputs(programme: Programme, progress: ProgrammeProgress) -> Rows:
    header = [
        "as_of", "cohort", "city", "name", "output", "title", "status", "due", "submitted",
        "approved", "overdue", "days_late",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for cohort, cp in _each_city(progress):
            for o in cp.outputs.values():
                yield [
                    progress.as_of, cohort.cohort.id, cp.city.id, cp.city.name, o.id, o.title,
                    o.status, o.due, o.submitted, o.approved, o.overdue, o.days_late,
                ]  # fmt: skip

    return header, rows()


def _events(programme: Programme, progress: ProgrammeProgress) -> Rows:
    header = ["cohort", "event", "date", "activity", "activity_title", "title", "attended"]

    def rows() -> Iterator[list[Any]]:
        for cohort in _cohorts_in_order(programme):
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
                    sum(1 for c in members if event.id in c.attended),
                ]

    return header, rows()


def _each_city(progress: ProgrammeProgress) -> Iterator[tuple[CohortProgress, CityProgress]]:
    """Every (cohort, city) pair of `progress`, in report order (`progress.iter_cities`)."""
    for cohort in progress.cohorts:
        for city in cohort.cities:
            yield cohort, city


_TABLES = {"cities": _cities, "visits": _visits, "outputs": _outputs, "events": _events}


def _cohorts_in_order(programme: Programme) -> list[Cohort]:
    return sorted(programme.cohorts.values(), key=lambda c: (c.start, c.id))


def _cities_in_order(programme: Programme) -> list[City]:
    """Cities by cohort (in start order), then id; cities of an unknown cohort last."""
    rank = {c.id: i for i, c in enumerate(_cohorts_in_order(programme))}
    return sorted(
        programme.cities.values(), key=lambda c: (rank.get(c.cohort, len(rank)), c.cohort, c.id)
    )


def _partner_city(visit: Visit, pilot: Pilot | None) -> str | None:
    """Where the partner is: the visit's city, or the pilot's only city."""
    if visit.city is not None:
        return visit.city
    if pilot is not None and len(pilot.cities) == 1:
        return pilot.cities[0].name
    return None


# --- JSON -----------------------------------------------------------------------------------


def model_json(programme: Programme) -> str:
    """The whole model: `{"programme": {...}, "cohorts": {id: {...}}, "pilots": {...},
    "cities": {...}}`, each record shaped like its YAML file (`record_data`), as
    `json.dumps(..., indent=2, ensure_ascii=False)` writes it."""
    return "".join(model_json_parts(programme))


def model_json_parts(programme: Programme) -> list[str]:
    """The text of `model_json` in pieces, a record each: the records are written one at a
    time, and the whole document is never built as dicts (tens of megabytes for a large
    programme)."""
    parts = ['{\n  "programme": ', _record_json(programme, "\n  ")]
    for kind, records in (
        ("cohorts", programme.cohorts),
        ("pilots", programme.pilots),
        ("cities", programme.cities),
    ):
        parts.append(f',\n  "{kind}": ')
        separator = "{\n    "
        for key, record in sorted(records.items()):
            parts.append(f"{separator}{json.dumps(key, ensure_ascii=False)}: ")
            parts.append(_record_json(record, "\n    "))
            separator = ",\n    "
        parts.append("{}" if not records else "\n  }")
    parts.append("\n}\n")
    return parts


def _record_json(record: Record, newline: str) -> str:
    """A record as `json.dumps` writes it inside the whole document, at the indentation
    that `newline` ends with: JSON text has no line break inside a string, so each of its
    lines is indented."""
    return json.dumps(record_data(record), indent=2, ensure_ascii=False).replace("\n", newline)


def record_data(record: Record) -> dict[str, Any]:
    """A record as JSON-ready data: its keys as the YAML spells them, in field order (the id
    a record takes from its key or file name is that key, not repeated inside)."""
    return {key: _json_value(getattr(record, name)) for key, name in _json_fields(type(record))}


def _json_fields(cls: type[Record]) -> tuple[tuple[str, str], ...]:
    """(key, attribute) of each field `record_data` writes."""
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(
            (f.metadata.get("key", f.name), f.name)
            for f in dataclasses.fields(cls)
            if not (f.name == "marks" or f.metadata.get("from_key") or f.metadata.get("folder"))
        )
    return fields


_FIELDS: dict[type[Record], tuple[tuple[str, str], ...]] = {}


def _json_value(value: Any) -> Any:
    kind = type(value)
    if kind is str or value is None or kind is int:
        return value
    if isinstance(value, Record):
        return record_data(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


# --- iCalendar ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One all-day event of the calendar: `last` is its last day (inclusive)."""

    uid: str
    summary: str
    first: date
    last: date
    description: str
    categories: tuple[str, ...]
    status: str | None = None
    location: str | None = None
    free: bool = False
    """Shown as free time (a deadline), rather than busy (a session or a visit)."""


def calendar_entries(programme: Programme, city: str | None = None) -> list[CalendarEntry]:
    """Cohort sessions, site visits and output deadlines, by day then UID. With `city`, the
    deadlines are that city's own (one per output), else one per cohort and output."""
    entries = [*_session_entries(programme, city), *_visit_entries(programme)]
    entries += _deadline_entries(programme, city)
    return sorted(entries, key=lambda e: (e.first, e.uid))


def _uid(*parts: str) -> str:
    return ".".join(parts) + "@" + UID_DOMAIN


def _cohort_name(cohort: Cohort) -> str:
    return cohort.title or cohort.id


def _session_entries(programme: Programme, city: str | None) -> Iterator[CalendarEntry]:
    chosen = programme.cities.get(city) if city is not None else None
    attended = set(chosen.attended) if chosen is not None else None
    for cohort in _cohorts_in_order(programme):
        edition = programme.editions.get(cohort.edition)
        for event in cohort.events.values():
            activity = edition.activities.get(event.activity) if edition else None
            kind = (activity.title if activity else None) or event.activity
            lines = [f"{_cohort_name(cohort)}: {kind}"]
            if attended is not None:
                lines.append("Attended" if event.id in attended else "Not attended")
            yield CalendarEntry(
                uid=_uid("event", cohort.id, event.id),
                summary=_with_cohort(event.title or event.id, cohort),
                first=event.date,
                last=event.date,
                description="\n".join(lines),
                categories=("twinning", event.activity),
            )


def _with_cohort(summary: str, cohort: Cohort) -> str:
    """`summary (Cohort 2)`, unless it already names the cohort."""
    name = _cohort_name(cohort)
    return summary if name.lower() in summary.lower() else f"{summary} ({name})"


_VISIT_STATUS = {"planned": "TENTATIVE", "done": "CONFIRMED", "cancelled": "CANCELLED"}


def _visit_entries(programme: Programme) -> Iterator[CalendarEntry]:
    for city in _cities_in_order(programme):
        pilot = programme.pilots.get(city.pilot)
        partner = _pilot_name(pilot, city.pilot)
        for number, visit in enumerate(city.visits, start=1):
            where = _partner_city(visit, pilot)
            away = f"{partner}, {where}" if where else partner
            if visit.direction == "to-partner":
                summary, location = f"Site visit: {city.name} to {away}", where
            else:
                summary, location = f"Site visit: {away} to {city.name}", city.name
            travellers = visit.travellers or 1
            lines = [
                f"{city.name} ({city.id}), visit {number}: {visit.direction}, {visit.status}",
                f"{travellers} traveller{'s' if travellers != 1 else ''}",
            ]
            yield CalendarEntry(
                uid=_uid("visit", city.id, str(number)),
                summary=summary,
                first=visit.start,
                last=visit.end or visit.start,
                description="\n".join(lines),
                categories=("twinning", "site-visit"),
                status=_VISIT_STATUS[visit.status],
                location=location,
            )


def _deadline_entries(programme: Programme, city: str | None) -> Iterator[CalendarEntry]:
    from twincli.schedule import due_date

    for cohort in _cohorts_in_order(programme):
        edition = programme.editions.get(cohort.edition)
        if edition is None:
            continue
        members = sorted(
            (
                c
                for c in programme.cities.values()
                if c.cohort == cohort.id and c.status == "active"
            ),
            key=lambda c: c.id,
        )
        for spec in edition.outputs.values():
            due = due_date(cohort, spec.due_month)
            if due is None:
                continue
            title = spec.title or spec.id
            if city is not None:
                for member in members:
                    listed = member.outputs.get(spec.id)
                    yield CalendarEntry(
                        uid=_uid("output", cohort.id, member.id, spec.id),
                        summary=f"{member.name}: {title} due",
                        first=due,
                        last=due,
                        description=f"{title}: {listed.status if listed else 'not-started'}",
                        categories=("twinning", "deadline"),
                        free=True,
                    )
                continue
            lines = [f"{title}, due for {_cohort_name(cohort)}"]
            for member in members:
                listed = member.outputs.get(spec.id)
                lines.append(f"{member.name}: {listed.status if listed else 'not-started'}")
            yield CalendarEntry(
                uid=_uid("output", cohort.id, spec.id),
                summary=_with_cohort(f"{title} due", cohort),
                first=due,
                last=due,
                description="\n".join(lines),
                categories=("twinning", "deadline"),
                free=True,
            )


def calendar_ics(
    programme: Programme, *, cohort: str | None = None, city: str | None = None
) -> bytes:
    """An RFC 5545 calendar of `calendar_entries`, of the programme narrowed (`narrow`) to
    `cohort` and/or `city`, named after them. Every event's DTSTAMP is midnight UTC of the
    latest day in the calendar: it changes only when the data does."""
    from icalendar import Calendar, Event

    entries = calendar_entries(programme, city)
    latest = max((e.last for e in entries), default=date(2000, 1, 1))
    stamp = datetime(latest.year, latest.month, latest.day, tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name(programme, cohort, city))
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.first)
        event.add("dtend", entry.last + timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("categories", list(entry.categories))
        if entry.location:
            event.add("location", entry.location)
        if entry.status:
            event.add("status", entry.status)
        event.add("transp", "TRANSPARENT" if entry.free else "OPAQUE")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def calendar_name(programme: Programme, cohort: str | None = None, city: str | None = None) -> str:
    """`Twinning Learning Programme: Soria`: the programme's name, and the city's or the
    cohort's when the calendar is theirs."""
    name = programme.name or "Twinning Learning Programme"
    if city is not None:
        return f"{name}: {programme.cities[city].name}"
    if cohort is not None:
        return f"{name}: {programme.cohorts[cohort].title or cohort}"
    return name
