"""What leaves twincli carries the data's text safely, whatever the text.

Calendars, spreadsheets, CI reports and terminals each have their own special characters; a
name or title from a pull request holding them must come out as text in that format, never as
structure (a calendar event, a table column, a heading, a link). The evidence behind the rows
of SECURITY.md's "What leaves twincli" about escaping.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.support.folders import MINIMAL_CITY, MINIMAL_COHORT, MINIMAL_PROGRAMME, build_tree
from twincli.cli import app

AS_OF = "2025-06-30"


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def run_twincli(
    *args: str, optimise: bool = False, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """twincli in a process of its own, as a person or a CI job starts it."""
    flags = ["-O"] if optimise else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "twincli", *args],
        capture_output=True,
        env={**os.environ, "TWINCLI_NO_CACHE": "1", **env},
        check=False,
    )


def content_lines(data: bytes) -> list[bytes]:
    """An iCalendar's content lines, unfolded (RFC 5545 3.1): a line break is CRLF, and only
    CRLF followed by a space or a tab continues a line."""
    assert data.endswith(b"\r\n")
    unfolded = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    lines = unfolded[: -len(b"\r\n")].split(b"\r\n")
    for line in lines:
        assert b"\r" not in line and b"\n" not in line, line
    return lines


def property_text(lines: list[bytes], name: bytes) -> str:
    """The text of the one property `name` of the calendar, unescaped as RFC 5545 says of a
    TEXT value (3.3.11): `\\n` is a line break; `\\\\`, `\\;` and `\\,` the characters; an
    unescaped `,` or `;` would end the value."""
    (value,) = [line.split(b":", 1)[1].decode() for line in lines if line.split(b":", 1)[0] == name]
    assert not re.search(r"[,;]", re.sub(r"\\.", "", value)), value
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


# --- iCalendar: the calendar's name ---------------------------------------------------------

FORGED = "BEGIN:VEVENT{br}UID:forged@evil.example{br}SUMMARY:forged{br}END:VEVENT{br}X-A:"
"""What a line break in a name would add to the calendar, were it written raw."""


def _named(where: str, line_break: str) -> tuple[dict[str, str], list[str], str]:
    """Files whose `where` holds a line break and a forged event, the options of `export ics`
    that name the calendar after it, and the calendar's name expected."""
    escaped = line_break.encode("unicode_escape").decode("ascii")
    text = "Evil" + FORGED.format(br=escaped)
    plain = "Evil" + FORGED.format(br="\n")
    if where == "programme name":
        programme = MINIMAL_PROGRAMME.replace("name: Test programme", f'name: "{text}"')
        return {"programme.yaml": programme}, [], plain
    if where == "city name":
        city = MINIMAL_CITY.replace("name: Soria", f'name: "{text}"')
        return {"cities/soria.yaml": city}, ["--city", "soria"], f"Test programme: {plain}"
    cohort = MINIMAL_COHORT + f'title: "{text}"\n'
    return {"cohorts/cohort-2.yaml": cohort}, ["--cohort", "cohort-2"], f"Test programme: {plain}"


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
@pytest.mark.parametrize("where", ["programme name", "city name", "cohort title"])
def test_a_line_break_in_the_calendar_name_stays_in_its_property(
    tmp_path: Path, where: str, line_break: str
) -> None:
    """The calendar's name (X-WR-CALNAME) is escaped as every text property is: the line
    break is written `\\n`, and the event it would have started is text."""
    files, options, expected = _named(where, line_break)
    root = build_tree(tmp_path / "programme", files)
    result = cli("--data", str(root), "--as-of", AS_OF, "export", "ics", *options)
    assert result.exit_code == 0, result.output
    lines = content_lines(result.stdout_bytes)
    assert not any(b"forged@evil" in line for line in lines if line.startswith(b"UID"))
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT")
    assert property_text(lines, b"X-WR-CALNAME") == expected


def test_the_calendar_name_is_escaped_without_assertions(tmp_path: Path) -> None:
    """Under `python -O` asserts are gone: icalendar's assertion against a raw line break
    was all that stood between a programme's name and a forged event."""
    files, _, expected = _named("programme name", "\n")
    root = build_tree(tmp_path / "programme", files)
    done = run_twincli("--data", str(root), "--as-of", AS_OF, "export", "ics", optimise=True)
    assert done.returncode == 0, done.stderr.decode()
    lines = content_lines(done.stdout)
    assert not any(line.startswith(b"UID:forged") for line in lines)
    assert property_text(lines, b"X-WR-CALNAME") == expected


# --- dates at the ends of the calendar -------------------------------------------------------

EDGES = {
    "cohorts/cohort-2.yaml": """\
edition: tlp-18
start: 9999-01-01
events:
  kick-off: {activity: kick-off, date: 9999-01-01}
  finale: {activity: info-seminar, date: 9999-12-31}
""",
    "cohorts/cohort-1.yaml": """\
edition: tlp-18
start: 0001-01-01
end: 0001-12-31
events:
  kick-off: {activity: kick-off, date: 0001-01-01}
""",
    "cities/soria.yaml": MINIMAL_CITY.replace("[kick-off]", "[kick-off, finale]")
    + """\
visits:
  - {direction: to-partner, city: Valladolid, start: 9999-12-31, status: done}
outputs:
  action-plan: {status: submitted, submitted: 9999-12-31}
""",
    "cities/first.yaml": """\
name: First
country: ES
cohort: cohort-1
pilot: urbanew
attended: [kick-off]
visits:
  - {direction: from-partner, city: Valladolid, start: 0001-01-01, status: done}
""",
}
"""A cohort starting in year 9999, whose end (start + 18 months) and action plan (due in month
17) are past the calendar, with an event, a visit and a submission on its last day; and a
cohort of year 1. Valid as of 9999-12-31 (a warning: the action plan has no content)."""

EDGE_COMMANDS = [
    ["validate"],
    ["status"],
    ["status", "--format", "json"],
    ["status", "--format", "markdown"],
    ["deadlines"],
    ["deadlines", "--format", "json"],
    ["show", "cohort", "cohort-1"],
    ["show", "cohort", "cohort-2"],
    ["show", "city", "soria"],
    ["show", "city", "first"],
    ["show", "pilot", "urbanew"],
    ["export", "ics"],
    ["export", "ics", "--city", "soria"],
    ["export", "ics", "--cohort", "cohort-1"],
    ["export", "csv", "--table", "cities"],
    ["export", "csv", "--table", "visits"],
    ["export", "csv", "--table", "outputs"],
    ["export", "csv", "--table", "events"],
    ["export", "json"],
    ["render", "--check"],
    ["render", "--out", "{out}"],
]


@pytest.fixture(scope="module")
def at_the_edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tree(tmp_path_factory.mktemp("edges") / "programme", EDGES)


@pytest.mark.parametrize("as_of", ["0001-01-01", "2025-06-30", "9999-12-31"])
@pytest.mark.parametrize("command", EDGE_COMMANDS, ids=" ".join)
def test_every_command_takes_dates_at_the_ends_of_the_calendar(
    at_the_edges: Path, tmp_path: Path, command: list[str], as_of: str
) -> None:
    """Every date computed from these (the day after the last day, a due date past the
    calendar, a month of year 9999) is computed safely: the answer, or diagnostics, never a
    traceback."""
    args = [arg.format(out=tmp_path / "reports") for arg in command]
    result = cli("--data", str(at_the_edges), "--as-of", as_of, *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    # Reports and exports tell of errors on stderr and go on; validate and render fail on them
    # (the data has errors but as of 9999-12-31: things done after the as-of day), and
    # `render --check` also when there are no reports yet.
    valid = as_of == "9999-12-31"
    fails = command[0] in ("validate", "render") and (not valid or "--check" in command)
    assert result.exit_code == int(fails), result.output


def test_an_event_on_the_last_day_of_the_calendar_lasts_that_day(at_the_edges: Path) -> None:
    """RFC 5545 ends an all-day event on the day after its last one, which year 9999 does not
    have: such an event says how long it lasts instead (DURATION), which means the same."""
    import icalendar

    result = cli("--data", str(at_the_edges), "--as-of", "9999-12-31", "export", "ics")
    assert result.exit_code == 0, result.output
    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
    }
    last_days = {
        "event.cohort-2.finale@twincli",
        "visit.soria.1@twincli",
        "output.cohort-2.action-plan@twincli",  # start + 17 months, past the calendar: its end
    }
    for uid in last_days:
        event = events[uid]
        assert event.decoded("DTSTART") == date.max, uid
        assert "DTEND" not in event and event.decoded("DURATION") == timedelta(days=1), uid
    for uid in events.keys() - last_days:
        event = events[uid]
        assert "DURATION" not in event, uid
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(days=1), uid
