"""Writing the programme's files safely: one editing command at a time, never half a file.

- `locked(root)`: an exclusive lock on `<programme>/.twincli.lock` held while a command reads,
  checks and writes, so two commands editing at once run one after the other and the second
  sees the first's change. On POSIX it is an `flock` (released by the system if the process
  dies); the lock file is removed on the way out, so it does not linger in `git status`.
  It is opened without following a link, and must be a regular file of the user's: a
  `.twincli.lock` committed as a link would otherwise have an edit create or lock any path.
- `write_atomic(path, data, durable=...)`: how twincli writes every file it replaces (edits,
  reports, exports, schemas, its cache): a temporary file beside the target, renamed over it,
  so that a crash or a failed rename leaves the old file or the new one, never a mix. An edit
  is also flushed to disk, with its folder (`durable`); what can be made again is not.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
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
                return _open_lock(path, os.O_EXCL)
            except FileExistsError:
                _wait(path, deadline, timeout, stale_hint=True)

else:
    import fcntl

    def _acquire(path: Path, deadline: float, timeout: float) -> int:
        while True:
            fd = _open_lock(path)
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


def _open_lock(path: Path, exclusive: int = 0) -> int:
    """Open (creating it if need be) the lock file itself, never what a link there points
    to, and only if it is a regular file of the user's. Raises TwincliError naming it, or
    OSError."""
    flags = os.O_RDWR | os.O_CREAT | exclusive | getattr(os, "O_NOFOLLOW", 0)
    try:
        # Non-blocking: opening a named pipe or a device must not wait for the other end.
        fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0), _NEW_FILE_MODE)
    except OSError:  # ELOOP for a link (EMLINK on some BSDs), EISDIR for a folder: say which
        with contextlib.suppress(OSError):
            _refuse_unless_lockable(path, os.lstat(path))
        raise
    try:
        _refuse_unless_lockable(path, os.fstat(fd))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _refuse_unless_lockable(path: Path, info: os.stat_result) -> None:
    """Raise TwincliError unless `info` is that of a regular file the user owns."""
    if stat.S_ISLNK(info.st_mode):
        why = "it is a symbolic link, not a file twincli made; remove it and try again"
    elif not stat.S_ISREG(info.st_mode):
        why = "it is not a regular file, so not one twincli made; remove it and try again"
    elif hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        why = (
            f"it belongs to another user (uid {info.st_uid}); remove it if no twincli command "
            "of theirs is running, and try again"
        )
    else:
        return
    raise TwincliError(f"cannot lock {path}: {why}")


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


def write_atomic(path: Path, data: bytes, *, durable: bool, mode: int | None = None) -> None:
    """Write `data` to `path` all at once: a new file, or in place of the old one, keeping its
    mode (or with `mode`). Interrupted or failing at any point, the file is its old version or
    its new one, and no temporary file is left. Raises OSError.

    `durable`: flush the file and its folder to disk (`fsync`) before returning, so that the
    new version survives a crash of the machine. An edit is: it is what a person typed. A
    report, an export or a cache can be made again from the data, so it is not flushed (the
    rename still makes it all or nothing while the machine runs); a render of thousands of
    reports would otherwise wait for each."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    target = os.fspath(path)
    if mode is None:
        try:
            mode = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            mode = _new_file_mode()
    temporary, fd = _create_temporary(target)
    try:
        try:
            _write_all(fd, data)
            os.chmod(temporary, mode)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        _sync_folder(folder)


def _create_temporary(target: str) -> tuple[str, int]:
    """A new, empty temporary file beside `target` (`.NAME.RANDOM.tmp`, another name if that
    one is taken), open for writing, never through a link."""
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)  # Windows: no CR LF
    for _ in range(tempfile.TMP_MAX):
        temporary = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
        try:
            return temporary, os.open(temporary, flags, 0o600)
        except FileExistsError:  # left by a crash
            continue
    raise FileExistsError(errno.EEXIST, "no unused name for a temporary file", target)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd` (`os.write` may write less than it is given)."""
    written = os.write(fd, data)
    if written < len(data):
        view = memoryview(data)
        while written < len(data):
            written += os.write(fd, view[written:])


def _new_file_mode() -> int:
    """What `open()` would give a new file under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file (POSIX; a no-op where folders cannot be
    opened, or where the file system refuses: the file itself is in place and flushed)."""
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
