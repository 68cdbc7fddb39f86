"""Find a programme folder, read every file in it, and build the model.

The first stage of the pipeline: folder -> files -> nodes (`reader`) -> records (`schema`).
Every problem becomes a diagnostic; a broken file is left out of the model but its id still
counts as existing (`Programme.marks.entries`), so it does not cause false reference errors
elsewhere.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twincli import parallel
from twincli.codes import severity_of
from twincli.diagnostics import Diagnostic, Location
from twincli.errors import ProgrammeNotFoundError
from twincli.marks import Marks
from twincli.model import City, Cohort, Pilot, Programme, Record
from twincli.read import cache as caching
from twincli.read import records as schema
from twincli.read import snapshot
from twincli.read.limits import (
    MAX_FILE_BYTES_ENV,
    FileTooLargeError,
    leads_inside,
    max_file_bytes,
    read_bounded,
)
from twincli.read.reader import depth_problem, read_yaml_unchecked
from twincli.terminal import path_text

PROGRAMME_FILE = "programme.yaml"
KINDS: Mapping[str, type[Record]] = {"cohorts": Cohort, "pilots": Pilot, "cities": City}
"""The folders of the programme, each holding one file per record of its kind."""

ENV_VAR = "TWINCLI_DATA"

UNREADABLE = "TC101"
MISNAMED = "TC111"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A YAML file of the folder: its path relative to the folder (with '/'), kind and id."""

    path: str
    kind: str
    id: str


@dataclass(frozen=True, slots=True)
class Loaded:
    """The result of loading a folder: the model, the problems found, and the files read."""

    root: Path
    programme: Programme
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[SourceFile, ...]
    programme_ok: bool
    """False when programme.yaml could not be read: its editions are unknown."""


def find_programme_folder(
    data: str | Path | None, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """The programme folder: `data`, else $TWINCLI_DATA, else the nearest folder at or above
    `cwd` that holds programme.yaml. Raises ProgrammeNotFoundError."""
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    given = data if data not in (None, "") else env.get(ENV_VAR) or None
    if given is not None:
        root = Path(os.path.realpath(cwd / Path(given)))  # never raises, even for a loop
        source = "--data" if data not in (None, "") else f"${ENV_VAR}"
        if not root.is_dir():
            raise ProgrammeNotFoundError(f"{source} {given}: no such folder")
        programme = root / PROGRAMME_FILE
        if not programme.is_file():
            if os.path.lexists(programme):  # a folder, a named pipe, a device, a loop of links
                raise ProgrammeNotFoundError(
                    f"{source} {given}: {PROGRAMME_FILE} is not a file that can be read"
                )
            raise ProgrammeNotFoundError(f"{source} {given}: no {PROGRAMME_FILE} in this folder")
        return root
    start = cwd.resolve()
    for folder in (start, *start.parents):
        if (folder / PROGRAMME_FILE).is_file():
            return folder
    raise ProgrammeNotFoundError(
        f"no {PROGRAMME_FILE} in {start} or any folder above it; use --data PATH or set ${ENV_VAR}"
    )


def list_sources(root: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """The YAML files of the folder, in a stable order, and problems with its layout."""
    sources = [SourceFile(PROGRAMME_FILE, "programme", "")]
    problems: list[Diagnostic] = []
    for kind in KINDS:
        folder = root / kind
        if not os.path.lexists(folder):
            continue
        if not leads_inside(root, folder):
            problems.append(
                _file_diag(
                    "TC113",
                    "a symbolic link that leads outside the programme folder",
                    kind,
                    f"make {kind}/ a real folder inside the programme folder",
                )
            )
            continue
        try:  # a loop of links is a folder that cannot be listed, not a missing one
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except NotADirectoryError:  # a file, a named pipe or a device
            problems.append(not_a_folder(kind))
            continue
        except OSError as exc:
            reason = exc.strerror or str(exc)
            problems.append(_file_diag(UNREADABLE, f"cannot list the folder: {reason}", kind + "/"))
            continue
        for entry in entries:
            rel = f"{kind}/{entry.name}"
            if ignored(entry.name):
                continue
            if entry.is_symlink() and not leads_inside(root, entry.path):
                problems.append(
                    _file_diag(
                        "TC113",
                        "a symbolic link that leads outside the programme folder",
                        rel,
                        "copy the file into the folder instead",
                    )
                )
                continue
            found = folder_entry(kind, entry.name, folder=_is_folder(entry))
            if isinstance(found, SourceFile):
                sources.append(found)
            elif found is not None:
                problems.append(found)
    if not leads_inside(root, root / PROGRAMME_FILE):
        problems.append(
            _file_diag(
                "TC113", "a symbolic link that leads outside the programme folder", PROGRAMME_FILE
            )
        )
        sources = sources[1:]
    return sources, problems


def folder_entry(kind: str, name: str, *, folder: bool = False) -> SourceFile | Diagnostic | None:
    """What the entry `name` of the folder `kind` is: a record's file, a problem with the
    layout, or None for what the folder may hold besides (hidden and backup files, notes in
    Markdown). `folder`: the entry is a folder. `list_sources` asks this of what is on disk,
    `twincli.compare.sides` of what a git revision holds."""
    rel = f"{kind}/{name}"
    if ignored(name):
        return None
    if folder:
        return _file_diag(
            "TC112",
            f"unexpected folder in {kind}/",
            rel,
            f"{kind}/ holds one <id>.yaml file per record; move the folder out",
        )
    stem, dot, ext = name.rpartition(".")
    if not dot or ext not in ("yaml", "yml"):
        return _file_diag(
            "TC112",
            f"unexpected file in {kind}/",
            rel,
            f"{kind}/ holds only <id>.yaml files; move it out or add .yaml",
        )
    if ext == "yml":
        return _file_diag(
            MISNAMED,
            "files here end in .yaml, not .yml",
            rel,
            f"rename it to {kind}/{schema.slugify(stem) or '<id>'}.yaml",
        )
    if not schema.is_slug(stem):
        return _file_diag(
            MISNAMED,
            f"'{path_text(stem)}' is not a valid id for a file name",
            rel,
            schema.slug_hint(stem),
        )
    return SourceFile(rel, kind, stem)


def ignored(name: str) -> bool:
    """Whether a kind folder's entry is left alone: hidden and backup files, notes."""
    return name.startswith(".") or name.endswith("~") or name.lower().endswith(".md")


def not_a_folder(kind: str) -> Diagnostic:
    """The problem of a kind's folder that is a file (or a pipe, or a device)."""
    return _file_diag("TC112", f"'{kind}' should be a folder", kind)


def unread(problems: Iterable[Diagnostic]) -> tuple[str, ...]:
    """What the folder's layout `problems` (as `list_sources` gives them) keep from being
    read that may still exist, as keys of `Programme.marks.broken` (`assemble`): a kind
    folder that cannot be listed (`cohorts`: any cohort may exist), and a file whose name is
    not `<id>.yaml` (`cohorts/cohort-2` for `cohorts/Cohort-2.yaml` or `cohorts/cohort-2.yml`:
    the id TC111's hint names). `twincli.check.rules.context.Context.exists` counts them as
    existing, so a city of a misnamed cohort is not also told its cohort does not exist."""
    problems = list(problems)
    found = [
        kind
        for kind in KINDS
        if any(p.code == UNREADABLE and p.location.file == f"{kind}/" for p in problems)
    ]
    return (*found, *(f"{kind}/{ident}" for kind, ident in misnamed(problems)))


def misnamed(problems: Iterable[Diagnostic]) -> dict[tuple[str, str], str]:
    """The files of the kind folders whose names are not `<id>.yaml` (TC111, among `problems`),
    by their folder and the id their name stands for, the one TC111's hint names:
    `cohorts/Cohort-2.yaml` for ("cohorts", "cohort-2")."""
    found = {}
    for problem in problems:
        kind, _, name = problem.location.file.partition("/")
        if problem.code == MISNAMED and kind in KINDS:
            ident = schema.slugify(name.rpartition(".")[0])
            if ident is not None:
                found[kind, ident] = problem.location.file
    return found


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading creates millions of long-lived objects and no reference cycles. The cyclic
    garbage collector would rescan the growing model again and again (a third of the load
    time), and then once more right after loading; so it is paused, and what exists when
    loading ends is moved out of its sight (`gc.freeze`). Reference counting still frees the
    model when it is no longer used: it holds no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def load_programme(
    root: Path,
    overlay: Mapping[str, bytes] | None = None,
    *,
    cache: bool | None = None,
    cities: Collection[str] | None = None,
) -> Loaded:
    """Read and build everything in the folder at `root`.

    `overlay` maps paths relative to the folder to contents read in place of the disk's: an
    editing command checks the folder as it would be after its change, before writing it. A
    path of the overlay that is not on disk is read as one more file of its kind.

    With `cities` (ids), the files of only those cities are read, with programme.yaml, the
    cohorts and the pilots: the model has just those cities, and their diagnostics (an
    editing command reads the city it changes). Which ids exist is known either way.

    Files read before and unchanged since come from the cache (`twincli.read.cache`) unless
    `cache` is False (None: unless $TWINCLI_NO_CACHE is set); many files are read in worker
    processes (`twincli.parallel`). Either way the result is the same."""
    with collector_paused():
        return _load(root, overlay, caching.enabled() if cache is None else cache, cities)


def _load(
    root: Path,
    overlay: Mapping[str, bytes] | None,
    cache: bool,
    cities: Collection[str] | None = None,
) -> Loaded:
    sources, diagnostics = list_sources(root)
    if overlay:
        sources = with_new_files(sources, overlay)
    wanted = sources
    if cities is not None:
        wanted = [s for s in sources if s.kind != "cities" or s.id in cities]
    results = read_sources(root, wanted, overlay, cache=cache, partial=wanted is not sources)
    return assemble(root, sources, zip(wanted, results, strict=True), diagnostics)


def assemble(
    root: Path,
    sources: list[SourceFile],
    read: Iterable[tuple[SourceFile, Result]],
    diagnostics: list[Diagnostic],
) -> Loaded:
    """The model of the folder from the files `read` (each with its record and diagnostics,
    which are added to `diagnostics`, the folder's layout problems); `sources`, every file of
    the folder, tell which ids exist, and the layout problems which may exist unread
    (`unread`). `read` may leave files out: `twincli.check.incremental` builds a model of
    the cohorts, pilots and a few cities."""
    unknown = unread(diagnostics)
    built: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    programme: Any = schema.INVALID
    for source, (record, found) in read:
        diagnostics.extend(found)
        if record is schema.INVALID:
            continue
        if source.kind == "programme":
            programme = record
        else:
            built[source.kind][source.id] = record
    programme_ok = programme is not schema.INVALID
    if not programme_ok:
        programme = Programme(name="", editions={}, marks=Marks(PROGRAMME_FILE, 1, 1))
    known: dict[str, dict[str, tuple[int, int]]] = {kind: {} for kind in KINDS}
    known["editions"] = dict(programme.marks.ids("editions"))
    for source in sources:
        if source.kind in KINDS:
            known[source.kind][source.id] = (1, 1)
    marks = programme.marks.with_entries(known)
    if unknown:
        marks = Marks(
            marks.file,
            marks.line,
            marks.column,
            marks.layout,
            marks.positions,
            marks.items,
            marks.entries,
            (*marks.broken, *unknown),
        )
    programme = dataclasses.replace(
        programme,
        cohorts=built["cohorts"],
        pilots=built["pilots"],
        cities=built["cities"],
        marks=marks,
    )
    return Loaded(root, programme, tuple(diagnostics), tuple(sources), programme_ok)


def with_new_files(sources: list[SourceFile], overlay: Mapping[str, bytes]) -> list[SourceFile]:
    """The sources, plus the overlay's files that are not on disk, in the order of list_sources."""
    known = {source.path for source in sources}
    added = []
    for path in overlay:
        if path in known:
            continue
        kind, _, name = path.partition("/")
        if kind not in KINDS or "/" in name or not name.endswith(".yaml"):
            raise ValueError(f"not a record file of a programme folder: {path!r}")
        added.append(SourceFile(path, kind, name.removesuffix(".yaml")))
    if not added:
        return sources
    order = {kind: index for index, kind in enumerate(("programme", *KINDS))}
    return sorted([*sources, *added], key=lambda s: (order[s.kind], s.path))


Result = tuple[Any, list[Diagnostic]]
"""A file's record (or schema.INVALID) and its diagnostics."""


def read_sources(
    root: Path,
    sources: list[SourceFile],
    overlay: Mapping[str, bytes] | None = None,
    *,
    cache: bool = False,
    partial: bool = False,
) -> list[Result]:
    """Every source's record and diagnostics, in order, as `read_source` gives them: from
    the cache for the files it has (`cache`), the others read here or, when they are many,
    in worker processes. `partial`: the sources are some of the folder's files (the cache
    keeps what it has of the others)."""
    reading = _Reading(root, sources, overlay, cache)
    todo = reading.todo()
    workers = parallel.jobs(len(todo))
    if workers > 1:
        weights = [reading.size(i) for i in todo]
        mine = todo[: parallel.split_at(weights, 1 / workers)]
        theirs = todo[len(mine) :]
        with parallel.in_workers(
            reading.snapshot_line, theirs, workers - 1, weights[len(mine) :]
        ) as lines:
            for i in mine:
                reading.read(i)
            for i, line in zip(theirs, lines, strict=True):
                reading.take(i, line)
    else:
        for i in todo:
            reading.read(i)
    return reading.finish(partial)


class _Reading:
    """What `read_sources` knows of each source as it goes: its result, and for the cache
    the file's signature and the entries to record."""

    def __init__(
        self,
        root: Path,
        sources: list[SourceFile],
        overlay: Mapping[str, bytes] | None,
        cache: bool,
    ) -> None:
        self.root = root
        self.sources = sources
        self.overlay = overlay or {}
        self.limit = max_file_bytes()
        count = len(sources)
        self.results: list[Result | None] = [None] * count
        self.given: dict[int, bytes] = {}
        """Bytes already read (an overlay's, or a file's compared with the cache)."""
        self.store = caching.CacheFile(root, "files") if cache else None
        self.known = self.store.read() if self.store is not None else {}
        """The cache's entries, by path."""
        self.fresh: dict[str, caching.Entry] = {}
        """Entries to record: files read, and files whose `stat` changed but not their bytes."""
        self.signatures = ["-"] * count
        if self.store is not None:
            read_at = caching.now_ns()
            for i, source in enumerate(sources):
                if source.path not in self.overlay:
                    found = caching.current_signature(root / source.path, self.limit, read_at)
                    self.signatures[i] = found or "-"

    def todo(self) -> list[int]:
        """The sources to read: those the cache has nothing for, or for other bytes. The
        others' results are taken from it: without reading them when their `stat` is as
        recorded, else when their bytes have the hash recorded."""
        todo = []
        for i, source in enumerate(self.sources):
            data = self.overlay.get(source.path)
            entry = self.known.get(source.path)
            if entry is not None:
                signature = self.signatures[i]
                unchanged = signature != "-" and signature == entry.signature
                if not unchanged:
                    if data is None:
                        read = source_bytes(self.root, source.path, None, self.limit)
                        if isinstance(read, Diagnostic):
                            self.results[i] = (schema.INVALID, [read])
                            continue
                        data = read
                    unchanged = caching.file_hash(data) == entry.digest
                if unchanged:
                    with contextlib.suppress(ValueError):  # an entry that does not decode: read
                        self.results[i] = snapshot.decode(
                            entry.snapshot, record_class(source), source.path
                        )
                        if signature != entry.signature:
                            self.fresh[source.path] = dataclasses.replace(
                                entry, signature=signature
                            )
                        continue
            if data is not None:
                self.given[i] = data
            todo.append(i)
        return todo

    def size(self, i: int) -> int:
        """How much there is to read in source `i` (to share the work out evenly)."""
        data = self.given.get(i)
        if data is not None:
            return len(data)
        size, _, _ = self.signatures[i].partition(":")
        return int(size) if size.isdigit() else 4096

    def _parse(self, i: int) -> tuple[str, Result]:
        """Source `i` read and built: the hash of its bytes (for the cache; "" when it could
        not be read) and its result."""
        source = self.sources[i]
        data = self.given.get(i)
        if data is None:
            read = source_bytes(self.root, source.path, self.overlay, self.limit)
            if isinstance(read, Diagnostic):
                return "", (schema.INVALID, [read])
            data = read
        digest = caching.file_hash(data) if self.store is not None else ""
        return digest, parse_source(source, data)

    def read(self, i: int) -> None:
        """Read source `i` here."""
        digest, result = self._parse(i)
        self.results[i] = result
        if digest:
            self._record(i, digest, snapshot.encode(*result, self.sources[i].path))

    def snapshot_line(self, i: int) -> str:
        """What a worker process sends back for source `i`: the hash, a tab, the snapshot."""
        digest, result = self._parse(i)
        return f"{digest}\t{snapshot.encode(*result, self.sources[i].path)}"

    def take(self, i: int, line: str) -> None:
        """Source `i` as a worker read it."""
        digest, _, text = line.partition("\t")
        source = self.sources[i]
        self.results[i] = snapshot.decode(text, record_class(source), source.path)
        if digest:
            self._record(i, digest, text)

    def _record(self, i: int, digest: str, text: str) -> None:
        if self.store is not None:
            self.fresh[self.sources[i].path] = caching.Entry(self.signatures[i], digest, text)

    def finish(self, partial: bool) -> list[Result]:
        """The results, in order, once the cache has what is new. A `partial` read keeps the
        entries of the files it did not read; else the cache keeps only the folder's files."""
        done = [result for result in self.results if result is not None]
        assert len(done) == len(self.sources)
        if self.store is not None:
            entries = self.known
            if not partial:
                paths = {source.path for source in self.sources}
                entries = {path: e for path, e in entries.items() if path in paths}
            if self.fresh or len(entries) != len(self.known):
                self.store.write(entries | self.fresh)
        return done


def record_class(source: SourceFile) -> type[Record]:
    return Programme if source.kind == "programme" else KINDS[source.kind]


def read_source(
    root: Path, source: SourceFile, overlay: Mapping[str, bytes] | None = None
) -> Result:
    """One file's record (or schema.INVALID) and its diagnostics; the file's contents come
    from `overlay` when it has them."""
    data = source_bytes(root, source.path, overlay, max_file_bytes())
    if isinstance(data, Diagnostic):
        return schema.INVALID, [data]
    return parse_source(source, data)


def source_bytes(
    root: Path, path: str, overlay: Mapping[str, bytes] | None, limit: int
) -> bytes | Diagnostic:
    """The contents of the file at `path` in the folder (from `overlay` when it has them), or
    why it cannot be read."""
    data = overlay.get(path) if overlay else None
    if data is None:
        try:
            data = read_bounded(os.path.join(root, path), limit)  # a str: pathlib costs
        except FileTooLargeError as exc:
            return too_large(path, exc.limit)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            return _file_diag(UNREADABLE, f"cannot read the file: {reason}", path)
    return data


def too_large(path: str, limit: int) -> Diagnostic:
    """The problem of a file larger than `limit` bytes, which is not read."""
    return _file_diag(
        "TC114",
        f"the file is larger than {limit:,} bytes: not read",
        path,
        f"a programme file is a few kilobytes; ${MAX_FILE_BYTES_ENV} sets another limit",
    )


def parse_source(source: SourceFile, data: bytes) -> Result:
    """The record (or schema.INVALID) and diagnostics of a file's contents."""
    node, diagnostics, unchecked = read_yaml_unchecked(source.path, data)
    if node is None:
        return schema.INVALID, diagnostics
    record, found = schema.build(record_class(source), node, source.path, source.id or None)
    if unchecked and found:  # a record built without problems is as shallow as the model
        problem = depth_problem(source.path, node)
        if problem is not None:
            return schema.INVALID, [problem]
    return record, diagnostics + found


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether `entry` is a folder, or a link to one. A loop of links is not: reading it
    then says why it cannot be read (`DirEntry.is_dir` raises for one)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _file_diag(code: str, message: str, file: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, severity_of(code), message, Location(file, 1, 1), hint)
