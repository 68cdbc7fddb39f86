"""Writing the programme's files safely: one editing command at a time, never half a file.

- `locked(root)`: an exclusive lock on `<programme>/.twincli.lock` held while a command reads,
  checks and writes, so two commands editing at once run one after the other and the second
  sees the first's change. On POSIX it is an `flock` (released by the system if the process
  dies); the lock file is removed on the way out, so it does not linger in `git status`.
  It is opened without following a link, and must be a regular file of the user's: a
  `.twincli.lock` committed as a link would otherwise have an edit create or lock any path.
- `write_atomic(path, data)`: a temporary file beside the target, flushed to disk, renamed over
  it, and the folder flushed: a crash or a failed rename leaves the old file or the new one,
  never a mix.
- `write_atomic_many(files)`: the same for many files (a render's reports), flushed to disk
  together: every temporary file is written, the file system is flushed once, every file is
  renamed, and the file system is flushed again (on Linux, with `syncfs`; elsewhere each file,
  then each folder, on its own). Thousands of files take a fraction of a second instead of
  two flushes each.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
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


def write_atomic_many(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write each `(path, data)` as `write_atomic` would, flushing them to disk together.
    Interrupted at any point, each file is its old version or its new one. Raises OSError;
    the files not yet renamed are then untouched."""
    staged: list[tuple[str, str]] = []
    """Each temporary file made (emptied once renamed: nothing to remove) and its target."""
    made: dict[Path, bool] = {}
    """Each folder, made if needed, and whether it was made here (so held no file)."""
    token = os.urandom(4).hex()
    try:
        for path, data in files:
            folder = path.parent
            empty = made.get(folder)
            if empty is None:
                empty = made[folder] = _make_folder(folder)
            target = os.fspath(path)
            mode = None if empty else _mode_of(target)
            temporary, fd = _create_temporary(target, token)
            staged.append((temporary, target))
            try:
                _write_all(fd, data)
                # A new file keeps the mode it was made with, the one `open()` gives: only
                # a file replacing one of another mode needs a chmod (new reports need none).
                if mode is not None and os.fstat(fd).st_mode & 0o7777 != mode:
                    os.chmod(temporary, mode)
            finally:
                os.close(fd)
        _flush_to_disk([temporary for temporary, _ in staged])
        for done, (temporary, target) in enumerate(staged):
            os.replace(temporary, target)
            staged[done] = ("", target)
    except BaseException:
        for temporary, _ in staged:
            if temporary:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
        raise
    folders = list(made)
    if not _flush_to_disk([str(folder) for folder in folders]):  # pragma: no cover
        for folder in folders:
            _sync_folder(folder)


def _create_temporary(target: str, token: str) -> tuple[str, int]:
    """A new, empty temporary file beside `target` (`.NAME.TOKEN.tmp`, another name if that
    one is taken), open for writing, with the mode `open()` gives a new file. Made with
    `os.open` rather than `tempfile.mkstemp`, whose mode (0600) would need a chmod, and
    without a Python file object: a render makes thousands."""
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends
    for _ in range(tempfile.TMP_MAX):
        temporary = os.path.join(folder, f".{name}.{token}.tmp")
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            token = os.urandom(4).hex()  # left by a crash, or the same target twice
    raise FileExistsError(errno.EEXIST, "no unused name for a temporary file", target)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd` (`os.write` may write less than it is given)."""
    written = os.write(fd, data)
    if written < len(data):
        view = memoryview(data)
        while written < len(data):
            written += os.write(fd, view[written:])


def _make_folder(folder: Path) -> bool:
    """Make `folder` (and its parents) unless it exists; whether it was made here (so that
    it holds no file yet)."""
    if folder.is_dir():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    return True


def _mode_of(path: str | Path) -> int | None:
    """The permissions of the file at `path`, or None when there is none."""
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return None


def _flush_to_disk(paths: Sequence[str]) -> bool:
    """Flush the files (or folders) at `paths` to disk: with one `syncfs` per file system on
    Linux, else (or if that fails) each on its own; False when folders could not be."""
    if not paths:
        return True
    if sys.platform.startswith("linux"):
        try:
            _syncfs(paths)
            return True
        except (OSError, AttributeError, ImportError):  # pragma: no cover - then one by one
            pass
    for path in paths:  # pragma: no cover - not Linux
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:  # a folder, where folders cannot be opened (Windows)
            return False
        try:
            os.fsync(fd)
        except OSError:  # some file systems refuse to flush a folder
            pass
        finally:
            os.close(fd)
    return True


def _syncfs(paths: Sequence[str]) -> None:
    import ctypes
    import errno

    libc = ctypes.CDLL(None, use_errno=True)
    done: set[int] = set()
    for path in paths:
        device = os.stat(path).st_dev
        if device in done:
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            if libc.syncfs(fd) != 0:
                code = ctypes.get_errno() or errno.EIO
                raise OSError(code, os.strerror(code), path)
        finally:
            os.close(fd)
        done.add(device)


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
