"""`twincli record visit` records *the* visit that starts on a day: it changes the options
given on the visit it finds, adds it when there is none, moves it, and never adds a copy.
Each test asserts the exact `git diff` of the change on a copy of the example programme."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.editing import changed_by, commit_all
from tests.support.folders import AS_OF, snapshot
from twincli.read.loader import load_programme


def record(root: Path, *args: str, as_of: str = AS_OF) -> list[str]:
    return changed_by(root, "record", *args, as_of=as_of)


def umea_visits(root: Path) -> list[tuple[str, str, str]]:
    visits = load_programme(root).programme.cities["umea"].visits
    return [(v.direction, v.start.isoformat(), v.status) for v in visits]


def test_a_visit_from_planned_to_cancelled_is_one_visit_at_every_step(repo: Path) -> None:
    before = umea_visits(repo)
    steps = [
        (["--start", "2025-09-15", "--direction", "to-partner"], "2025-06-30", [
            "+++ cities/umea.yaml",
            "@@ -40,0 +41,3 @@ visits:",
            "+  - direction: to-partner",
            "+    start: 2025-09-15",
            "+    status: planned",
        ], "2025-09-15", "planned"),
        (["--start", "2025-09-15", "--status", "done", "--end", "2025-09-16", "--claimed",
          "1200"], "2025-10-01", [
            "+++ cities/umea.yaml",
            "@@ -43 +43,3 @@ visits:",
            "-    status: planned",
            "+    end: 2025-09-16",
            "+    status: done",
            "+    claimed_eur: 1200",
        ], "2025-09-15", "done"),
        (["--start", "2025-09-15", "--reimbursed", "900", "--notes", "Paid on 3 November"],
         "2025-11-04", [
            "+++ cities/umea.yaml",
            "@@ -45,0 +46,2 @@ visits:",
            "+    reimbursed_eur: 900",
            "+    notes: Paid on 3 November",
        ], "2025-09-15", "done"),
        (["--start", "2025-09-15", "--move-to", "2025-09-22"], "2025-11-04", [
            "+++ cities/umea.yaml",
            "@@ -42,2 +42,2 @@ visits:",
            "-    start: 2025-09-15",
            "-    end: 2025-09-16",
            "+    start: 2025-09-22",
            "+    end: 2025-09-23",
        ], "2025-09-22", "done"),
        (["--start", "2025-09-22", "--status", "cancelled"], "2025-11-04", [
            "+++ cities/umea.yaml",
            "@@ -44 +44 @@ visits:",
            "-    status: done",
            "+    status: cancelled",
        ], "2025-09-22", "cancelled"),
    ]  # fmt: skip
    for args, as_of, diff, start, status in steps:
        assert record(repo, "visit", "umea", *args, as_of=as_of) == diff
        assert umea_visits(repo) == [*before, ("to-partner", start, status)]


def test_the_direction_tells_apart_two_visits_on_one_day(repo: Path) -> None:
    record(repo, "visit", "umea", "--start", "2025-10-21", "--direction", "from-partner")
    before = snapshot(repo)
    result = run(repo, "record", "visit", "umea", "--start", "2025-10-21", "--travellers", "1")
    assert result.exit_code == 2
    assert result.stderr == (
        "twincli: error: umea has a visit each way starting on 2025-10-21: say which with "
        "--direction to-partner or --direction from-partner\n"
    )
    assert snapshot(repo) == before
    diff = record(
        repo, "visit", "umea", "--start", "2025-10-21", "--direction", "to-partner",
        "--travellers", "1",
    )  # fmt: skip
    assert diff == [
        "+++ cities/umea.yaml",
        "@@ -40 +40 @@ visits:",
        "-    travellers: 2",
        "+    travellers: 1",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2025-09-15"],
         "umea has no visit starting on 2025-09-15 (its visits start on 2025-02-18, "
         "2025-05-27, 2025-10-21); to add one, give --direction to-partner or --direction "
         "from-partner"),
        (["--start", "2025-09-15", "--direction", "to-partner", "--move-to", "2025-09-20"],
         "umea has no visit starting on 2025-09-15 to move (its visits start on 2025-02-18, "
         "2025-05-27, 2025-10-21)"),
    ],
)  # fmt: skip
def test_what_cannot_be_found_is_refused(repo: Path, args: list[str], message: str) -> None:
    before = snapshot(repo)
    result = run(repo, "record", "visit", "umea", *args)
    assert result.exit_code == 2
    assert result.stderr == f"twincli: error: {message}\n"
    assert snapshot(repo) == before


def test_recording_the_same_visit_twice_changes_nothing(repo: Path) -> None:
    args = ["visit", "umea", "--start", "2025-10-21", "--direction", "to-partner"]
    before = snapshot(repo)
    result = run(repo, "record", *args, "--status", "planned")
    assert result.exit_code == 0
    assert result.stderr == "twincli: nothing to change\n"
    assert snapshot(repo) == before


def test_a_block_of_notes_is_rewritten_in_its_place(repo: Path) -> None:
    path = repo / "cities/umea.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    claimed_eur: 1633.10\n",
        "    notes: |\n      Booked by the city.\n      Two nights.\n    claimed_eur: 1633.10\n",
    )
    path.write_text(text, encoding="utf-8")
    commit_all(repo)
    diff = record(repo, "visit", "umea", "--start", "2025-02-18", "--notes", "Booked.")
    assert diff == [
        "+++ cities/umea.yaml",
        "@@ -26,3 +26 @@ visits:",
        "-    notes: |",
        "-      Booked by the city.",
        "-      Two nights.",
        "+    notes: Booked.",
    ]
