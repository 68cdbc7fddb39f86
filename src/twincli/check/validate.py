"""Load a folder and check it: the whole of `twincli validate` except the printing."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from twincli.check import rules
from twincli.check.causes import with_causes
from twincli.diagnostics import Diagnostic, Summary, sort_diagnostics
from twincli.errors import UsageError
from twincli.read import cache as caching
from twincli.read.loader import KINDS, PROGRAMME_FILE, Loaded, list_sources, load_programme

UNREADABLE = "TC101"


@dataclass(frozen=True, slots=True)
class Checked:
    """What `validate` found: sorted diagnostics and the files they cover."""

    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]

    @property
    def summary(self) -> Summary:
        return Summary.of(self.diagnostics, len(self.files))

    @property
    def unreadable(self) -> bool:
        """A file could not be read at all: the run is incomplete (exit 2)."""
        return any(d.code == UNREADABLE for d in self.diagnostics)


@dataclass(frozen=True, slots=True)
class Validation(Checked):
    """What `validate` found, and the model it checked."""

    loaded: Loaded


def check_folder(
    root: Path, as_of: date, only: Collection[str] | None = None, *, cache: bool | None = None
) -> Checked:
    """`validate_folder`'s diagnostics and files, without keeping the model
    (`twincli.check.incremental` checks the cities a batch at a time): with the cache
    (`cache` None: unless $TWINCLI_NO_CACHE is set), only the files changed since the last run
    are read and checked again."""
    from twincli.check import incremental

    use = caching.enabled() if cache is None else cache
    found, sources = incremental.validate(root, as_of, cache=use)
    return _selected(found, tuple(source.path for source in sources), only)


def validate_folder(
    root: Path,
    as_of: date,
    only: Collection[str] | None = None,
    overlay: Mapping[str, bytes] | None = None,
    *,
    cache: bool | None = None,
) -> Validation:
    """Load and check the folder at `root` as of a day. With `only` (paths relative to the
    folder; a folder ends with '/'), report just on those files, still resolving references
    against everything. With `overlay`, check the folder as it would be with those files'
    contents (see `load_programme`, which also says what `cache` does)."""
    loaded = load_programme(root, overlay, cache=cache)
    found = [*loaded.diagnostics, *rules.check(loaded.programme, as_of, loaded.programme_ok)]
    checked = _selected(found, tuple(source.path for source in loaded.files), only)
    return Validation(checked.diagnostics, checked.files, loaded)


def _selected(
    found: list[Diagnostic], files: tuple[str, ...], only: Collection[str] | None
) -> Checked:
    # Causes are named from every file's findings, before any are left out: a cause in a
    # cohort counts the cities it puts in the wrong, asked about or not.
    found = with_causes(found)
    if only is not None:
        wanted = tuple(only)
        found = [d for d in found if selects(wanted, d.location.file)]
        files = tuple(f for f in files if selects(wanted, f))
    return Checked(tuple(sort_diagnostics(found)), files)


def files_asked(
    root: Path, files: Sequence[Path] = (), changed_since: str | None = None
) -> list[str] | None:
    """What `validate` reports on, as `check_folder` takes it (`only`): the `files` and
    folders given (paths as the user typed them), the files changed since the git revision
    `changed_since`, those of them both, or None for everything. Raises `UsageError` for a
    path that does not exist, is outside the folder, or names no data file: CI would pass
    having checked nothing."""
    only = None
    if files:
        only = [_folder_relative(root, f) for f in files]
        if not names_data(root, only):
            raise UsageError(
                f"{', '.join(str(f) for f in files)}: no data file to check "
                "(twincli checks programme.yaml, cohorts/, pilots/ and cities/)"
            )
    if changed_since is not None:
        from twincli.check.gitfiles import changed_files

        changed = changed_files(root, changed_since)
        only = changed if only is None else [f for f in changed if selects(only, f)]
    return only


def _folder_relative(root: Path, file: Path) -> str:
    """A file or folder argument as a path relative to the programme folder; a folder ends
    with '/' (the folder itself is '')."""
    path = file.resolve()
    if not path.exists():
        raise UsageError(f"{file}: no such file or folder")
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{file} is not in the programme folder {root}") from None
    if path.is_dir():
        return "" if relative == "." else relative + "/"
    return relative


def names_data(root: Path, wanted: Collection[str]) -> bool:
    """Whether any of `wanted` (paths as `selects` takes them) names something `validate`
    checks in the folder at `root`: the folder, programme.yaml, cohorts/, pilots/ or cities/
    (even empty), or a file in them that is read or reported on (a misnamed one is). A path
    that names none of these (reports/, a README) would check nothing."""
    if any(w in ("", PROGRAMME_FILE) or w.rstrip("/") in KINDS for w in wanted):
        return True
    sources, problems = list_sources(root)
    paths = [*(source.path for source in sources), *(d.location.file for d in problems)]
    return any(selects(wanted, path) for path in paths)


def selects(wanted: Collection[str], file: str) -> bool:
    """Whether `file` is one of `wanted` or inside one of its folders (ending with '/'; ''
    is the whole folder). Paths are relative to the programme folder."""
    return any(file == w or ((w.endswith("/") or not w) and file.startswith(w)) for w in wanted)
