"""Why an editing command's change was refused, in the command's own words.

`validate` speaks YAML: `(add 'submitted: YYYY-MM-DD')`. Someone who typed `record output
... --status approved` needs to hear which option to give (`give the submission date with
--submitted YYYY-MM-DD`), and a line number of the file as it would have been is of no use,
since that file was not written. So an error in a file the change would have written is said
without its place, with a hint in terms of options; an error the change would cause in a file
it leaves alone (a session moved away from a day cities attended) keeps its file and line,
which are real.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from twincli.diagnostics import Diagnostic
from twincli.terminal import printable


def refusal_line(d: Diagnostic) -> str:
    """`error TC404 'x' is approved but has no 'submitted' date (give the submission date
    with --submitted YYYY-MM-DD)`: the message, and a hint in the words of options or none
    (never the YAML hint `validate` gives)."""
    explain = _HINTS.get(d.code)
    if explain is not None:
        hint = explain(d)
    else:  # a hint about the value (`use GB`) still helps; one that says what to write, not
        hint = None if d.hint is None or _WRITE_YAML.search(d.hint) else d.hint
    text = f"{d.severity.value} {d.code} {d.message}" + (f" ({hint})" if hint else "")
    return printable(text, one_line=True)


def _missing_date(d: Diagnostic) -> str:
    if "'submitted'" in d.message:
        return "give the submission date with --submitted YYYY-MM-DD"
    return "give the approval date with --approved YYYY-MM-DD"


def _which_city(d: Diagnostic) -> str | None:
    names = (d.hint or "").partition("one of: ")[2].split(", ")
    if not names or not names[0]:
        return "say which city with --city NAME"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"say which city with --city {listed}"


def _city_named(d: Diagnostic) -> str | None:
    return f"--city: {d.hint}" if d.hint else None


_WRITE_YAML = re.compile(r"\b(add|set|remove|write)\b|'[a-z_-]+:")
"""A hint that tells what to write in the file, which an option cannot follow."""

_OUT_OF_WINDOW = re.compile(r"\b(start|end|submitted|approved|started|revision_requested)\b")


def _date_option(d: Diagnostic) -> str:
    found = _OUT_OF_WINDOW.search(d.message)
    options = {
        "start": "--start (or --move-to)",
        "end": "--end",
        "submitted": "--submitted",
        "approved": "--approved",
    }
    option = options.get(found.group(1), "--date") if found else "--date"
    return f"give {option} a day inside that window"


_HINTS: dict[str, Callable[[Diagnostic], str | None]] = {
    "TC213": lambda d: "give it on one line",
    "TC214": lambda d: "give --time as HH:MM or HH:MM-HH:MM, on the 24-hour clock",
    "TC215": lambda d: "give --link as the full address, starting with https://",
    "TC401": lambda d: "give an --end on or after the first day",
    "TC402": _date_option,
    "TC403": lambda d: "give --approved a day on or after the submission (--submitted)",
    "TC404": _missing_date,
    "TC405": lambda d: (
        "that has not happened yet on the as-of day, which --as-of sets (default: today)"
    ),
    "TC409": lambda d: "give a --status that has that date, or leave the date out",
    "TC501": _city_named,
    "TC502": _which_city,
    "TC506": lambda d: "--reimbursed can be at most what was claimed (--claimed)",
}
"""A hint in the words of options, by code; the codes an editing command can cause in the
file it writes. Others are said without a hint."""
