"""Bounds on what one file of a programme folder may cost: its size on disk, where its symbolic
links may lead, and the diagnostics listed for it (nesting depth is the reader's).

A programme's files arrive through pull requests, and CI reads them: a file of a gigabyte, or a
link to a device that never ends, must be a clear error, not an exhausted machine. Files are
opened without following them anywhere else first, checked with `fstat`, and read up to the
limit and one byte more, so a file that grows (or lies about its size) cannot be read whole.
Data files, templates and reports are all read this way (`read_bounded`), each after checking
that a symbolic link to it stays inside its folder (`leads_inside`).

The size limit bounds the time and memory a file costs only if the work per mistake is bounded
too: a 5 MiB file of distinct unknown keys is 350,000 mistakes, each with a "did you mean"
worked out against every key it might have meant (24 s and 0.8 GB). A `Listing` keeps at most
MAX_LISTED diagnostics of each code for each file, works out their hints only for those, and
counts the rest in one closing diagnostic: "and 349,233 more unknown keys".
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from twincli.codes import severity_of
from twincli.diagnostics import Cause, Diagnostic, Location
from twincli.errors import UsageError

MAX_FILE_BYTES_ENV = "TWINCLI_MAX_FILE_BYTES"
DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
"""5 MiB: the example's largest file is 11 KB; a programme of 1,000 cities has none over 20 KB."""


class FileTooLargeError(Exception):
    """A file larger than the limit (it was not read whole)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {limit:,} bytes")
        self.limit = limit


def max_file_bytes(env: Mapping[str, str] | None = None) -> int:
    """The largest data file read: $TWINCLI_MAX_FILE_BYTES, else 5 MiB. Raises UsageError
    for a value that is not a positive whole number."""
    value = (os.environ if env is None else env).get(MAX_FILE_BYTES_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_FILE_BYTES
    try:
        limit = int(value.replace("_", ""))
    except ValueError:
        limit = 0
    if limit <= 0:
        raise UsageError(
            f"${MAX_FILE_BYTES_ENV}={value!r}: expected a positive whole number of bytes"
        )
    return limit


def leads_inside(folder: str | Path, path: str | Path) -> bool:
    """Whether `path`, its symbolic links followed, is `folder` or inside it. Never raises: a
    loop of links, or a link to nothing, is taken as leading where it is (reading it then
    fails with the system's reason)."""
    base = os.path.realpath(folder)
    real = os.path.realpath(path)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def read_bounded(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, if it holds at most `limit` of them.

    Raises FileTooLargeError, or OSError: the system's, or EINVAL for something that is not a
    regular file (a named pipe would block a read forever, a device never end)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > limit:
            raise FileTooLargeError(limit)
        # What fstat says is there and one byte more, to see a file that grew since: asking
        # for `limit + 1` bytes at once would allocate the whole limit for every file (a
        # sixth of the time a programme of small files takes to load).
        data = handle.read(info.st_size + 1)
        if len(data) > info.st_size:  # it grew: read on, up to the limit and one byte more
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise FileTooLargeError(limit)
    return data


MAX_LISTED = 100
"""Most diagnostics of one code listed for one file; the others are counted in one more."""

Hint = str | Callable[[], str | None] | None
"""A diagnostic's hint, or a function working it out (a near-name search): called only when
the diagnostic is listed."""

_MORE = {
    "TC107": "explicit tags",
    "TC110": "duplicate keys",
    "TC116": "escapes that name no character",
    "TC201": "unknown keys",
    "TC203": "values of the wrong shape",
}
"""What the closing diagnostic calls the rest, for the codes a file most often repeats (else
"TC304 errors")."""


class Listing:
    """Diagnostics as they are found, of which at most MAX_LISTED of each code in each file
    are kept; the others are counted, and each (file, code) with some left out closes with
    one more diagnostic at the first of them: "and 41,230 more unknown keys"."""

    __slots__ = ("_counts", "_kept", "_unlisted", "found")

    def __init__(self) -> None:
        self._kept: list[Diagnostic] = []
        self._counts: dict[tuple[str, str], int] = {}
        self._unlisted: dict[tuple[str, str], Location] = {}
        self.found = 0
        """How many were added, listed or not."""

    def add(
        self,
        code: str,
        location: Location,
        message: str,
        hint: Hint = None,
        cause: Cause | None = None,
    ) -> None:
        self.found += 1
        key = (location.file, code)
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        if count <= MAX_LISTED:
            if callable(hint):
                hint = hint()
            self._kept.append(Diagnostic(code, severity_of(code), message, location, hint, cause))
        elif count == MAX_LISTED + 1:
            self._unlisted[key] = location

    def diagnostics(self) -> list[Diagnostic]:
        """The diagnostics kept, then the closing ones."""
        closing = []
        for (_, code), location in self._unlisted.items():
            severity = severity_of(code)
            rest = self._counts[location.file, code] - MAX_LISTED
            what = _MORE.get(code, f"{code} {severity}s")
            closing.append(
                Diagnostic(
                    code,
                    severity,
                    f"and {rest:,} more {what} in this file, not listed",
                    location,
                    f"the first {MAX_LISTED} are listed; fix them, often one mistake "
                    "repeated, then validate again",
                )
            )
        return self._kept + closing
