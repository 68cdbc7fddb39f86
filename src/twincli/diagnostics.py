"""Problems found in a programme's data, as values.

Loading and checking never raise for bad data: they return `Diagnostic`s, each pointing at a file,
line and column (1-based) and carrying a stable code from `twincli.codes`.
"""

from __future__ import annotations

from collections.abc import Iterable
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
