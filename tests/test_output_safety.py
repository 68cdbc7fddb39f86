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
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL_CITY, MINIMAL_COHORT, MINIMAL_PROGRAMME, build_tree
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
