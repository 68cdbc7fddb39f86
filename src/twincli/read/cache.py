"""The cache of files already read: a re-run reads again only the files that changed.

Reading a file (parsing its YAML and building its record) is most of what every command
costs. The result depends only on the file's bytes, its path and twincli itself, so it is kept,
as JSON (`twincli.read.snapshot`), with the diagnostics found, under the user's cache folder:
`$XDG_CACHE_HOME/twincli/` (else `~/.cache/twincli/`; `%LOCALAPPDATA%\\twincli\\cache` on
Windows), one file per programme folder. A run finds a file's entry by its path and the BLAKE2b
hash of its bytes, so an entry is never used for other bytes; to skip reading files that have
not changed at all, an entry also records the file's size, times and inode, and a file whose
`stat` is exactly the same is taken as unchanged (as git does; a file changed less than two
seconds before it was read is always read and hashed again).

The cache is safe to delete, and ignored when it cannot be read or is not what this twincli
version writes (any error reading it: everything is read from the files). It never changes
an answer: a cached run reports exactly what a cold run reports. `--no-cache` or
`$TWINCLI_NO_CACHE=1` bypasses it.

The file is JSON lines: a header naming the twincli version, the snapshot format, a
fingerprint of the code that reads files and the parser in use, then one line per file read:
`path<TAB>kind<TAB>hash<TAB>stat<TAB>snapshot`. Lines are appended as files change (a later
line for a path replaces an earlier one); the file is rewritten when most of it is stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twincli import __version__
from twincli.read import snapshot

DISABLE_ENV = "TWINCLI_NO_CACHE"
"""Set to 1 (or anything but 0) to read every file as if there were no cache."""

RACY_NS = 2_000_000_000
"""A file changed this recently (in ns) before it was read may change again without its
`stat` changing (file times are coarse): its stat is then not recorded."""

KEEP = 100
"""The caches of this many programme folders are kept (those used last)."""

_FOLDER = "programmes"
_SUFFIX = ".jsonl"


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
    parts = [__version__, str(snapshot.FORMAT)]
    with contextlib.suppress(OSError):
        for path in code_files():
            info = path.stat()
            parts.append(f"{path.as_posix()}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the cache: a file read, and what reading it gave (a snapshot line)."""

    path: str
    kind: str
    digest: str
    signature: str
    snapshot: str

    def line(self) -> str:
        return "\t".join((self.path, self.kind, self.digest, self.signature, self.snapshot))


class ProgrammeCache:
    """The cache file of one programme folder."""

    def __init__(self, root: Path, parser: str, folder: Path | None = None) -> None:
        folder = cache_folder() if folder is None else folder
        root = root.resolve()
        key = hashlib.blake2b(os.fsencode(root), digest_size=16).hexdigest()
        self.path = folder / _FOLDER / (key + _SUFFIX)
        self.header = json.dumps(
            {
                "twincli": __version__,
                "format": snapshot.FORMAT,
                "code": code_fingerprint(),
                "parser": parser,
                "root": os.fsdecode(root),
            },
            sort_keys=True,
        )
        self.lines = 0
        """Entry lines read from the file (stale ones included)."""
        self.appendable = False
        """Whether the file on disk is one of this version, to append to."""
        self._added: list[str] = []
        self._writing: tuple[Any, str] | None = None

    def read(self) -> Iterator[Entry]:
        """The entries of the file, oldest first. Raises whatever reading them raises (the
        caller then reads every file itself)."""
        try:
            handle = open(self.path, encoding="utf-8", newline="\n")  # noqa: SIM115
        except FileNotFoundError:
            return
        with handle:
            if handle.readline() != self.header + "\n":
                return
            self.appendable = True
            for line in handle:
                if not line.endswith("\n"):
                    raise ValueError("a line of the cache was cut short")
                path, kind, digest, sig, text = line[:-1].split("\t", 4)
                self.lines += 1
                yield Entry(path, kind, digest, sig, text)

    def begin(self, misses: int, live: int, *, partial: bool = False) -> None:
        """Get ready to record `misses` new entries for a folder of `live` files: they will be
        appended to the file, or, when it is missing, of another version, or would be mostly
        stale (more than twice the live entries), written to a new file as they come (so
        they are not all held in memory), which replaces the old one in `finish`. A `partial`
        read (some of the folder's files) only appends to a usable file: the entries of the
        files it did not read are not stale."""
        self._added = []
        self._writing = None
        if self.appendable and (partial or self.lines + misses <= 2 * live + 64):
            return
        with contextlib.suppress(OSError):
            folder = self.path.parent
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # 0600
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
            self._writing = (handle, temporary)
            handle.write(self.header + "\n")
        self.appendable = False

    def add(self, entry: Entry) -> None:
        """Record an entry (see `begin`)."""
        if self._writing is not None:
            try:
                self._writing[0].write(entry.line() + "\n")
            except OSError:
                self._abandon()
        elif self.appendable:
            self._added.append(entry.line() + "\n")

    def finish(self, others: Iterable[Entry]) -> None:
        """Append what was added, or complete the new file with `others` (the current
        entries not added) and put it in place. Never raises: a cache that cannot be written
        only makes the next run slower."""
        if self._writing is not None:
            handle, temporary = self._writing
            try:
                for entry in others:
                    handle.write(entry.line() + "\n")
                handle.close()
                os.replace(temporary, self.path)
            except (OSError, ValueError):
                self._abandon()
                return
            self._writing = None
            with contextlib.suppress(OSError):
                _prune(self.path.parent, keep=self.path)
        elif self._added:
            with contextlib.suppress(OSError):
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write("".join(self._added))

    def _abandon(self) -> None:
        if self._writing is not None:
            handle, temporary = self._writing
            self._writing = None
            with contextlib.suppress(OSError):
                handle.close()
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path, keep: Path) -> None:
    """Remove the caches of all but the KEEP programme folders used last (a folder that
    no longer exists, or a temporary one, would otherwise leave its cache behind forever),
    and temporary files left by a run that was stopped."""
    entries = []
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            info = entry.stat()
            if entry.name.endswith(_SUFFIX):
                entries.append((info.st_mtime, entry.path))
            elif entry.name.endswith(".tmp") and info.st_mtime < time.time() - 3600:
                os.unlink(entry.path)
    entries.sort(reverse=True)
    for _, path in entries[KEEP:]:
        if path != str(keep):
            with contextlib.suppress(OSError):
                os.unlink(path)
