"""The two sides of a comparison: the programme folder as the working tree has it, and as a
git revision has it, each loaded as `twincli.read.loader` loads a folder.

The working tree is read first (with the cache, as `status` reads it). A revision is then
that same folder with the files that differ replaced: a file git says is as the working
tree has it is not read again, its record and diagnostics are the working tree's (the very
same objects); only the others are read from git's objects. So a side's file is unchanged
from the other side's exactly when both hold the same result object (`Side.same`), and only
the files that differ are read twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from twincli.codes import severity_of
from twincli.compare import git
from twincli.diagnostics import Diagnostic, Location
from twincli.errors import UsageError
from twincli.read import loader
from twincli.read.limits import max_file_bytes
from twincli.read.loader import KINDS, PROGRAMME_FILE, Loaded, Result, SourceFile
from twincli.read.records import INVALID

WORKING_TREE = "the working tree"


@dataclass(frozen=True, slots=True)
class Side:
    """The programme folder on one side: what it is called, the model, and each file's
    result (record and diagnostics), by path."""

    name: str
    """`the working tree`, or the revision asked for and its commit: `main (3f2a1c9e04)`."""
    loaded: Loaded
    results: Mapping[str, Result]
    layout: tuple[Diagnostic, ...]
    """The problems with the folder's layout (a misnamed file, a stray folder)."""

    def same(self, other: Side, path: str) -> bool:
        """Whether the file at `path` is as `other` has it (both without it, too)."""
        return self.results.get(path) is other.results.get(path)


def working_tree(root: Path, *, cache: bool) -> Side:
    """The folder as it is on disk, untracked files included, as `status` reads it."""
    sources, layout = loader.list_sources(root)
    results = loader.read_sources(root, sources, cache=cache)
    return _side(WORKING_TREE, root, sources, results, layout)


def at_revision(root: Path, revision: git.Revision, tree: Side, known: dict[str, Result]) -> Side:
    """The folder as `revision` has it, from `tree` (the working tree's side) and git's
    objects for what differs. `known`: results read from git so far, by blob id, shared by
    the sides read from git (a file the same in both is one result). Raises UsageError when
    the revision has no programme there."""
    entries = git.tree(root, revision.commit)
    name = f"{revision.name} ({revision.short})"
    if PROGRAMME_FILE not in entries:
        raise UsageError(
            f"{revision.name} has no {PROGRAMME_FILE} in this folder: the programme did not "
            "exist there (compare with a later revision)"
        )
    sources, layout = sources_in(entries)
    differ = git.differing(root, revision.commit)
    limit = max_file_bytes()
    results: list[Result | None] = []
    wanted: list[str] = []
    for source in sources:
        entry = entries[source.path]
        if source.path not in differ and source.path in tree.results:
            results.append(tree.results[source.path])
        elif entry.blob in known:
            results.append(known[entry.blob])
        else:
            results.append(None)
            wanted.append(entry.blob)
    contents = git.blobs(root, wanted)
    done: list[Result] = []
    for source, result in zip(sources, results, strict=True):
        if result is None:
            entry = entries[source.path]
            result = _parse(source, entry, contents[entry.blob], limit)
            known[entry.blob] = result
        done.append(result)
    return _side(name, root, sources, done, layout)


def sources_in(entries: Mapping[str, git.Entry]) -> tuple[list[SourceFile], list[Diagnostic]]:
    """The record files among a revision's files, in the order of `loader.list_sources`, and
    the problems with their layout, as `list_sources` finds them on disk."""
    sources = [SourceFile(PROGRAMME_FILE, "programme", "")]
    problems: list[Diagnostic] = []
    folders: set[str] = set()
    for path in sorted(entries):
        kind, slash, rest = path.partition("/")
        if kind not in KINDS:
            continue
        if not slash:
            problems.append(loader.not_a_folder(kind))
            continue
        name, inner, _ = rest.partition("/")
        if inner and name in folders:
            continue
        if inner:
            folders.add(name)
        found = loader.folder_entry(kind, name, folder=bool(inner))
        if isinstance(found, SourceFile):
            sources.append(found)
        elif found is not None:
            problems.append(found)
    order = {kind: index for index, kind in enumerate(("programme", *KINDS))}
    sources.sort(key=lambda s: (order[s.kind], s.path))
    return sources, problems


def _parse(source: SourceFile, entry: git.Entry, data: bytes, limit: int) -> Result:
    if entry.mode == git.LINK_MODE:
        return INVALID, [
            Diagnostic(
                "TC101",
                severity_of("TC101"),
                "a symbolic link, which diff follows only in the working tree",
                Location(source.path, 1, 1),
                None,
            )
        ]
    if len(data) > limit:
        return INVALID, [loader.too_large(source.path, limit)]
    return loader.parse_source(source, data)


def _side(
    name: str,
    root: Path,
    sources: list[SourceFile],
    results: list[Result],
    layout: list[Diagnostic],
) -> Side:
    loaded = loader.assemble(root, sources, zip(sources, results, strict=True), list(layout))
    by_path = {source.path: result for source, result in zip(sources, results, strict=True)}
    return Side(name, loaded, by_path, tuple(layout))
