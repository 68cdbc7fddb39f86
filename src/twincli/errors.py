"""Errors that stop a run (exit code 2). Problems in the data are diagnostics, not errors."""


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
