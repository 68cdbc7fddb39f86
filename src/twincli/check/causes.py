"""One cause, one message: a value in a shared file that puts the records of several cities in
the wrong is reported once, at its own line, with what follows from it counted.

A rule that finds a city's record in the wrong because of a value in a shared file (a cohort's
start, a session the cohort no longer lists) says so in its finding's `Cause`. The rules look
at a batch of cities at a time, in worker processes, and the cache keeps each city's findings
(`twincli.check.incremental`), so no rule sees every consequence of a cause: they are grouped
here, once every file's findings are gathered, keyed on the cause (its place and words). A
cause whose consequences are in at least CITIES city files is reported as a diagnostic of its
own (an error: `codes.py` TC311, TC412, TC414, TC507), and each of them keeps its cause; below that
the finding is taken as a mistake of its own record (one city's visit dated a day early), and
its cause is dropped.

The consequences stay errors: the summary counts them and the cause, and `validate` exits as
it would without the grouping. Only how they are shown changes (`twincli.check.formats`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from twincli.codes import severity_of
from twincli.diagnostics import Cause, Diagnostic, sort_diagnostics

CITIES = 2
"""A cause is named when its consequences are in at least this many city files."""

CITY_FILES = "cities/"

_HINTS = {
    "TC311": "add the event back to the cohort, or correct 'attended' in each city's file",
    "TC412": "check this value: the errors that follow from it go away with it",
    "TC414": "check the event's date, or take it out of 'attended' in each city's file",
    "TC507": "add the city back to the pilot, or correct each visit's 'city'",
}
"""The fix each kind of cause suggests."""


def with_causes(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics (unsorted), with a diagnostic for each cause that qualifies, and
    without the cause of a finding whose cause does not."""
    groups: dict[tuple[object, ...], list[Diagnostic]] = {}
    result: list[Diagnostic] = []
    for d in found:
        if d.cause is None:
            result.append(d)
        else:
            groups.setdefault(d.cause.key, []).append(d)
    for consequences in groups.values():
        cities = {d.location.file for d in consequences if d.location.file.startswith(CITY_FILES)}
        if len(cities) < CITIES:
            result += (dataclasses.replace(d, cause=None) for d in consequences)
            continue
        result.append(_reported(sort_diagnostics(consequences), len(cities)))
        result += consequences
    return result


def _reported(consequences: Sequence[Diagnostic], cities: int) -> Diagnostic:
    cause = consequences[0].cause
    assert cause is not None
    counted = counted_text(consequences, cities)
    return Diagnostic(
        cause.code,
        severity_of(cause.code),
        f"{cause.before} {counted} {cause.after}",
        cause.location,
        _HINTS.get(cause.code),
    )


def counted_text(consequences: Sequence[Diagnostic], cities: int) -> str:
    """What the consequences put in the wrong: "8 cities", or "21 visits and 26 outputs of
    9 cities", with what is in shared files after ("..., and 8 events,")."""
    in_cities: dict[str, set[tuple[str, str]]] = {}
    in_shared: dict[str, set[tuple[str, str]]] = {}
    for d in consequences:
        cause: Cause | None = d.cause
        assert cause is not None
        of = in_cities if d.location.file.startswith(CITY_FILES) else in_shared
        of.setdefault(cause.counts, set()).add((d.location.file, cause.record))
    if set(in_cities) == {"city"} and not in_shared:
        return plural(cities, "city")
    text = _listed(in_cities) + " of " + plural(cities, "city")
    return text + f", and {_listed(in_shared)}," if in_shared else text


NOUNS = ("visit", "output", "action", "event")
"""The order in which what a cause puts in the wrong is counted."""


def _listed(records: dict[str, set[tuple[str, str]]]) -> str:
    nouns = sorted(records, key=lambda n: (NOUNS.index(n) if n in NOUNS else len(NOUNS), n))
    return and_list([plural(len(records[noun]), noun) for noun in nouns])


def plural(count: int, noun: str) -> str:
    """`1 visit`, `2 visits`, `3 cities`."""
    if count == 1:
        return f"1 {noun}"
    return f"{count:,} " + (noun[:-1] + "ies" if noun.endswith("y") else noun + "s")


def and_list(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
