"""`twincli record`: each command changes only the lines it means to, re-reads to the model it
describes, refuses (writing nothing) what would make the folder invalid, survives a failed
write, and does not lose a change made at the same time by another command."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.editing import HAND_WRITTEN_CITY, line_diff
from tests.support.folders import AS_OF, REPO, build_tree, snapshot
from twincli import writing
from twincli.check import incremental
from twincli.check.validate import validate_folder
from twincli.edit import transaction
from twincli.edit.record import record_attendance
from twincli.model import City, CityOutput, Visit
from twincli.read.loader import load_programme

AS_OF_DATE = date(2025, 6, 30)

CITY = HAND_WRITTEN_CITY


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "prog", {"cities/soria.yaml": CITY})


def city(root: Path, ident: str = "soria") -> City:
    loaded = load_programme(root)
    assert not [d for d in loaded.diagnostics if d.is_error], loaded.diagnostics
    return loaded.programme.cities[ident]


def assert_changed(root: Path, before: str, removed: list[str], added: list[str]) -> None:
    after = (root / "cities/soria.yaml").read_text(encoding="utf-8")
    assert line_diff(before, after) == (removed, added)
    assert not [d for d in validate_folder(root, AS_OF_DATE).diagnostics if d.is_error]


# --- what each command changes ----------------------------------------------------------------


def test_attendance_appends_to_a_block_list(folder: Path) -> None:
    result = run(folder, "record", "attendance", "soria", "seminar-1")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{folder}/cities/soria.yaml:13", "+  - seminar-1"]
    assert_changed(folder, CITY, [], ["  - seminar-1"])
    assert city(folder).attended == ("kick-off", "seminar-1")


def test_attendance_skips_events_already_attended(folder: Path) -> None:
    result = run(folder, "record", "attendance", "soria", "kick-off")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "twincli: soria already attended kick-off",
        "twincli: nothing to change",
    ]
    assert (folder / "cities/soria.yaml").read_text(encoding="utf-8") == CITY


def test_visit_follows_the_style_of_the_last_visit(folder: Path) -> None:
    result = run(
        folder, "record", "visit", "soria", "--direction", "to-partner", "--city", "Valladolid",
        "--start", "2025-03-11", "--end", "2025-03-12", "--travellers", "2", "--claimed", "1200.50",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    new = (
        "  - {direction: to-partner, city: Valladolid, start: 2025-03-11, end: 2025-03-12, "
        "status: done, travellers: 2, claimed_eur: 1200.50}"
    )
    assert_changed(folder, CITY, [], [new, ""])
    assert city(folder).visits[-1] == Visit(
        direction="to-partner",
        city="Valladolid",
        start=date(2025, 3, 11),
        end=date(2025, 3, 12),
        status="done",
        travellers=2,
        claimed_eur=Decimal("1200.50"),
    )


def test_a_visit_after_the_as_of_day_is_planned(folder: Path) -> None:
    result = run(
        folder, "record", "visit", "soria", "--direction", "from-partner", "--city",
        "Vitoria-Gasteiz", "--start", "2025-09-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert city(folder).visits[-1].status == "planned"


def test_output_in_a_flow_mapping(folder: Path) -> None:
    result = run(
        folder, "record", "output", "soria", "learning-roadmap", "--status", "submitted",
        "--date", "2025-01-20",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "-  learning-roadmap: {status: drafting}     # flow",
        "+  learning-roadmap: {status: submitted, submitted: 2025-01-20}     # flow",
    ]
    assert_changed(
        folder,
        CITY,
        ["  learning-roadmap: {status: drafting}     # flow"],
        ["  learning-roadmap: {status: submitted, submitted: 2025-01-20}     # flow"],
    )
    output = city(folder).outputs["learning-roadmap"]
    assert (output.status, output.submitted) == ("submitted", date(2025, 1, 20))


def test_output_approved_keeps_quotes_and_comments(folder: Path) -> None:
    result = run(
        folder, "record", "output", "soria", "action-plan", "--status", "approved", "--date",
        "2025-02-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert_changed(
        folder,
        CITY,
        ['    status: "submitted"         # quoted, with an aligned comment'],
        [
            '    status: "approved"          # quoted, with an aligned comment',
            "    approved: 2025-02-01",
        ],
    )
    output = city(folder).outputs["action-plan"]
    assert (output.status, output.submitted, output.approved) == (
        "approved",
        date(2025, 1, 10),
        date(2025, 2, 1),
    )


def test_output_approved_defaults_to_the_as_of_day_and_back_to_needs_revision(
    folder: Path,
) -> None:
    assert (
        run(folder, "record", "output", "soria", "action-plan", "--status", "approved").exit_code
        == 0
    )
    assert city(folder).outputs["action-plan"].approved == AS_OF_DATE
    before = (folder / "cities/soria.yaml").read_text(encoding="utf-8")
    result = run(folder, "record", "output", "soria", "action-plan", "--status", "needs-revision")
    assert result.exit_code == 0, result.output
    assert_changed(
        folder,
        before,
        [
            '    status: "approved"          # quoted, with an aligned comment',
            "    approved: 2025-06-30",
        ],
        ['    status: "needs-revision"    # quoted, with an aligned comment'],
    )
    output = city(folder).outputs["action-plan"]
    assert (output.status, output.submitted, output.approved) == (
        "needs-revision",
        date(2025, 1, 10),
        None,
    )


def test_output_not_yet_in_the_file_is_added(folder: Path) -> None:
    files = {
        "cities/soria.yaml": CITY.replace("  learning-roadmap: {status: drafting}     # flow\n", "")
    }
    root = build_tree(folder.parent / "other", files)
    before = files["cities/soria.yaml"]
    result = run(root, "record", "output", "soria", "learning-roadmap", "--status", "drafting")
    assert result.exit_code == 0, result.output
    # after the outputs that come before it in the edition: none, so first
    after = (root / "cities/soria.yaml").read_text(encoding="utf-8")
    assert line_diff(before, after) == ([], ["  learning-roadmap:", "    status: drafting"])
    assert "outputs:\n  learning-roadmap:\n    status: drafting\n  action-plan:" in after


def test_every_command_on_the_example_changes_only_its_lines(example_copy: Path) -> None:
    path = example_copy / "cities/plymouth.yaml"
    before = path.read_text(encoding="utf-8")
    commands = [
        ["attendance", "plymouth", "seminar-ecosystem"],
        ["visit", "plymouth", "--direction", "from-partner", "--start", "2025-06-10"],
        ["output", "plymouth", "learning-roadmap", "--status", "approved"],
    ]
    for command in commands:
        result = run(example_copy, "record", *command)
        assert result.exit_code == 0, result.output
    removed, added = line_diff(before, path.read_text(encoding="utf-8"))
    attended = "attended: [kick-off, seminar-portal, workshop-roadmap, seminar-funding, "
    assert removed == [
        attended + "cluster-renovation]",
        "    status: submitted           # late: due 2025-01-30",
    ]
    assert added == [
        attended + "cluster-renovation,",
        "           seminar-ecosystem]",
        "  - direction: from-partner",
        "    start: 2025-06-10",
        "    status: done",
        "    status: approved            # late: due 2025-01-30",
        "    approved: 2025-06-30",
    ]
    result = validate_folder(example_copy, AS_OF_DATE)
    assert [d.code for d in result.diagnostics] == ["TC503"]  # a 2nd hosted visit: a warning


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["attendance", "sorya", "kick-off"], 2, "no city 'sorya' (did you mean 'soria'?)"),
        (["attendance", "soria", "seminar-2"], 2, "no event 'seminar-2' in cohort-2"),
        (["output", "soria", "roadmap", "--status", "drafting"], 2, "no output 'roadmap'"),
        (["output", "soria", "action-plan", "--status", "not-started", "--date", "2025-01-01"],
         2, "--date goes with a status after not-started (not-started has no date)"),
        (["output", "soria", "action-plan", "--date", "2025-01-01"], 2,
         "--date is the day of a new --status: give the --status too"),
        (["visit", "soria", "--direction", "to-partner", "--start", "2025-1-1"], 2,
         "not a date as YYYY-MM-DD"),
        (["output", "soria", "action-plan", "--status", "approved", "--date", "2025-01-02"], 1,
         "TC403 'action-plan' approved 2025-01-02 before it was submitted 2025-01-10"),
        (["output", "soria", "learning-roadmap", "--status", "approved"], 1,
         "TC404 'learning-roadmap' is approved but has no 'submitted' date"),
        (["visit", "soria", "--direction", "to-partner", "--city", "Valladolid", "--start",
          "2024-09-01"], 1, "TC402 visit start 2024-09-01 is outside the cohort"),
        (["visit", "soria", "--direction", "to-partner", "--start", "2025-01-01"], 1,
         "TC502 urbanew runs in 2 cities"),
        (["attendance", "soria", "seminar-1", "--", "kickoff-2"], 2, "did you mean 'kick-off'?"),
    ],
)  # fmt: skip
def test_refusals_leave_every_file_as_it_was(
    folder: Path, args: list[str], code: int, message: str
) -> None:
    before = snapshot(folder)
    result = run(folder, "record", *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert snapshot(folder) == before
    if code == 1:
        assert result.stderr.endswith(
            "twincli: refused: the change would add 1 error; nothing was written\n"
        )


def test_an_event_after_the_as_of_day_is_refused(example_copy: Path) -> None:
    before = snapshot(example_copy)
    result = run(example_copy, "record", "attendance", "plymouth", "cluster-mobility")
    assert result.exit_code == 1
    assert (
        "TC405 'cluster-mobility' is marked attended but takes place on 2025-10-14" in result.stderr
    )
    assert snapshot(example_copy) == before


def test_a_city_file_with_errors_is_not_edited(folder: Path) -> None:
    (folder / "cities/soria.yaml").write_text(CITY.replace("cohort: cohort-2\n", ""), "utf-8")
    before = snapshot(folder)
    result = run(folder, "record", "attendance", "soria", "seminar-1")
    assert result.exit_code == 1
    assert "error TC202" in result.stderr
    assert result.stderr.endswith(
        f"twincli: refused: {folder}/cities/soria.yaml has 1 error; fix it first "
        f"(twincli validate {folder}/cities/soria.yaml); nothing was written\n"
    )
    assert snapshot(folder) == before


def test_errors_elsewhere_do_not_block_a_change_that_adds_none(folder: Path) -> None:
    (folder / "pilots/urbanew.yaml").write_text("acronymm: URB\ntitle: x\ncities: []\n", "utf-8")
    result = run(folder, "record", "attendance", "soria", "seminar-1")
    assert result.exit_code == 0, result.output
    assert "twincli: warning: the programme already has 2 errors elsewhere" in result.stderr
    assert city_attended(folder) == ["kick-off", "seminar-1"]


def city_attended(root: Path) -> list[str]:
    return list(load_programme(root).programme.cities["soria"].attended)


# --- failures and concurrency -------------------------------------------------------------------


def test_a_failed_rename_leaves_the_file_intact(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(folder)

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = run(folder, "record", "attendance", "soria", "seminar-1")
    assert result.exit_code == 2
    assert result.stderr == (
        "twincli: error: could not write cities/soria.yaml: No space left on device; "
        "it was left as it was\n"
    )
    assert snapshot(folder) == before  # no temporary file, no lock file left behind


def test_two_processes_at_once_both_land(example_copy: Path) -> None:
    events = ["seminar-ecosystem", "workshop-governance", "cluster-energy"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "twincli", "--data", str(example_copy), "--as-of", AS_OF]
    processes = [
        subprocess.Popen(
            [*command, "record", "attendance", "plymouth", event],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for event in events
    ]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    attended = load_programme(example_copy).programme.cities["plymouth"].attended
    assert set(events) <= set(attended)
    assert not (example_copy / writing.LOCK_NAME).exists()


def _slow_validation(monkeypatch: pytest.MonkeyPatch) -> threading.Barrier:
    """Make both threads plan their change before either writes it (a wide race window)."""
    barrier = threading.Barrier(2, timeout=5)
    real = incremental.validate

    def slow(*args: object, **kwargs: object) -> object:
        # Returns at once when both threads got here (no lock held); times out when the
        # other one waits for the lock, and this one carries on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental, "validate", slow)
    return barrier


def _race(root: Path, events: Mapping[str, str]) -> None:
    def one(event: str) -> None:
        transaction.commit(
            root, AS_OF_DATE, lambda loaded: record_attendance(loaded, "plymouth", [event])
        )

    threads = [threading.Thread(target=one, args=(e,)) for e in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def test_the_lock_serialises_edits(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _slow_validation(monkeypatch)
    _race(example_copy, {"seminar-ecosystem": "", "workshop-governance": ""})
    attended = load_programme(example_copy).programme.cities["plymouth"].attended
    assert {"seminar-ecosystem", "workshop-governance"} <= set(attended)


def test_without_the_lock_one_edit_would_be_lost(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race the lock prevents is real: the same two edits, unlocked, lose one."""
    monkeypatch.setattr(writing, "locked", lambda root: contextlib.nullcontext())
    _slow_validation(monkeypatch)
    _race(example_copy, {"seminar-ecosystem": "", "workshop-governance": ""})
    attended = load_programme(example_copy).programme.cities["plymouth"].attended
    assert len({"seminar-ecosystem", "workshop-governance"} & set(attended)) == 1


def test_a_held_lock_times_out_with_a_message(folder: Path) -> None:
    from twincli.errors import TwincliError

    with (
        writing.locked(folder),
        pytest.raises(TwincliError, match="another twincli command"),
        writing.locked(folder, timeout=0.1),
    ):
        pass
    assert not (folder / writing.LOCK_NAME).exists()


# --- the model the commands describe ------------------------------------------------------------


def test_record_output_dates_follow_the_status(folder: Path) -> None:
    steps: list[tuple[list[str], CityOutput]] = [
        (["--status", "submitted", "--date", "2025-01-20"],
         CityOutput(id="learning-roadmap", status="submitted", submitted=date(2025, 1, 20))),
        (["--status", "approved", "--date", "2025-02-03"],
         CityOutput(id="learning-roadmap", status="approved", submitted=date(2025, 1, 20),
                    approved=date(2025, 2, 3))),
        (["--status", "needs-revision"],
         CityOutput(id="learning-roadmap", status="needs-revision", submitted=date(2025, 1, 20))),
        (["--status", "submitted", "--date", "2025-03-01"],
         CityOutput(id="learning-roadmap", status="submitted", submitted=date(2025, 3, 1))),
        (["--status", "not-started"], CityOutput(id="learning-roadmap", status="not-started")),
    ]  # fmt: skip
    for args, expected in steps:
        result = run(folder, "record", "output", "soria", "learning-roadmap", *args)
        assert result.exit_code == 0, result.output
        got = city(folder).outputs["learning-roadmap"]
        assert dataclasses.replace(got, content=None) == expected


def test_an_edit_through_a_yaml_alias_is_refused_saying_where_the_alias_is(
    example_copy: Path,
) -> None:
    city = example_copy / "cities" / "aliasy.yaml"
    city.write_text(
        "name: Test City\ncountry: ES\ncohort: cohort-1\npilot: urbanew\noutputs:\n"
        "  learning-roadmap: &draft\n    status: drafting\n"
        "  stakeholder-engagement-plan: *draft\n",
        encoding="utf-8",
    )
    before = city.read_bytes()
    result = run(
        example_copy, "record", "output", "aliasy", "stakeholder-engagement-plan",
        "--status", "not-started",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "twincli: error: cities/aliasy.yaml:6:21: this change could not be made by a small "
        "edit of the file's layout: the file builds entries from a YAML alias here (& and *); "
        "make it by hand, or write the entries out in full\n"
    )
    assert city.read_bytes() == before
