"""A corpus of broken programme folders: each case is the smallest YAML that breaks one rule,
and the diagnostics `validate` must report for it.

Every case overlays a few files on the minimal valid programme of `tests/support/folders.py`
(`programme.yaml`, `cohorts/cohort-2.yaml`, `pilots/urbanew.yaml`, `cities/soria.yaml`). The
minimal cohort `cohort-2` follows edition `tlp-18` (18 months) from 2024-09-30, so its window is
2024-09-30..2026-03-30; every case is checked as of 2025-06-30 (`AS_OF` of `tests/support/folders.py`).

`tests/test_bad_input.py` runs each case through the CLI; the verdict cache's and the scale
tests lay the same files among generated ones. A case marked xfail asserts what a user should
see where the tool does something else today; its reason says what is wrong.
"""

# ruff: noqa: E501 (inline YAML lines are kept as a user would write them)

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.folders import MINIMAL_CITY, MINIMAL_COHORT, MINIMAL_PILOT, MINIMAL_PROGRAMME
from twincli.read.limits import DEFAULT_MAX_FILE_BYTES

WARNINGS = frozenset(
    {
        "TC310",
        "TC406",
        "TC410",
        "TC411",
        "TC413",
        "TC503",
        "TC504",
        "TC505",
        "TC601",
        "TC602",
        "TC603",
    }
)
"""The codes reported as warnings (everything else is an error)."""

CITY = "cities/soria.yaml"
COHORT = "cohorts/cohort-2.yaml"
PILOT = "pilots/urbanew.yaml"
PROGRAMME = "programme.yaml"

Expected = tuple[str, str, int] | tuple[str, str, int, int]
"""(code, file, line) or (code, file, line, column)."""


def y(text: str) -> str:
    """An inline YAML file: dedented, without the leading newline."""
    return textwrap.dedent(text).lstrip("\n")


@dataclass(frozen=True)
class Case:
    """One broken folder: the files laid over the minimal programme, and what must be reported."""

    files: dict[str, str | bytes | None]
    expected: Sequence[Expected]
    hints: dict[str, str] = field(default_factory=dict)
    """code -> text its hint must contain."""
    messages: dict[str, str] = field(default_factory=dict)
    """code -> text its message must contain."""
    exit_code: int | None = None
    """Default: 1 when an error is expected, else 0."""
    says: str | None = None
    """Text the whole output (stdout and stderr) must contain."""
    setup: Callable[[Path, Path], None] | None = None
    """Called with (programme folder, tmp_path) after the files are written."""


def case(
    id: str,
    files: dict[str, str | bytes | None],
    expected: Sequence[Expected],
    *,
    xfail: str | None = None,
    **options: Any,
) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(Case(files, expected, **options), id=id, marks=marks)


def symlink_outside(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n")
    (root / "cities").mkdir(exist_ok=True)
    try:
        (root / CITY).symlink_to(outside)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not supported here")


def symlink_folder_outside(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "soria.yaml").write_text(
        "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n"
    )
    shutil.rmtree(root / "cities", ignore_errors=True)
    try:
        (root / "cities").symlink_to(outside, target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not supported here")


def programme_outside(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    (root / PROGRAMME).rename(outside)
    (root / PROGRAMME).symlink_to(outside)


def named_pipe(root: Path, tmp_path: Path) -> None:
    """A FIFO would block a read forever: it is refused without being opened for a read."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    (root / CITY).parent.mkdir(exist_ok=True)
    os.mkfifo(root / CITY)


def unreadable(root: Path, tmp_path: Path) -> None:
    path = root / CITY
    path.chmod(0)
    if os.access(path, os.R_OK):
        path.chmod(0o644)
        pytest.skip("running as a user who can read any file (root)")


def unlistable(kind: str) -> Callable[[Path, Path], None]:
    """A kind folder whose entries cannot be listed (its files could still be opened by name)."""

    def setup(root: Path, tmp_path: Path) -> None:
        folder = root / kind
        folder.chmod(0o333)
        try:
            os.listdir(folder)
        except PermissionError:
            return
        folder.chmod(0o755)
        pytest.skip("running as a user who can list any folder (root)")

    return setup


BOMB = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'lol'] * 10)}]\n" for i in range(10)
)
"""A 'billion laughs' file: 10 levels of 10 aliases, 10**10 nodes when expanded."""


CASES = [
    # --- TC1xx: YAML syntax ----------------------------------------------------------------
    case(
        "syntax-unclosed-flow-list",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            attended: [kick-off
        """)
        },
        [("TC103", CITY, 6, 1)],
        messages={"TC103": "line 5"},
    ),
    case(
        "syntax-bad-indentation",
        {
            CITY: y("""
            name: Soria
            country: ES
              cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC103", CITY, 3, 9)],
    ),
    case(
        "syntax-tab-indentation",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            contacts:
            \t- name: Ana
        """)
        },
        [("TC103", CITY, 6, 1)],
    ),
    case(
        "syntax-tab-indentation-names-the-tab",
        {
            CITY: "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\ncontacts:\n\t- name: Ana\n"
        },
        [("TC103", CITY, 6, 1)],
        says="tab",
    ),
    case(
        "syntax-control-character",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            contacts: [{name: \x1b[31mAna}]
        """)
        },
        [("TC103", CITY, 5, 19)],
    ),
    case(
        "syntax-too-deeply-nested",
        {
            CITY: "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n"
            + "contacts: "
            + "[" * 5000
            + "]" * 5000
            + "\n"
        },
        [("TC115", CITY, 5, 11 + 63)],  # the 64th '[' opens level 65 (the file is level 1)
        messages={"TC115": "nested more than 64 levels deep"},
    ),
    case(
        "too-deeply-nested-mappings",
        {
            CITY: "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n"
            + "".join(" " * i + "k:\n" for i in range(70))
        },
        [("TC115", CITY, 68, 64)],  # the key on the 64th line of the nest is at level 65
    ),
    case(
        "file-too-large",
        {CITY: MINIMAL_CITY + "# " + "x" * (DEFAULT_MAX_FILE_BYTES - len(MINIMAL_CITY) - 2) + "\n"},
        [("TC114", CITY, 1, 1)],
        hints={"TC114": "$TWINCLI_MAX_FILE_BYTES"},
    ),
    case(
        "syntax-unclosed-quote",
        {
            CITY: y("""
            name: "Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC103", CITY, 5, 1)],
    ),
    case(
        "syntax-undefined-alias",
        {
            CITY: y("""
            name: *city-name
            country: ES
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC103", CITY, 1, 7)],
    ),
    # --- TC110: duplicate keys -------------------------------------------------------------
    case(
        "duplicate-key-top-level",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            name: Cologne
        """)
        },
        [("TC110", CITY, 5, 1)],
        messages={"TC110": "first at line 1"},
    ),
    case(
        "duplicate-key-nested",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            contacts:
              - name: Ana
                role: lead
                role: deputy
        """)
        },
        [("TC110", CITY, 8, 5)],
        messages={"TC110": "first at line 7"},
    ),
    case(
        "duplicate-key-flow-mapping",
        {CITY: "{name: Soria, name: Soria, country: ES, cohort: cohort-2, pilot: urbanew}\n"},
        [("TC110", CITY, 1, 15)],
    ),
    case(
        "duplicate-event-id",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            events:
              kick-off: {activity: kick-off, date: 2024-10-15}
              kick-off: {activity: kick-off, date: 2024-10-16}
        """)
        },
        [("TC110", COHORT, 5, 3)],
    ),
    # --- implicit typing traps: the text the user typed is kept ----------------------------
    case(
        "country-NO-is-norway",
        {
            PILOT: y("""
            title: Trondheim pilot
            cities:
              - {name: Trondheim, country: NO}
        """)
        },
        [],
    ),
    case(
        "leading-zero-stays-text",
        {
            PILOT: y("""
            acronym: 01234
            title: Multi-city pilot
            cities: [{name: Vitoria-Gasteiz, country: ES}, {name: Valladolid, country: ES}]
        """)
        },
        [],
    ),
    case(
        "version-like-number-stays-text",
        {
            PILOT: y("""
            title: 1.10
            cities: [{name: Vitoria-Gasteiz, country: ES}, {name: Valladolid, country: ES}]
        """)
        },
        [],
    ),
    case(
        "yes-and-on-are-text",
        {
            CITY: y("""
            name: yes
            country: ES
            cohort: cohort-2
            pilot: urbanew
            contacts: [{name: on, role: off}]
        """)
        },
        [],
    ),
    case(
        "quoted-null-is-text",
        {
            CITY: y("""
            name: "null"
            country: ES
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [],
    ),
    case(
        "quotes-do-not-change-types",
        {
            COHORT: y("""
            edition: "tlp-18"
            start: "2024-09-30"
            events:
              kick-off: {activity: kick-off, date: '2024-10-15'}
        """)
        },
        [],
    ),
    case(
        "quoted-numbers-and-money-accepted",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done, travellers: "2", claimed_eur: '900.50'}
        """)
        },
        [],
    ),
    case(
        "crlf-line-endings-keep-line-numbers",
        {
            CITY: "name: Soria\r\ncountry: ES\r\ncohort: cohort-2\r\npilot: urbanew\r\natended: []\r\n"
        },
        [("TC201", CITY, 5, 1)],
    ),
    case(
        "null-optional-means-absent",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: ~
            withdrawn: null
            attended:
        """)
        },
        [],
    ),
    case(
        "null-required-tilde",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: ~
            pilot: urbanew
        """)
        },
        [("TC202", CITY, 3, 1)],
        messages={"TC202": "'cohort'"},
    ),
    case(
        "null-required-null",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: null
        """)
        },
        [("TC202", CITY, 4, 1)],
        messages={"TC202": "'pilot'"},
    ),
    case(
        "null-required-empty",
        {
            PILOT: y("""
            title:
            cities: [{name: Valladolid, country: ES}]
        """)
        },
        [("TC202", PILOT, 1, 1)],
        messages={"TC202": "'title'"},
    ),
    case(
        "required-key-absent",
        {
            CITY: y("""
            name: Soria
            country: ES
            pilot: urbanew
        """)
        },
        [("TC202", CITY, 1, 1)],
        messages={"TC202": "'cohort'"},
    ),
    # --- TC203/TC204: wrong shapes and numbers ---------------------------------------------
    case(
        "list-where-text",
        {
            CITY: y("""
            name: [Soria]
            country: ES
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC203", CITY, 1, 7)],
    ),
    case(
        "mapping-where-list",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            attended: {kick-off: true}
        """)
        },
        [("TC203", CITY, 5, 11)],
    ),
    case(
        "text-where-list",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            attended: kick-off
        """)
        },
        [("TC203", CITY, 5, 11)],
    ),
    case(
        "list-where-mapping-keyed-by-id",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              - learning-roadmap
        """)
        },
        [("TC203", CITY, 6, 3)],
    ),
    case(
        "text-where-mapping",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            withdrawn: 2024-05-01
        """)
        },
        [("TC203", CITY, 5, 12)],
    ),
    case(
        "bad-withdrawn-record-does-not-cascade",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: 2024-05-01
        """)
        },
        [("TC203", CITY, 6, 12)],
    ),
    case(
        "empty-list-item",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            attended:
              - kick-off
              -
        """)
        },
        [("TC203", CITY, 7)],
    ),
    case(
        "key-that-is-a-list",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            ? [kick-off]
            : attended
        """)
        },
        [("TC203", CITY, 5, 3)],
    ),
    case(
        "text-where-number",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done, travellers: two}
        """)
        },
        [("TC204", CITY, 6, 92)],
    ),
    case(
        "float-count",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 3.0}}
                outputs: {}
        """),
        },
        [("TC204", PROGRAMME, 6, 62)],
    ),
    case(
        "underscored-number",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 1_000}}
                outputs: {}
        """),
        },
        [("TC204", PROGRAMME, 6, 62)],
    ),
    case(
        "hex-number",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done, travellers: 0x10}
        """)
        },
        [("TC204", CITY, 6, 92)],
    ),
    case(
        "octal-number",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 0o7}}
                outputs: {}
        """),
        },
        [("TC204", PROGRAMME, 6, 62)],
    ),
    # --- TC205: dates ----------------------------------------------------------------------
    case(
        "date-day-month-order",
        {
            COHORT: y("""
            edition: tlp-18
            start: 03/04/2025
        """)
        },
        [("TC205", COHORT, 2, 8)],
        hints={"TC205": "YYYY-MM-DD"},
    ),
    case(
        "date-not-zero-padded",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            events:
              kick-off: {activity: kick-off, date: 2024-9-3}
        """)
        },
        [("TC205", COHORT, 4, 40)],
        hints={"TC205": "2024-09-03"},
    ),
    case(
        "date-not-in-calendar",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              learning-roadmap: {status: drafting, submitted: 2025-02-30}
        """)
        },
        [("TC205", CITY, 6, 51)],
    ),
    case(
        "date-with-time",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10T10:00:00, status: done}
        """)
        },
        [("TC205", CITY, 6, 54)],
    ),
    case(
        "date-in-words",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: March 2025, status: done}
        """)
        },
        [("TC205", CITY, 6, 54)],
        hints={"TC205": "YYYY-MM-DD"},
    ),
    case(
        "bad-date-does-not-cascade",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              learning-roadmap: {status: submitted, submitted: 2025-02-30, content: {}}
        """)
        },
        [("TC205", CITY, 6, 52)],
    ),
    case(
        "bad-visit-city-does-not-cascade",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: [Valladolid], start: 2025-03-10, status: done}
        """)
        },
        [("TC203", CITY, 6, 35)],
    ),
    # --- TC206: money ----------------------------------------------------------------------
    case(
        "money-three-decimals",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done, claimed_eur: 12.345}
        """)
        },
        [("TC206", CITY, 6, 93)],
    ),
    case(
        "money-negative",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done, claimed_eur: -5}
        """)
        },
        [("TC206", CITY, 6, 93)],
    ),
    case(
        "money-underscored",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done, claimed_eur: 1_000}
        """)
        },
        [("TC206", CITY, 6, 93)],
    ),
    # --- TC207: enums ----------------------------------------------------------------------
    case(
        "enum-visit-status-typo",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: doen}
        """)
        },
        [("TC207", CITY, 6, 74)],
        hints={"TC207": "did you mean 'done'?"},
    ),
    case(
        "enum-output-status-typo",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              learning-roadmap: {status: aproved}
        """)
        },
        [("TC207", CITY, 6, 30)],
        hints={"TC207": "did you mean 'approved'?"},
    ),
    case(
        "enum-pilot-kind-typo",
        {
            PILOT: y("""
            title: Multi-city pilot
            kind: pilot-activty
            cities: [{name: Vitoria-Gasteiz, country: ES}, {name: Valladolid, country: ES}]
        """)
        },
        [("TC207", PILOT, 2, 7)],
        hints={"TC207": "did you mean 'pilot-activity'?"},
    ),
    # --- TC201: unknown keys ---------------------------------------------------------------
    case(
        "unknown-key-top-level",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            atended: [kick-off]
        """)
        },
        [("TC201", CITY, 5, 1)],
        hints={"TC201": "did you mean 'attended'?"},
    ),
    case(
        "unknown-key-in-output-content",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              learning-roadmap:
                status: drafting
                content:
                  objectives:
                    - title: Learn how to finance retrofits
                      indicatr: one funded project
        """)
        },
        [("TC201", CITY, 11, 11)],
        hints={"TC201": "did you mean 'indicator'?"},
        messages={"TC201": "outputs.learning-roadmap.content.objectives[0]"},
    ),
    case(
        "unknown-key-in-programme",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 3}}
                outputs: {}
                travel: {max_traveller: 2}
        """),
        },
        [("TC201", PROGRAMME, 8, 14)],
        hints={"TC201": "did you mean 'max_travellers'?"},
    ),
    case(
        "many-unknown-keys",  # a hundred listed with their hints, and one counting the rest
        {CITY: MINIMAL_CITY + "".join(f"note{i:03d}: x\n" for i in range(250))},
        [*(("TC201", CITY, 6 + i, 1) for i in range(100)), ("TC201", CITY, 106, 1)],
        messages={"TC201": "unknown key"},
        says="and 150 more unknown keys in this file, not listed",
    ),
    # --- TC208: ids ------------------------------------------------------------------------
    case(
        "id-with-space-and-capitals",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            events:
              kick-off: {activity: kick-off, date: 2024-10-15}
              Kick Off: {activity: info-seminar, date: 2024-11-12}
        """)
        },
        [("TC208", COHORT, 5, 3)],
        hints={"TC208": "'kick-off'"},
    ),
    case(
        "output-id-not-a-slug",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              Learning Roadmap: {status: drafting}
        """)
        },
        [("TC208", CITY, 6, 3)],
        hints={"TC208": "'learning-roadmap'"},
    ),
    case(
        "id-reference-not-a-slug",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: Cohort_2
            pilot: urbanew
        """)
        },
        [("TC208", CITY, 3, 9)],
        hints={"TC208": "'cohort-2'"},
    ),
    # --- TC111/TC112: the folder's entries -------------------------------------------------
    case(
        "file-name-capitalised",
        {CITY: None, "cities/Soria.yaml": "name: Soria\ncountry: ES\ncohort: cohort-2\n"},
        [("TC111", "cities/Soria.yaml", 1, 1)],
        hints={"TC111": "'soria'"},
    ),
    case(
        "file-name-yml",
        {CITY: None, "cities/soria.yml": "name: Soria\ncountry: ES\ncohort: cohort-2\n"},
        [("TC111", "cities/soria.yml", 1, 1)],
        hints={"TC111": "rename it to cities/soria.yaml"},
    ),
    case(
        "file-name-underscore",
        {"cities/san_sebastian.yaml": "name: Donostia\n"},
        [("TC111", "cities/san_sebastian.yaml", 1, 1)],
        hints={"TC111": "'san-sebastian'"},
    ),
    case(
        "cohort-file-name-capitalised-no-cascade",
        {COHORT: None, "cohorts/Cohort-2.yaml": MINIMAL_COHORT},
        [("TC111", "cohorts/Cohort-2.yaml", 1, 1)],
        hints={"TC111": "'cohort-2'"},
    ),
    case(
        "cohort-file-misnamed-other-cohorts-still-unknown",
        {
            COHORT: None,
            "cohorts/Cohort-2.yaml": MINIMAL_COHORT,
            CITY: MINIMAL_CITY.replace("cohort: cohort-2", "cohort: cohort-9"),
        },
        [("TC111", "cohorts/Cohort-2.yaml", 1, 1), ("TC302", CITY, 3, 9)],
        messages={"TC302": "cohort 'cohort-9' does not exist"},
    ),
    case(
        "pilot-file-name-capitalised-no-cascade",
        {PILOT: None, "pilots/URBANEW.yaml": MINIMAL_PILOT},
        [("TC111", "pilots/URBANEW.yaml", 1, 1)],
        hints={"TC111": "'urbanew'"},
    ),
    case(
        "pilot-file-yml-no-cascade",
        {PILOT: None, "pilots/urbanew.yml": MINIMAL_PILOT},
        [("TC111", "pilots/urbanew.yml", 1, 1)],
        hints={"TC111": "rename it to pilots/urbanew.yaml"},
    ),
    case(
        "subfolder-in-cities",
        {"cities/archive/old.yaml": "name: Old\n"},
        [("TC112", "cities/archive", 1, 1)],
    ),
    case(
        "text-file-in-cities",
        {"cities/notes.txt": "call Ana on Monday\n"},
        [("TC112", "cities/notes.txt", 1, 1)],
    ),
    case(
        "kind-folder-is-a-file",
        {"pilots/urbanew.yaml": None, "pilots": "title: URBANEW\n"},
        [("TC112", "pilots", 1, 1), ("TC303", CITY, 4, 8)],
    ),
    case(
        "ignored-entries",
        {
            "cities/.gitkeep": "",
            "cities/README.md": "# Cities\n",
            "cities/soria.yaml~": "not: [yaml\n",
        },
        [],
    ),
    # --- TC209/TC210/TC211/TC212: values ---------------------------------------------------
    case(
        "country-UK",
        {
            CITY: y("""
            name: Belfast
            country: UK
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC209", CITY, 2, 10)],
        hints={"TC209": "GB"},
    ),
    case(
        "country-EL",
        {
            PILOT: y("""
            title: Athens pilot
            cities: [{name: Athens, country: EL}]
        """)
        },
        [("TC209", PILOT, 2, 34)],
        hints={"TC209": "GR"},
    ),
    case(
        "country-lower-case",
        {
            CITY: y("""
            name: Soria
            country: es
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC209", CITY, 2, 10)],
        hints={"TC209": "'ES'"},
    ),
    case(
        "range-score-7",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 3}}
                outputs: {transferability-assessment: {}}
        """),
            CITY: y("""
                name: Soria
                country: ES
                cohort: cohort-2
                pilot: urbanew
                outputs:
                  transferability-assessment:
                    status: drafting
                    content:
                      practices:
                        - practice: One-stop shop for retrofits
                          scores: {governance: 7}
            """),
        },
        [("TC210", CITY, 11, 32)],
        hints={"TC210": "1 to 5"},
    ),
    case(
        "range-zero-travellers",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done, travellers: 0}
        """)
        },
        [("TC210", CITY, 6, 92)],
    ),
    case(
        "pilot-without-cities",
        {
            PILOT: y("""
            title: Multi-city pilot
            cities: []
        """)
        },
        [("TC211", PILOT, 2, 9)],
    ),
    case(
        "content-for-output-without-format",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 3}}
                outputs: {site-report: {}}
        """),
            CITY: y("""
                name: Soria
                country: ES
                cohort: cohort-2
                pilot: urbanew
                outputs:
                  site-report: {status: drafting, content: {pages: 3}}
            """),
        },
        [("TC212", CITY, 6, 44)],
    ),
    # --- TC213: names and titles are one line, without control characters ------------------
    case(
        "line-break-in-a-city-name",
        {CITY: MINIMAL_CITY.replace("name: Soria", 'name: "Soria\\nBEGIN:VEVENT"')},
        [("TC213", CITY, 1, 7)],
        messages={"TC213": "'name' holds a line break (U+000A) at character 6"},
        hints={"TC213": "one line of text"},
    ),
    case(
        "line-break-ending-a-block-scalar-title",
        {COHORT: MINIMAL_COHORT + "title: |\n  Cohort 2\n"},
        [("TC213", COHORT, 6, 8)],
        messages={"TC213": "at character 9"},
    ),
    case(
        "carriage-return-in-the-programme-name",
        {PROGRAMME: MINIMAL_PROGRAMME.replace("name: Test programme", 'name: "Test\\rX"')},
        [("TC213", PROGRAMME, 1, 7)],
        messages={"TC213": "a carriage return (U+000D)"},
    ),
    case(
        "escape-in-an-event-title",
        {COHORT: MINIMAL_COHORT.replace("date: 2024-10-15}", 'date: 2024-10-15, title: "\\e[2J"}')},
        [("TC213", COHORT, 4, 59)],
        messages={"TC213": "a control character (U+001B) at character 1"},
    ),
    case(
        "tab-in-an-output-title-and-a-line-separator-in-a-module-title",
        {
            PROGRAMME: MINIMAL_PROGRAMME.replace("title: Roadmap", 'title: "Road\\tmap"')
            + '    modules:\n      one: {title: "One\\LTwo", months: [1, 18]}\n'
        },
        [("TC213", PROGRAMME, 11, 33), ("TC213", PROGRAMME, 18, 20)],
    ),
    case(
        "bidirectional-override-in-a-pilot-acronym-and-nel-in-its-city",
        {
            PILOT: 'acronym: "URB\\u202eNEW"\n'
            + MINIMAL_PILOT.replace("{name: Valladolid", '{name: "Valla\\Ndolid"')
        },
        [("TC213", PILOT, 1, 10), ("TC213", PILOT, 5, 12)],
    ),
    case(
        "delete-in-a-contact-and-c1-in-a-visit-city",
        {
            CITY: MINIMAL_CITY
            + 'contacts: [{name: "Ana\\x7f"}]\n'
            + 'visits:\n  - {direction: to-partner, city: "Valla\\x9bdolid", start: 2024-11-04, status: done}\n'
        },
        [("TC213", CITY, 6, 19), ("TC213", CITY, 8, 35), ("TC501", CITY, 8, 35)],
        messages={"TC213": "a control character"},
    ),
    # --- TC3xx: references -----------------------------------------------------------------
    case(
        "cohort-edition-missing",
        {
            COHORT: "edition: tlp-81\nstart: 2024-09-30\nevents: {kick-off: {activity: kick-off, date: 2024-10-15}}\n"
        },
        [("TC301", COHORT, 1, 10)],
        hints={"TC301": "did you mean 'tlp-18'?"},
    ),
    case(
        "city-cohort-missing",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-9
            pilot: urbanew
        """)
        },
        [("TC302", CITY, 3, 9)],
        hints={"TC302": "did you mean 'cohort-2'?"},
    ),
    case(
        "city-pilot-missing",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanev
        """)
        },
        [("TC303", CITY, 4, 8)],
        hints={"TC303": "did you mean 'urbanew'?"},
    ),
    case(
        "attended-event-of-another-cohort",
        {
            "cohorts/cohort-3.yaml": y("""
                edition: tlp-18
                start: 2025-03-31
                events:
                  study-tour: {activity: info-seminar, date: 2025-04-10}
            """),
            CITY: y("""
                name: Soria
                country: ES
                cohort: cohort-2
                pilot: urbanew
                attended: [kick-off, study-tour]
            """),
        },
        [("TC304", CITY, 5, 22)],
        hints={"TC304": "'study-tour' is an event of cohort-3, not of cohort-2"},
    ),
    case(
        "output-not-in-edition",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              roadmap: {status: drafting}
        """)
        },
        [("TC305", CITY, 6, 3)],
        hints={"TC305": "did you mean 'learning-roadmap'?"},
    ),
    case(
        "output-milestone-missing",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 3}}
                outputs: {learning-roadmap: {milestone: m3}}
        """),
        },
        [("TC306", PROGRAMME, 7, 45)],
    ),
    case(
        "event-activity-missing",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            events:
              kick-off: {activity: kick-off, date: 2024-10-15}
              seminar-1: {activity: seminar, date: 2024-11-12}
        """)
        },
        [("TC307", COHORT, 5, 25)],
        hints={"TC307": "did you mean 'info-seminar'?"},
    ),
    case(
        "event-is-a-site-visit",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            events:
              kick-off: {activity: kick-off, date: 2024-10-15}
              visit-1: {activity: site-visit, date: 2024-11-12}
        """)
        },
        [("TC308", COHORT, 5, 23)],
    ),
    case(
        "pilot-kind-does-not-match-edition",
        {
            PILOT: y("""
            title: Multi-city pilot
            kind: mission-city
            cities: [{name: Vitoria-Gasteiz, country: ES}, {name: Valladolid, country: ES}]
        """)
        },
        [("TC309", CITY, 4, 8)],
    ),
    case(
        "attended-twice",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            attended: [kick-off, kick-off]
        """)
        },
        [("TC310", CITY, 5, 22)],
    ),
    # --- TC4xx: dates (window 2024-09-30..2026-03-30, as of 2025-06-30) ------------------------
    case(
        "visit-ends-before-start",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, end: 2025-03-09, status: done}
        """)
        },
        [("TC401", CITY, 6, 71)],
    ),
    case(
        "cohort-ends-before-start",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            end: 2024-09-29
        """),
            CITY: "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n",
        },
        [("TC401", COHORT, 3, 6)],
    ),
    case(
        "event-before-cohort-start",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            events:
              kick-off: {activity: kick-off, date: 2024-09-29}
        """)
        },
        [("TC402", COHORT, 4, 40)],
    ),
    case(
        "visit-after-cohort-end",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2026-03-31, status: planned}
        """)
        },
        [("TC402", CITY, 6, 54)],
    ),
    case(
        "approved-before-submitted",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              learning-roadmap:
                status: approved
                submitted: 2025-01-20
                approved: 2025-01-10
                content: {}
        """)
        },
        [("TC403", CITY, 9, 15)],
    ),
    case(
        "submitted-without-date",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              learning-roadmap:
                status: submitted
                content: {}
        """)
        },
        [("TC404", CITY, 7, 5)],
        hints={"TC404": "submitted: YYYY-MM-DD"},
    ),
    case(
        "done-visit-in-the-future",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-07-10, status: done}
        """)
        },
        [("TC405", CITY, 6, 54)],
    ),
    case(
        "attended-event-in-the-future",
        {
            COHORT: y("""
                edition: tlp-18
                start: 2024-09-30
                events:
                  kick-off: {activity: kick-off, date: 2024-10-15}
                  seminar-2: {activity: info-seminar, date: 2025-09-10}
            """),
            CITY: y("""
                name: Soria
                country: ES
                cohort: cohort-2
                pilot: urbanew
                attended: [kick-off, seminar-2]
            """),
        },
        [("TC405", CITY, 5, 22)],
    ),
    case(
        "planned-visit-passed",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: planned}
        """)
        },
        [("TC406", CITY, 6, 74)],
    ),
    case(
        "due-month-past-edition-end",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 3}}
                outputs: {learning-roadmap: {due_month: 24}}
        """),
        },
        [("TC407", PROGRAMME, 7, 45)],
    ),
    case(
        "modules-overlap",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: 18
                activities: {kick-off: {count: 1}, info-seminar: {count: 3}}
                outputs: {}
                modules: {start: {title: Start, months: [1, 6]}, end: {title: End, months: [6, 18]}}
        """),
        },
        [("TC407", PROGRAMME, 8, 80)],
    ),
    case(
        "action-before-cohort-start",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              action-plan:
                status: drafting
                content:
                  actions:
                    - {title: Retrofit the town hall, start: 2024-01-01}
        """)
        },
        [("TC408", CITY, 10, 50)],
    ),
    case(
        "approved-date-on-draft",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              learning-roadmap: {status: drafting, approved: 2025-01-20}
        """)
        },
        [("TC409", CITY, 6, 50)],
    ),
    # --- a withdrawn city: nothing after it withdrew, a withdrawal not in the future, while its
    # cohort runs (from its selection, when the cohort gives it, to its end) -----------------
    case(
        "attended-after-withdrawal",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2024-11-01, reason: no staff}
            attended: [kick-off, seminar-1]
        """)
        },
        [("TC410", CITY, 7, 22)],
        messages={
            "TC410": "'seminar-1' is marked attended but takes place on 2024-11-12, "
            "after the city withdrew on 2024-11-01"
        },
        hints={"TC410": "remove it from 'attended', or check the withdrawal date"},
    ),
    case(
        "visit-done-after-withdrawal",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2024-11-01, reason: no staff}
            visits:
              - {direction: to-partner, city: Valladolid, start: 2024-12-10, status: done}
        """)
        },
        [("TC410", CITY, 8, 54)],
        messages={
            "TC410": "visit marked done starts 2024-12-10, after the city withdrew on 2024-11-01"
        },
        hints={"TC410": "set 'status: cancelled', or check the withdrawal date"},
    ),
    case(
        "output-submitted-after-withdrawal",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2024-11-01, reason: no staff}
            outputs:
              learning-roadmap: {status: needs-revision, submitted: 2024-10-20}
              action-plan: {status: needs-revision, submitted: 2024-12-02}
        """)
        },
        [("TC410", CITY, 9, 52)],
        messages={
            "TC410": "'action-plan' submitted 2024-12-02, after the city withdrew on 2024-11-01"
        },
        hints={"TC410": "check the submission date, or the withdrawal date"},
    ),
    case(
        "attended-and-visited-up-to-the-withdrawal-day-accepted",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2024-11-12, reason: no staff}
            attended: [kick-off, seminar-1]
            visits:
              - {direction: to-partner, city: Valladolid, start: 2024-11-12, end: 2024-11-13, status: done}
              - {direction: to-partner, city: Valladolid, start: 2025-02-10, status: cancelled}
            outputs:
              learning-roadmap: {status: needs-revision, submitted: 2024-11-12}
        """)
        },
        [],
    ),
    case(
        "withdrawal-after-as-of",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2027-01-15, reason: no staff}
        """)
        },
        [("TC405", CITY, 6, 19)],
        messages={"TC405": "the city is marked withdrawn on 2027-01-15, after 2025-06-30"},
    ),
    case(
        "withdrawal-on-the-as-of-day-accepted",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2025-06-30, reason: no staff}
        """)
        },
        [],
    ),
    case(
        "withdrawal-before-cohort-start",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2024-09-01, reason: no staff}
        """)
        },
        [("TC411", CITY, 6, 19)],
        messages={"TC411": "the city withdrew on 2024-09-01, before cohort-2 started (2024-09-30)"},
    ),
    case(
        "withdrawal-before-selection",
        {
            COHORT: "selected: 2024-09-16\n" + MINIMAL_COHORT,
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2024-09-10, reason: no staff}
        """),
        },
        [("TC411", CITY, 6, 19)],
        messages={
            "TC411": "the city withdrew on 2024-09-10, before cohort-2's Twin Cities were "
            "selected (2024-09-16)"
        },
    ),
    case(
        "withdrawal-between-selection-and-start-accepted",
        {
            COHORT: "selected: 2024-09-16\n" + MINIMAL_COHORT,
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2024-09-20, reason: no staff}
        """),
        },
        [],
    ),
    case(
        "withdrawal-after-cohort-end",
        {
            # 18 months and a day: an end that disagrees with the edition would be TC413
            COHORT: MINIMAL_COHORT.replace(
                "start: 2024-09-30\n", "start: 2023-09-30\nend: 2025-03-31\n"
            ),
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
            withdrawn: {date: 2025-05-01, reason: no staff}
        """),
        },
        [("TC411", CITY, 6, 19)],
        messages={"TC411": "the city withdrew on 2025-05-01, after cohort-2 ended (2025-03-31)"},
        hints={"TC411": "check the date"},
    ),
    # --- TC5xx: site visits and travel money (urbanew runs in 2 cities; 2 funded to-partner,
    # max 2 travellers, 900 EUR cap per traveller) -------------------------------------------
    case(
        "visit-city-not-of-pilot",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Vitoria, start: 2025-03-10, status: done}
        """)
        },
        [("TC501", CITY, 6, 35)],
        hints={"TC501": "did you mean 'Vitoria-Gasteiz'?"},
    ),
    case(
        "visit-city-missing-for-multi-city-pilot",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, start: 2025-03-10, status: done}
        """)
        },
        [("TC502", CITY, 6, 5)],
        hints={"TC502": "Vitoria-Gasteiz, Valladolid"},
    ),
    case(
        "more-visits-than-funded",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-01-10, status: done}
              - {direction: to-partner, city: Valladolid, start: 2025-02-10, status: done}
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done}
        """)
        },
        [("TC503", CITY, 8, 17)],
    ),
    case(
        "too-many-travellers",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: done, travellers: 3}
        """)
        },
        [("TC504", CITY, 6, 92)],
    ),
    case(
        "claim-over-cap",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - direction: to-partner
                city: Valladolid
                start: 2025-03-10
                status: done
                travellers: 2
                claimed_eur: 2000
        """)
        },
        [("TC505", CITY, 11, 18)],
    ),
    case(
        "reimbursed-over-claimed",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - direction: to-partner
                city: Valladolid
                start: 2025-03-10
                status: done
                claimed_eur: 900
                reimbursed_eur: 950
        """)
        },
        [("TC506", CITY, 11, 21)],
    ),
    # --- TC6xx: status ---------------------------------------------------------------------
    case(
        "withdrawn-without-record",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrawn
        """)
        },
        [("TC601", CITY, 5, 9)],
    ),
    case(
        "approved-without-content",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            outputs:
              learning-roadmap: {status: approved, submitted: 2025-01-10, approved: 2025-01-20}
        """)
        },
        [("TC602", CITY, 6, 21)],
    ),
    case(
        "active-with-withdrawn-record",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            withdrawn: {date: 2025-05-01, reason: no staff}
        """)
        },
        [("TC603", CITY, 5, 1)],
    ),
    # --- TC107/TC108/TC109: what YAML may not contain --------------------------------------
    case(
        "alias-bomb",
        {CITY: BOMB},
        [("TC109", CITY, 4, 5)],  # l3, the first list that expands past 10,000 nodes
    ),
    case(
        "alias-recursive",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            contacts: &people [{name: Ana}, *people]
        """)
        },
        [("TC109", CITY, 5)],
    ),
    case(
        "aliases-within-limits",
        {
            CITY: y("""
            name: &name Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            contacts: [{name: *name}]
        """)
        },
        [],
    ),
    case(
        "tag-python-object",
        {
            CITY: y("""
            name: !!python/object/apply:os.system ["echo hacked"]
            country: ES
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC107", CITY, 1, 7)],
        messages={"TC107": "!!python/object/apply:os.system"},
    ),
    case(
        "tag-str",
        {
            CITY: y("""
            name: !!str Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC107", CITY, 1, 7)],
    ),
    case(
        "tag-custom-include",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            contacts: !include contacts.yaml
        """)
        },
        [("TC107", CITY, 5, 11)],
        messages={"TC107": "!include"},
    ),
    case(
        "merge-key",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            contacts:
              - &lead {name: Ana, role: lead}
              - <<: *lead
                name: Luis
        """)
        },
        [("TC108", CITY, 7, 5)],
    ),
    case(
        "tag-on-a-key",
        {
            CITY: y("""
            !!str name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC107", CITY, 1, 1)],
    ),
    # --- TC116: text that is not Unicode (a file is UTF-8: only an escape can name it) -------
    case(
        "escape-of-half-a-surrogate-pair-in-a-value",
        {
            CITY: y(r"""
            name: "Sor\ud800ia"
            country: ES
            cohort: cohort-2
            pilot: urbanew
        """)
        },
        [("TC116", CITY, 1, 11)],
        messages={"TC116": r"\ud800 is half of a UTF-16 surrogate pair"},
    ),
    case(
        "escape-of-a-surrogate-pair-in-a-key",
        {
            CITY: y(r"""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            "notes \ud83d\ude00": x
        """)
        },
        [("TC116", CITY, 5, 8)],  # set aside, as a tagged key is: not also an unknown key
        hints={"TC116": r"one escape: \U0001F600"},
    ),
    case(
        "escapes-that-are-not-characters-in-every-kind-of-file",
        {
            PROGRAMME: MINIMAL_PROGRAMME.replace("name: Test programme", r'name: "Test \udfff"'),
            COHORT: MINIMAL_COHORT.replace(
                "seminar-1: {activity: info-seminar, date: 2024-11-12}",
                r'seminar-1: {activity: info-seminar, date: 2024-11-12, "ti\U00110000tle": x}',
            ),
            PILOT: MINIMAL_PILOT.replace("title: Multi-city pilot", r'title: "Multi-city \uD800"'),
            CITY: MINIMAL_CITY + r'contacts: [{name: "Ana \uDBFF", role: "\uDC00 lead"}]' + "\n",
        },
        [
            ("TC116", PROGRAMME, 1, 13),
            ("TC116", COHORT, 5, 60),
            ("TC116", PILOT, 1, 20),
            ("TC116", CITY, 6, 24),
            ("TC116", CITY, 6, 40),
        ],
        messages={"TC116": "is "},
    ),
    # --- TC102/TC104/TC105/TC106: files that are not one mapping of UTF-8 YAML --------------
    case(
        "binary-file",
        {CITY: b"name: Soria\n\x00\x01\x02\n"},
        [("TC102", CITY, 2, 1)],
    ),
    case(
        "latin-1-file",
        {CITY: "name: Soria\ncountry: ES\ncontacts: [{name: Ana Pérez}]\n".encode("latin-1")},
        [("TC102", CITY, 3, 24)],
        hints={"TC102": "UTF-8"},
    ),
    case(
        "utf-16-file",
        {CITY: "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n".encode("utf-16")},
        [("TC102", CITY, 1)],
        hints={"TC102": "UTF-16"},
    ),
    case(
        "utf-8-bom-accepted",
        {CITY: "\ufeffname: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n".encode()},
        [],
    ),
    case(
        "empty-file",
        {CITY: ""},
        [("TC104", CITY, 1, 1)],
    ),
    case(
        "comment-only-file",
        {CITY: "# Soria: to be filled in\n\n# name: Soria\n"},
        [("TC104", CITY, 1, 1)],
    ),
    case(
        "two-documents",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            ---
            name: Cologne
        """)
        },
        [("TC105", CITY, 5, 1)],
    ),
    case(
        "explicit-document-markers-accepted",
        {CITY: "---\nname: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n...\n"},
        [],
    ),
    case(
        "top-level-list",
        {CITY: "- name: Soria\n- country: ES\n"},
        [("TC106", CITY, 1, 1)],
    ),
    case(
        "top-level-scalar",
        {CITY: "Soria\n"},
        [("TC106", CITY, 1, 1)],
    ),
    # --- an invalid value is reported once, where it is: no rule compares it as a default ----
    # (€0 claimed, 1 traveller, an active city, start + months, an empty mapping of ids)
    case(
        "claimed-invalid-not-zero",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - direction: to-partner
                city: Valladolid
                start: 2025-03-10
                status: done
                claimed_eur: 1,650
                reimbursed_eur: 1650
        """)
        },
        [("TC206", CITY, 10, 18)],
    ),
    case(
        "travellers-invalid-not-one",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - direction: to-partner
                city: Valladolid
                start: 2025-03-10
                status: done
                travellers: two
                claimed_eur: 1500
        """)
        },
        [("TC204", CITY, 10, 17)],
    ),
    case(
        "travellers-out-of-range-not-one",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - direction: to-partner
                city: Valladolid
                start: 2025-03-10
                status: done
                travellers: 0
                claimed_eur: 1500
        """)
        },
        [("TC210", CITY, 10, 17)],
    ),
    case(
        "visit-start-invalid-not-compared-with-end",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-3-10, end: 2025-03-09, status: done}
        """)
        },
        [("TC205", CITY, 6, 54)],
    ),
    case(
        "visit-end-invalid-planned-not-passed",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-06-20, end: 2025-7-02, status: planned}
        """)
        },
        [("TC205", CITY, 6, 71)],
    ),
    case(
        "visit-end-invalid-done-not-dated-by-start",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-07-20, end: 2025-7-22, status: done}
        """)
        },
        [("TC205", CITY, 6, 71)],
    ),
    case(
        "city-status-invalid-not-active",
        {
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            status: withdrwn
            withdrawn: {date: 2025-05-01, reason: no staff}
            visits:
              - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: planned}
        """)
        },
        [("TC207", CITY, 5, 9)],
        hints={"TC207": "did you mean 'withdrawn'?"},
    ),
    case(
        "cohort-end-invalid-not-start-plus-months",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            end: 2026-9-30
            events:
              kick-off: {activity: kick-off, date: 2024-10-15}
              closing: {activity: info-seminar, date: 2026-06-01}
        """),
            CITY: y("""
            name: Soria
            country: ES
            cohort: cohort-2
            pilot: urbanew
            visits:
              - {direction: to-partner, city: Valladolid, start: 2026-05-10, status: planned}
        """),
        },
        [("TC205", COHORT, 3, 6)],
    ),
    case(
        "cohort-end-invalid-start-still-checked",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            end: 2026-9-30
            events:
              kick-off: {activity: kick-off, date: 2024-09-29}
        """),
        },
        [("TC205", COHORT, 3, 6), ("TC402", COHORT, 5, 40)],
        messages={"TC402": "cohort-2 starts 2024-09-30"},
    ),
    case(
        "cohort-events-not-a-mapping-attended-not-unknown",
        {COHORT: "edition: tlp-18\nstart: 2024-09-30\nevents: [kick-off]\n"},
        [("TC203", COHORT, 3, 9)],
    ),
    case(
        "cohort-event-id-invalid-attended-not-unknown",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            events:
              Kick-Off: {activity: kick-off, date: 2024-10-15}
        """)
        },
        [("TC208", COHORT, 4, 3)],
    ),
    case(
        "cohort-event-date-invalid-event-still-exists",
        {
            COHORT: y("""
            edition: tlp-18
            start: 2024-09-30
            events:
              kick-off: {activity: kick-off, date: 2024-10-1}
        """),
        },
        [("TC205", COHORT, 4, 40)],
    ),
    case(
        "edition-id-invalid-cohort-edition-not-unknown",
        {PROGRAMME: MINIMAL_PROGRAMME.replace("  tlp-18:", "  TLP-18:")},
        [("TC208", PROGRAMME, 3, 3)],
    ),
    case(
        "output-id-invalid-city-output-not-unknown",
        {
            PROGRAMME: MINIMAL_PROGRAMME.replace(
                "learning-roadmap: {title", "Learning Roadmap: {title"
            ),
            CITY: MINIMAL_CITY + "outputs:\n  learning-roadmap: {status: drafting}\n",
        },
        [("TC208", PROGRAMME, 11, 7)],
    ),
    case(
        "activity-id-invalid-event-activity-not-unknown",
        {PROGRAMME: MINIMAL_PROGRAMME.replace("info-seminar: {", "Info Seminar: {")},
        [("TC208", PROGRAMME, 8, 7)],
    ),
    case(
        "milestones-not-a-mapping-output-milestone-not-unknown",
        {
            PROGRAMME: MINIMAL_PROGRAMME.replace(
                "    milestones:\n      m1: {title: Planned, due_month: 6}\n"
                "      m2: {title: Delivered, due_month: 18}\n",
                "    milestones: [m1, m2]\n",
            )
        },
        [("TC203", PROGRAMME, 13, 17)],
    ),
    case(
        "edition-partner-invalid-not-pilot",
        {
            PROGRAMME: MINIMAL_PROGRAMME.replace(
                "    months: 18\n", "    months: 18\n    partner: mission\n"
            ),
            PILOT: MINIMAL_PILOT + "kind: mission-city\n",
        },
        [("TC207", PROGRAMME, 6, 14)],
    ),
    case(
        "pilot-kind-invalid-not-pilot-activity",
        {
            PROGRAMME: MINIMAL_PROGRAMME.replace(
                "    months: 18\n", "    months: 18\n    partner: mission-city\n"
            ),
            PILOT: MINIMAL_PILOT + "kind: mision-city\n",
        },
        [("TC207", PILOT, 5, 7)],
        hints={"TC207": "did you mean 'mission-city'?"},
    ),
    case(
        "city-cohort-id-invalid-not-unknown",
        {CITY: MINIMAL_CITY.replace("cohort: cohort-2", "cohort: Cohort 2")},
        [("TC208", CITY, 3, 9)],
    ),
    case(
        "city-pilot-id-invalid-not-unknown",
        {CITY: MINIMAL_CITY.replace("pilot: urbanew", "pilot: URBANEW")},
        [("TC208", CITY, 4, 8)],
    ),
    case(
        "cohort-edition-id-invalid-not-unknown",
        {COHORT: MINIMAL_COHORT.replace("edition: tlp-18", "edition: TLP 18")},
        [("TC208", COHORT, 1, 10)],
    ),
    # --- the folder as a whole: what may not cascade, what stops the run -------------------
    case(
        "programme-missing",
        {PROGRAMME: None},
        [],
        exit_code=2,
        says="programme.yaml",
    ),
    case(
        "programme-broken-no-cascade",
        {PROGRAMME: "name: Test programme\neditions: {tlp-18: {title: T, months: 18\n"},
        [("TC103", PROGRAMME, 3, 1)],
    ),
    case(
        "edition-broken-no-cascade",
        {
            PROGRAMME: y("""
            name: Test programme
            editions:
              tlp-18:
                title: Eighteen months
                months: eighteen
                activities: {kick-off: {count: 1}, info-seminar: {count: 3}}
                outputs: {}
        """),
        },
        [("TC204", PROGRAMME, 5, 13)],
    ),
    case(
        "cohort-broken-no-cascade",
        {COHORT: "edition: tlp-18\nstart: 2024-09-30\nevents: {kick-off: {activity: kick-off\n"},
        [("TC103", COHORT, 4, 1)],
    ),
    case(
        "pilot-broken-no-cascade",
        {PILOT: "title: Multi-city pilot\ncities:\n- name: Valladolid\n country: ES\n"},
        [("TC103", PILOT, 4, 2)],
    ),
    case(
        "unreadable-file",
        {},
        [("TC101", CITY, 1, 1)],
        exit_code=2,
        setup=unreadable,
    ),
    case(
        "cities-folder-unreadable",
        {},
        [("TC101", "cities/", 1, 1)],
        messages={"TC101": "cannot list the folder: Permission denied"},
        exit_code=2,
        setup=unlistable("cities"),
    ),
    case(
        "cohorts-folder-unreadable-no-cascade",
        {},
        [("TC101", "cohorts/", 1, 1)],
        messages={"TC101": "cannot list the folder: Permission denied"},
        exit_code=2,
        setup=unlistable("cohorts"),
    ),
    case(
        "symlink-leaving-the-folder",
        {CITY: None},
        [("TC113", CITY, 1, 1)],
        setup=symlink_outside,
    ),
    case(
        "symlinked-folder-leaving-the-folder",
        {CITY: None},
        [("TC113", "cities", 1, 1)],
        setup=symlink_folder_outside,
    ),
    case(
        "symlinked-programme-leaving-the-folder",
        {},
        [("TC113", PROGRAMME, 1, 1)],
        setup=programme_outside,
        exit_code=1,
    ),
    case(
        "named-pipe-in-place-of-a-file",
        {CITY: None},
        [("TC101", CITY, 1, 1)],
        messages={"TC101": "not a regular file"},
        exit_code=2,
        setup=named_pipe,
    ),
]


def add_broken_files(root: Path) -> Path:
    """Write every broken file of the corpus that belongs in a kind folder (`cohorts/`,
    `pilots/`, `cities/`) into that folder of `root`, each under a name of its own
    (`zz-broken-NNN-...`): among a generated programme, every kind of problem at once. Not
    the names holding control characters (TC213): the tables' tests have their own cases of
    those, whose escapes they check."""
    for number, param in enumerate(CASES):
        case = param.values[0]
        if case.setup is not None or any(e[0] == "TC213" for e in case.expected):
            continue
        for rel, content in case.files.items():
            kind, _, name = rel.partition("/")
            if kind not in ("cohorts", "pilots", "cities") or content is None or "/" in name:
                continue
            path = root / kind / f"zz-broken-{number:03d}-{name}"
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root
