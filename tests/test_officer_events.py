"""`new event` and `record event`: a cohort's sessions by command, each change the exact
`git diff` asserted; moving a session keeps the cities' attendance; timed sessions reach the
calendar in the programme's time zone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.editing import changed_by
from tests.support.folders import snapshot
from twincli.cli import edits
from twincli.read.loader import load_programme


def test_a_new_session_goes_where_it_falls_in_time(repo: Path) -> None:
    diff = changed_by(
        repo, "new", "event", "cohort-2", "seminar-data", "--activity", "Info-Seminar",
        "--date", "2025-09-16", "--title", "Data for climate", "--time", "10:00-11:30",
        "--place", "online", "--link", "https://meet.example.org/abc",
    )  # fmt: skip
    assert diff == [
        "+++ cohorts/cohort-2.yaml",
        "@@ -23,0 +24,7 @@ events:",
        "+  seminar-data:",
        "+    activity: info-seminar",
        "+    date: 2025-09-16",
        "+    title: Data for climate",
        "+    time: 10:00-11:30",
        "+    place: online",
        "+    link: https://meet.example.org/abc",
    ]


TITLE = "title: Kick-off in Brussels"


def test_moving_a_session_keeps_its_attendance(repo: Path) -> None:
    attended = {
        c.id for c in load_programme(repo).programme.cities.values() if "kick-off" in c.attended
    }
    diff = changed_by(repo, "record", "event", "cohort-2", "kick-off", "--date", "2024-10-16")
    assert diff == [
        "+++ cohorts/cohort-2.yaml",
        "@@ -14 +14 @@ events:",
        f"-  kick-off:            {{activity: kick-off, date: 2024-10-15, {TITLE}}}",
        f"+  kick-off:            {{activity: kick-off, date: 2024-10-16, {TITLE}}}",
    ]
    programme = load_programme(repo).programme
    assert {c.id for c in programme.cities.values() if "kick-off" in c.attended} == attended


def test_moving_an_attended_session_past_the_as_of_day_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    result = run(repo, "record", "event", "cohort-2", "kick-off", "--date", "2025-09-01")
    assert result.exit_code == 1
    assert "TC405 'kick-off' is marked attended but takes place on 2025-09-01" in result.stderr
    assert snapshot(repo) == before


def test_new_event_refusals_write_nothing(repo: Path) -> None:
    before = snapshot(repo)
    cases = [
        (["cohort-2", "kick-off", "--activity", "kick-off", "--date", "2024-10-15"], 2,
         "cohort-2 already has an event 'kick-off'"),
        (["cohort-2", "visit-9", "--activity", "site-visit", "--date", "2025-09-01"], 2,
         "no activity 'site-visit'"),
        (["cohort-2", "late", "--activity", "kick-off", "--date", "2027-01-01"], 1,
         "outside the cohort"),
        (["cohort-2", "timed", "--activity", "kick-off", "--date", "2025-09-01", "--time",
          "9h"], 1, "give --time as HH:MM or HH:MM-HH:MM"),
    ]  # fmt: skip
    for args, code, message in cases:
        result = run(repo, "new", "event", *args)
        assert result.exit_code == code, result.output
        assert message in result.stderr
        assert snapshot(repo) == before


def test_a_timed_session_is_timed_in_the_calendar(repo: Path) -> None:
    changed_by(
        repo, "new", "event", "cohort-2", "seminar-data", "--activity", "info-seminar",
        "--date", "2025-09-16", "--time", "10:00-11:30", "--link", "https://meet.example.org/a",
    )  # fmt: skip
    path = repo / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\neditions:", "\ntimezone: Europe/Lisbon\neditions:", 1), "utf-8")
    ics = run(repo, "export", "ics").stdout
    assert "DTSTART;TZID=Europe/Lisbon:20250916T100000" in ics
    assert "DTEND;TZID=Europe/Lisbon:20250916T113000" in ics
    assert "URL:https://meet.example.org/a" in ics
    assert "DTSTART;VALUE=DATE:20241015" in ics  # kick-off, untimed: all day


def test_reports_show_notes_and_links_and_never_break_on_them(repo: Path) -> None:
    changed_by(
        repo, "new", "event", "cohort-2", "seminar-data", "--activity", "info-seminar",
        "--date", "2025-09-16", "--time", "10:00-11:30", "--place", "online | <b>Zoom</b>",
        "--link", "https://meet.example.org/abc",
    )  # fmt: skip
    changed_by(
        repo, "record", "output", "plymouth", "learning-roadmap", "--link",
        "https://example.org/a|b", "--notes", "Line one\n| line two",
    )  # fmt: skip
    out = repo / "reports"
    assert run(repo, "render", "--out", str(out)).exit_code == 0
    cohort = (out / "cohorts/cohort-2.md").read_text(encoding="utf-8")
    assert (
        "| 2025-09-16 | Expert-led info seminar | Expert-led info seminar | planned |  | "
        "10:00-11:30, online \\| &lt;b>Zoom&lt;/b> <https://meet.example.org/abc> |"
    ) in cohort
    roadmap = (out / "cities/plymouth/learning-roadmap.md").read_text(encoding="utf-8")
    assert "| **Document** | https://example.org/a\\|b |" in roadmap
    assert "| **Notes** | Line one<br>\\| line two |" in roadmap


def test_new_event_checks_the_activity_as_it_is_typed(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edits, "interactive", lambda: True)
    result = run(
        repo, "new", "event", "cohort-2", "seminar-data",
        stdin="site-visit\ninfo-seminr\n2025-09-16\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # the choices are the edition's sessions; a site visit is not one, a close spelling is
    assert "Activity (kick-off, info-seminar, peer-workshop" in result.output
    assert "no activity 'site-visit'" in result.output
    event = load_programme(repo).programme.cohorts["cohort-2"].events["seminar-data"]
    assert event.activity == "info-seminar"
