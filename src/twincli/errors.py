"""Errors that stop a run (exit code 2, or 1 when errors in the data are the cause). Problems
in the data are diagnostics, not errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from twincli.diagnostics import Diagnostic, closest, did_you_mean


class TwincliError(Exception):
    """Something that prevents the command from running; its message is shown to the user."""

    exit_code = 2
    """The exit code of a command this stops."""


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


class UnknownIdError(UsageError):
    """An id the folder does not have (`unknown_id` words the message)."""

    def __init__(self, message: str, kind: str, ident: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.ident = ident


class LeftOutError(TwincliError):
    """An id the folder has, but whose record errors in the data leave out of the figures
    (`twincli.progress.leftout.why` words the message). Exit code 1: the data is at fault,
    not the command."""

    exit_code = 1

    def __init__(self, message: str, kind: str, ident: str, file: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.ident = ident
        self.file = file
        """The file `twincli validate` should be asked about."""


class InvalidDataError(TwincliError):
    """Data with errors, where a command needs valid data (`render`). Exit code 1."""

    exit_code = 1

    def __init__(self, errors: Sequence[Diagnostic]) -> None:
        count = len(errors)
        super().__init__(f"the data has {count} error{'' if count == 1 else 's'}")
        self.errors = tuple(errors)


IDS_LISTED = 10
"""An unknown id's message lists the known ids when there are at most this many."""
_WHERE = {
    "output": "the keys under `outputs` of the editions in programme.yaml",
    "edition": "the keys under `editions` in programme.yaml",
    "event": "the keys under `events` in the cohort's file",
}
"""Where the ids of a kind are written, when they are not the names of files."""


def unknown_id(kind: str, ident: str, known: Iterable[str], where: str = "") -> UnknownIdError:
    """The error for an id the folder does not have (`where`: in what): `no city 'sorai'
    (did you mean 'soria'?)`; when no id is closest, the ids (when few), those equally
    close, or where the ids are written."""
    names = sorted(known)
    near = closest(ident, names)
    plural = "cities" if kind == "city" else kind + "s"
    if not names:
        hint = f"there is no {kind} yet"
    elif len(names) <= IDS_LISTED and len(near) != 1:
        hint = f"{plural}: {', '.join(names)}"
    else:
        written = _WHERE.get(kind, f"their ids are the names of the files in {plural}/")
        hint = did_you_mean(near) or f"{len(names)} {plural}: {written}"
    message = f"no {kind} '{ident}'{f' in {where}' if where else ''} ({hint})"
    return UnknownIdError(message, kind, ident)


def resolve_id(kind: str, word: str, known: Iterable[str], where: str = "") -> str:
    """The id (or name) of `known` that `word` means: itself, or the one that differs only
    in case, accents or separators (`Kick Off`, `UMEA` for `umea`), or the one close
    spelling (`kick-of`) with the same digits, so that `seminar-2` is never taken for
    `seminar-1`. Raises `unknown_id` (with "did you mean") when there is no such one."""
    names = list(known)
    if word in names:
        return word
    found = closest_meant(word, names)
    if found is None:
        raise unknown_id(kind, word, names, where)
    return found


def closest_meant(word: str, names: Sequence[str]) -> str | None:
    """The one name of `names` that `word` means (see `resolve_id`), or None."""
    key = folded(word)
    same = [name for name in names if folded(name) == key]
    if same:
        return same[0] if len(same) == 1 else None
    from difflib import SequenceMatcher

    scored = sorted(
        ((SequenceMatcher(None, key, folded(name)).ratio(), name) for name in names),
        reverse=True,
    )
    if not scored or scored[0][0] < TYPO or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    name = scored[0][1]
    return name if _digits(name) == _digits(word) else None


TYPO = 0.85
"""How alike (difflib's ratio, of the folded forms) a typed word and a name must be for the
word to be taken as a typo of it: a letter missed, doubled or swapped in a word of six or
more (`kick-of`, `aproved`), never a shorter word (`cluster` is not `cluster-energy`)."""


def folded(text: str) -> str:
    """`text` without case, accents and separators: `Umeå` and `UMEA` fold to `umea`."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
