"""What `twincli new event` and `record event` change in a cohort's file: its schedule.

A session is added where it falls in time (after the last one on or before its day), in the
style of the sessions already there; changing one sets only the keys given. Moving a session
keeps the cities' attendance, which names it by id. Deleting one is not a command: cities may
have attended it.
"""

from __future__ import annotations

from datetime import date

from twincli.edit.record import cohort_and_edition, keys_before, meant
from twincli.edit.transaction import BrokenFileError, Change, Plan, file_errors
from twincli.edit.yamltext import Document, Value
from twincli.errors import UsageError, unknown_id
from twincli.model import Cohort, Event
from twincli.read.loader import Loaded
from twincli.read.records import is_slug, slug_hint


def new_event(
    loaded: Loaded,
    cohort_id: str,
    event_id: str,
    *,
    activity: str,
    day: date,
    title: str | None = None,
    time: str | None = None,
    place: str | None = None,
    link: str | None = None,
) -> Plan:
    """Add a session to the cohort's schedule."""
    if not is_slug(event_id):
        raise UsageError(f"'{event_id}' is not a valid event id ({slug_hint(event_id)})")
    cohort, path, data, document = _open_cohort(loaded, cohort_id)
    if cohort.marks.has_entry("events", event_id):
        raise UsageError(
            f"{cohort_id} already has an event '{event_id}': change it with "
            f"twincli record event {cohort_id} {event_id}"
        )
    _, edition = cohort_and_edition(loaded, cohort_id)
    notes: list[str] = []
    sessions = [a for a in edition.marks.ids("activities") if a != "site-visit"]
    activity = meant("activity", activity, sessions, notes, f"edition {edition.id}")
    values = {
        "activity": activity,
        "date": day.isoformat(),
        "title": title,
        "time": time,
        "place": place,
        "link": link,
    }
    entry: dict[str, Value] = {k: v for k, v in values.items() if v is not None}
    if document.node(["events"]) is None or document.data_at(["events"]) is None:
        document = document.set_key(
            [], "events", {event_id: entry}, after=keys_before(Cohort, "events")
        )
    else:
        earlier = [e.id for e in cohort.events.values() if e.date <= day]
        document = document.set_key(["events"], event_id, entry, after=earlier)
    return Plan((Change(path, data, document.to_bytes()),), tuple(notes))


def record_event(
    loaded: Loaded,
    cohort_id: str,
    event_id: str,
    *,
    day: date | None = None,
    title: str | None = None,
    time: str | None = None,
    place: str | None = None,
    link: str | None = None,
    notes: str | None = None,
) -> Plan:
    """Change a session of the cohort: only the keys given."""
    cohort, path, data, document = _open_cohort(loaded, cohort_id)
    said: list[str] = []
    event_id = meant("event", event_id, cohort.marks.ids("events"), said, cohort_id)
    values = {
        "date": day.isoformat() if day else None,
        "title": title,
        "time": time,
        "place": place,
        "link": link,
        "notes": notes,
    }
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        raise UsageError("say what to change: --date, --title, --time, --place, --link or --notes")
    for key, value in given.items():
        document = document.set_key(["events", event_id], key, value, after=keys_before(Event, key))
    return Plan((Change(path, data, document.to_bytes()),), tuple(said))


def _open_cohort(loaded: Loaded, cohort_id: str) -> tuple[Cohort, str, bytes, Document]:
    marks = loaded.programme.marks
    if cohort_id not in marks.ids("cohorts"):
        raise unknown_id("cohort", cohort_id, marks.ids("cohorts"))
    path = f"cohorts/{cohort_id}.yaml"
    cohort = loaded.programme.cohorts.get(cohort_id)
    if cohort is None:
        raise BrokenFileError(path, file_errors(loaded, path))
    try:
        data = (loaded.root / path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    return cohort, path, data, Document.from_bytes(data, path)
