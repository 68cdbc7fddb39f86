"""twincli's cache: what reading and checking each file gave, so a re-run redoes only changes.

Reading a file (parsing its YAML and building its record) is most of what every command
costs, and checking it most of the rest. What they give depends only on the file's bytes, its
path, twincli itself and a few settings, so it is kept under the user's cache folder:
`$XDG_CACHE_HOME/twincli/programmes/` (else `~/.cache/twincli/`; `%LOCALAPPDATA%\\twincli\\cache`
on Windows). Each programme folder has its cache files there, named by `CacheFile`: the files
read (`loader.read_sources`, for the commands that need the whole model) and what `validate`
found in each file (`twincli.check.incremental`).

Every cache file has one format: a header line, the JSON object of everything its entries
depend on besides the files (the twincli version, the snapshot format, a fingerprint of the
code, the parser, the size limit, the programme folder, and what the cache adds: the as-of day
for `validate`); then one line per file, `path<TAB>signature<TAB>hash<TAB>snapshot`:

- the hash is BLAKE2b's of the file's bytes, so an entry is never used for other bytes;
- the signature is the file's size, times and inode (`signature`), so that a file whose
  `stat` is exactly the same is taken as unchanged without being read (as git does; a file
  changed less than two seconds before it was read has none, "-");
- the snapshot is the file's record (when the cache keeps it) and diagnostics, as
  `twincli.read.snapshot` encodes them.

A cache file is written whole, through `writing.write_atomic` (not flushed to disk: it can be
made again), when what it holds changed. It is safe to delete, and it never changes an
answer: a cached run reports exactly what a cold run reports. It is trusted only as far as
that can hold: the folder holding the cache files and each file must belong to the user and
be writable by no one else (a shared `$XDG_CACHE_HOME` could otherwise feed a run forged
verdicts); a cache file is opened without following links and read only if it is a regular
file (a named pipe would block); a file of another header is not read; and an entry that does
not decode exactly is taken as absent (the file is read again). `--no-cache` or
`$TWINCLI_NO_CACHE=1` bypasses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twincli import __version__
from twincli.read import snapshot
from twincli.read.limits import max_file_bytes
from twincli.read.reader import libyaml_used
from twincli.writing import write_atomic

DISABLE_ENV = "TWINCLI_NO_CACHE"
"""Set to 1 (or anything but 0) to read every file as if there were no cache."""

RACY_NS = 2_000_000_000
"""A file changed this recently (in ns) before it was read may change again without its
`stat` changing (file times are coarse): its stat is then not recorded."""

KEEP = 100
"""This many cache files are kept (those used last)."""

FOLDER = "programmes"
"""The folder of cache files, in the cache folder."""

_SUFFIX = ".jsonl"
_POSIX = os.name == "posix"


def enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether the cache is used: not when $TWINCLI_NO_CACHE is set to anything but 0."""
    value = (os.environ if env is None else env).get(DISABLE_ENV, "").strip()
    return value in ("", "0")


def cache_folder(env: Mapping[str, str] | None = None) -> Path:
    """twincli's cache folder: $XDG_CACHE_HOME/twincli, else ~/.cache/twincli
    (%LOCALAPPDATA%\\twincli\\cache on Windows)."""
    env = os.environ if env is None else env
    if sys.platform == "win32":  # pragma: no cover
        local = env.get("LOCALAPPDATA", "")
        if local:
            return Path(local) / "twincli" / "cache"
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "twincli"
    return Path.home() / ".cache" / "twincli"


def now_ns() -> int:
    """The time a file is read at (see `signature`)."""
    return time.time_ns()


def file_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def signature(info: os.stat_result, read_at_ns: int) -> str:
    """What identifies a file's version without reading it, or "-" when it changed too
    recently to be told apart from a change that follows (see RACY_NS)."""
    if max(info.st_mtime_ns, info.st_ctime_ns) >= read_at_ns - RACY_NS:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_dev}"


def current_signature(path: str | Path, limit: int, read_at_ns: int) -> str | None:
    """The signature of a regular file of at most `limit` bytes as it is now (see
    `signature`), else None: a file that must be read to be reported on."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        return None
    return signature(info, read_at_ns)


def code_files() -> list[Path]:
    """Every module of twincli, in every subpackage: what a cached answer may depend on."""
    package = Path(__file__).resolve().parent.parent
    return sorted(package.rglob("*.py"))


def code_fingerprint() -> str:
    """The version, and the size and time of every module of twincli: a cache written by
    other code (an upgrade, or a working copy being edited) is not used."""
    parts = [__version__]
    with contextlib.suppress(OSError):
        for path in code_files():
            info = path.stat()
            parts.append(f"{path.as_posix()}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def cache_path(root: Path, name: str, folder: Path | None = None) -> Path:
    """The cache file `name` of the programme folder at `root` (in `folder`, else the user's
    cache folder): named by the hash of the folder's absolute path."""
    key = hashlib.blake2b(os.fsencode(root.resolve()), digest_size=16).hexdigest()
    return (cache_folder() if folder is None else folder) / FOLDER / f"{key}.{name}{_SUFFIX}"


@dataclass(frozen=True, slots=True)
class Entry:
    """What the cache holds of one file: its signature, the hash of its bytes, and its
    snapshot (`twincli.read.snapshot`)."""

    signature: str
    digest: str
    snapshot: str


class CacheFile:
    """One cache file of a programme folder: `name` says which (`files`, `verdicts`), and
    `depends_on` what its entries depend on besides the files and twincli (in its header)."""

    def __init__(
        self,
        root: Path,
        name: str,
        depends_on: Mapping[str, Any] | None = None,
        folder: Path | None = None,
    ) -> None:
        root = root.resolve()
        self.path = cache_path(root, name, folder)
        self.folder = self.path.parent
        self.header = json.dumps(
            {
                "twincli": __version__,
                "format": snapshot.FORMAT,
                "code": code_fingerprint(),
                "parser": "libyaml" if libyaml_used() else "python",
                "limit": max_file_bytes(),
                "root": os.fsdecode(root),
                **(depends_on or {}),
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    def read(self) -> dict[str, Entry]:
        """The entries, by path relative to the programme folder: none when the file is
        missing, of another header, or not to be trusted; lines that are not entries are left
        out. Never raises."""
        data = self._read_bytes()
        if data is None:
            return {}
        lines = data.split(b"\n")
        if lines[0] != self.header.encode("utf-8"):
            return {}
        entries = {}
        for line in lines[1:-1]:  # the last is empty, or was cut short
            try:
                path, sig, digest, text = line.decode("utf-8").split("\t")
            except ValueError:  # not UTF-8, or not four fields
                continue
            entries[path] = Entry(sig, digest, text)
        return entries

    def write(self, entries: Mapping[str, Entry]) -> None:
        """Replace the file with these entries. Never raises: a cache that cannot be written
        only makes the next run slower."""
        lines = [self.header]
        lines += [f"{path}\t{e.signature}\t{e.digest}\t{e.snapshot}" for path, e in entries.items()]
        lines.append("")
        with contextlib.suppress(OSError):
            if not self._make_folder():
                return
            write_atomic(self.path, "\n".join(lines).encode("utf-8"), durable=False, mode=0o600)
            _prune(self.folder, keep=self.path)

    def _read_bytes(self) -> bytes | None:
        """The file's bytes, when it and its folder can be trusted (see the module)."""
        if not _POSIX:  # pragma: no cover - no owners or links to check as on POSIX
            try:
                return self.path.read_bytes()
            except OSError:
                return None
        folder = fd = -1
        try:
            folder = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            if not _private(os.fstat(folder)):
                return None
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            fd = os.open(self.path.name, flags, dir_fd=folder)
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or not _private(info):
                return None
            with os.fdopen(fd, "rb") as handle:
                fd = -1  # closed with the handle
                return handle.read()
        except OSError:
            return None
        finally:
            for opened in (fd, folder):
                if opened >= 0:
                    os.close(opened)

    def _make_folder(self) -> bool:
        """Make the folder of cache files (the user's alone) unless it exists; whether it is
        one to write in."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            self.folder.mkdir(mode=0o700)
        if not _POSIX:  # pragma: no cover
            return True
        info = os.lstat(self.folder)
        return stat.S_ISDIR(info.st_mode) and _private(info)


def _private(info: os.stat_result) -> bool:
    """Whether a file or folder belongs to the user and no one else may write in it."""
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the KEEP cache files used last (a folder that no longer exists, or a
    temporary one, would otherwise leave its caches behind forever), and temporary files left
    by a run that was stopped."""
    entries = []
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if entry.name.endswith(_SUFFIX):
                entries.append((info.st_mtime, entry.path))
            elif entry.name.endswith(".tmp") and info.st_mtime < time.time() - 3600:
                os.unlink(entry.path)
    entries.sort(reverse=True)
    for _, path in entries[KEEP:]:
        if path != str(keep):
            with contextlib.suppress(OSError):
                os.unlink(path)
