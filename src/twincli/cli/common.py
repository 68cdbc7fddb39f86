"""What every command shares: global options, consoles, paths and the error handler."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from twincli.errors import TwincliError

if TYPE_CHECKING:
    from rich.console import Console

    from twincli.progress.views import Gaps
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
    views laid out for the terminal's width."""
    from twincli.terminal import safe_console_class

    return safe_console_class()(
        stderr=stderr,
        no_color=opts.no_color or None,
        highlight=False,
        soft_wrap=not wrap,
        emoji=False,
        markup=False,
    )


CohortOption = Annotated[
    str | None, typer.Option("--cohort", help="Only this cohort.", metavar="ID")
]
CityOption = Annotated[str | None, typer.Option("--city", help="Only this city.", metavar="ID")]


def print_payload(payload: Callable[[], Any]) -> None:
    """The JSON document `payload()` builds, indented by two spaces, written without a
    console."""
    import json

    print_json(json.dumps(payload(), indent=2, ensure_ascii=False))


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
    """Turn what stops a run into a message on stderr and its exit code (`TwincliError`: 2,
    or 1 when the data is at fault; 130 on Ctrl-C).
    The command starts here: a Ctrl-C `main` held back while it started is acted on now."""
    from twincli.cli import release_interrupts

    try:
        if release_interrupts():
            raise KeyboardInterrupt
        yield
    except TwincliError as exc:
        from twincli.terminal import printable

        print(f"twincli: error: {printable(str(exc))}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None
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


def write_job_summary(markdown: str) -> None:
    """Append to the file GitHub Actions shows on the run's page, when there is one."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as exc:
        print(
            f"twincli: warning: cannot write the job summary to {path}: {exc.strerror or exc}",
            file=sys.stderr,
        )


def os_error_text(exc: OSError) -> str:
    """`PATH: REASON` (`cities: Permission denied`), or the reason alone without a path."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{exc.filename}: {reason}" if exc.filename not in (None, "") else reason


def warn_of_gaps(loaded: Loaded, gaps: Gaps) -> None:
    """Say on stderr what a report's figures lack (`Gaps.warning`), when they lack something:
    problems in the data do not stop a report, but its figures are never taken for the
    whole programme."""
    from twincli.terminal import printable

    line = gaps.warning()
    if line is not None:
        print(printable(f"twincli: warning: {line}"), file=sys.stderr)
    note = gaps.past.note() if gaps.past is not None else None
    if note is not None:
        print(printable(f"twincli: note: {note}"), file=sys.stderr)
