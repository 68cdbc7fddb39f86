"""Find a programme folder, read every file in it, and build the model.

The first stage of the pipeline: folder -> files -> nodes (`reader`) -> records (`schema`).
Every problem becomes a diagnostic; a broken file is left out of the model but its id still
counts as existing (`Programme.marks.entries`), so it does not cause false reference errors
elsewhere.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twincli import schema
from twincli.codes import severity_of
from twincli.diagnostics import Diagnostic, Location
from twincli.errors import ProgrammeNotFoundError
from twincli.marks import Marks
from twincli.model import City, Cohort, Pilot, Programme, Record
from twincli.reader import read_yaml

PROGRAMME_FILE = "programme.yaml"
KINDS: Mapping[str, type[Record]] = {"cohorts": Cohort, "pilots": Pilot, "cities": City}
"""The folders of the programme, each holding one file per record of its kind."""

ENV_VAR = "TWINCLI_DATA"


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
        root = (cwd / Path(given)).resolve()
        source = "--data" if data not in (None, "") else f"${ENV_VAR}"
        if not root.is_dir():
            raise ProgrammeNotFoundError(f"{source} {given}: no such folder")
        if not (root / PROGRAMME_FILE).is_file():
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
        if not folder.exists():
            continue
        if folder.is_symlink() and not _inside(root, folder):
            problems.append(
                _file_diag(
                    "TC113",
                    "a symbolic link that leads outside the programme folder",
                    kind,
                    f"make {kind}/ a real folder inside the programme folder",
                )
            )
            continue
        if not folder.is_dir():
            problems.append(_file_diag("TC112", f"'{kind}' should be a folder", kind))
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            name = entry.name
            rel = f"{kind}/{name}"
            if name.startswith(".") or name.endswith("~") or name.lower().endswith(".md"):
                continue
            if entry.is_symlink() and not _inside(root, Path(entry.path)):
                problems.append(
                    _file_diag(
                        "TC113",
                        "a symbolic link that leads outside the programme folder",
                        rel,
                        "copy the file into the folder instead",
                    )
                )
                continue
            if entry.is_dir():
                problems.append(
                    _file_diag(
                        "TC112",
                        f"unexpected folder in {kind}/",
                        rel,
                        f"{kind}/ holds one <id>.yaml file per record; move the folder out",
                    )
                )
                continue
            stem, dot, ext = name.rpartition(".")
            if not dot or ext not in ("yaml", "yml"):
                problems.append(
                    _file_diag(
                        "TC112",
                        f"unexpected file in {kind}/",
                        rel,
                        f"{kind}/ holds only <id>.yaml files; move it out or add .yaml",
                    )
                )
                continue
            if ext == "yml":
                problems.append(
                    _file_diag(
                        "TC111",
                        "files here end in .yaml, not .yml",
                        rel,
                        f"rename it to {kind}/{schema.slugify(stem) or '<id>'}.yaml",
                    )
                )
                continue
            if not schema.is_slug(stem):
                problems.append(
                    _file_diag(
                        "TC111",
                        f"'{stem}' is not a valid id for a file name",
                        rel,
                        schema.slug_hint(stem),
                    )
                )
                continue
            sources.append(SourceFile(rel, kind, stem))
    if (root / PROGRAMME_FILE).is_symlink() and not _inside(root, root / PROGRAMME_FILE):
        problems.append(
            _file_diag(
                "TC113", "a symbolic link that leads outside the programme folder", PROGRAMME_FILE
            )
        )
        sources = sources[1:]
    return sources, problems


@contextmanager
def _collector_paused() -> Iterator[None]:
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


def load_programme(root: Path, overlay: Mapping[str, bytes] | None = None) -> Loaded:
    """Read and build everything in the folder at `root`.

    `overlay` maps paths relative to the folder to contents read in place of the disk's: an
    editing command checks the folder as it would be after its change, before writing it. A
    path of the overlay that is not on disk is read as one more file of its kind."""
    with _collector_paused():
        return _load(root, overlay)


def _load(root: Path, overlay: Mapping[str, bytes] | None) -> Loaded:
    sources, diagnostics = list_sources(root)
    if overlay:
        sources = _with_new_files(sources, overlay)
    built: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    programme: Any = schema.INVALID
    for source in sources:
        record, found = read_source(root, source, overlay)
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
    marks = programme.marks
    programme = dataclasses.replace(
        programme,
        cohorts=built["cohorts"],
        pilots=built["pilots"],
        cities=built["cities"],
        marks=marks.with_entries(known),
    )
    return Loaded(root, programme, tuple(diagnostics), tuple(sources), programme_ok)


def _with_new_files(sources: list[SourceFile], overlay: Mapping[str, bytes]) -> list[SourceFile]:
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


def read_source(
    root: Path, source: SourceFile, overlay: Mapping[str, bytes] | None = None
) -> tuple[Any, list[Diagnostic]]:
    """One file's record (or schema.INVALID) and its diagnostics; the file's contents come
    from `overlay` when it has them."""
    data = overlay.get(source.path) if overlay else None
    if data is None:
        try:
            data = (root / source.path).read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            return schema.INVALID, [
                _file_diag("TC101", f"cannot read the file: {reason}", source.path)
            ]
    node, diagnostics = read_yaml(source.path, data)
    if node is None:
        return schema.INVALID, diagnostics
    cls = Programme if source.kind == "programme" else KINDS[source.kind]
    record, found = schema.build(cls, node, source.path, source.id or None)
    return record, diagnostics + found


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _file_diag(code: str, message: str, file: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, severity_of(code), message, Location(file, 1, 1), hint)
