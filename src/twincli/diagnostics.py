"""Problems found in a programme's data, as values.

Loading and checking never raise for bad data: they return `Diagnostic`s, each pointing at a file,
line and column (1-based) and carrying a stable code from `twincli.codes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters: errors fail `validate`, warnings only with `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file of the programme folder: path relative to the folder, 1-based line and
    column. A finding about a file as a whole (it cannot be read, or is misnamed) is at 1:1."""

    file: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Cause:
    """A value in a shared file (programme.yaml, cohorts/, pilots/) that a finding in another
    record follows from: a cohort's start that puts a city's visit outside the cohort, a
    session cities attended that their cohort no longer lists.

    The findings with the same `location`, `code` and words (`before`, `after`) are one
    cause's consequences (`twincli.check.causes` groups them once every file is checked):
    the cause is then reported at its own line as `code`, with what follows from it counted
    between its words ("start 2025-09-30 moves" 21 visits of 9 cities "outside the cohort").
    `counts` names what one finding puts in the wrong ("visit", "output", "city"), and
    `record` tells which one it is in its file (a visit's two dates are one visit).
    """

    location: Location
    code: str
    before: str
    after: str
    counts: str
    record: str = ""

    @property
    def key(self) -> tuple[Location, str, str, str]:
        """What the consequences of one cause share."""
        return (self.location, self.code, self.before, self.after)

    def reported_by(self, d: Diagnostic) -> bool:
        """Whether `d` is the diagnostic that reports this cause."""
        return (
            d.cause is None
            and d.location == self.location
            and d.code == self.code
            and d.message.startswith(self.before + " ")
            and d.message.endswith(" " + self.after)
        )


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: what is wrong, where, how to fix it when that is obvious, and the value
    in a shared file it follows from, when it has one (see `Cause`)."""

    code: str
    severity: Severity
    message: str
    location: Location
    hint: str | None = None
    cause: Cause | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in the order people read them: by file, line, column, then code."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for the closing line of `validate`."""

    errors: int
    warnings: int
    files: int

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic], files: int) -> Summary:
        items = list(diagnostics)
        errors = sum(1 for d in items if d.is_error)
        return cls(errors=errors, warnings=len(items) - errors, files=files)

    def __str__(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}" if n == 1 else f"{n} {word}s"

        return (
            f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')} "
            f"in {plural(self.files, 'file')}"
        )


CLOSE_ASKED = 5
"""A hint names at most this many names equally close to a misspelt one."""


def suggest(word: str, names: Iterable[str]) -> str | None:
    """The hint for a misspelt name: `did you mean 'soria'?`, or None when no name is close."""
    return did_you_mean(closest(word, sorted(names)))


def suggest_or_list(word: str, names: Iterable[str], listed: str) -> str:
    """The hint for a misspelt name, or else `listed` followed by every name: `its cities
    are: Valladolid, Burgos`."""
    names = list(names)
    return suggest(word, names) or listed + ", ".join(names)


def did_you_mean(near: Sequence[str]) -> str | None:
    """`did you mean 'a'?`, `did you mean 'a', 'b' or 'c'?` (the first `CLOSE_ASKED`), or
    None for no name."""
    quoted = [f"'{name}'" for name in near[:CLOSE_ASKED]]
    if len(quoted) < 2:
        return f"did you mean {quoted[0]}?" if quoted else None
    return f"did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


def misspelt(word: str, names: Iterable[str]) -> list[str]:
    """The names `word` may be a misspelling of: at most two letters typed wrong, left out,
    added or swapped (one in a word of up to 5), and the same digits in the same order. A
    name that shares words with `word` but not its spelling is another thing (`seminar-funding`
    is not `cluster-financing`), and so is one that differs in a number (`workshop-2` is not
    `workshop-1`)."""
    allowed = 1 if len(word) <= 5 else 2
    digits = [ch for ch in word if ch.isdigit()]
    return [
        name
        for name in names
        if name != word
        and abs(len(name) - len(word)) <= allowed
        and [ch for ch in name if ch.isdigit()] == digits
        and _edits(word, name, allowed) <= allowed
    ]


def _edits(a: str, b: str, most: int) -> int:
    """The letters typed wrong, left out, added or swapped between `a` and `b` (optimal string
    alignment distance), or `most + 1` once it is over `most`."""
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            swapped = i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]
            if swapped and before is not None:
                current[j] = min(current[j], before[j - 2] + cost)
        if min(current) > most:
            return most + 1
        before, row = row, current
    return row[-1]


def closest(word: str, names: Iterable[str]) -> list[str]:
    """The names closest to `word`, as `difflib.get_close_matches` scores them (from 0.55),
    in the order of `names`: all of them when several are equally close."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher()
    matcher.set_seq2(word)
    best = 0.0
    found: list[str] = []
    for name in names:
        floor = max(best, 0.55)
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        score = matcher.ratio()
        if score > best:
            best, found = score, [name]
        elif score == best:
            found.append(name)
    return found
