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

With the cache on, what was found in each file is kept in a cache file of the folder
(`twincli.read.cache`, which says when it is used), whose header adds the as-of day and what
the folder's layout leaves unread. While the shared files are as they were, a re-run reads and
checks only the cities whose files changed, and takes the others' findings as recorded. A file
is unchanged when its `stat` is exactly as recorded (`cache.signature`), or else when its bytes
have the hash recorded (a fresh checkout changes every file's `stat`, not its bytes); a change
to a shared file checks everything again. A shared file's entry keeps its record and every
diagnostic found in it (the programme is built from them); a city's, its diagnostics alone.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from twincli import parallel
from twincli.check import rules
from twincli.diagnostics import Diagnostic
from twincli.model import City, Programme
from twincli.read import cache as caching
from twincli.read import loader, snapshot
from twincli.read.limits import max_file_bytes
from twincli.read.records import INVALID

SHARED_KINDS = ("programme", "cohorts", "pilots")

BATCH = 64
"""Cities read and checked together: the rules about cohorts run once per batch."""

Shared = list[tuple[loader.SourceFile, loader.Result]]
"""The shared files, each with what reading it gave (and, from the cache, what the rules
found in it)."""


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
        run = _Run(root, sources, cache, overlay or {})
        store = (
            caching.CacheFile(
                root, "verdicts", {"as_of": as_of.isoformat(), "unread": loader.unread(layout)}
            )
            if cache
            else None
        )
        known = store.read() if store is not None else {}
        shared_sources = [s for s in sources if s.kind in SHARED_KINDS]
        shared = run.recorded_shared(known, shared_sources)
        if shared is None:
            known = {}  # every city's verdict depends on the shared files
            run.hash_all(shared_sources)
            results = loader.read_sources(root, shared_sources, run.given)
            read = list(zip(shared_sources, results, strict=True))
            programme, ok = _programme(root, sources, read, layout)
            findings = _by_file(rules.check(dataclasses.replace(programme, cities={}), as_of, ok))
            shared = [
                (source, (record, found + findings.get(source.path, [])))
                for source, (record, found) in read
            ]
        else:
            programme, ok = _programme(root, sources, shared, layout)

        diagnostics = list(layout)
        entries: dict[str, caching.Entry] = {}
        for source, result in shared:
            diagnostics += result[1]
            recorded = known.get(source.path)
            text = snapshot.encode(*result, source.path) if recorded is None else recorded.snapshot
            entries[source.path] = run.entry(source.path, text)
        todo: list[loader.SourceFile] = []
        for source in sources:
            if source.kind != "cities":
                continue
            entry = known.get(source.path)
            if entry is not None and run.unchanged(source.path, entry):
                try:
                    _, found = snapshot.decode(entry.snapshot, City, source.path)
                except ValueError:  # a damaged entry: check the city again
                    pass
                else:
                    diagnostics += found
                    entries[source.path] = run.entry(source.path, entry.snapshot)
                    continue
            todo.append(source)
        checked = _check_cities(run, programme, ok, as_of, todo)
        for source, (digest, text) in zip(todo, checked, strict=True):
            diagnostics += snapshot.decode(text, City, source.path)[1]
            run.digests[source.path] = digest
            entries[source.path] = run.entry(source.path, text)
        if store is not None and not overlay and entries != known:
            store.write(entries)
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
    ) -> None:
        self.root = root
        self.cache = cache
        self.limit = max_file_bytes()
        self.overlay = overlay
        self.signatures: dict[str, str] = {}
        self.digests: dict[str, str] = {}
        self.given: dict[str, bytes] = dict(overlay)
        """Files read to be hashed, to be parsed from these bytes if they must be (and the
        overlay's)."""
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

    def unchanged(self, path: str, entry: caching.Entry) -> bool:
        """Whether the file at `path` is as when `entry` was recorded: the same `stat`, or
        else the same bytes (a checkout or a copy changes the former only)."""
        if not self.cache or not entry.digest:
            return False
        signature = entry.signature
        if signature != "-" and signature == self.signatures.get(path):
            self.digests[path] = entry.digest
            return True
        data = self.bytes_of(path)
        if isinstance(data, Diagnostic):
            return False
        self.digests[path] = caching.file_hash(data)
        if self.digests[path] == entry.digest:
            return True
        self.given[path] = data
        return False

    def entry(self, path: str, text: str) -> caching.Entry:
        """The cache entry of the file at `path` as this run found it."""
        return caching.Entry(self.signatures.get(path, "-"), self.digests.get(path, ""), text)

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
        if not self.cache:
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
        self, known: Mapping[str, caching.Entry], sources: Sequence[loader.SourceFile]
    ) -> Shared | None:
        """The shared files with their records and diagnostics as recorded, when the cache
        has exactly these shared files, each as it is now; else None."""
        recorded = [path for path in known if not path.startswith("cities/")]
        if sorted(recorded) != sorted(s.path for s in sources):
            return None
        shared: Shared = []
        for source in sources:
            entry = known[source.path]
            if not self.unchanged(source.path, entry):
                return None
            try:
                result = snapshot.decode(entry.snapshot, loader.record_class(source), source.path)
            except ValueError:  # a damaged entry: read everything
                return None
            shared.append((source, result))
        return shared


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
    findings in it), as a snapshot without the record."""
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
            digests.append(caching.file_hash(data) if run.cache else "")
    cities = {s.id: r for s, (r, _) in zip(batch, read, strict=True) if r is not INVALID}
    programme = dataclasses.replace(programme, cities=cities)
    found = _by_file(rules.check(programme, as_of, ok, cities_only=True))
    return [
        (digest, snapshot.encode(INVALID, [*diagnostics, *found.get(source.path, [])], source.path))
        for source, digest, (_, diagnostics) in zip(batch, digests, read, strict=True)
    ]


def _by_file(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    found: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        found.setdefault(d.location.file, []).append(d)
    return found
