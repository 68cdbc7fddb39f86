"""The command line: a thin Typer layer over the library.

Each command module parses options, calls one library function and hands the result to a
printer. Imports are as late as they can be: `twincli --version` imports nothing but this
module, `twincli --help` lists the commands without importing them, and a command imports
only what it uses (`twincli.cli.commands`, `twincli.cli.lazy`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from twincli import __version__

if TYPE_CHECKING:
    import typer

    app: typer.Typer


EXITING = False
"""Whether the process ends when the command does (set by the console script, `main`): then
`common.keep_till_exit` leaves a loaded programme to the operating system."""


def main() -> None:
    """The `twincli` console script."""
    if sys.argv[1:] == ["--version"]:
        # Answered before Typer is even imported, which costs more than the answer.
        print(f"twincli {__version__}")
        return
    global EXITING
    from twincli.cli.commands import app

    EXITING = True  # what a command loads may be left to the operating system
    app()


def __getattr__(name: str) -> Any:
    """`twincli.cli.app`, the Typer app, imported when it is first asked for."""
    if name == "app":
        from twincli.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
