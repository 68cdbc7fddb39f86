"""What every command shares: global options, consoles, paths and the error handler."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from twincli.errors import TwincliError, UsageError, unknown_id

if TYPE_CHECKING:
    from rich.console import Console

    from twincli.diagnostics import Diagnostic
    from twincli.progress.leftout import Kind, LeftOut
    from twincli.progress.standing import ProgrammeProgress
    from twincli.read.loader import Loaded


@dataclass(frozen=True, slots=True)
class Options:
    """The global options, as every command receives them."""

    data: Path | None = None
    as_of: date | None = None
    no_color: bool = False
    no_cache: bool = False

    @property
    def cache(self) -> bool | None:
        """Whether loading uses the cache: not with --no-cache, else as $TWINCLI_NO_CACHE
        says (None)."""
        return False if self.no_cache else None

    def today(self) -> date:
        """The as-of day: --as-of, else today (the one place twincli reads the clock)."""
        return self.as_of if self.as_of is not None else date.today()

    def root(self) -> Path:
        """The programme folder."""
        from twincli.read.loader import find_programme_folder

        return find_programme_folder(self.data)


def options(ctx: typer.Context) -> Options:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Options) else Options()


def console(opts: Options, *, stderr: bool = False, wrap: bool = False) -> Console:
    """A rich console: colour on a terminal, plain when piped or with --no-color/$NO_COLOR.
    Lines are never wrapped (a diagnostic is one line for grep and CI) unless `wrap`, for
    views laid out for the terminal's width; not on a terminal, their lines do not end with
    the spaces rich pads them with."""
    from twincli.terminal import safe_console_class

    made = safe_console_class()(
        stderr=stderr,
        no_color=opts.no_color or None,
        highlight=False,
        soft_wrap=not wrap,
        emoji=False,
        markup=False,
    )
    if wrap and not made.is_terminal:
        from twincli.cli.longtables import TrimmedFile

        made.file = TrimmedFile(made.file)  # type: ignore[assignment]
    return made


CohortOption = Annotated[
    str | None, typer.Option("--cohort", help="Only this cohort.", metavar="ID")
]
CityOption = Annotated[str | None, typer.Option("--city", help="Only this city.", metavar="ID")]


def print_payload(payload: Callable[[], Any]) -> None:
    """The JSON document `payload()` builds, built and written without the cyclic collector
    rescanning it as it grows (see `collector_paused`) and without a console."""
    from twincli.export import jsontext

    with collector_paused():
        text = jsontext.dumps(payload())
    print_json(text)


def print_json(text: str) -> None:
    """A JSON document on stdout, as a console prints it (`terminal.printable`), without the
    layout work rich does for each line, which takes seconds for a large programme's."""
    from twincli.terminal import printable

    print_document(printable(text), "\n")  # the line end apart: a copy of megabytes else


def print_document(*parts: str) -> None:
    """A machine-readable document (JSON, SARIF, JUnit XML), in parts, on stdout, as UTF-8
    whatever the stream's encoding, as `export` writes its files: these formats are UTF-8
    (JUnit XML says so in its first line), where a stream of another encoding would
    transliterate what it cannot write (`cli._degrade_output`). A lone surrogate, which
    UTF-8 cannot carry, is written `\\udcXX`, which JSON reads back as it was."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text stream without bytes under it, put there by a caller
        for part in parts:
            out.write(part)
        out.flush()
        return
    out.flush()  # what was written before goes first
    for part in parts:
        buffer.write(part.encode("utf-8", "backslashreplace"))
    buffer.flush()


def display_path(root: Path, relative: str, cwd: Path | None = None) -> str:
    """A folder file's path as the user sees it (`os_path`), as text any output can carry
    (`terminal.path_text`: a byte of a name that is not UTF-8 shows as `\\xNN`)."""
    from twincli.terminal import path_text

    return path_text(os_path(root, relative, cwd))


def os_path(root: Path, relative: str, cwd: Path | None = None) -> str:
    """A folder file's path relative to the current folder when inside it, else absolute, as
    the operating system names it (for `check.formats`, which make it text themselves)."""
    path = root / relative
    cwd = Path.cwd() if cwd is None else cwd
    try:
        return path.relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return str(path)


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn what stops a run into a message on stderr and exit code 2 (130 on Ctrl-C).
    The command starts here: a Ctrl-C `main` held back while it started is acted on now."""
    from twincli.cli import release_interrupts

    try:
        if release_interrupts():
            raise KeyboardInterrupt
        yield
    except TwincliError as exc:
        from twincli.terminal import printable

        print(f"twincli: error: {printable(str(exc))}", file=sys.stderr)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        from twincli.cli import report_interrupt

        report_interrupt()
        raise typer.Exit(130) from None
    except BrokenPipeError:
        # The reader of a pipe went away (`twincli ... | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except OSError as exc:
        # What a command did not expect from the operating system (a folder it may not
        # list, a full disk): the path and the reason, never a traceback.
        from twincli.terminal import printable

        print(f"twincli: error: {printable(os_error_text(exc))}", file=sys.stderr)
        raise typer.Exit(2) from None


def os_error_text(exc: OSError) -> str:
    """`PATH: REASON` (`cities: Permission denied`), or the reason alone without a path."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{exc.filename}: {reason}" if exc.filename not in (None, "") else reason


@dataclass(frozen=True, slots=True)
class Report:
    """What a report command loaded, and what its view leaves out (`twincli.progress.leftout`)."""

    loaded: Loaded
    left_out: tuple[LeftOut, ...]


def load_for_report(
    opts: Options,
    cities: Collection[str] | None = None,
    *,
    cohort: str | None = None,
    city: str | None = None,
    pilot: str | None = None,
    model: bool = False,
) -> Report:
    """Load the folder for a report command on the whole programme, or on `cohort`, `city`
    or `pilot`. Problems in the data do not stop a report, but a line on stderr says the
    figures may be incomplete and names what they leave out. An id the folder does not have
    is a usage error (`unknown_id`); one it has, but whose data has errors that leave it out,
    says so and exits 1. `model`: the view is the records as loaded (export json, ics), not
    the figures of progress. With `cities` (ids), only those cities are read, with the shared
    files (`load_programme`), and the problems are counted as `validate` finds them, a city
    at a time (with the cache, from what it found before)."""
    from twincli.progress import leftout
    from twincli.read.loader import load_programme

    root = opts.root()
    loaded = load_programme(root, cache=opts.cache, cities=cities)
    keep_till_exit(loaded)
    found: Iterable[Diagnostic]
    if cities is None:
        from twincli.check import rules

        found = [
            *loaded.diagnostics,
            *rules.check(loaded.programme, opts.today(), loaded.programme_ok),
        ]
    else:
        from twincli.check.validate import check_folder

        found = check_folder(root, opts.today(), cache=opts.cache).diagnostics
    errors = Counter(d.location.file for d in found if d.is_error)
    everything = leftout.left_out(loaded, errors, cities)
    _look_up(loaded, everything, cohort, city, pilot, model)
    if everything and (cohort is not None or pilot is not None):
        everything = leftout.placed(root, everything)  # which cohort, which pilot
    pilots = None
    if model and (cohort is not None or city is not None):
        pilots = {
            c.pilot
            for c in loaded.programme.cities.values()
            if c.id == city or (city is None and c.cohort == cohort)
        }
    shown = leftout.in_view(
        everything, cohort=cohort, city=city, pilot=pilot, model=model, pilots=pilots
    )
    flawed = leftout.with_errors(loaded, errors, everything, cohort=cohort, city=city, pilot=pilot)
    total = sum(errors.values())
    if total or shown:
        from twincli.terminal import printable

        line = (
            f"twincli: warning: the data has {total} error{'s' if total != 1 else ''}; "
            "figures may be incomplete (run `twincli validate`)"
        )
        if shown:
            listed = [leftout.described(entry, model=model) for entry in shown[:LEFT_OUT_NAMED]]
            more = len(shown) - LEFT_OUT_NAMED
            line += "; left out: " + ", ".join(listed) + (f" and {more} more" if more > 0 else "")
        if flawed:
            listed = [leftout.described(entry) for entry in flawed[:LEFT_OUT_NAMED]]
            more = len(flawed) - LEFT_OUT_NAMED
            line += "; shown with errors: " + ", ".join(listed)
            line += f" and {more} more" if more > 0 else ""
        print(printable(line), file=sys.stderr)
    return Report(loaded, tuple(shown))


LEFT_OUT_NAMED = 5
"""The warning names this many of what the figures leave out, then says how many more."""


def _look_up(
    loaded: Loaded,
    entries: list[LeftOut],
    cohort: str | None,
    city: str | None,
    pilot: str | None,
    model: bool,
) -> None:
    """Check that the cohort, city and pilot asked for are in the view: a usage error for an
    id the folder does not have, exit 1 for one its errors leave out."""
    programme = loaded.programme
    marks = programme.marks
    if cohort is not None:
        own_cohort = programme.cohorts.get(cohort)
        # a cohort whose edition is not in the model has no place in progress
        if own_cohort is None or (not model and own_cohort.edition not in programme.editions):
            _missing(entries, "cohort", cohort, marks.ids("cohorts"))
    if pilot is not None and pilot not in programme.pilots:
        _missing(entries, "pilot", pilot, marks.ids("pilots"))
    if city is not None:
        found = programme.cities.get(city)
        own = programme.cohorts.get(found.cohort) if found is not None else None
        if own is None or (not model and own.edition not in programme.editions):
            _missing(entries, "city", city, marks.ids("cities"))
        elif cohort is not None and own.id != cohort:
            raise UsageError(f"no city '{city}' in {cohort} (it is in {own.id})")


def _missing(entries: list[LeftOut], kind: Kind, ident: str, known: Collection[str]) -> None:
    """Stop for a `kind` `ident` that is not in the view: left out (exit 1), or unknown."""
    from twincli.progress import leftout
    from twincli.terminal import printable

    entry = leftout.concerning(entries, kind, ident)
    if entry is None:
        raise unknown_id(kind, ident, known)
    print(f"twincli: error: {printable(leftout.why(entry, kind, ident))}", file=sys.stderr)
    raise typer.Exit(1)


def selected_progress(
    loaded: Loaded, opts: Options, cohort: str | None, city: str | None
) -> ProgrammeProgress:
    """The programme's progress as of the day, narrowed to --cohort and --city."""
    from twincli.progress.standing import programme_progress, select

    try:
        with collector_paused():
            return select(programme_progress(loaded.programme, opts.today()), cohort, city)
    except LookupError as exc:
        raise UsageError(str(exc.args[0])) from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Make many objects without the cyclic garbage collector rescanning them as they come
    (`loader.collector_paused`): progress, the rows of a report, the dicts of a JSON
    document. None of them holds a reference cycle; reference counting frees them."""
    from twincli.read.loader import collector_paused as paused

    with paused():
        yield


_KEPT: list[object] = []


def keep_till_exit(value: object) -> None:
    """When the process ends with the command (`twincli.cli.EXITING`), keep `value` (a loaded
    programme, millions of objects) out of reach of both reference counting and the cyclic
    collector, so that it is never taken apart object by object: a tenth of a second for
    10,000 cities, spent on memory the operating system takes back at once when the process
    exits. Within a longer-lived process (tests, a library user) nothing is kept."""
    import gc

    from twincli import cli

    if not cli.EXITING:
        return
    if not _KEPT:
        _KEPT.append(_KEPT)  # a cycle: reference counting never frees it ...
    _KEPT.append(value)
    gc.freeze()  # ... and the collector never looks at it again, not even at exit
