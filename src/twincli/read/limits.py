"""Bounds on what one file of a programme folder may cost: its size on disk, and where its
symbolic links may lead (nesting depth is the reader's).

A programme's files arrive through pull requests, and CI reads them: a file of a gigabyte, or a
link to a device that never ends, must be a clear error, not an exhausted machine. Files are
opened without following them anywhere else first, checked with `fstat`, and read up to the
limit and one byte more, so a file that grows (or lies about its size) cannot be read whole.
Data files, templates and reports are all read this way (`read_bounded`), each after checking
that a symbolic link to it stays inside its folder (`leads_inside`).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from pathlib import Path

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
