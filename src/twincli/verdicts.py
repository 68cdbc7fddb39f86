"""What `validate` found in each file, kept so that a re-run checks again only what changed.

A rule's findings about a city depend only on that city's file, the shared files
(programme.yaml, cohorts/, pilots/), the as-of day and twincli itself: every rule about a city
looks at the city, its cohort, pilot and edition, and at which ids exist, never at another
city (`tests/test_verdicts.py` checks this of every rule: checking the cities one at a time
finds what checking them all together finds). So when the shared files are as they were, a
re-run reads and checks again only the cities whose files changed, and takes the others'
findings from here, without building their records.

One file per programme folder, beside the cache of files read (`twincli.cache`), under the
same rules: safe to delete, ignored when unreadable or written by other code, another as-of
day or another parser; `--no-cache` bypasses it. A file counts as unchanged only when its
`stat` is exactly as recorded (`cache.signature`); anything else is read again, and a change
to a shared file means everything is checked again (with the cache of files read).

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
from twincli import loader, rules, snapshot
from twincli.codes import severity_of
from twincli.diagnostics import Diagnostic, Location
from twincli.limits import max_file_bytes
from twincli.reader import libyaml_used
from twincli.schema import INVALID

FORMAT = 1
"""Bump when the file's layout changes."""

SHARED_KINDS = ("programme", "cohorts", "pilots")

_SUFFIX = ".verdicts.jsonl"


@dataclass
class _Known:
    """The verdict file as read: the shared files, and each city's signature and diagnostics."""

    shared: list[list[Any]]
    cities: dict[str, tuple[str, str]] = field(default_factory=dict)
    """path -> (signature, diagnostics as JSON text)"""


def validate(root: Path, as_of: date) -> tuple[list[Diagnostic], tuple[loader.SourceFile, ...]]:
    """Every diagnostic of the folder at `root` as of a day (unsorted), and its files: what
    loading it and running every rule gives, re-checking only what changed since the last
    run (see the module's description)."""
    with loader.collector_paused():
        sources, layout = loader.list_sources(root)
        read_at = caching.now_ns()
        limit = max_file_bytes()
        signatures = {
            s.path: caching.current_signature(root / s.path, limit, read_at) or "-" for s in sources
        }
        store = _Store(root, as_of)
        known = store.read()
        if known is not None and _shared_unchanged(known, sources, signatures):
            return _recheck(root, as_of, sources, layout, signatures, known, store)
        return _check_all(root, as_of, signatures, store)


def _shared_unchanged(
    known: _Known, sources: Sequence[loader.SourceFile], signatures: dict[str, str]
) -> bool:
    shared = [[s.path, s.kind, signatures[s.path]] for s in sources if s.kind in SHARED_KINDS]
    recorded = [entry[:3] for entry in known.shared if isinstance(entry, list)]
    return shared == recorded and all(sig != "-" for _, _, sig in shared)


def _check_all(
    root: Path, as_of: date, signatures: dict[str, str], store: _Store
) -> tuple[list[Diagnostic], tuple[loader.SourceFile, ...]]:
    """Load and check everything (files read before come from the file cache), and record
    what was found."""
    loaded = loader.load_programme(root, cache=True)
    found = rules.check(loaded.programme, as_of, loaded.programme_ok)
    diagnostics = [*loaded.diagnostics, *found]
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_file.setdefault(d.location.file, []).append(d)
    read_by_file: dict[str, list[Diagnostic]] = {}
    for d in loaded.diagnostics:
        read_by_file.setdefault(d.location.file, []).append(d)
    found_by_file: dict[str, list[Diagnostic]] = {}
    for d in found:
        found_by_file.setdefault(d.location.file, []).append(d)
    programme = loaded.programme
    shared: list[list[Any]] = []
    cities: list[str] = []
    for source in loaded.files:
        path = source.path
        sig = signatures.get(path, "-")
        if source.kind == "cities":
            cities.append(f"{path}\t{sig}\t{_encode(by_file.get(path, []))}")
            continue
        record: Any = INVALID
        if source.kind == "programme":
            if loaded.programme_ok:
                # Which cohorts, pilots and cities exist is taken from the folder each time.
                entries = programme.marks.entries or {}
                own = {k: v for k, v in entries.items() if k not in loader.KINDS}
                record = dataclasses.replace(programme, marks=programme.marks.with_entries(own))
        else:
            record = getattr(programme, source.kind).get(source.id, INVALID)
        line = snapshot.encode(record, read_by_file.get(path, []), path)
        shared.append([path, source.kind, sig, line, _rows(found_by_file.get(path, []))])
    store.write(shared, cities)
    return diagnostics, loaded.files


def _recheck(
    root: Path,
    as_of: date,
    sources: list[loader.SourceFile],
    layout: list[Diagnostic],
    signatures: dict[str, str],
    known: _Known,
    store: _Store,
) -> tuple[list[Diagnostic], tuple[loader.SourceFile, ...]]:
    """The shared files are as recorded: check again only the cities that changed."""
    diagnostics = list(layout)
    shared: list[tuple[loader.SourceFile, loader.Result]] = []
    by_path = {s.path: s for s in sources}
    changed: list[loader.SourceFile] = []
    try:
        for path, _, _, line, findings in known.shared:
            source = by_path[path]
            result = snapshot.decode(line, loader.record_class(source), path)
            shared.append((source, result))
            diagnostics.extend(_diagnostics(findings, path))
        for source in sources:
            if source.kind != "cities":
                continue
            sig, text = known.cities.get(source.path, ("-", ""))
            if sig == "-" or sig != signatures[source.path]:
                changed.append(source)
            elif text != "[]":
                diagnostics.extend(_diagnostics(json.loads(text), source.path))
    except Exception:  # a verdict file damaged or written by hand: check everything
        return _check_all(root, as_of, signatures, store)
    if not changed and len(known.cities) == sum(1 for s in sources if s.kind == "cities"):
        diagnostics.extend(d for _, (_, found) in shared for d in found)
        return diagnostics, tuple(sources)
    results = loader.read_sources(root, changed)
    loaded = loader.assemble(
        root, sources, [*shared, *zip(changed, results, strict=True)], diagnostics
    )
    found = rules.check(loaded.programme, as_of, loaded.programme_ok)
    paths = {source.path for source in changed}
    fresh: dict[str, list[Diagnostic]] = {path: [] for path in paths}
    for source, (_, read) in zip(changed, results, strict=True):
        fresh[source.path].extend(read)
    for d in found:
        if d.location.file in paths:
            fresh[d.location.file].append(d)
    store.write(
        [list(entry) for entry in known.shared],
        [
            f"{s.path}\t{signatures[s.path]}\t{_encode(fresh[s.path])}"
            if s.path in paths
            else f"{s.path}\t{known.cities[s.path][0]}\t{known.cities[s.path][1]}"
            for s in sources
            if s.kind == "cities"
        ],
    )
    return [*loaded.diagnostics, *(d for d in found if d.location.file in paths)], tuple(sources)


# --- diagnostics as JSON ---------------------------------------------------------------------


def _rows(diagnostics: Iterable[Diagnostic]) -> list[list[Any]]:
    return [[d.code, d.message, d.location.line, d.location.column, d.hint] for d in diagnostics]


def _encode(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(_rows(diagnostics), ensure_ascii=False, separators=(",", ":"))


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
