"""`twincli diff`: what the working tree (or a revision) changes against a base revision, in
programme terms. The library function `compare` returns a `Comparison`; `compare.formats`
writes it as text, Markdown or JSON.

The cost is that of one `status` and a little more: the working tree is read as `status`
reads it (with the cache), and from each revision only the files that differ from it
(`compare.sides`). Figures are worked out for the cohorts the change can touch
(`compare.effects`). The rules run on the whole programme of each side only when a shared
file (programme.yaml, a cohort, a pilot) or what the layout leaves unread differs; when only
cities changed, they run on those cities alone, on each side: a rule's findings about a city
depend only on that city and the shared files (`twincli.check.incremental`), so the other
cities' findings are the same on both sides and cancel out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from twincli.check import rules
from twincli.compare import git, sides
from twincli.compare.changes import RecordChanges, record_changes
from twincli.compare.effects import Effects, effects
from twincli.compare.findings import Findings, compare_findings
from twincli.compare.sides import Side
from twincli.diagnostics import Diagnostic
from twincli.model import Programme
from twincli.read import cache as caching
from twincli.read.loader import Result, unread
from twincli.read.records import INVALID


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file that differs between the sides and that one of them could not read (its
    diagnostics say why): its changes are not shown."""

    file: str
    sides: tuple[str, ...]
    """The names of the sides that could not read it."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """What a change does, in programme terms."""

    base: str
    """The base side: the revision asked for and the commit compared, `main (3f2a1c9e04)`."""
    head: str
    """`the working tree`, or the revision given with --head."""
    as_of: date
    files: tuple[str, ...]
    """The files of the programme that differ (records only, paths in the folder)."""
    records: tuple[RecordChanges, ...]
    unreadable: tuple[Unreadable, ...]
    effects: Effects
    findings: Findings

    @property
    def empty(self) -> bool:
        """Nothing differs: no record, no figure, no diagnostic."""
        e, f = self.effects, self.findings
        return not (self.files or e.overdue or e.health or e.totals or f.introduced or f.fixed)


def compare(
    root: Path,
    as_of: date,
    base: str | None = None,
    head: str | None = None,
    *,
    cache: bool | None = None,
) -> Comparison:
    """What `head` (None: the working tree) changes against `base` (where the two last met;
    None: where the branch left its upstream, else HEAD), as of a day. Raises UsageError
    when `root` is not in a git repository, a revision does not exist, or the programme did
    not exist at one."""
    git.check_repository(root)
    head_revision = git.revision(root, head) if head is not None else None
    if base is not None:
        base_revision = git.merge_base(root, git.revision(root, base), head_revision)
    else:
        base_revision = git.default_base(root, head_revision)
    tree = sides.working_tree(root, cache=caching.enabled() if cache is None else cache)
    known: dict[str, Result] = {}
    old = sides.at_revision(root, base_revision, tree, known)
    new = tree if head_revision is None else sides.at_revision(root, head_revision, tree, known)
    files = sorted(p for p in set(old.results) | set(new.results) if not old.same(new, p))
    broken = [_unreadable(path, old, new) for path in files]
    unreadable = tuple(b for b in broken if b is not None)
    readable = [p for p, b in zip(files, broken, strict=True) if b is None]
    before, after = old.loaded.programme, new.loaded.programme
    # A city one side cannot read would seem added or removed, and its figures to vanish
    # from its cohort's totals: it is named instead, and left out of the figures of both.
    lost = {_ident(b.file) for b in unreadable if b.file.startswith("cities/")}
    if lost:
        before, after = _without(before, lost), _without(after, lost)
    shared = [p for p in files if not p.startswith("cities/")]
    cities = None
    if not shared and unread(old.layout) == unread(new.layout):
        cities = {_ident(p) for p in files}
    return Comparison(
        base=old.name,
        head=new.name,
        as_of=as_of,
        files=tuple(files),
        records=tuple(record_changes(before, after, readable)),
        unreadable=unreadable,
        effects=effects(before, after, as_of, _touched(files, before, after)),
        findings=compare_findings(
            _diagnostics(old, as_of, cities), _diagnostics(new, as_of, cities)
        ),
    )


def _ident(path: str) -> str:
    """`soria` for cities/soria.yaml."""
    return path.partition("/")[2].removesuffix(".yaml")


def _touched(files: list[str], before: Programme, after: Programme) -> set[str] | None:
    """The cohorts whose figures a change of `files` can touch (None: every cohort): those
    whose files changed, and those of the cities that changed, on either side."""
    if "programme.yaml" in files:
        return None  # the editions and the health thresholds
    cohorts = {_ident(p) for p in files if p.startswith("cohorts/")}
    for path in files:
        if path.startswith("cities/"):
            for programme in (before, after):
                city = programme.cities.get(_ident(path))
                if city is not None:
                    cohorts.add(city.cohort)
    return cohorts


def _without(programme: Programme, cities: set[str]) -> Programme:
    kept = {ident: city for ident, city in programme.cities.items() if ident not in cities}
    return dataclasses.replace(programme, cities=kept)


def _unreadable(path: str, old: Side, new: Side) -> Unreadable | None:
    names = tuple(
        side.name
        for side in (old, new)
        if path in side.results and side.results[path][0] is INVALID
    )
    return Unreadable(path, names) if names else None


def _diagnostics(side: Side, as_of: date, cities: set[str] | None) -> list[Diagnostic]:
    """The side's diagnostics: all of them (`cities` None), or those of the layout and of
    the `cities` (ids) alone."""
    loaded = side.loaded
    programme = loaded.programme
    if cities is None:
        return [*loaded.diagnostics, *rules.check(programme, as_of, loaded.programme_ok)]
    found = list(side.layout)
    for ident in sorted(cities):
        result = side.results.get(f"cities/{ident}.yaml")
        if result is not None:
            found += result[1]
    present = {c: programme.cities[c] for c in cities if c in programme.cities}
    narrowed = dataclasses.replace(programme, cities=present)
    return found + rules.check(narrowed, as_of, loaded.programme_ok, cities_only=True)
