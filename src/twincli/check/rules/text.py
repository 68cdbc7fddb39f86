"""Rules about text: the names and titles that tables, calendars and spreadsheets show on one
line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from twincli.check.rules.context import Context
from twincli.check.rules.registry import Finding, rule
from twincli.model import Record
from twincli.schedule import event_times, known_timezone

_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
"""Control characters (C0 with tab and line breaks, DEL, C1 with NEL), the line and paragraph
separators, and the bidirectional marks, embeddings, overrides and isolates, which reorder
what is shown."""

_LINE_BREAKS = {
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\x85": "a line break",
    "\u2028": "a line break",
    "\u2029": "a paragraph break",
}


@rule("TC213")
def check_names_are_one_line(ctx: Context) -> Iterator[Finding]:
    """Every name and title: the programme's, each edition's and of its modules, activities,
    outputs and milestones, each cohort's and event's, each pilot's (acronym, title, its
    cities), each city's, its contacts' and the cities its visits name."""
    if not ctx.cities_only:
        yield from _text_of(ctx.programme, "name")
        for edition in ctx.editions():
            yield from _text_of(edition, "title")
            for parts in (edition.modules, edition.activities, edition.outputs, edition.milestones):
                for part in parts.values():
                    yield from _text_of(part, "title")
        for cohort in ctx.cohorts():
            yield from _text_of(cohort, "title")
            for event in cohort.events.values():
                yield from _text_of(event, "title", "place")
        for pilot in ctx.programme.pilots.values():
            yield from _text_of(pilot, "acronym", "title")
            for pilot_city in pilot.cities:
                yield from _text_of(pilot_city, "name")
    for city in ctx.cities():
        yield from _text_of(city, "name")
        for contact in city.contacts:
            yield from _text_of(contact, "name")
        for visit in city.visits:
            yield from _text_of(visit, "city")


def _text_of(record: Record, *keys: str) -> Iterator[Finding]:
    for key in keys:
        text = getattr(record, key)
        found = _NOT_ONE_LINE.search(text) if isinstance(text, str) else None
        if found is not None:
            char = found.group()
            what = _LINE_BREAKS.get(char) or (
                "a control character" if char <= "\x9f" else "a bidirectional control"
            )
            yield Finding(
                record.marks.value(key),
                f"'{key}' holds {what} (U+{ord(char):04X}) at character {found.start() + 1}",
                "names and titles are one line of text, shown as such in tables, calendars "
                "and spreadsheets: remove it",
            )


@rule("TC214")
def check_times(ctx: Context) -> Iterator[Finding]:
    """Each event's `time` and the programme's `timezone`, as the calendar export reads them."""
    if ctx.cities_only:
        return
    programme = ctx.programme
    if programme.marks.given("timezone") and not known_timezone(programme.timezone):
        yield Finding(
            programme.marks.value("timezone"),
            f"'{programme.timezone}' is not an IANA time zone name",
            "write it as Region/City, e.g. Europe/Brussels or Europe/Lisbon",
        )
    for cohort in ctx.cohorts():
        for event in cohort.events.values():
            if event.time is not None and event_times(event.time) is None:
                yield Finding(
                    event.marks.value("time"),
                    f"event '{event.id}': time '{event.time}' is not HH:MM or HH:MM-HH:MM "
                    "with a later end",
                    "write it on the 24-hour clock, e.g. 09:30 or 09:30-11:00",
                )


@rule("TC215")
def check_links(ctx: Context) -> Iterator[Finding]:
    """Links that reports and calendars show as links: http and https only (no
    `javascript:`, no file path that means nothing to another reader)."""
    records: list[Record] = []
    if not ctx.cities_only:
        records += [e for c in ctx.cohorts() for e in c.events.values()]
    records += [o for city in ctx.cities() for o in city.outputs.values()]
    for record in records:
        link = getattr(record, "link", None)
        if link is not None and _URL.match(link) is None:
            yield Finding(
                record.marks.value("link"),
                f"link '{link}' is not an http or https URL",
                "give the full address, starting with https://",
            )


_URL = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.IGNORECASE)
