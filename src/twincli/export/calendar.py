"""An iCalendar (RFC 5545) for calendars (`twincli export ics`): cohort sessions (timed, in
the programme's `timezone`, when they have a `time:`, else all day), site visits and output
deadlines (all day), with UIDs made of the programme's ids, and a
DTSTAMP derived from the data, not the clock: the same data always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from twincli.export.scope import cities_in_order, cohorts_in_order, partner_city, pilot_name
from twincli.model import Cohort, Programme
from twincli.schedule import event_times

UID_DOMAIN = "twincli"
PRODID = "-//twincli//NetZeroCities Twinning Learning Programme//EN"


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
    times: tuple[time, time | None] | None = None
    """For a session with a `time:`: when it starts and ends on its day, in the programme's
    time zone (without an end, it lasts an hour); else it takes the whole day."""
    link: str | None = None


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
    for cohort in cohorts_in_order(programme):
        edition = programme.editions.get(cohort.edition)
        for event in cohort.events.values():
            activity = edition.activities.get(event.activity) if edition else None
            kind = (activity.title if activity else None) or event.activity
            lines = [f"{_cohort_name(cohort)}: {kind}"]
            if attended is not None:
                lines.append("Attended" if event.id in attended else "Not attended")
            if event.link:
                lines.append(event.link)
            yield CalendarEntry(
                uid=_uid("event", cohort.id, event.id),
                summary=_with_cohort(event.title or event.id, cohort),
                first=event.date,
                last=event.date,
                description="\n".join(lines),
                categories=("twinning", event.activity),
                location=event.place,
                times=event_times(event.time) if event.time else None,
                link=event.link,
            )


def _with_cohort(summary: str, cohort: Cohort) -> str:
    """`summary (Cohort 2)`, unless it already names the cohort."""
    name = _cohort_name(cohort)
    return summary if name.lower() in summary.lower() else f"{summary} ({name})"


_VISIT_STATUS = {"planned": "TENTATIVE", "done": "CONFIRMED", "cancelled": "CANCELLED"}


def _visit_entries(programme: Programme) -> Iterator[CalendarEntry]:
    for city in cities_in_order(programme):
        pilot = programme.pilots.get(city.pilot)
        partner = pilot_name(pilot, city.pilot)
        for number, visit in enumerate(city.visits, start=1):
            where = partner_city(visit, pilot)
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

    for cohort in cohorts_in_order(programme):
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
    latest day in the calendar: it changes only when the data does.

    Every text property, the calendar's own name (X-WR-CALNAME) as much as an event's
    summary, is given to icalendar as `vText` (`_ics_text`), whose escaping writes a line
    break as `\\n` and backslashes `;`, `,` and `\\`: without it, icalendar writes a property
    it has no type for (any `X-` one) as it is, so a line feed in a name would end the line
    and start an event of its own.

    An all-day event ends (DTEND) on the day after its last; one whose last day is the
    calendar's own (31 December 9999), which has no day after it, says how long it lasts
    (DURATION) instead."""
    from icalendar import Calendar, Event
    from icalendar.prop import vCategory  # not at the top level before icalendar 7

    from twincli.schedule import day_after

    entries = calendar_entries(programme, city)
    zone = _zone(programme.timezone)
    latest = max((e.last for e in entries), default=date(2000, 1, 1))
    stamp = datetime(latest.year, latest.month, latest.day, tzinfo=UTC)
    calendar = Calendar()
    calendar.add("prodid", _ics_text(PRODID))
    calendar.add("version", _ics_text("2.0"))
    calendar.add("calscale", _ics_text("GREGORIAN"))
    calendar.add("x-wr-calname", _ics_text(calendar_name(programme, cohort, city)))
    for entry in entries:
        event = Event()
        event.add("uid", _ics_text(entry.uid))
        event.add("dtstamp", stamp)
        if entry.times is not None:
            begins, ends = entry.times
            event.add("dtstart", datetime.combine(entry.first, begins, zone))
            if ends is not None:
                event.add("dtend", datetime.combine(entry.first, ends, zone))
            else:
                event.add("duration", timedelta(hours=1))
        else:
            event.add("dtstart", entry.first)
            end = day_after(entry.last)  # all-day events end on the next day, not included
            if end is not None:
                event.add("dtend", end)
            else:  # past the calendar's last day: the same, said as how long the event lasts
                event.add("duration", timedelta(days=(entry.last - entry.first).days + 1))
        event.add("summary", _ics_text(entry.summary))
        event.add("description", _ics_text(entry.description))
        event.add("categories", vCategory([str(_ics_text(c)) for c in entry.categories]))
        if entry.location:
            event.add("location", _ics_text(entry.location))
        if entry.status:
            event.add("status", _ics_text(entry.status))
        event.add("transp", _ics_text("TRANSPARENT" if entry.free else "OPAQUE"))
        if entry.link:
            event.add("url", entry.link)
        calendar.add_component(event)
    if any(entry.times for entry in entries) and hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()  # the VTIMEZONE of TZID=... (icalendar 6.1 and later)
    ical: bytes = calendar.to_ical()
    return ical


def _zone(name: str) -> tzinfo:
    """The programme's time zone (a name `validate` refuses falls back to the default)."""
    from zoneinfo import ZoneInfo

    from twincli.schedule import known_timezone

    return ZoneInfo(name if known_timezone(name) else "Europe/Brussels")


def calendar_name(programme: Programme, cohort: str | None = None, city: str | None = None) -> str:
    """`Twinning Learning Programme: Soria`: the programme's name, and the city's or the
    cohort's when the calendar is theirs."""
    name = programme.name or "Twinning Learning Programme"
    if city is not None:
        return f"{name}: {programme.cities[city].name}"
    if cohort is not None:
        return f"{name}: {programme.cohorts[cohort].title or cohort}"
    return name


def _ics_text(text: str) -> Any:
    """Text for an iCalendar TEXT value, as icalendar's `vText` escapes it. RFC 5545 has
    one line break, written `\\n`, and no place for other control characters: a CR or CR LF
    becomes that line break, and the rest are shown as `\\uXXXX` (`terminal.printable`),
    as reports show them."""
    from icalendar import vText

    from twincli.terminal import printable

    return vText(printable(text.replace("\r\n", "\n").replace("\r", "\n")))
