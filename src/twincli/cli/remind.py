"""`twincli remind`: one e-mail draft per city that owes something; never sends anything.

Without `--out`, a summary on stdout of who would be written to and why. With `--out DIR`,
one `CITY.eml` per city in DIR (made if need be), each written whole; a city with nothing to
write to (no contact with an e-mail address) is named on stderr, never skipped in silence.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from twincli.cli.common import (
    CityOption,
    CohortOption,
    console,
    display_path,
    options,
    reporting_errors,
    warn_of_gaps,
)
from twincli.cli.values import whole_number

WITHIN = 30
"""Days ahead a reminder looks by default."""
NO_SENDER = "programme.yaml has no contact: (the team's e-mail address), which --out needs"
NO_ADDRESS = "no contact with an e-mail address (add one to its contacts)"


def remind(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            parser=whole_number("days", least=0),
            metavar="DAYS",
            help=f"Remind of what is overdue or due in at most DAYS days (default {WITHIN}).",
            show_default=False,
        ),
    ] = None,
    cohort: CohortOption = None,
    city: CityOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Write one .eml draft per city here (default: print who would be written to).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write reminders to the cities with something overdue or due soon, as e-mail drafts."""
    from rich.text import Text

    from twincli.progress import views
    from twincli.report import reminders
    from twincli.terminal import printable

    opts = options(ctx)
    with reporting_errors():
        root, as_of = opts.root(), opts.today()
        days = WITHIN if within is None else within
        view = views.status(root, as_of, cohort=cohort, city=city, cache=opts.cache)
        warn_of_gaps(view.loaded, view.gaps)
        found = reminders.reminders(view.progress, days)
        if out is None:
            show = console(opts)
            for reminder in found:
                show.print(Text(_headline(reminder), style="bold"))
                for item in reminder.items:
                    show.print(Text("  " + _line(item)))
            show.print(_summary(len(found), days), markup=False)
            if found and not view.loaded.programme.contact:
                print(f"twincli: warning: {NO_SENDER}", file=sys.stderr)
            return
        from twincli.report.templating import make_environment
        from twincli.writing import write_atomic

        env = make_environment(root)
        programme = view.loaded.programme
        drafts = [
            (r, reminders.message(r, programme, env, as_of, days, root))
            for r in found
            if r.recipients
        ]
        _make_folder(out)
        for reminder, mail in drafts:
            path = out / f"{reminder.city.id}.eml"
            write_atomic(path, mail.as_bytes(), durable=False)
            print(printable(f"wrote {display_path(path.parent, path.name)}"))
        for reminder in found:
            if not reminder.recipients:
                print(
                    printable(f"twincli: warning: {reminder.city.id}: {NO_ADDRESS}"),
                    file=sys.stderr,
                )


def _headline(reminder: object) -> str:
    from twincli.report.reminders import Reminder

    assert isinstance(reminder, Reminder)
    city = f"{reminder.city.name} ({reminder.city.id})"
    if not reminder.recipients:
        return f"{city}: {NO_ADDRESS}"
    lead, *others = reminder.recipients
    to = f"{lead.name} <{lead.email}>"
    if others:
        to += f" and {len(others)} other{'s' if len(others) > 1 else ''}"
    return f"{city}: to {to}"


def _line(item: object) -> str:
    from twincli.progress.standing import Deadline

    assert isinstance(item, Deadline)
    when = (
        f"{-item.days} days late"
        if item.days < 0
        else "today"
        if item.days == 0
        else f"in {item.days} days"
    )
    return f"{item.state:<8} {item.due}  {item.title} ({item.kind}, {when})"


def _summary(count: int, within: int) -> str:
    cities = f"{count} cit{'y' if count == 1 else 'ies'}"
    return f"{cities} with something overdue or due within {within} days; nothing was written"


def _make_folder(out: Path) -> None:
    from twincli.errors import UsageError

    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"--out {out}: is a file, not a folder") from None
    except OSError as exc:
        raise UsageError(f"--out {out}: {exc.strerror or exc}") from None
