"""The command line: a thin Typer layer over the library.

Each command module parses options, calls one library function and hands the result to a
printer. Imports are as late as they can be: `twincli --version` imports nothing but this
module, `twincli --help` lists the commands without importing them, and a command imports
only what it uses (`twincli.cli.commands`, `twincli.cli.lazy`).
"""

import sys  # and nothing else (not even `__future__`) before `main` can catch a Ctrl-C

from twincli import __version__

TYPE_CHECKING = False
"""Not `typing.TYPE_CHECKING`: importing `typing` takes longer than answering `--version`, and
until `main` runs, a Ctrl-C cannot be turned into a clean exit."""
if TYPE_CHECKING:
    from typing import Any

    import typer

    app: typer.Typer


INTERRUPTED = 130
"""The exit code after Ctrl-C (128 + SIGINT), with `twincli: interrupted` on stderr."""

_interrupt_reported = False
"""Whether `twincli: interrupted` was printed in this run (`report_interrupt`)."""

_held: list[int] | None = None
"""While `main` holds Ctrl-C back (`_hold_interrupts`): the interrupts that came meanwhile."""

_handler: object = None
"""The SIGINT handler `_hold_interrupts` replaced, put back by `release_interrupts`."""


def main() -> None:
    """The `twincli` console script. Ctrl-C at any point ends the same way: `twincli:
    interrupted` on stderr, exit 130. Until the command runs (`common.reporting_errors`),
    while Typer and the command are imported and the command line is parsed, an interrupt is
    held back, then acted on: an interrupt in the middle of an import can be lost in Python's
    import machinery, or end it with a traceback."""
    if sys.argv[1:] == ["--version"]:
        # Answered before Typer is even imported, which costs more than the answer.
        print(f"twincli {__version__}")
        return
    global _interrupt_reported
    _interrupt_reported = False
    try:
        try:
            _hold_interrupts()
            _degrade_output()
            from twincli.cli.commands import app

            app()
        finally:
            held = release_interrupts()
    except KeyboardInterrupt:
        # Before the interrupts were held back, or Typer let one through.
        _interrupted()
    except SystemExit as exc:
        # Typer ends a run interrupted outside `common.reporting_errors` with 130, silently.
        if held or exc.code == INTERRUPTED:
            _interrupted()
        raise
    if held:  # pragma: no cover - Typer's commands end with SystemExit
        _interrupted()


def _degrade_output() -> None:
    """Make stdout and stderr write what their encoding cannot (a Latin-1 or ASCII terminal,
    a redirect on Windows, `PYTHONIOENCODING`) as the nearest it can (`terminal.DEGRADE`),
    for every command, every view and every message, rather than stop with a traceback.
    Machine-readable documents (JSON, SARIF, JUnit XML) are UTF-8 whatever the encoding
    (`common.print_document`)."""
    import codecs

    from twincli.terminal import DEGRADE, degrade

    codecs.register_error(DEGRADE, degrade)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # not when a caller has put something else there
            reconfigure(errors=DEGRADE)


def _hold_interrupts() -> None:
    """From now until `release_interrupts`, Ctrl-C is noted, not raised. Not when SIGINT is
    ignored (a background job) or handled by someone else, nor outside the main thread."""
    global _held, _handler
    import signal

    held: list[int] = []
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    try:
        _handler = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    except ValueError:  # pragma: no cover - not the main thread
        return
    _held = held


def release_interrupts() -> bool:
    """Let Ctrl-C raise KeyboardInterrupt again; whether it was pressed while held back (the
    caller then acts on it). Called as a command starts (`common.reporting_errors`)."""
    global _held
    held, _held = _held, None
    if held is None:
        return False
    import signal

    signal.signal(signal.SIGINT, _handler)  # type: ignore[arg-type]
    return bool(held)


def report_interrupt() -> None:
    """Say on stderr that the command was interrupted (once: `main` then says nothing more)."""
    global _interrupt_reported
    _interrupt_reported = True
    from contextlib import suppress

    with suppress(OSError):  # stderr closed: the exit code says it
        print("twincli: interrupted", file=sys.stderr)


def _interrupted() -> None:
    if not _interrupt_reported:
        report_interrupt()
    raise SystemExit(INTERRUPTED) from None


def __getattr__(name: str) -> "Any":
    """`twincli.cli.app`, the Typer app, imported when it is first asked for."""
    if name == "app":
        from twincli.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
