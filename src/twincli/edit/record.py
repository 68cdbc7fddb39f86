"""What `twincli record` changes in a Twin City's file: attendance, a site visit, an output.

Each function takes the folder as loaded under the edit lock (`transaction.commit`) and returns
the `Plan` of its change, made by the editing layer in the file's own style. An unknown city,
event or output is a usage error; a city file that cannot be read, or its cohort or edition, is
a `BrokenFileError`.
Whether the changed folder is still valid (an event after the as-of day, a date outside the
cohort, an approval before the submission) is for `commit` to check.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date

from yaml.nodes import MappingNode

from twincli.edit.transaction import BrokenFileError, Change, Plan, file_errors
from twincli.edit.yamltext import Document, Step, Value
from twincli.errors import UsageError, folded, resolve_id, unknown_id
from twincli.model import (
    City,
    CityOutput,
    Cohort,
    Edition,
    OutputStatus,
    Record,
    Visit,
    Withdrawal,
)
from twincli.read.loader import UNREADABLE, Loaded, misnamed


@dataclasses.dataclass(frozen=True, slots=True)
class CityFile:
    """A Twin City's file, ready to edit."""

    city: City
    path: str
    data: bytes
    document: Document

    def plan(self, document: Document, notes: Sequence[str] = ()) -> Plan:
        return Plan((Change(self.path, self.data, document.to_bytes()),), tuple(notes))


def meant(kind: str, word: str, known: Iterable[str], notes: list[str], where: str = "") -> str:
    """The id or name `word` means (`errors.resolve_id`), adding a note to `notes` when it
    was taken for another spelling (not for another case)."""
    found = resolve_id(kind, word, known, where)
    if folded(found) != folded(word):
        notes.append(f"'{word}' taken as '{found}'")
    return found


def open_city(loaded: Loaded, city_id: str) -> CityFile:
    """The city's file. Raises UsageError for an unknown city, BrokenFileError for a file
    that cannot be read as a city."""
    programme = loaded.programme
    if city_id not in programme.marks.ids("cities"):
        raise unknown_id("city", city_id, programme.marks.ids("cities"))
    path = f"cities/{city_id}.yaml"
    city = programme.cities.get(city_id)
    if city is None:
        raise BrokenFileError(path, file_errors(loaded, path))
    try:
        data = (loaded.root / path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    return CityFile(city, path, data, Document.from_bytes(data, path))


def record_attendance(
    loaded: Loaded, city_id: str, events: Sequence[str], *, undo: bool = False
) -> Plan:
    """Add events of the city's cohort to its `attended` list (those not there yet), or with
    `undo` remove them from it (those there)."""
    target = open_city(loaded, city_id)
    cohort, _ = cohort_and_edition(loaded, target.city.cohort, target.path)
    notes: list[str] = []
    events = [meant("event", e, cohort.marks.ids("events"), notes, cohort.id) for e in events]
    document = target.document
    for event in dict.fromkeys(events):
        listed = target.city.attended
        if undo:
            if event not in listed:
                notes.append(f"{city_id} has not attended {event}")
                continue
            while (index := _attended_index(document, event)) is not None:
                document = document.remove_item([], "attended", index)
            continue
        if event in listed:
            notes.append(f"{city_id} already attended {event}")
            continue
        document = document.append(
            [], "attended", event, after=keys_before(City, "attended"), flow=True
        )
    return target.plan(document, notes)


def _attended_index(document: Document, event: str) -> int | None:
    listed = document.data_at(["attended"])
    if not isinstance(listed, list) or event not in listed:
        return None
    return listed.index(event)


VISIT_FIELDS = ("city", "end", "status", "travellers", "claimed_eur", "reimbursed_eur", "notes")
"""What `record visit` changes in a visit it finds (its direction and start find it)."""


def record_visit(
    loaded: Loaded,
    city_id: str,
    *,
    start: date,
    direction: str | None = None,
    end: date | None = None,
    city: str | None = None,
    travellers: int | None = None,
    status: str | None = None,
    claimed: str | None = None,
    reimbursed: str | None = None,
    notes: str | None = None,
    move_to: date | None = None,
    as_of: date,
) -> Plan:
    """Record *the* visit of the city that starts on `start` (and goes in `direction`, when
    given): the options given change that visit and nothing else; `move_to` moves it to start
    on that day (its end moves with it, unless `end` is given). When the city has no such
    visit, it is added (then `direction` is needed); without a status, a new visit whose
    last day is after the as-of day is `planned`, else `done`. Never adds a second visit with
    the same start and direction."""
    target = open_city(loaded, city_id)
    cohort_and_edition(loaded, target.city.cohort, target.path)  # the dates are checked on them
    notes_said: list[str] = []
    pilot = loaded.programme.pilots.get(target.city.pilot)
    if city is not None and pilot is not None:  # a name it does not have is refused by the rules
        names = [c.name for c in pilot.cities]
        with contextlib.suppress(UsageError):
            city = meant("city of the pilot", city, names, notes_said)
    found = [
        i
        for i, visit in enumerate(target.city.visits)
        if visit.start == start and direction in (None, visit.direction)
    ]
    fields: dict[str, str | None] = {
        "city": city,
        "end": end.isoformat() if end else None,
        "status": status,
        "travellers": None if travellers is None else str(travellers),
        "claimed_eur": claimed,
        "reimbursed_eur": reimbursed,
        "notes": notes,
    }
    if len(found) > 1:
        directions = sorted({target.city.visits[i].direction for i in found})
        if len(directions) > 1:
            raise UsageError(
                f"{city_id} has a visit each way starting on {start}: say which with "
                "--direction to-partner or --direction from-partner"
            )
        raise UsageError(
            f"{target.path} lists {len(found)} {directions[0]} visits starting on {start}; "
            "remove the copies by hand, then record the visit again"
        )
    if not found:
        if move_to is not None:
            raise UsageError(f"{city_id} has no visit starting on {start} to move{_starts(target)}")
        if direction is None:
            raise UsageError(
                f"{city_id} has no visit starting on {start}{_starts(target)}; to add one, "
                "give --direction to-partner or --direction from-partner"
            )
        if status is None:
            fields["status"] = "planned" if (end or start) > as_of else "done"
        fields.update(direction=direction, start=start.isoformat())
        order = _keys(Visit)
        visit: dict[str, Value] = {
            key: value
            for key, value in sorted(fields.items(), key=lambda kv: order.index(kv[0]))
            if value is not None
        }
        document = target.document.append([], "visits", visit, after=keys_before(City, "visits"))
        return target.plan(document, notes_said)
    index = found[0]
    existing = target.city.visits[index]
    if move_to is not None:
        fields["start"] = move_to.isoformat()
        if end is None and existing.end is not None:  # it keeps its length
            fields["end"] = (existing.end + (move_to - existing.start)).isoformat()
    document = target.document
    where: list[Step] = ["visits", index]
    for key, value in fields.items():
        if value is not None:
            document = document.set_key(where, key, value, after=keys_before(Visit, key))
    return target.plan(document, notes_said)


def _starts(target: CityFile) -> str:
    """` (its visits start on 2025-03-11, 2025-06-02)`, or nothing for a city without."""
    starts = sorted({visit.start.isoformat() for visit in target.city.visits})
    return f" (its visits start on {', '.join(starts)})" if starts else ""


OUTPUT_DATE_OF: dict[str, str] = {
    "drafting": "started",
    "submitted": "submitted",
    "needs-revision": "revision_requested",
    "approved": "approved",
}
"""The date each status after `not-started` has: the field `--date` sets with it."""

DEFAULTS_TO_AS_OF = ("submitted", "approved")
"""The statuses whose date is the as-of day when none is given (the others may have none)."""


def record_output(
    loaded: Loaded,
    city_id: str,
    output_id: str,
    status: OutputStatus | None = None,
    *,
    day: date | None = None,
    submitted: date | None = None,
    approved: date | None = None,
    link: str | None = None,
    notes: str | None = None,
    as_of: date,
) -> Plan:
    """Move one of the city's outputs to `status`, and set what else is given.

    `day` is the date of the new status (`OUTPUT_DATE_OF`); `submitted` and `approved` default
    to the as-of day. `submitted` and `approved` set those dates directly, so one call records
    both. A resubmission moves `submitted` to its new date. A status before `approved` removes
    the `approved` date (the output is no longer approved), and `not-started` removes every
    date. `needs-revision` and `drafting` keep the last submission's date."""
    if day is not None and status is None:
        raise UsageError("--date is the day of a new --status: give the --status too")
    if day is not None and status == "not-started":
        raise UsageError("--date goes with a status after not-started (not-started has no date)")
    target = open_city(loaded, city_id)
    _, edition = cohort_and_edition(loaded, target.city.cohort, target.path)
    said: list[str] = []
    output_id = meant(
        "output", output_id, edition.marks.ids("outputs"), said, f"edition {edition.id}"
    )
    values: dict[str, str] = {}
    given = {"submitted": submitted, "approved": approved}
    if status is not None:
        values["status"] = status
        field = OUTPUT_DATE_OF.get(status)
        explicit = given.get(field) if field else None
        if day is not None and explicit is not None and day != explicit:
            raise UsageError(f"--date {day} and --{field} {explicit} disagree: give one of them")
        if field is not None and (day or explicit or status in DEFAULTS_TO_AS_OF):
            values[field] = (day or explicit or as_of).isoformat()
    for name, given_day in given.items():
        if given_day is not None:
            values[name] = given_day.isoformat()
    for name, text in (("link", link), ("notes", notes)):
        if text is not None:
            values[name] = text
    if not values:
        raise UsageError("say what to record: --status, --submitted, --approved, --link or --notes")
    document = target.document
    where = ["outputs", output_id]
    if document.node(where) is None:
        if status is None:
            raise UsageError(f"{city_id} has no entry for {output_id} yet: give its --status too")
        order = _keys(CityOutput)
        entry: dict[str, Value] = dict(sorted(values.items(), key=lambda kv: order.index(kv[0])))
        if not isinstance(document.node(["outputs"]), MappingNode):
            document = document.set_key(
                [], "outputs", {output_id: entry}, after=keys_before(City, "outputs")
            )
        else:  # after the outputs that come before it in the edition
            order = list(edition.marks.ids("outputs"))
            before = order[: order.index(output_id)]
            document = document.set_key(["outputs"], output_id, entry, after=before)
        return target.plan(document, said)
    for name, value in values.items():
        document = document.set_key(where, name, value, after=keys_before(CityOutput, name))
    if status is not None and status != "approved" and approved is None:
        document = document.remove_key(where, "approved")
    if status == "not-started":
        for name in OUTPUT_DATE_OF.values():
            document = document.remove_key(where, name)
    return target.plan(document, said)


def withdraw(loaded: Loaded, city_id: str, *, day: date, reason: str) -> Plan:
    """Mark the city withdrawn on `day` for `reason`: its `status` and its `withdrawn:`
    record, in one change."""
    target = open_city(loaded, city_id)
    document = target.document.set_key([], "status", "withdrawn", after=keys_before(City, "status"))
    record: dict[str, str] = {"date": day.isoformat(), "reason": reason}
    if isinstance(document.node(["withdrawn"]), MappingNode):
        for key, value in record.items():
            document = document.set_key(
                ["withdrawn"], key, value, after=keys_before(Withdrawal, key)
            )
    else:
        document = document.set_key(
            [], "withdrawn", dict(record), after=keys_before(City, "withdrawn"), flow=True
        )
    return target.plan(document)


def keys_before(cls: type[Record], key: str) -> list[str]:
    """The keys that come before `key` in the format's order of a record's keys."""
    keys = _keys(cls)
    return keys[: keys.index(key)]


def _keys(cls: type[Record]) -> list[str]:
    return [
        f.metadata.get("key", f.name)
        for f in dataclasses.fields(cls)
        if f.name != "marks" and not f.metadata.get("from_key")
    ]


def cohort_and_edition(
    loaded: Loaded, cohort_id: str, named_in: str | None = None
) -> tuple[Cohort, Edition]:
    """The cohort `cohort_id` and its edition. Raises BrokenFileError when either is not in
    the model, naming the file whose errors keep it out: the cohort's file, a misnamed file
    of it (`cohorts/Cohort-2.yaml`, TC111), a cohorts folder that cannot be listed, or
    programme.yaml for its edition; and `named_in`, the file that names the cohort, when
    there is no such cohort at all (an error of that file, TC302)."""
    cohort = loaded.programme.cohorts.get(cohort_id)
    if cohort is None:
        path = _cohort_file(loaded, cohort_id) or named_in or f"cohorts/{cohort_id}.yaml"
        raise BrokenFileError(path, file_errors(loaded, path))
    edition = loaded.programme.editions.get(cohort.edition)
    if edition is None:
        raise BrokenFileError("programme.yaml", file_errors(loaded, "programme.yaml"))
    return cohort, edition


def _cohort_file(loaded: Loaded, cohort_id: str) -> str | None:
    """The file that holds the cohort `cohort_id` but could not be read as it: its own file
    when that has errors, else a misnamed file whose name is the id as `loader.unread` reads
    it (TC111), else a cohorts folder that cannot be listed; None when there is none."""
    path = f"cohorts/{cohort_id}.yaml"
    if file_errors(loaded, path):
        return path
    wrongly_named = misnamed(loaded.diagnostics).get(("cohorts", cohort_id))
    if wrongly_named is not None:
        return wrongly_named
    for problem in loaded.diagnostics:  # a cohorts folder that cannot be listed
        if problem.code == UNREADABLE and problem.location.file == "cohorts/":
            return problem.location.file
    return None
