"""What `twincli record` changes in a Twin City's file: attendance, a site visit, an output.

Each function takes the folder as loaded under the edit lock (`transaction.commit`) and returns
the `Plan` of its change, made by the editing layer in the file's own style. An unknown city,
event or output is a usage error; a city file that cannot be read, or its cohort or edition, is
a `BrokenFileError`.
Whether the changed folder is still valid (an event after the as-of day, a date outside the
cohort, an approval before the submission) is for `commit` to check.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from yaml.nodes import MappingNode

from twincli.edit.transaction import BrokenFileError, Change, Plan, file_errors
from twincli.edit.yamltext import Document, Value
from twincli.errors import UsageError, unknown_id
from twincli.model import City, CityOutput, Cohort, Edition, OutputStatus, Record, Visit
from twincli.read.loader import UNREADABLE, Loaded, misnamed

DATED_STATUSES = ("submitted", "approved")
"""The statuses `record output` sets a date for: the field of the same name."""


@dataclasses.dataclass(frozen=True, slots=True)
class CityFile:
    """A Twin City's file, ready to edit."""

    city: City
    path: str
    data: bytes
    document: Document

    def plan(self, document: Document, notes: Sequence[str] = ()) -> Plan:
        return Plan((Change(self.path, self.data, document.to_bytes()),), tuple(notes))


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


def record_attendance(loaded: Loaded, city_id: str, events: Sequence[str]) -> Plan:
    """Add events of the city's cohort to its `attended` list (those not there yet)."""
    target = open_city(loaded, city_id)
    cohort, _ = cohort_and_edition(loaded, target.city.cohort, target.path)
    for event in events:
        if not cohort.marks.has_entry("events", event):
            raise unknown_id("event", event, cohort.marks.ids("events"), cohort.id)
    document = target.document
    notes = []
    for event in dict.fromkeys(events):
        if event in target.city.attended:
            notes.append(f"{city_id} already attended {event}")
            continue
        document = document.append(
            [], "attended", event, after=keys_before(City, "attended"), flow=True
        )
    return target.plan(document, notes)


def record_visit(
    loaded: Loaded,
    city_id: str,
    *,
    direction: str,
    start: date,
    end: date | None = None,
    city: str | None = None,
    travellers: int | None = None,
    status: str | None = None,
    claimed: str | None = None,
    reimbursed: str | None = None,
    as_of: date,
) -> Plan:
    """Add a site visit to the city's `visits`. Without a status, a visit whose last day is
    after the as-of day is `planned`, else `done`."""
    target = open_city(loaded, city_id)
    cohort_and_edition(loaded, target.city.cohort, target.path)  # the dates are checked on them
    if status is None:
        status = "planned" if (end or start) > as_of else "done"
    fields: dict[str, str | None] = {
        "direction": direction,
        "city": city,
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
        "status": status,
        "travellers": None if travellers is None else str(travellers),
        "claimed_eur": claimed,
        "reimbursed_eur": reimbursed,
    }
    order = _keys(Visit)
    visit: dict[str, Value] = {
        key: value
        for key, value in sorted(fields.items(), key=lambda kv: order.index(kv[0]))
        if value is not None
    }
    document = target.document.append([], "visits", visit, after=keys_before(City, "visits"))
    return target.plan(document)


def record_output(
    loaded: Loaded,
    city_id: str,
    output_id: str,
    status: OutputStatus,
    *,
    day: date | None = None,
    as_of: date,
) -> Plan:
    """Move one of the city's outputs to `status`.

    `submitted` and `approved` set the date of that name (default: the as-of day); a
    resubmission moves `submitted` to its new date. A status before `approved` removes the
    `approved` date (the output is no longer approved), and `not-started` removes both dates.
    `needs-revision` and `drafting` keep the last submission's date."""
    if day is not None and status not in DATED_STATUSES:
        raise UsageError(f"--date goes with --status submitted or approved, not {status}")
    target = open_city(loaded, city_id)
    _, edition = cohort_and_edition(loaded, target.city.cohort, target.path)
    if not edition.marks.has_entry("outputs", output_id):
        raise unknown_id("output", output_id, edition.marks.ids("outputs"), f"edition {edition.id}")
    dates: dict[str, str] = {status: (day or as_of).isoformat()} if status in DATED_STATUSES else {}
    document = target.document
    where = ["outputs", output_id]
    if document.node(where) is None:
        entry: dict[str, Value] = {"status": status, **dates}
        if not isinstance(document.node(["outputs"]), MappingNode):
            document = document.set_key(
                [], "outputs", {output_id: entry}, after=keys_before(City, "outputs")
            )
        else:  # after the outputs that come before it in the edition
            order = list(edition.marks.ids("outputs"))
            before = order[: order.index(output_id)]
            document = document.set_key(["outputs"], output_id, entry, after=before)
        return target.plan(document)
    document = document.set_key(where, "status", status)
    for name, value in dates.items():
        document = document.set_key(where, name, value, after=keys_before(CityOutput, name))
    if status != "approved":
        document = document.remove_key(where, "approved")
    if status == "not-started":
        document = document.remove_key(where, "submitted")
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
