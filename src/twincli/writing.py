"""Writing the programme's files safely: one editing command at a time, never half a file.

- `locked(root)`: an exclusive lock on `<programme>/.twincli.lock` held while a command reads,
  checks and writes, so two commands editing at once run one after the other and the second
  sees the first's change. On POSIX it is an `flock` (released by the system if the process
  dies); the lock file is removed on the way out, so it does not linger in `git status`.
- `write_atomic(path, data)`: a temporary file beside the target, flushed to disk, renamed over
  it, and the folder flushed: a crash or a failed rename leaves the old file or the new one,
  never a mix.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from twincli.errors import TwincliError

LOCK_NAME = ".twincli.lock"
LOCK_TIMEOUT = 30.0
"""Seconds to wait for another command's edit to finish."""

_POLL = 0.02
_NEW_FILE_MODE = 0o644


class LockTimeoutError(TwincliError):
    """Another command kept the programme locked for too long."""


@contextlib.contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the programme folder's edit lock (waiting up to `timeout` seconds for it)."""
    path = root / LOCK_NAME
    deadline = time.monotonic() + timeout
    try:
        fd = _acquire(path, deadline, timeout)
    except OSError as exc:
        raise TwincliError(f"cannot lock {path}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still holding it: whoever opens it next starts afresh
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - no flock: the file's existence is the lock

    def _acquire(path: Path, deadline: float, timeout: float) -> int:
        while True:
            try:
                return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
            except FileExistsError:
                _wait(path, deadline, timeout, stale_hint=True)

else:
    import fcntl

    def _acquire(path: Path, deadline: float, timeout: float) -> int:
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, _NEW_FILE_MODE)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        _wait(path, deadline, timeout, stale_hint=False)
                # The holder before us may have removed the file after we opened it: our lock
                # is then on a file no one else will find, so start again on the current one.
                try:
                    current = os.stat(path)
                except FileNotFoundError:
                    current = None
                if current is not None and os.path.samestat(os.fstat(fd), current):
                    return fd
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)


def _wait(path: Path, deadline: float, timeout: float, *, stale_hint: bool) -> None:
    if time.monotonic() >= deadline:
        message = (
            f"another twincli command is editing this programme (waited {timeout:g} s for "
            f"{path}); try again"
        )
        if stale_hint:
            message += ", or remove the file if no twincli command is running"
        raise LockTimeoutError(message)
    time.sleep(_POLL)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` (a new file, or in place of the old one, keeping its mode)
    all at once. Raises OSError; the original is then untouched."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = _new_file_mode()
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _new_file_mode() -> int:
    """What `open()` would give a new file under the current umask (mkstemp gives 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file (POSIX; a no-op where folders cannot be
    opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)
