"""`validate`, city by city: what it found in each file, kept so a re-run checks only changes.

A rule's findings about a city depend only on that city's file, the shared files
(programme.yaml, cohorts/, pilots/), what the folder's layout leaves unread (a misnamed file, a
folder that cannot be listed: `loader.unread`, named in the header), the as-of day and twincli
itself: every rule about a city looks at the city, its cohort, pilot and edition, and at which
ids exist, never at another city (`tests/test_verdicts.py` checks this of every rule: checking
the cities one at a time finds what checking them all together finds). So `validate` reads the
shared files, then reads and checks the cities a batch at a time, never holding them all; with
many cities the batches are shared out among worker processes (`twincli.parallel`), which send
back only what they found.

With the cache on, what was found in each file is kept, one file per programme folder beside
the cache of files read (`twincli.read.cache`), under the same rules: safe to delete, ignored when
unreadable or written by other code, for another as-of day or by another parser. While the
shared files are as they were, a re-run reads and checks only the cities whose files changed,
and takes the others' findings as recorded. A file is unchanged when its `stat` is exactly as
recorded (`cache.signature`), or else when its bytes have the hash recorded (a fresh checkout
changes every file's `stat`, not its bytes); a change to a shared file checks everything again.

The file is JSON lines: a header; the shared files `[[path, kind, signature, hash, snapshot,
findings]...]` (`snapshot` as `twincli.read.snapshot` encodes what reading the file gave; findings
are the rules' `[code, message, line, column, hint]` in that file); then one line per city,
`path<TAB>signature<TAB>hash<TAB>diagnostics`, every diagnostic of the file, read and rules
alike. The hash is BLAKE2b's of the file's bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from twincli import parallel
from twincli.check import rules
from twincli.codes import severity_of
from twincli.diagnostics import Diagnostic, Location
from twincli.model import Programme
from twincli.read import cache as caching
from twincli.read import loader, snapshot
from twincli.read.limits import max_file_bytes
from twincli.read.reader import libyaml_used
from twincli.read.records import INVALID

FORMAT = 2
"""Bump when the file's layout changes (2: the header names what the layout leaves unread)."""

SHARED_KINDS = ("programme", "cohorts", "pilots")

BATCH = 64
"""Cities read and checked together: the rules about cohorts run once per batch."""

_SUFFIX = ".verdicts.jsonl"

Shared = list[tuple[loader.SourceFile, loader.Result]]
"""The shared files, each with what reading it gave."""


@dataclass
class _Known:
    """The verdict file as read: the shared files, and each city's signature, hash and
    diagnostics."""

    shared: list[list[Any]]
    cities: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """path -> (signature, hash of the bytes, diagnostics as JSON text)"""


def validate(
    root: Path, as_of: date, *, cache: bool, overlay: Mapping[str, bytes] | None = None
) -> tuple[list[Diagnostic], tuple[loader.SourceFile, ...]]:
    """Every diagnostic of the folder at `root` as of a day (unsorted), and its files: what
    loading it and running every rule gives. With `cache`, only what changed since the last
    run is read and checked again (see the module's description). With `overlay`, the folder
    as it would be with those files (as `loader.load_programme` takes them: an editing
    command's change, not yet written); what is found then is not recorded."""
    with loader.collector_paused():
        sources, layout = loader.list_sources(root)
        if overlay:
            sources = loader.with_new_files(sources, overlay)
        run = _Run(root, sources, cache, overlay or {}, loader.unread(layout))
        known = run.store.read(as_of) if run.store is not None else None
        shared_sources = [s for s in sources if s.kind in SHARED_KINDS]
        decoded = run.recorded_shared(known, shared_sources) if known else None
        if decoded is None:
            known = None  # every city's verdict depends on the shared files
            run.hash_all(shared_sources)
            results = loader.read_sources(root, shared_sources, run.given)
            shared = list(zip(shared_sources, results, strict=True))
            programme, ok = _programme(root, sources, shared, layout)
            findings = _by_file(rules.check(dataclasses.replace(programme, cities={}), as_of, ok))
        else:
            shared, findings = decoded
            programme, ok = _programme(root, sources, shared, layout)

        diagnostics = list(layout)
        for source, (_, read) in shared:
            diagnostics += read
            diagnostics += findings.get(source.path, [])
        recorded = known.cities if known else {}
        lines: dict[str, str] = {}
        todo: list[loader.SourceFile] = []
        for source in sources:
            if source.kind != "cities":
                continue
            path = source.path
            sig, digest, text = recorded.get(path, ("-", "", ""))
            if run.unchanged(path, sig, digest):
                with contextlib.suppress(Exception):  # a damaged line: check the city again
                    diagnostics += _decoded(text, path)
                    lines[path] = text
                    continue
            todo.append(source)
        checked = _check_cities(run, programme, ok, as_of, todo)
        for source, (digest, text) in zip(todo, checked, strict=True):
            diagnostics += _decoded(text, source.path)
            run.digests[source.path] = digest
            lines[source.path] = text
        if (
            run.store is not None
            and not overlay
            and (todo or known is None or run.restated or len(recorded) != len(lines))
        ):
            signatures, digests = run.signatures, run.digests
            entries = [
                [p, s.kind, signatures[p], digests[p], snapshot.encode(*result, p), _rows(f)]
                for s, result in shared
                for p, f in [(s.path, findings.get(s.path, []))]
            ]
            cities = [f"{p}\t{signatures[p]}\t{digests[p]}\t{text}" for p, text in lines.items()]
            run.store.write(as_of, entries, cities)
        return diagnostics, tuple(sources)


class _Run:
    """What one run knows of the folder's files: their signatures and, once read, the hashes
    of their bytes (with the cache on), and the bytes read to be hashed."""

    def __init__(
        self,
        root: Path,
        sources: list[loader.SourceFile],
        cache: bool,
        overlay: Mapping[str, bytes],
        unread: Sequence[str] = (),
    ) -> None:
        self.root = root
        self.limit = max_file_bytes()
        self.overlay = overlay
        self.signatures: dict[str, str] = {}
        self.digests: dict[str, str] = {}
        self.restated = False
        """Whether a file's `stat` changed but not its bytes: the new one is to be recorded."""
        self.given: dict[str, bytes] = dict(overlay)
        """Files read to be hashed, to be parsed from these bytes if they must be (and the
        overlay's)."""
        self.store = _Store(root, unread) if cache else None
        if cache:
            read_at = caching.now_ns()
            folder = os.fspath(root)
            for s in sources:
                path = os.path.join(folder, s.path)
                self.signatures[s.path] = (
                    "-"  # an overlay's file is known by its bytes alone
                    if s.path in overlay
                    else caching.current_signature(path, self.limit, read_at) or "-"
                )

    def bytes_of(self, path: str) -> bytes | Diagnostic:
        """The file's bytes (the overlay's, or the disk's), or why they cannot be read."""
        return loader.source_bytes(self.root, path, self.overlay, self.limit)

    def unchanged(self, path: str, signature: str, digest: str) -> bool:
        """Whether the file at `path` is as when it was recorded with `signature` and
        `digest`: the same `stat`, or else the same bytes (a checkout or a copy changes the
        former only)."""
        if self.store is None or not digest:
            return False
        if signature != "-" and signature == self.signatures.get(path):
            self.digests[path] = digest
            return True
        data = self.bytes_of(path)
        if isinstance(data, Diagnostic):
            return False
        self.digests[path] = caching.file_hash(data)
        if self.digests[path] == digest:
            self.restated = True
            return True
        self.given[path] = data
        return False

    def size(self, path: str) -> int:
        """About how many bytes the file at `path` holds (to share out the work evenly): from
        its signature when it has one, else from `stat`."""
        size, _, _ = self.signatures.get(path, "-").partition(":")
        if size.isdigit():
            return int(size)
        try:
            return os.stat(os.path.join(self.root, path)).st_size
        except OSError:
            return 4096

    def hash_all(self, sources: Sequence[loader.SourceFile]) -> None:
        """Read the files of `sources` not read yet and note their hashes (with the cache on:
        "" for a file that cannot be read)."""
        if self.store is None:
            return
        for source in sources:
            path = source.path
            if path not in self.given:
                data = self.bytes_of(path)
                if isinstance(data, Diagnostic):
                    self.digests[path] = ""
                    continue
                self.given[path] = data
            self.digests[path] = caching.file_hash(self.given[path])

    def recorded_shared(
        self, known: _Known, sources: Sequence[loader.SourceFile]
    ) -> tuple[Shared, dict[str, list[Diagnostic]]] | None:
        """The shared files and the rules' findings in them as recorded, when every shared
        file is as it was then; else None."""
        try:
            if [[s.path, s.kind] for s in sources] != [e[:2] for e in known.shared]:
                return None
            shared: Shared = []
            findings: dict[str, list[Diagnostic]] = {}
            for source, entry in zip(sources, known.shared, strict=True):
                path, _, signature, digest, line, rows = entry
                if not self.unchanged(path, signature, digest):
                    return None
                result = snapshot.decode(line, loader.record_class(source), path)
                shared.append((source, result))
                findings[path] = _diagnostics(rows, path)
        except Exception:  # a damaged or hand-made verdict file: read everything
            return None
        return shared, findings


def _programme(
    root: Path, sources: list[loader.SourceFile], shared: Shared, layout: Sequence[Diagnostic]
) -> tuple[Programme, bool]:
    """The programme with its cohorts and pilots, no cities, and the ids of everything (with
    those the `layout` problems leave unread: `loader.unread`)."""
    loaded = loader.assemble(root, sources, shared, list(layout))
    return loaded.programme, loaded.programme_ok


# --- checking cities -------------------------------------------------------------------------


def _check_cities(
    run: _Run, programme: Programme, ok: bool, as_of: date, cities: list[loader.SourceFile]
) -> list[tuple[str, str]]:
    """Each city's hash (with the cache on) and diagnostics (reading it and the rules'
    findings in it) as JSON text."""
    batches = [cities[i : i + BATCH] for i in range(0, len(cities), BATCH)]

    def check(batch: list[loader.SourceFile]) -> str:
        return "\n".join("\t".join(pair) for pair in _check_batch(run, programme, ok, as_of, batch))

    workers = parallel.jobs(len(cities))
    if workers <= 1:
        return [
            pair for batch in batches for pair in _check_batch(run, programme, ok, as_of, batch)
        ]
    weights = [sum(run.size(s.path) for s in batch) for batch in batches]
    mine = batches[: parallel.split_at(weights, 1 / workers)]
    theirs = batches[len(mine) :]
    checked: list[tuple[str, str]] = []
    with parallel.in_workers(check, theirs, workers - 1, weights[len(mine) :]) as done:
        for batch in mine:
            checked += _check_batch(run, programme, ok, as_of, batch)
        for text in done:
            for line in text.split("\n"):
                digest, _, diagnostics = line.partition("\t")
                checked.append((digest, diagnostics))
    return checked


def _check_batch(
    run: _Run, programme: Programme, ok: bool, as_of: date, batch: list[loader.SourceFile]
) -> list[tuple[str, str]]:
    read: list[loader.Result] = []
    digests: list[str] = []
    for source in batch:
        given = run.given.get(source.path)
        data = run.bytes_of(source.path) if given is None else given
        if isinstance(data, Diagnostic):
            read.append((INVALID, [data]))
            digests.append("")
        else:
            read.append(loader.parse_source(source, data))
            digests.append(caching.file_hash(data) if run.store is not None else "")
    cities = {s.id: r for s, (r, _) in zip(batch, read, strict=True) if r is not INVALID}
    programme = dataclasses.replace(programme, cities=cities)
    found = _by_file(rules.check(programme, as_of, ok, cities_only=True))
    return [
        (digest, _encode([*diagnostics, *found.get(source.path, [])]))
        for source, digest, (_, diagnostics) in zip(batch, digests, read, strict=True)
    ]


# --- diagnostics as JSON ---------------------------------------------------------------------


def _by_file(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    found: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        found.setdefault(d.location.file, []).append(d)
    return found


def _rows(diagnostics: Iterable[Diagnostic]) -> list[list[Any]]:
    return [[d.code, d.message, d.location.line, d.location.column, d.hint] for d in diagnostics]


def _encode(diagnostics: Sequence[Diagnostic]) -> str:
    if not diagnostics:
        return "[]"  # most files
    return json.dumps(_rows(diagnostics), ensure_ascii=False, separators=(",", ":"))


def _decoded(text: str, file: str) -> list[Diagnostic]:
    """The diagnostics of `_encode`'s text for `file`."""
    return [] if text == "[]" else _diagnostics(json.loads(text), file)


def _diagnostics(rows: Iterable[list[Any]], file: str) -> list[Diagnostic]:
    return [
        Diagnostic(code, severity_of(code), message, Location(file, line, column), hint)
        for code, message, line, column, hint in rows
    ]


# --- the file ----------------------------------------------------------------------------------


class _Store:
    """The verdict file of one programme folder."""

    def __init__(self, root: Path, unread: Sequence[str] = ()) -> None:
        self.root = root.resolve()
        self.unread = list(unread)
        """What the folder's layout leaves unread (`loader.unread`): a city's verdict depends
        on it as on the shared files (a misnamed cohort file's id exists)."""
        key = hashlib.blake2b(os.fsencode(self.root), digest_size=16).hexdigest()
        self.path = caching.cache_folder() / "programmes" / (key + _SUFFIX)

    def header(self, as_of: date) -> str:
        """The first line: what the verdicts depend on besides the files."""
        return json.dumps(
            {
                "verdicts": FORMAT,
                "code": caching.code_fingerprint(),
                "parser": "libyaml" if libyaml_used() else "python",
                "limit": max_file_bytes(),
                "root": os.fsdecode(self.root),
                "as_of": as_of.isoformat(),
                "unread": self.unread,
            },
            sort_keys=True,
        )

    def read(self, as_of: date) -> _Known | None:
        """What the file holds, or None when it is missing, of other code or another day, or
        cannot be read."""
        try:
            with open(self.path, encoding="utf-8", newline="\n") as handle:
                if handle.readline() != self.header(as_of) + "\n":
                    return None
                shared = json.loads(handle.readline())
                if not isinstance(shared, list):
                    return None
                known = _Known(shared)
                for line in handle:
                    path, sig, digest, text = line.rstrip("\n").split("\t", 3)
                    known.cities[path] = (sig, digest, text)
                return known
        except (OSError, ValueError):
            return None

    def write(self, as_of: date, shared: list[list[Any]], cities: list[str]) -> None:
        """Replace the file. Never raises: a file that cannot be written only makes the next
        run slower."""
        text = "\n".join(
            [
                self.header(as_of),
                json.dumps(shared, ensure_ascii=False, separators=(",", ":")),
                *cities,
            ]
        )
        with contextlib.suppress(OSError):
            folder = self.path.parent
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text + "\n")
                os.replace(temporary, self.path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
