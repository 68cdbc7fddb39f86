"""One edit as a transaction: the one way editing commands (`new`, `record`) write.

`commit(root, as_of, plan)` takes the folder's edit lock, loads the folder as it is now, asks
`plan` for the change (so a command never works from a copy another command has since
changed), checks the whole folder as it would be after the change, with the changed files
read from memory, and writes them, atomically, only if the change adds no error.

The folder is checked before and after the change as `validate` checks it, city by city
(`twincli.check.incremental`): with the cache, only the changed files are read and checked again, so
an edit of one city of thousands takes well under a second. A command that names the cities
its plan reads (`cities`) loads only those besides the shared files.

A file with errors of its own, as the check before the change finds them, is not changed
(`BrokenFileError`): an edit spliced into a file that does not say what it means to (`atended:`
misspelt) would be lost or doubled once the file is fixed. Errors in other files (someone
else's half-finished edit) do not block a change: it is refused only for errors that it would
introduce. Errors are matched by file, code and message, not by line, since an edit moves the
lines below it.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from twincli import writing
from twincli.check import incremental
from twincli.diagnostics import Diagnostic, sort_diagnostics
from twincli.errors import TwincliError
from twincli.read import cache as caching
from twincli.read.loader import Loaded, load_programme


@dataclass(frozen=True, slots=True)
class Change:
    """New contents for one file of the folder (`before` is None for a new file)."""

    path: str
    """Relative to the programme folder, with '/'."""
    before: bytes | None
    after: bytes

    def hunks(self) -> list[Hunk]:
        """The lines that changed, as a line diff shows them (no context)."""
        old = _lines(self.before) if self.before is not None else []
        new = _lines(self.after)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        return [
            Hunk(j1 + 1, tuple(old[i1:i2]), tuple(new[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]


@dataclass(frozen=True, slots=True)
class Hunk:
    """Lines removed and added at one place of a file."""

    line: int
    """Where, as a 1-based line of the new text."""
    removed: tuple[str, ...]
    added: tuple[str, ...]


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", "replace").splitlines()


@dataclass(frozen=True, slots=True)
class Plan:
    """What a command would change, and what it left as it was (said to the user)."""

    changes: tuple[Change, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What `commit` did."""

    plan: Plan
    written: bool
    added_errors: tuple[Diagnostic, ...] = ()
    """The errors the change would have introduced (then nothing was written)."""
    added_warnings: tuple[Diagnostic, ...] = ()
    errors_before: int = 0
    """Errors the folder already had, which the change left alone: all in files it does not
    change, since a file with errors of its own is not changed."""


class BrokenFileError(Exception):
    """A file the change would edit, or depends on, has errors of its own: fix them first
    (exit 1)."""

    def __init__(self, path: str, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(self.reason(path, len(diagnostics)))
        self.path = path
        self.diagnostics = tuple(diagnostics)

    @staticmethod
    def reason(shown: str, count: int) -> str:
        """`cities/x.yaml has 1 error; fix it first`, with the file shown as `shown`."""
        if count == 1:
            return f"{shown} has 1 error; fix it first"
        return f"{shown} has {count or 'some'} errors; fix them first"


def commit(
    root: Path,
    as_of: date,
    plan: Callable[[Loaded], Plan],
    *,
    cache: bool | None = None,
    cities: Collection[str] | None = None,
    write: bool = True,
) -> Outcome:
    """Plan a change on the folder as it is, check it, and write it unless it adds errors.
    `cities`: the ids of the cities `plan` reads (None: it may read any; the model it gets
    has only these). `write` off: check the change, write nothing (a dry run). Raises what
    `plan` raises (UsageError, BrokenFileError), BrokenFileError when a file it would change
    has errors of its own, and TwincliError when a file cannot be written (it is then left
    as it was)."""
    use_cache = caching.enabled() if cache is None else cache
    with writing.locked(root):
        loaded = load_programme(root, cache=use_cache, cities=cities)
        planned = plan(loaded)
        changes = tuple(c for c in planned.changes if c.after != c.before)
        planned = replace(planned, changes=changes)
        if not changes:
            return Outcome(planned, written=False)
        before, _ = incremental.validate(root, as_of, cache=use_cache)
        for change in changes:
            own = [
                replace(d, cause=None)  # as `added_diagnostics` shows them
                for d in before
                if d.location.file == change.path and d.is_error
            ]
            if own:
                raise BrokenFileError(change.path, sort_diagnostics(own))
        overlay = {c.path: c.after for c in changes}
        after, _ = incremental.validate(root, as_of, cache=use_cache, overlay=overlay)
        added = added_diagnostics(before, after)
        errors = tuple(d for d in added if d.is_error)
        warnings = tuple(d for d in added if not d.is_error)
        errors_before = sum(1 for d in before if d.is_error)
        if errors or not write:
            return Outcome(planned, False, errors, warnings, errors_before)
        for change in changes:
            try:
                writing.write_atomic(root / change.path, change.after, durable=True)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                if change.before is None:  # a new file: none is left half made
                    raise TwincliError(f"could not create {change.path}: {reason}") from None
                raise TwincliError(
                    f"could not write {change.path}: {reason}; it was left as it was"
                ) from None
        return Outcome(planned, True, (), warnings, errors_before)


def added_diagnostics(
    before: Iterable[Diagnostic], after: Iterable[Diagnostic]
) -> list[Diagnostic]:
    """The diagnostics of `after` that `before` did not have (counting repeats), matched on
    everything but their line and column."""

    def signature(d: Diagnostic) -> tuple[str, str, str, str | None]:
        return (d.location.file, d.code, d.message, d.hint)

    remaining = Counter(signature(d) for d in before)
    added = []
    for d in sort_diagnostics(after):
        if remaining[signature(d)] > 0:
            remaining[signature(d)] -= 1
        else:
            # Whether an error follows from a cause is known only of the whole folder
            # (`check.causes`): an edit's refusal shows each error on its own.
            added.append(replace(d, cause=None))
    return added


def file_errors(loaded: Loaded, path: str) -> list[Diagnostic]:
    """The errors found in one file while loading, in the order `validate` lists them."""
    return sort_diagnostics(d for d in loaded.diagnostics if d.location.file == path and d.is_error)
