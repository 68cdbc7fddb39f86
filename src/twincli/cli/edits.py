"""What the editing commands (`new`, `record`) share: running a change and reporting on it,
parsing dates and amounts, and asking for missing values on a terminal.

A change that is written prints the lines it changed on stdout, like a diff without context
(exit 0). A change that would add errors, or edit a file that has errors of its own, prints them
on stderr and writes nothing (exit 1).
Notes (an event already attended, nothing to change) and new warnings go to stderr.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import Options, console, display_path
from twincli.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from twincli.diagnostics import Diagnostic
    from twincli.edit.transaction import Change, Plan
    from twincli.read.loader import Loaded

_MONEY = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?\Z")


# The options of the commands that write a session (`new event`, `record event`) or a note.
TitleOption = Annotated[
    str | None, typer.Option("--title", metavar="TEXT", help="What it is called.")
]
TimeOption = Annotated[
    str | None,
    typer.Option("--time", metavar="HH:MM[-HH:MM]", help="When, in the programme's time zone."),
]
PlaceOption = Annotated[
    str | None, typer.Option("--place", metavar="TEXT", help="Where (or 'online').")
]
LinkOption = Annotated[str | None, typer.Option("--link", metavar="URL", help="The meeting link.")]
NotesOption = Annotated[
    str | None,
    typer.Option("--notes", metavar="TEXT", help="Free text for the programme team."),
]


def run_change(
    opts: Options,
    plan: Callable[[Loaded], Plan],
    cities: Collection[str] | None = None,
    *,
    dry_run: bool = False,
    name_files: bool = False,
) -> None:
    """Make the change `plan` describes (see `transaction.commit`: `cities`, the cities it
    reads) and report on it; `dry_run`: check it, and say what would change. `name_files`:
    a refusal names the file each error is in (an import writes files the command line did
    not name), still without a line of a file that was not written."""
    from twincli.edit.transaction import BrokenFileError, commit
    from twincli.terminal import printable

    root = opts.root()
    try:
        outcome = commit(
            root, opts.today(), plan, cache=opts.cache, cities=cities, write=not dry_run
        )
    except BrokenFileError as exc:
        _print_diagnostics(opts, root, exc.diagnostics)
        shown = display_path(root, exc.path)
        reason = exc.reason(shown, len(exc.diagnostics))
        print(
            f"twincli: refused: {printable(reason)} (twincli validate {printable(shown)}); "
            "nothing was written",
            file=sys.stderr,
        )
        raise typer.Exit(1) from None
    for note in outcome.plan.notes:
        print(f"twincli: {printable(note)}", file=sys.stderr)
    if outcome.added_errors:
        _print_refusals(opts, root, outcome.plan.changes, outcome.added_errors, name_files)
        count = len(outcome.added_errors)
        print(
            f"twincli: refused: the change would add {count} error{'s' if count != 1 else ''}; "
            "nothing was written",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    if not outcome.plan.changes:
        print("twincli: nothing to change", file=sys.stderr)
        return
    for change in outcome.plan.changes:
        if dry_run:
            print_planned(opts, root, change)
        else:
            print_change(opts, root, change)
    _print_diagnostics(opts, root, outcome.added_warnings)
    if outcome.errors_before:
        count = outcome.errors_before
        print(
            f"twincli: warning: the programme already has {count} error"
            f"{'s' if count != 1 else ''} elsewhere (run twincli validate)",
            file=sys.stderr,
        )
    if dry_run:
        print("twincli: dry run: nothing was written", file=sys.stderr)


def print_change(opts: Options, root: Path, change: Change) -> None:
    """`created cities/x.yaml`, or each changed place as `file:line` and its -/+ lines."""
    from rich.text import Text

    out = console(opts)
    shown = display_path(root, change.path)
    if change.before is None:
        out.print(Text(f"created {shown}", style="bold"))
        return
    for hunk in change.hunks():
        out.print(Text(f"{shown}:{hunk.line}", style="bold"))
        for line in hunk.removed:
            out.print(Text(f"-{line}", style="red"))
        for line in hunk.added:
            out.print(Text(f"+{line}", style="green"))


def _print_refusals(
    opts: Options,
    root: Path,
    changes: Sequence[Change],
    errors: Sequence[Diagnostic],
    name_files: bool,
) -> None:
    """The errors a change would add: those in a file it would write in the command's words
    and without a place (`refusals`), the others as `validate` shows them."""
    from twincli.cli.refusals import refusal_line

    written = {change.path for change in changes}
    err = console(opts, stderr=True)
    for d in errors:
        if d.location.file in written:
            where = f"{display_path(root, d.location.file)}: " if name_files else ""
            err.print(f"twincli: {where}{refusal_line(d)}", markup=False, highlight=False)
    _print_diagnostics(opts, root, [d for d in errors if d.location.file not in written])


def print_planned(opts: Options, root: Path, change: Change) -> None:
    """`would create cities/x.yaml (14 lines)`, `would change cities/y.yaml (+2 -1 lines)`."""
    shown = display_path(root, change.path)
    if change.before is None:
        lines = len(change.after.splitlines())
        console(opts).print(f"would create {shown} ({lines} lines)", markup=False)
        return
    hunks = change.hunks()
    added = sum(len(h.added) for h in hunks)
    removed = sum(len(h.removed) for h in hunks)
    console(opts).print(f"would change {shown} (+{added} -{removed} lines)", markup=False)


def _print_diagnostics(opts: Options, root: Path, diagnostics: Sequence[Diagnostic]) -> None:
    from twincli.check.formats import text_line

    err = console(opts, stderr=True)
    for d in diagnostics:
        err.print(text_line(d, lambda rel: display_path(root, rel)))


def meant_id(opts: Options, kind: str, typed: str) -> str:
    """The id of a file of `kind` (`cities`, `cohorts`, `pilots`) that `typed` means, in any
    case or a close spelling (`errors.resolve_id`); said on stderr when it was taken for
    another spelling. An id with no file is left for the command to refuse."""
    from twincli.errors import closest_meant, folded
    from twincli.read.loader import list_sources

    sources, _ = list_sources(opts.root())
    ids = [source.id for source in sources if source.kind == kind]
    if typed in ids:
        return typed
    found = closest_meant(typed, ids)
    if found is None:
        return typed
    if folded(found) != folded(typed):
        print(f"twincli: '{typed}' taken as '{found}'", file=sys.stderr)
    return found


# --- values from the command line -----------------------------------------------------------


def parse_money(value: str) -> str:
    """An amount in euros, as typed (so `540.00` stays `540.00`)."""
    if _MONEY.match(value) is None:
        raise typer.BadParameter(f"{value!r} is not an amount in euros (like 1650 or 498.30)")
    return value


def interactive() -> bool:
    """Whether twincli can ask for a missing value (standard input is a terminal)."""
    return sys.stdin.isatty()


Check = Callable[[str], str]
"""A check of an answer as it is typed: the value to use, or `typer.BadParameter` saying why
it is asked again."""


def fill_in(fields: Sequence[tuple[str, str | None, str, Check | None]]) -> list[str]:
    """For each (option, value, question, check): the value given, else the answer to the
    question on a terminal, asked again at once until `check` takes it. Not on a terminal,
    missing values are a usage error naming the options."""
    missing = [option for option, value, _, _ in fields if value is None]
    if missing and not interactive():
        them = "them" if len(missing) > 1 else "it"
        raise UsageError(
            f"missing {', '.join(missing)}: give {them} on the command line "
            "(twincli asks only on a terminal)"
        )
    return [
        value if value is not None else _ask(question, check)
        for _, value, question, check in fields
    ]


def _ask(question: str, check: Check | None) -> str:
    def proc(value: str) -> str:
        text = _not_blank(value)
        return check(text) if check is not None else text

    answer: str = typer.prompt(question, value_proc=proc)
    return answer


def one_of_ids(kind: str, ids: Sequence[str]) -> Check:
    """A check that an answer is one of `ids` (in any case, or a close spelling)."""

    def check(value: str) -> str:
        from twincli.errors import UnknownIdError, resolve_id

        try:
            return resolve_id(kind, value, ids)
        except UnknownIdError as exc:
            raise typer.BadParameter(str(exc)) from None

    return check


def country_code(value: str) -> str:
    """A check that an answer is an ISO 3166-1 alpha-2 code, in any case."""
    from twincli.countries import COUNTRY_CODES, COUNTRY_HINTS

    code = value.strip().upper()
    if code in COUNTRY_CODES:
        return code
    hint = COUNTRY_HINTS.get(code, "two letters, e.g. ES, GB, GR, NO")
    raise typer.BadParameter(f"'{value}' is not an ISO 3166-1 alpha-2 country code ({hint})")


def a_date(value: str) -> str:
    """A check that an answer is a date, YYYY-MM-DD."""
    from twincli.cli.values import parse_date

    return parse_date(value.strip()).isoformat()


def choices_text(ids: Sequence[str], most: int = 8) -> str:
    """`cohort-1, cohort-2`, or the first `most` and how many more."""
    shown = ", ".join(ids[:most])
    return (
        shown + (f" and {len(ids) - most} more" if len(ids) > most else "") if ids else "none yet"
    )


def _not_blank(value: str) -> str:
    if not value.strip():
        raise typer.BadParameter("a value is needed")
    return value.strip()
