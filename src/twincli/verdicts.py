"""`validate`, city by city: what it found in each file, kept so a re-run checks only changes.

A rule's findings about a city depend only on that city's file, the shared files
(programme.yaml, cohorts/, pilots/), the as-of day and twincli itself: every rule about a
city looks at the city, its cohort, pilot and edition, and at which ids exist, never at another
city (`tests/test_verdicts.py` checks this of every rule: checking the cities one at a time
finds what checking them all together finds). So `validate` reads the shared files, then
reads and checks the cities a batch at a time, never holding them all; with many cities the
batches are shared out among worker processes (`twincli.parallel`), which send back only
what they found.

With the cache on, what was found in each file is kept, one file per programme folder beside
the cache of files read (`twincli.cache`), under the same rules: safe to delete, ignored when
unreadable or written by other code, for another as-of day or by another parser. While the
shared files are as they were, a re-run reads and checks only the cities whose files changed,
and takes the others' findings as recorded. A file counts as unchanged only when its `stat`
is exactly as recorded (`cache.signature`); a change to a shared file checks everything again.

The file is JSON lines: a header; the shared files `[[path, kind, signature, snapshot,
findings]...]` (`snapshot` as `twincli.snapshot` encodes what reading the file gave; findings
are the rules' `[code, message, line, column, hint]` in that file); then one line per city,
`path<TAB>signature<TAB>diagnostics`, every diagnostic of the file, read and rules alike.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from twincli import cache as caching
from twincli import loader, parallel, rules, snapshot
from twincli.codes import severity_of
from twincli.diagnostics import Diagnostic, Location
from twincli.limits import max_file_bytes
from twincli.model import Programme
from twincli.reader import libyaml_used
from twincli.schema import INVALID

FORMAT = 1
"""Bump when the file's layout changes."""

SHARED_KINDS = ("programme", "cohorts", "pilots")

BATCH = 64
"""Cities read and checked together: the rules about cohorts run once per batch."""

_SUFFIX = ".verdicts.jsonl"

Shared = list[tuple[loader.SourceFile, loader.Result]]
"""The shared files, each with what reading it gave."""


@dataclass
class _Known:
    """The verdict file as read: the shared files, and each city's signature and diagnostics."""

    shared: list[list[Any]]
    cities: dict[str, tuple[str, str]] = field(default_factory=dict)
    """path -> (signature, diagnostics as JSON text)"""


def validate(
    root: Path, as_of: date, *, cache: bool
) -> tuple[list[Diagnostic], tuple[loader.SourceFile, ...]]:
    """Every diagnostic of the folder at `root` as of a day (unsorted), and its files: what
    loading it and running every rule gives. With `cache`, only what changed since the last
    run is read and checked again (see the module's description)."""
    with loader.collector_paused():
        sources, layout = loader.list_sources(root)
        signatures: dict[str, str] = {}
        store: _Store | None = None
        known: _Known | None = None
        if cache:
            read_at = caching.now_ns()
            limit = max_file_bytes()
            for s in sources:
                found = caching.current_signature(root / s.path, limit, read_at)
                signatures[s.path] = found or "-"
            store = _Store(root, as_of)
            known = store.read()
        shared_sources = [s for s in sources if s.kind in SHARED_KINDS]
        decoded = _recorded_shared(known, shared_sources, signatures) if known else None
        if decoded is None:
            known = None  # every city's verdict depends on the shared files
            results = loader.read_sources(root, shared_sources)
            shared = list(zip(shared_sources, results, strict=True))
            programme, ok = _programme(root, sources, shared)
            findings = _by_file(rules.check(dataclasses.replace(programme, cities={}), as_of, ok))
        else:
            shared, findings = decoded
            programme, ok = _programme(root, sources, shared)

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
            sig, text = recorded.get(source.path, ("-", ""))
            if sig != "-" and sig == signatures.get(source.path):
                with contextlib.suppress(Exception):  # a damaged line: check the city again
                    diagnostics += _decoded(text, source.path)
                    lines[source.path] = text
                    continue
            todo.append(source)
        for source, text in zip(todo, _check_cities(root, programme, ok, as_of, todo), strict=True):
            diagnostics += _decoded(text, source.path)
            lines[source.path] = text
        if store is not None and (todo or known is None or len(recorded) != len(lines)):
            entries = [
                [s.path, s.kind, signatures[s.path], snapshot.encode(*result, s.path), _rows(f)]
                for s, result in shared
                for f in [findings.get(s.path, [])]
            ]
            store.write(entries, [f"{p}\t{signatures[p]}\t{text}" for p, text in lines.items()])
        return diagnostics, tuple(sources)


def _recorded_shared(
    known: _Known, sources: Sequence[loader.SourceFile], signatures: dict[str, str]
) -> tuple[Shared, dict[str, list[Diagnostic]]] | None:
    """The shared files and the rules' findings in them as recorded, when every shared file
    is as it was then; else None."""
    now = [[s.path, s.kind, signatures[s.path]] for s in sources]
    try:
        if now != [entry[:3] for entry in known.shared] or any(e[2] == "-" for e in now):
            return None
        shared: Shared = []
        findings: dict[str, list[Diagnostic]] = {}
        for source, (path, _, _, line, rows) in zip(sources, known.shared, strict=True):
            result = snapshot.decode(line, loader.record_class(source), path)
            shared.append((source, result))
            findings[path] = _diagnostics(rows, path)
    except Exception:  # a damaged or hand-made verdict file: read everything
        return None
    return shared, findings


def _programme(
    root: Path, sources: list[loader.SourceFile], shared: Shared
) -> tuple[Programme, bool]:
    """The programme with its cohorts and pilots, no cities, and the ids of everything."""
    loaded = loader.assemble(root, sources, shared, [])
    return loaded.programme, loaded.programme_ok


# --- checking cities -------------------------------------------------------------------------


def _check_cities(
    root: Path, programme: Programme, ok: bool, as_of: date, cities: list[loader.SourceFile]
) -> list[str]:
    """Each city's diagnostics (reading it and the rules' findings in it), as JSON text."""
    batches = [cities[i : i + BATCH] for i in range(0, len(cities), BATCH)]

    def check(batch: list[loader.SourceFile]) -> str:
        return "\n".join(_check_batch(root, programme, ok, as_of, batch))

    workers = parallel.jobs(len(cities))
    if workers <= 1:
        return [
            text for batch in batches for text in _check_batch(root, programme, ok, as_of, batch)
        ]
    weights = [sum(_size(root, s) for s in batch) for batch in batches]
    mine = batches[: parallel.split_at(weights, 1 / workers)]
    theirs = batches[len(mine) :]
    texts: list[str] = []
    with parallel.in_workers(check, theirs, workers - 1, weights[len(mine) :]) as done:
        for batch in mine:
            texts += _check_batch(root, programme, ok, as_of, batch)
        for text in done:
            texts += text.split("\n")
    return texts


def _check_batch(
    root: Path, programme: Programme, ok: bool, as_of: date, batch: list[loader.SourceFile]
) -> list[str]:
    read = [loader.read_source(root, source) for source in batch]
    cities = {
        s.id: record for s, (record, _) in zip(batch, read, strict=True) if record is not INVALID
    }
    found = _by_file(
        d
        for d in rules.check(dataclasses.replace(programme, cities=cities), as_of, ok)
        if d.location.file.startswith("cities/")
    )
    return [
        _encode([*diagnostics, *found.get(source.path, [])])
        for source, (_, diagnostics) in zip(batch, read, strict=True)
    ]


def _size(root: Path, source: loader.SourceFile) -> int:
    try:
        return os.stat(root / source.path).st_size
    except OSError:
        return 4096


# --- diagnostics as JSON ---------------------------------------------------------------------


def _by_file(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    found: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        found.setdefault(d.location.file, []).append(d)
    return found


def _rows(diagnostics: Iterable[Diagnostic]) -> list[list[Any]]:
    return [[d.code, d.message, d.location.line, d.location.column, d.hint] for d in diagnostics]


def _encode(diagnostics: Iterable[Diagnostic]) -> str:
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
    """The verdict file of one programme folder, for one as-of day."""

    def __init__(self, root: Path, as_of: date) -> None:
        root = root.resolve()
        key = hashlib.blake2b(os.fsencode(root), digest_size=16).hexdigest()
        self.path = caching.cache_folder() / "programmes" / (key + _SUFFIX)
        self.header = json.dumps(
            {
                "verdicts": FORMAT,
                "code": caching.code_fingerprint("rules"),
                "parser": "libyaml" if libyaml_used() else "python",
                "limit": max_file_bytes(),
                "root": os.fsdecode(root),
                "as_of": as_of.isoformat(),
            },
            sort_keys=True,
        )

    def read(self) -> _Known | None:
        """What the file holds, or None when it is missing, of other code or another day, or
        cannot be read."""
        try:
            with open(self.path, encoding="utf-8", newline="\n") as handle:
                if handle.readline() != self.header + "\n":
                    return None
                shared = json.loads(handle.readline())
                if not isinstance(shared, list):
                    return None
                known = _Known(shared)
                for line in handle:
                    path, sig, text = line.rstrip("\n").split("\t", 2)
                    known.cities[path] = (sig, text)
                return known
        except (OSError, ValueError):
            return None

    def write(self, shared: list[list[Any]], cities: list[str]) -> None:
        """Replace the file. Never raises: a file that cannot be written only makes the next
        run slower."""
        text = "\n".join(
            [self.header, json.dumps(shared, ensure_ascii=False, separators=(",", ":")), *cities]
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
