"""What the figures leave out: records of the folder that errors in the data keep out of them.

The loader leaves a file it cannot build out of the model, though its id still exists
(`Programme.marks`); progress has no place for a city whose cohort, or whose cohort's
edition, is not in the model. A report from data with errors names what it leaves out, so
that its figures are never taken for the whole programme. Pure functions of what was loaded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from twincli.diagnostics import Diagnostic
from twincli.model import City
from twincli.read.loader import MISNAMED, PROGRAMME_FILE, UNREADABLE, Loaded, source_bytes
from twincli.read.loader import misnamed as loader_misnamed

Kind = Literal["folder", "city", "cohort", "pilot", "edition", "programme"]
_ORDER = {"folder": 0, "city": 1, "cohort": 2, "pilot": 3, "edition": 4, "programme": 5}
_FOLDERS: Mapping[str, Kind] = {"cities": "city", "cohorts": "cohort", "pilots": "pilot"}
_KINDS = frozenset(_FOLDERS.values())


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A record that is in the folder but not in the figures, and why."""

    kind: Kind
    id: str
    reason: str
    """Why, e.g. `cities/belfast.yaml has 1 error`, `its cohort 'cohort-9' does not exist`."""
    file: str
    """The file `twincli validate` should be asked about."""
    built: bool
    """Whether the record is in the model all the same: a city that belongs to no cohort of
    the model, a cohort whose edition is not in it. Not built: its file has errors."""
    cohort: str | None = None
    """A city's cohort, when known."""
    pilot: str | None = None
    """A city's pilot, when known."""
    edition: str | None = None
    """A built cohort's edition, which the model lacks."""
    cities: tuple[tuple[str, str], ...] = ()
    """A cohort's cities (from the model), left out with it: (id, pilot) each."""


def left_out(
    loaded: Loaded, errors: Mapping[str, int], cities: Collection[str] | None = None
) -> list[LeftOut]:
    """Everything the figures of `loaded` leave out, cities first, each kind by id. `errors`
    counts the errors found in each file; `cities`: the cities that were read, when not all
    of them were (`load_programme`)."""
    programme = loaded.programme
    marks = programme.marks

    def has_errors(path: str) -> str:
        return _has_errors(path, errors.get(path, 0))

    members: dict[str, list[City]] = {}

    def cities_of(cohort: str) -> tuple[tuple[str, str], ...]:
        if not members:  # only when a cohort is left out: at most once
            for city in programme.cities.values():
                members.setdefault(city.cohort, []).append(city)
        return tuple(sorted((c.id, c.pilot) for c in members.get(cohort, ())))

    found: list[LeftOut] = []
    for d in loaded.diagnostics:  # a kind folder that cannot be listed: all of its records
        folder = d.location.file.removesuffix("/")
        if d.code == UNREADABLE and folder in _FOLDERS and d.location.file.endswith("/"):
            found.append(LeftOut("folder", folder, f"{folder}/ cannot be listed", folder, False))
    for source in loaded.files:
        kind = _FOLDERS.get(source.kind)
        if kind is None or source.id in getattr(programme, source.kind):
            continue
        if kind == "city" and cities is not None and source.id not in cities:
            continue  # not read: nothing is known of it
        found.append(
            LeftOut(
                kind,
                source.id,
                has_errors(source.path),
                source.path,
                built=False,
                cities=cities_of(source.id) if kind == "cohort" else (),
            )
        )
    misnamed = loader_misnamed(loaded.diagnostics)
    named = {(entry.kind, entry.id) for entry in found}
    unread = {d.location.file: _not_read(d) for d in loaded.diagnostics if d.code == MISNAMED}
    for (folder, ident), path in sorted(misnamed.items()):
        kind = _FOLDERS[folder]
        if ident in getattr(programme, folder) or (kind, ident) in named:
            continue
        if kind == "city" and cities is not None and ident not in cities:
            continue  # not asked for: nothing is said of it
        found.append(
            LeftOut(
                kind,
                ident,
                unread[path],
                path,
                built=False,
                cities=cities_of(ident) if kind == "cohort" else (),
            )
        )
    if not loaded.programme_ok:
        found.append(LeftOut("programme", "", has_errors(PROGRAMME_FILE), PROGRAMME_FILE, False))
    for ident in marks.ids("editions"):
        if ident not in programme.editions:
            found.append(
                LeftOut("edition", ident, has_errors(PROGRAMME_FILE), PROGRAMME_FILE, False)
            )
    for cohort in programme.cohorts.values():
        if cohort.edition in programme.editions:
            continue
        if not loaded.programme_ok or cohort.edition in marks.ids("editions"):
            reason, file = has_errors(PROGRAMME_FILE), PROGRAMME_FILE
        else:
            reason = f"its edition '{cohort.edition}' does not exist"
            file = cohort.marks.file or f"cohorts/{cohort.id}.yaml"
        found.append(
            LeftOut(
                "cohort",
                cohort.id,
                reason,
                file,
                built=True,
                edition=cohort.edition,
                cities=cities_of(cohort.id),
            )
        )
    cohorts = marks.ids("cohorts")
    unlisted = {entry.id for entry in found if entry.kind == "folder"}
    folded = {entry.id for entry in found if entry.kind == "cohort" and not entry.built}
    for city in programme.cities.values():
        if city.cohort not in cohorts and city.cohort not in folded:
            reason = f"its cohort '{city.cohort}' does not exist"
            file = city.marks.file or f"cities/{city.id}.yaml"
            if "cohorts" in unlisted:
                reason, file = "cohorts/ cannot be listed", "cohorts"
            found.append(
                LeftOut(
                    "city",
                    city.id,
                    reason,
                    file,
                    built=True,
                    cohort=city.cohort,
                    pilot=city.pilot,
                )
            )
    found.sort(key=lambda entry: (_ORDER[entry.kind], entry.id))
    return found


def with_errors(
    loaded: Loaded,
    errors: Mapping[str, int],
    entries: Iterable[LeftOut],
    *,
    cohort: str | None = None,
    city: str | None = None,
    pilot: str | None = None,
) -> list[LeftOut]:
    """The cities, cohorts and pilots in the figures all the same though their own files have
    errors (an optional value that was invalid is shown by its default), cities first, each
    kind by id; only those of the view (`in_view`), and none of `entries` (left out)."""
    programme = loaded.programme
    gone = {(entry.kind, entry.id) for entry in entries}
    gone |= {("city", ident) for entry in entries for ident, _ in entry.cities}
    viewed = [
        c
        for c in programme.cities.values()
        if (city is None or c.id == city)
        and (cohort is None or c.cohort == cohort)
        and (pilot is None or c.pilot == pilot)
    ]
    # What the view shows, looked up once per file with errors (thousands may have some).
    cities_in = {c.id for c in viewed}
    cohorts_in = {c.cohort for c in viewed}
    pilots_in = {c.pilot for c in viewed}
    whole = city is None and cohort is None and pilot is None
    found = []
    for source in loaded.files:
        kind = _FOLDERS.get(source.kind)
        record = getattr(programme, source.kind).get(source.id) if kind else None
        count = errors.get(source.path, 0)
        if kind is None or record is None or not count or (kind, source.id) in gone:
            continue
        if kind == "city":
            wanted = source.id in cities_in
        elif kind == "cohort":
            wanted = (cohort is None or source.id == cohort) and (whole or source.id in cohorts_in)
        else:
            wanted = source.id == pilot or whole or source.id in pilots_in
        if wanted:
            reason = _has_errors(source.path, count)
            found.append(LeftOut(kind, source.id, reason, source.path, built=True))
    found.sort(key=lambda entry: (_ORDER[entry.kind], entry.id))
    return found


def _not_read(problem: Diagnostic) -> str:
    """`cities/Soria.yml is not read: files here end in .yaml, not .yml (rename it to
    cities/soria.yaml)`: why the file of a record is not read, and the fix."""
    hint = f" ({problem.hint})" if problem.hint else ""
    return f"{problem.location.file} is not read: {problem.message}{hint}"


def _has_errors(path: str, count: int) -> str:
    """`cities/x.yaml has 2 errors`, or that it cannot be read (no error of its own counted)."""
    if not count:
        return f"{path} cannot be read"
    return f"{path} has {count} error{'' if count == 1 else 's'}"


def placed(root: Path, entries: Iterable[LeftOut]) -> list[LeftOut]:
    """The entries, with the cohort and pilot of each city whose file has errors as its
    file gives them, when it gives them (the file is read again: such files are few)."""
    from yaml.nodes import MappingNode, ScalarNode

    from twincli.read.limits import max_file_bytes
    from twincli.read.reader import read_yaml

    result = []
    for entry in entries:
        if entry.kind == "city" and not entry.built:
            data = source_bytes(root, entry.file, None, max_file_bytes())
            node = read_yaml(entry.file, data)[0] if isinstance(data, bytes) else None
            if isinstance(node, MappingNode):
                given = {
                    key.value: value.value
                    for key, value in node.value
                    if isinstance(key, ScalarNode) and isinstance(value, ScalarNode)
                }
                entry = dataclasses.replace(
                    entry, cohort=given.get("cohort"), pilot=given.get("pilot")
                )
        result.append(entry)
    return result


def in_view(
    entries: Iterable[LeftOut],
    *,
    cohort: str | None = None,
    city: str | None = None,
    pilot: str | None = None,
    model: bool = False,
    pilots: Collection[str] | None = None,
) -> list[LeftOut]:
    """What of `entries` a view would have shown: the figures of the whole programme, of
    `cohort` and/or `city`, or of the cities paired with `pilot`. A city whose cohort (or
    pilot) is not known might be in any. With `model` (the records as loaded), only what
    the model lacks: files with errors and editions; a pilot then counts when it is one of
    `pilots` (None: any)."""
    kept = []
    for entry in entries:
        if entry.kind == "folder":  # any record of the view may be in it
            kept.append(entry)
            continue
        if entry.kind in ("pilot", "edition", "programme"):
            if model and (entry.kind != "pilot" or pilots is None or entry.id in pilots):
                kept.append(entry)
            continue
        if model and entry.built:
            continue
        if entry.kind == "city":
            if city is not None:
                wanted = entry.id == city
            else:
                wanted = cohort is None or entry.cohort in (None, cohort)
                wanted = wanted and (pilot is None or entry.pilot in (None, pilot))
        elif city is not None:
            wanted = any(ident == city for ident, _ in entry.cities)
        elif pilot is not None:
            wanted = any(paired_with == pilot for _, paired_with in entry.cities)
        else:
            wanted = cohort is None or entry.id == cohort
        if wanted:
            kept.append(entry)
    return kept


@dataclass(frozen=True, slots=True)
class Paired:
    """The cities left out that are paired with a pilot, by id."""

    own: list[str]
    """Left out by their own file's errors, or by a cohort that does not exist."""
    with_cohort: list[str]
    """Left out with their cohort."""
    unknown: list[str]
    """Whose files have errors and do not say which pilot: they may be paired with it."""


def paired(entries: Iterable[LeftOut], pilot: str) -> Paired:
    """The cities left out that are (or may be) paired with `pilot`."""
    found = Paired([], [], [])
    for entry in entries:
        if entry.kind == "city":
            if entry.pilot == pilot:
                found.own.append(entry.id)
            elif entry.pilot is None:
                found.unknown.append(entry.id)
        elif entry.kind == "cohort":
            found.with_cohort.extend(c for c, paired_with in entry.cities if paired_with == pilot)
    for ids in (found.own, found.with_cohort, found.unknown):
        ids.sort()
    return found


def concerning(entries: Iterable[LeftOut], kind: Kind, ident: str) -> LeftOut | None:
    """The entry that leaves out the `kind` `ident`: its own, or for a city its cohort's."""
    for entry in entries:
        if entry.kind == kind and entry.id == ident:
            return entry
    if kind == "city":
        for entry in entries:
            if entry.kind == "cohort" and any(c == ident for c, _ in entry.cities):
                return entry
    folder = next(name for name, of in _FOLDERS.items() if of == kind) if kind in _KINDS else None
    for entry in entries:
        if entry.kind == "folder" and entry.id == folder:
            return entry
    return None


def described(entry: LeftOut, *, model: bool = False) -> str:
    """`city belfast (cities/belfast.yaml has 1 error)`, `cohort cohort-2 and its 5 cities
    (programme.yaml has 1 error)`."""
    name = f"{entry.kind} {entry.id}"
    if entry.kind == "folder":
        name = f"every {_FOLDERS[entry.id]} in {entry.id}/"
    elif entry.kind == "programme":
        name = "the programme's name and editions"
    elif entry.kind == "cohort" and entry.cities and not model:
        count = len(entry.cities)
        name += f" and its {count} cit{'y' if count == 1 else 'ies'}"
    return f"{name} ({entry.reason})"


def why(entry: LeftOut, kind: str, ident: str) -> str:
    """Why the `kind` `ident` is left out, as `entry` (`concerning`) says: `city 'belfast' is
    left out: cities/belfast.yaml has 1 error (twincli validate cities/belfast.yaml)`."""
    if entry.kind == "folder":
        said = f"{kind} '{ident}' may be left out: {entry.reason}"
    elif entry.kind == kind:
        because = entry.reason
        if entry.kind == "cohort" and entry.built and entry.file == PROGRAMME_FILE:
            because = f"its edition '{entry.edition}' has errors: {entry.reason}"
        said = f"{kind} '{ident}' is left out: {because}"
    elif entry.built and entry.file == PROGRAMME_FILE:
        said = (
            f"{kind} '{ident}' is left out with its cohort '{entry.id}', whose edition "
            f"'{entry.edition}' has errors: {entry.reason}"
        )
    else:
        said = f"{kind} '{ident}' is left out with its cohort '{entry.id}': {entry.reason}"
    return f"{said} (twincli validate {entry.file})"
