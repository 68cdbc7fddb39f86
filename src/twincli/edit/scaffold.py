"""New files: a programme folder (`twincli init`) and a city, cohort or pilot (`twincli new`).

Every file is valid from the start and carries short comments for the person who completes it.
The starting folder is copied from `starter/` beside this module; a new record's file is
written from its fields here. Each `new_*` function returns the `Plan` of one new file for
`transaction.commit`, which checks it against the whole folder before writing it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from importlib import resources
from pathlib import Path

from twincli import __version__
from twincli.edit.record import cohort_and_edition
from twincli.edit.transaction import Change, Plan
from twincli.edit.yamltext import scalar
from twincli.errors import CannotWriteError, UsageError, unknown_id
from twincli.export.schemas import KINDS as SCHEMA_KINDS
from twincli.export.schemas import SCHEMA_FOLDER, schema_comment, schema_filename, schema_json
from twincli.model import Cohort, Edition
from twincli.read.loader import Loaded
from twincli.read.records import is_slug, slug_hint
from twincli.schedule import add_months, due_date

COMMENT_COLUMN = 32
"""Where a trailing comment starts, as in the example programme."""

FOLDERS = {"city": "cities", "cohort": "cohorts", "pilot": "pilots"}

STARTER: dict[str, str] = {
    "programme.yaml": "programme.yaml",
    "README.md": "README.md",
    ".github/workflows/twincli.yml": "twincli.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".gitignore": "gitignore",
    ".gitattributes": "gitattributes",
}
"""The files `init` writes: path in the new folder -> file in starter/."""

KEPT_IN_AN_EMPTY_FOLDER = frozenset({".git"})
"""What `init` accepts in the folder it fills (a fresh `git init`)."""


# --- init -----------------------------------------------------------------------------------


def init_programme(folder: Path) -> list[str]:
    """Fill `folder` (new, or empty but for `.git`) with a new programme; the paths written,
    relative to it. Raises UsageError for a folder that is not empty, and CannotWriteError when
    the folder or a file in it cannot be made: what this call had made is then removed (never
    anything that was there before), and the message names what could not be."""
    try:
        _check_empty(folder)
    except OSError as exc:
        raise _cannot_create(folder, exc, []) from None
    made: list[Path] = []
    """What this call created, files and folders, in order: all of it, and only it, is
    removed if it cannot finish."""
    try:
        written = _fill(folder, made)
    except BaseException as exc:  # an interrupt too: no half-made programme is left
        left = _remove(made)
        if isinstance(exc, OSError):
            raise _cannot_create(folder, exc, left) from None
        raise
    return sorted(written)


def _check_empty(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    if folder.is_dir():
        present = sorted(os.listdir(folder))
        if any(name not in KEPT_IN_AN_EMPTY_FOLDER for name in present):
            shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
            raise UsageError(
                f"{folder} is not empty ({shown}); init creates a programme in a new or empty "
                "folder"
            )


def _fill(folder: Path, made: list[Path]) -> list[str]:
    """Write the new programme into `folder`, adding each file and folder it creates to
    `made`. Never replaces a file (`_create`)."""
    _make_folders(folder, made)
    starter = resources.files("twincli") / "starter"
    written = []
    for target, source in STARTER.items():
        text = starter.joinpath(source).read_text(encoding="utf-8")
        text = text.replace("@VERSION@", __version__)
        if target == "programme.yaml":
            text = schema_comment("programme") + "\n" + text
        path = folder / target
        _make_folders(path.parent, made)
        _create(path, text, made)
        written.append(target)
    for kind in FOLDERS.values():
        _make_folders(folder / kind, made)
        _create(folder / kind / ".gitkeep", "", made)
        written.append(f"{kind}/.gitkeep")
    _make_folders(folder / SCHEMA_FOLDER, made)
    for kind in SCHEMA_KINDS:
        path = folder / SCHEMA_FOLDER / schema_filename(kind)
        _create(path, schema_json(kind), made)
        written.append(path.relative_to(folder).as_posix())
    return written


def _make_folders(folder: Path, made: list[Path]) -> None:
    """`folder` and the folders above it that do not exist, each added to `made` once made."""
    missing = []
    while not os.path.lexists(folder) and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()  # under a file: NotADirectoryError; made meanwhile: FileExistsError
        made.append(path)


def _create(path: Path, text: str, made: list[Path]) -> None:
    """A new file (`x`: an existing one, made meanwhile by another, is refused, not replaced)."""
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        made.append(path)
        handle.write(text)


def _remove(made: list[Path]) -> list[Path]:
    """Remove what `init` made, last first; what could not be removed. A folder is removed only
    if it is empty (`rmdir`): anything put in it meanwhile stays."""
    left = []
    for path in reversed(made):
        try:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            left.append(path)
    return left


def _cannot_create(folder: Path, exc: OSError, left: list[Path]) -> CannotWriteError:
    """`cannot create PATH: REASON`, PATH the file or folder that could not be made (or the
    programme folder), and what was left behind, if anything."""
    where = exc.filename if isinstance(exc.filename, str) and exc.filename else str(folder)
    message = f"cannot create {where}: {exc.strerror or exc}"
    if left:
        shown = ", ".join(str(path) for path in reversed(left))
        message += f"; could not remove what it had made: {shown}"
    return CannotWriteError(message)


# --- new ------------------------------------------------------------------------------------


def new_city(
    loaded: Loaded,
    ident: str,
    *,
    name: str,
    country: str,
    cohort: str,
    pilot: str,
    contacts: Sequence[Mapping[str, str]] = (),
) -> Plan:
    """A new Twin City's file, listing its edition's outputs as not started; `contacts`
    (their fields in the format's order), else an example of one in a comment."""
    path = _new_path(loaded, "city", ident)
    programme = loaded.programme
    marks = programme.marks
    readable = marks.intact("cohorts") and marks.intact(f"cohorts/{cohort}")
    if cohort not in marks.ids("cohorts") and readable:  # else its file is named
        raise unknown_id("cohort", cohort, marks.ids("cohorts"))
    if pilot not in programme.marks.ids("pilots"):
        raise unknown_id("pilot", pilot, programme.marks.ids("pilots"))
    its_cohort, edition = cohort_and_edition(loaded, cohort)
    lines = [
        *_schema_line(loaded, "city"),
        f"# {name}: a Twin City of {cohort}, paired with {pilot}. Keep this file up to date as",
        "# the programme goes (by hand, or with twincli record); twincli validate checks it.",
        f"name: {scalar(name)}",
        _commented(f"country: {scalar(country)}", "ISO 3166-1 alpha-2 code"),
        _commented(f"cohort: {cohort}", f"cohorts/{cohort}.yaml"),
        _commented(f"pilot: {pilot}", f"pilots/{pilot}.yaml"),
        _commented("status: active", f"active | withdrawn (twincli withdraw {ident} ...)"),
        "",
        *_contacts_lines(contacts),
        "",
        f"# Events of {cohort} the city took part in: twincli record attendance {ident} EVENT...",
        "attended: []",
        "",
        f"# Site visits: twincli record visit {ident} --direction to-partner --start YYYY-MM-DD",
        "visits: []",
        "",
        f"# Where it stands with each output: twincli record output {ident} OUTPUT --status S",
        *_outputs_lines(its_cohort, edition),
    ]
    return _plan(path, lines)


def new_cohort(
    loaded: Loaded, ident: str, *, edition: str, start: date, title: str | None = None
) -> Plan:
    """A new cohort's file, with an example of its schedule in comments."""
    path = _new_path(loaded, "cohort", ident)
    programme = loaded.programme
    if edition not in programme.marks.ids("editions"):
        raise unknown_id("edition", edition, programme.marks.ids("editions"))
    its_edition = programme.editions.get(edition)
    lines = [*_schema_line(loaded, "cohort")]
    if its_edition is not None:
        lines.append(f"# {title or ident}: follows {its_edition.title} ({edition}).")
    if title is not None:
        lines.append(f"title: {scalar(title)}")
    lines.append(_commented(f"edition: {edition}", "an edition of programme.yaml"))
    end_note = None
    if its_edition is not None:
        end = add_months(start, its_edition.months)
        end_note = f"ends {end} (start + {its_edition.months} months)"
    lines.append(_commented(f"start: {start.isoformat()}", end_note))
    lines += [
        _commented("# end: YYYY-MM-DD", "only to end on another day"),
        "",
        "# The cohort-wide schedule, keyed by event id. Each event is one of the edition's",
        f"# activities ({_activities(its_edition)});",
        "# site visits are recorded by each city, never here. For example:",
        "# events:",
        f"#   kick-off: {{activity: kick-off, date: {start.isoformat()}, title: Kick-off}}",
    ]
    return _plan(path, lines)


def new_pilot(
    loaded: Loaded,
    ident: str,
    *,
    title: str,
    cities: Sequence[tuple[str, str]],
    acronym: str | None = None,
    kind: str = "pilot-activity",
) -> Plan:
    """A new pilot's file: the partner Twin Cities learn from, run by one or more cities."""
    path = _new_path(loaded, "pilot", ident)
    if not cities:
        raise UsageError("a pilot needs at least one city: --city 'Name:CC'")
    lines = [
        *_schema_line(loaded, "pilot"),
        f"# {acronym or title}: a partner Twin Cities learn from. A site visit names one of its",
        "# cities, spelled exactly as below.",
    ]
    if acronym is not None:
        lines.append(f"acronym: {scalar(acronym)}")
    lines += [
        f"title: {scalar(title)}",
        _commented(f"kind: {kind}", "pilot-activity | mission-city"),
        _commented("cities:", "the cities that run it: one or more"),
        *(f"  - {{name: {scalar(name)}, country: {scalar(code)}}}" for name, code in cities),
        "",
        "# For matching Twin Cities: emission domains (energy, buildings, mobility-and-transport,",
        "# waste, land-use, industrial-processes) and levers of change (governance-and-policy,",
        "# finance-and-funding, democratic-participation-and-social-innovation,",
        "# technology-and-infrastructure), e.g.",
        "# domains: [energy, buildings]",
        "# levers: [governance-and-policy]",
    ]
    return _plan(path, lines)


def check_new(root: Path, kind: str, ident: str) -> str:
    """The path of a new record's file. Refuses an id that is not a slug (so never `../x` or
    `a/b`) and one whose file exists."""
    if not is_slug(ident):
        raise UsageError(f"'{ident}' is not a valid {kind} id ({slug_hint(ident)})")
    folder = FOLDERS[kind]
    path = f"{folder}/{ident}.yaml"
    for taken in (path, f"{folder}/{ident}.yml"):
        if os.path.lexists(root / taken):
            raise UsageError(f"{taken} already exists")
    return path


def _new_path(loaded: Loaded, kind: str, ident: str) -> str:
    return check_new(loaded.root, kind, ident)


def _plan(path: str, lines: list[str]) -> Plan:
    return Plan((Change(path, None, ("\n".join(lines) + "\n").encode("utf-8")),))


def _schema_line(loaded: Loaded, kind: str) -> list[str]:
    """The editor's schema hint, when the folder has the schemas (`twincli schema`)."""
    if (loaded.root / SCHEMA_FOLDER / schema_filename(kind)).is_file():
        return [schema_comment(kind)]
    return []


def _commented(text: str, comment: str | None) -> str:
    if comment is None:
        return text
    return f"{text.ljust(COMMENT_COLUMN - 1)} # {comment}"


def _contacts_lines(contacts: Sequence[Mapping[str, str]]) -> list[str]:
    if not contacts:
        return [
            "# People to talk to in the city, e.g.",
            "# contacts:",
            "#   - {name: Ana Pérez, role: lead, email: ana.perez@example.org}",
        ]
    items = (", ".join(f"{k}: {scalar(v)}" for k, v in c.items()) for c in contacts)
    return ["contacts:", *(f"  - {{{item}}}" for item in items)]


def _outputs_lines(cohort: Cohort | None, edition: Edition | None) -> list[str]:
    if edition is None or not edition.outputs:
        return ["outputs: {}"]
    lines = ["outputs:"]
    for output in edition.outputs.values():
        due = due_date(cohort, output.due_month) if cohort is not None else None
        lines.append(f"  {output.id}:")
        lines.append(_commented("    status: not-started", f"due {due}" if due else None))
    return lines


def _activities(edition: Edition | None) -> str:
    if edition is None:
        return "see programme.yaml"
    names = [a for a in edition.activities if a != "site-visit"]
    return ", ".join(names) or "see programme.yaml"
