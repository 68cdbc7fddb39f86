"""Errors that stop a run (exit code 2). Problems in the data are diagnostics, not errors."""

from __future__ import annotations

from collections.abc import Iterable


class TwincliError(Exception):
    """Something that prevents the command from running; its message is shown to the user."""


class ProgrammeNotFoundError(TwincliError):
    """No programme folder where one was expected."""


class UsageError(TwincliError):
    """A command-line argument that cannot be used (a bad date, a file outside the folder)."""


class TemplateError(TwincliError):
    """A report template that cannot be rendered: bad syntax, an undefined variable, or
    something the sandbox forbids. The message names the template and the line."""


class ReportsError(TwincliError):
    """The reports folder cannot be read or written."""


class CannotWriteError(TwincliError):
    """A file or folder the operating system would not let twincli create or write (no
    permission, a read-only or full disk, a path through a file). What was there before is
    left as it was."""


IDS_LISTED = 10
"""An unknown id's message lists the known ids when there are at most this many."""
CLOSE_LISTED = 5
"""...and at most this many ids equally close to it."""

_WHERE = {
    "output": "the keys under `outputs` of the editions in programme.yaml",
    "edition": "the keys under `editions` in programme.yaml",
    "event": "the keys under `events` in the cohort's file",
}
"""Where the ids of a kind are written, when they are not the names of files."""


def unknown_id(kind: str, ident: str, known: Iterable[str], where: str = "") -> UsageError:
    """The error for an id the folder does not have (`where`: in what): `no city 'sorai'
    (did you mean 'soria'?)`; when no id is closest, the ids (when few), those equally
    close, or where the ids are written."""
    names = sorted(known)
    closest = _closest(ident, names)
    plural = "cities" if kind == "city" else kind + "s"
    if len(closest) == 1:
        hint = f"did you mean '{closest[0]}'?"
    elif not names:
        hint = f"there is no {kind} yet"
    elif len(names) <= IDS_LISTED:
        hint = f"{plural}: {', '.join(names)}"
    elif closest:
        quoted = [f"'{name}'" for name in closest[:CLOSE_LISTED]]
        hint = f"did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"
    else:
        written = _WHERE.get(kind, f"their ids are the names of the files in {plural}/")
        hint = f"{len(names)} {plural}: {written}"
    return UsageError(f"no {kind} '{ident}'{f' in {where}' if where else ''} ({hint})")


def _closest(word: str, names: Iterable[str]) -> list[str]:
    """The names closest to `word` (as `difflib.get_close_matches` scores them, from 0.55),
    all of them when several are equally close."""
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
