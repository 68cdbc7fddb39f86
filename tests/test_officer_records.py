"""`record attendance --undo`, `record output` with its dates, link and notes, and
`withdraw`: each test asserts the exact `git diff` of the change on a copy of the example
programme, and that a refused change leaves every file byte for byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.editing import changed_by
from tests.support.folders import snapshot
from twincli.read.loader import load_programme

ATTENDED = (
    "attended: [kick-off, seminar-portal, workshop-roadmap, seminar-funding, cluster-renovation]"
)


def test_undo_removes_the_events_from_the_list(repo: Path) -> None:
    diff = changed_by(repo, "record", "attendance", "plymouth", "seminar-funding", "--undo")
    assert diff == [
        "+++ cities/plymouth.yaml",
        "@@ -18 +18 @@ contacts:",
        f"-{ATTENDED}",
        "+attended: [kick-off, seminar-portal, workshop-roadmap, cluster-renovation]",
    ]


def test_undo_in_a_block_list_removes_the_line_and_an_emptied_list_reads_empty(
    repo: Path,
) -> None:
    path = repo / "cities/plymouth.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(ATTENDED, "attended:   # so far\n  - kick-off"),
        encoding="utf-8",
    )
    from tests.support.editing import commit_all

    commit_all(repo)
    diff = changed_by(repo, "record", "attendance", "plymouth", "kick-off", "--undo")
    assert diff == [
        "+++ cities/plymouth.yaml",
        "@@ -18,2 +18 @@ contacts:",
        "-attended:   # so far",
        "-  - kick-off",
        "+attended: []   # so far",
    ]
    assert load_programme(repo).programme.cities["plymouth"].attended == ()


def test_undo_of_an_event_not_attended_changes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    result = run(repo, "record", "attendance", "plymouth", "cluster-energy", "--undo")
    assert result.exit_code == 0
    assert result.stderr == (
        "twincli: plymouth has not attended cluster-energy\ntwincli: nothing to change\n"
    )
    assert snapshot(repo) == before


def test_submitted_and_approved_in_one_call_with_a_link_and_notes(repo: Path) -> None:
    diff = changed_by(
        repo, "record", "output", "plymouth", "learning-roadmap", "--status", "approved",
        "--submitted", "2025-06-01", "--approved", "2025-06-20",
        "--link", "https://example.org/roadmap.pdf", "--notes", "Approved after one round",
    )  # fmt: skip
    assert diff == [
        "+++ cities/plymouth.yaml",
        "@@ -41,2 +41,5 @@ outputs:",
        "-    status: submitted           # late: due 2025-01-30",
        "-    submitted: 2025-06-23",
        "+    status: approved            # late: due 2025-01-30",
        "+    submitted: 2025-06-01",
        "+    approved: 2025-06-20",
        "+    link: https://example.org/roadmap.pdf",
        "+    notes: Approved after one round",
    ]


def test_a_date_for_every_state(repo: Path) -> None:
    output = ["record", "output", "plymouth", "stakeholder-engagement-plan"]
    steps = [
        (["--status", "drafting", "--date", "2025-03-03"], "started: 2025-03-03"),
        (["--status", "submitted", "--date", "2025-05-05"], "submitted: 2025-05-05"),
        (["--status", "needs-revision", "--date", "2025-05-20"],
         "revision_requested: 2025-05-20"),
    ]  # fmt: skip
    for args, added in steps:
        diff = changed_by(repo, *output, *args)
        assert f"+    {added}" in diff, diff
    city = load_programme(repo).programme.cities["plymouth"]
    plan = city.outputs["stakeholder-engagement-plan"]
    assert (plan.status, str(plan.started), str(plan.submitted), str(plan.revision_requested)) == (
        "needs-revision",
        "2025-03-03",
        "2025-05-05",
        "2025-05-20",
    )


def test_a_submitted_output_with_a_link_needs_no_content(repo: Path) -> None:
    output = ["record", "output", "plymouth", "transferability-assessment"]
    result = run(repo, *output, "--status", "submitted", "--date", "2025-06-02")
    assert "TC602" in result.stderr  # a warning: nothing to render
    result = run(repo, *output, "--link", "https://example.org/plan.pdf")
    assert result.exit_code == 0, result.output
    checked = run(repo, "validate", "cities/plymouth.yaml")
    assert "TC602" not in checked.stdout


def test_withdraw_sets_the_status_and_the_record_in_one_change(repo: Path) -> None:
    diff = changed_by(
        repo, "withdraw", "chalkida", "--date", "2025-06-15", "--reason", "Elections: new team"
    )
    assert diff == [
        "+++ cities/chalkida.yaml",
        "@@ -9 +9,2 @@ pilot: cf4cities",
        "-status: active",
        "+status: withdrawn",
        '+withdrawn: {date: 2025-06-15, reason: "Elections: new team"}',
    ]
    assert load_programme(repo).programme.cities["chalkida"].status == "withdrawn"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["withdraw", "chalkida", "--date", "2030-01-01", "--reason", "x"], 1),
        (["withdraw", "atlantis", "--date", "2025-01-01", "--reason", "x"], 2),
        (["record", "output", "plymouth", "learning-roadmap", "--link", "file:///c/x.pdf"], 1),
        (["record", "attendance", "plymouth", "kick", "--undo"], 2),
    ],
)
def test_refused_changes_leave_every_file_as_it_was(repo: Path, args: list[str], code: int) -> None:
    before = snapshot(repo)
    result = run(repo, *args)
    assert result.exit_code == code, result.output
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["record", "visit", "chalkida", "--start", "2025-05-01", "--direction", "to-partner"],
         "twincli: error TC502 cf4cities runs in 3 cities: say which one this visit is with "
         "(say which city with --city Klagenfurt, Gozo or Vilnius)\n"),
        (["record", "output", "plymouth", "transferability-assessment", "--status", "approved"],
         "twincli: error TC404 'transferability-assessment' is approved but has no 'submitted' "
         "date (give the submission date with --submitted YYYY-MM-DD)\n"),
        (["record", "visit", "umea", "--start", "2025-10-21", "--reimbursed", "900"],
         "twincli: error TC506 €900 reimbursed is more than the €0 claimed (--reimbursed can "
         "be at most what was claimed (--claimed))\n"),
    ],
)  # fmt: skip
def test_refusals_name_the_options_and_no_line_of_an_unwritten_file(
    repo: Path, args: list[str], said: str
) -> None:
    before = snapshot(repo)
    result = run(repo, *args)
    assert result.exit_code == 1
    assert result.stderr == said + (
        "twincli: refused: the change would add 1 error; nothing was written\n"
    )
    assert snapshot(repo) == before


def test_validate_keeps_its_yaml_words(repo: Path) -> None:
    path = repo / "cities/plymouth.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    submitted: 2025-06-23\n", "", 1), encoding="utf-8")
    result = run(repo, "validate", str(path))
    assert "(add 'submitted: YYYY-MM-DD')" in result.stdout


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("time: 9.30", "time '9.30' is not HH:MM or HH:MM-HH:MM"),
        ("time: 11:00-10:00", "time '11:00-10:00' is not HH:MM or HH:MM-HH:MM"),
        ("link: javascript:alert(1)", "link 'javascript:alert(1)' is not an http or https URL"),
    ],
)
def test_an_event_time_and_link_are_checked(repo: Path, line: str, message: str) -> None:
    path = repo / "cohorts/cohort-2.yaml"
    text = path.read_text(encoding="utf-8")
    old = "{activity: kick-off, date: 2024-10-15"
    assert old in text
    key, _, value = line.partition(": ")
    path.write_text(
        text.replace(old, f"{{{key}: '{value}', activity: kick-off, date: 2024-10-15"),
        encoding="utf-8",
    )
    result = run(repo, "validate", str(path))
    assert result.exit_code == 1
    assert message in result.stdout


def test_a_timezone_must_be_an_iana_name(repo: Path) -> None:
    path = repo / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("\neditions:", "\ntimezone: Brussels\neditions:", 1), encoding="utf-8"
    )
    result = run(repo, "validate")
    assert "error TC214 'Brussels' is not an IANA time zone name" in result.stdout
    path.write_text(
        text.replace("\neditions:", "\ntimezone: Europe/Lisbon\neditions:", 1), encoding="utf-8"
    )
    assert run(repo, "validate").exit_code == 0
