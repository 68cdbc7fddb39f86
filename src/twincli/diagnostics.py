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
class Diagnostic:
    """One finding: what is wrong, where, and how to fix it when that is obvious."""

    code: str
    severity: Severity
    message: str
    location: Location
    hint: str | None = None

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
