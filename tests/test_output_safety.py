"""What leaves twincli carries the data's text safely, whatever the text.

Calendars, spreadsheets, CI reports and terminals each have their own special characters; a
name or title from a pull request holding them must come out as text in that format, never as
structure (a calendar event, a table column, a heading, a link). The evidence behind the rows
of SECURITY.md's "What leaves twincli" about escaping.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.support.folders import (
    EXAMPLE,
    MINIMAL_CITY,
    MINIMAL_COHORT,
    MINIMAL_PILOT,
    MINIMAL_PROGRAMME,
    build_tree,
)
from twincli.cli import app
from twincli.terminal import UNSAFE, printable

AS_OF = "2025-06-30"


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def run_twincli(
    *args: str, optimise: bool = False, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """twincli in a process of its own, as a person or a CI job starts it, with `env` added
    to the environment."""
    flags = ["-O"] if optimise else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "twincli", *args],
        capture_output=True,
        cwd=cwd,
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
    ["history"],
    ["history", "--every", "week", "--format", "csv"],
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
    # The data's only errors before 9999-12-31 are things done after the as-of day: validate
    # fails on them, where reports, exports and render leave them out of the day's figures
    # (`progress.past`); `render --check` fails as there are no reports yet.
    valid = as_of == "9999-12-31"
    fails = (command[0] == "validate" and not valid) or "--check" in command
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


# --- every format against its special characters ---------------------------------------------

SPECIAL = (
    "a|b`c<img src=x>&amp;[l](http://evil.example)![i](http://evil.example/i.png)*_~$\\"
    "{0}}%0A%25::,;\"'=+-@#\t\x01\x1b\x7f\x85\u2028\u202e"
    "\n## forged heading\r\n| x | y |\r::error::forged\n- item"
)
"""The special characters of every format at once: Markdown's (tables, headings, emphasis,
code, links, images, HTML, entities, math), SARIF's (embedded links, placeholders), XML's,
iCalendar's, CSV's (delimiters, quotes, formulas), GitHub's workflow commands' (`%`, `:`, `,`,
line breaks), and the control characters a terminal would act on."""

HOSTILE_FILE = "cities/" + SPECIAL.replace("/", "") + ".yaml"
"""A file named with them: a file name is anything but `/` and NUL. Misnamed (TC111): its name
is in the diagnostic's place and in its message."""


def hostile_validation(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """A folder with a file named with SPECIAL and a key spelt with it, and the diagnostics
    (shown path, message with hint) that `validate` reports, in its order."""
    city = MINIMAL_CITY + f'"{_yaml_escaped(SPECIAL)}": 1\n'
    root = build_tree(tmp_path / "programme", {"cities/soria.yaml": city})
    (root / HOSTILE_FILE).write_text(MINIMAL_CITY, encoding="utf-8")
    result = cli("--data", str(root), "--as-of", AS_OF, "validate", "--format", "json")
    found = json.loads(result.stdout)["diagnostics"]
    assert {(d["code"], d["file"]) for d in found} == {
        ("TC111", HOSTILE_FILE),
        ("TC201", "cities/soria.yaml"),
    }, found
    return root, [
        (str(root / d["file"]), d["message"] + (f" ({d['hint']})" if d["hint"] else ""))
        for d in found
    ]


def _yaml_escaped(text: str) -> str:
    """`text` inside a YAML double-quoted scalar."""
    return text.encode("unicode_escape").decode("ascii").replace('"', '\\"')


def seen(text: str) -> str:
    """What a person is shown of `text` on one line: control characters, line breaks and
    bidirectional controls as `\\uXXXX` (`terminal.printable`)."""
    return printable(text, one_line=True)


def as_printed(text: str) -> str:
    """A pattern matching `text` as a console prints it (`seen`, a tab expanded to spaces)."""
    return re.escape(seen(text)).replace(re.escape("\t"), " +")


def validated(root: Path, output_format: str, **env: str) -> Any:
    args = ["--data", str(root), "--as-of", AS_OF, "validate", "--format", output_format]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1, result.output
    return result


def check_text(tmp_path: Path) -> None:
    root, expected = hostile_validation(tmp_path)
    lines = validated(root, "text").stdout.split("\n")
    assert len(lines) == len(expected) + 2 and lines[-1] == "", lines  # and the summary
    for line, (path, message) in zip(lines, expected, strict=False):
        assert re.fullmatch(
            f"{as_printed(path)}:[0-9]+:[0-9]+: error TC[0-9]+ {as_printed(message)}", line
        )
        assert not UNSAFE.search(line) and line.splitlines() == [line], line


def check_json(tmp_path: Path) -> None:
    root, expected = hostile_validation(tmp_path)
    found = json.loads(validated(root, "json").stdout)["diagnostics"]
    got = [
        (str(root / d["file"]), d["message"] + (f" ({d['hint']})" if d["hint"] else ""))
        for d in found
    ]
    assert got == expected


def check_github(tmp_path: Path) -> None:
    """Workflow commands: `%`, CR and LF escaped in the message; `:` and `,` too in a
    property; one line each, so that text cannot start a command of its own."""
    root, expected = hostile_validation(tmp_path)
    lines = validated(root, "github").stdout.split("\n")
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(expected), lines

    def unescaped(text: str) -> str:
        for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(code, char)
        return text

    for line, (path, message) in zip(commands, expected, strict=True):
        command = re.fullmatch(r"::(error|warning) ([^:]*)::(.*)", line)
        assert command is not None, line
        properties = dict(p.split("=", 1) for p in command[2].split(","))
        assert list(properties) == ["file", "line", "col", "title"], line
        assert re.fullmatch(as_printed(path), seen(unescaped(properties["file"])))
        assert re.fullmatch(as_printed(message), seen(unescaped(command[3])))


def check_github_summary(tmp_path: Path) -> None:
    """The job summary, read as GitHub Flavored Markdown: one heading, one table of five
    columns whose cells hold the text, no link, image, emphasis or HTML but line breaks."""
    from markdown_it import MarkdownIt

    root, expected = hostile_validation(tmp_path)
    summary = tmp_path / "summary.md"
    validated(root, "github", GITHUB_STEP_SUMMARY=str(summary))
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(summary.read_text())
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h2"]
    cells: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            cells.append([])
        elif token.type == "inline" and cells:
            kinds = {c.type for c in token.children or []} - {"text", "html_inline"}
            assert kinds <= {"strong_open", "strong_close"}, token.content  # **error** only
            assert all(c.content == "<br>" for c in token.children or [] if c.type == "html_inline")
            cells[-1].append("".join(c.content for c in token.children or []))
    header, *rows = cells
    assert header == ["Severity", "File", "Line", "Code", "Problem"]
    assert [len(row) for row in rows] == [5] * len(expected)

    def shown(text: str) -> str:
        return "<br>".join(printable(line.strip()) for line in text.splitlines() if line.strip())

    assert [(row[1], row[4]) for row in rows] == [(shown(p), shown(m)) for p, m in expected]


def check_sarif(tmp_path: Path) -> None:
    """SARIF plain text messages: `[`, `]` and `\\` backslashed, so that no text is an
    embedded link; `{` and `}` doubled, so that none is a placeholder (SARIF 2.1.0, 3.11.5
    and 3.11.6). Locations are URIs of the files."""
    from urllib.parse import unquote

    root, expected = hostile_validation(tmp_path)
    results = json.loads(validated(root, "sarif").stdout)["runs"][0]["results"]
    assert len(results) == len(expected)
    for result, (path, message) in zip(results, expected, strict=True):
        text = result["message"]["text"]
        bare = re.sub(r"\\[\\\[\]]|\{\{|\}\}", "", text)  # what is left once escapes are gone
        assert not re.search(r"[\\\[\]{}]", bare), text
        assert re.sub(r"\\([\\\[\]])|([{}])\2", r"\1\2", text) == message
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert unquote(uri.removeprefix("file://")) == path


def check_junit(tmp_path: Path) -> None:
    """JUnit XML that parses, whatever a file is named: names and texts escaped for XML, and
    shown as a terminal shows them."""
    import xml.etree.ElementTree as ET

    root, expected = hostile_validation(tmp_path)
    report = ET.fromstring(validated(root, "junit").stdout)
    cases = {case.get("name"): case for case in report.iter("testcase")}
    for path, message in expected:
        case = cases[seen(path)]
        assert case.get("file") == seen(path)
        failure = case.find("failure")
        assert failure is not None and seen(message) in (failure.text or "")


EXPORTED = {
    "programme.yaml": MINIMAL_PROGRAMME.replace(
        "name: Test programme", f'name: "{_yaml_escaped(SPECIAL)}"'
    ).replace("title: Kick-off", f'title: "{_yaml_escaped(SPECIAL)}"'),
    "cohorts/cohort-2.yaml": MINIMAL_COHORT.replace(
        "date: 2024-10-15}", f'date: 2024-10-15, title: "={_yaml_escaped(SPECIAL)}"}}'
    )
    + f'title: "{_yaml_escaped(SPECIAL)}"\n',
    "pilots/urbanew.yaml": f'acronym: "{_yaml_escaped(SPECIAL)}"\n' + MINIMAL_PILOT,
    "cities/soria.yaml": MINIMAL_CITY.replace("name: Soria", f'name: "@{_yaml_escaped(SPECIAL)}"')
    + "visits:\n  - {direction: from-partner, city: Valladolid, start: 2025-01-10, status: done}\n",
}
"""SPECIAL in every text exports carry: the programme's name, an activity's, a cohort's and
an event's title (that one starting with `=`), a pilot's acronym, a city's name (starting with
`@`)."""


def check_csv(tmp_path: Path) -> None:
    """Every table with every delimiter, read back as a spreadsheet does: the rows and columns
    written, each cell as it was, but a `'` in front of a formula."""
    import csv

    root = build_tree(tmp_path / "programme", EXPORTED)
    for delimiter in (",", ";", "tab"):
        for table in ("cities", "visits", "outputs", "events"):
            args = ["export", "csv", "--table", table, "--delimiter", delimiter, "--no-bom"]
            result = cli("--data", str(root), "--as-of", AS_OF, *args)
            assert result.exit_code == 0, result.output
            sep = "\t" if delimiter == "tab" else delimiter
            text = result.stdout_bytes.decode("utf-8")  # not `stdout`: it rewrites CR LF
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
            header, *body = rows
            assert body and all(len(row) == len(header) for row in body), rows
            for row in body:
                named = dict(zip(header, row, strict=True))
                assert named.get("name", "'@" + SPECIAL) == "'@" + SPECIAL
                if "title" in named and named.get("event") == "kick-off":
                    assert named["title"] == "'=" + SPECIAL
                    assert named["activity_title"] == SPECIAL


def check_ics(tmp_path: Path) -> None:
    """Every text property of the calendar: its name, and each event's summary,
    description and location, with the line breaks, `;`, `,` and `\\` escaped and control
    characters shown; no property and no event but twincli's own."""
    root = build_tree(tmp_path / "programme", EXPORTED)
    clean = build_tree(tmp_path / "clean", {"cities/soria.yaml": EXPORTED["cities/soria.yaml"]})
    for options in ([], ["--city", "soria"], ["--cohort", "cohort-2"]):
        result = cli("--data", str(root), "--as-of", AS_OF, "export", "ics", *options)
        assert result.exit_code == 0, result.output
        lines = content_lines(result.stdout_bytes)
        plain = content_lines(cli("--data", str(clean), "export", "ics", *options).stdout_bytes)
        names = [line.split(b":", 1)[0].split(b";", 1)[0] for line in lines]
        assert names == [line.split(b":", 1)[0].split(b";", 1)[0] for line in plain]
        text = printable(SPECIAL.replace("\r\n", "\n").replace("\r", "\n"))
        calendar_name = property_text(lines, b"X-WR-CALNAME")
        assert calendar_name == text if not options else calendar_name.startswith(text + ": ")
        events = b"\r\n".join(lines).split(b"BEGIN:VEVENT")[1:]
        for event in events:
            for name in (b"SUMMARY", b"DESCRIPTION", b"LOCATION"):
                if any(line.startswith(name + b":") for line in event.split(b"\r\n")):
                    assert text in property_text(event.split(b"\r\n"), name) or name != b"SUMMARY"


@pytest.mark.parametrize(
    "check",
    [check_text, check_json, check_github, check_github_summary, check_sarif, check_junit,
     check_csv, check_ics],
    ids=lambda check: check.__name__.removeprefix("check_").replace("_", "-"),
)  # fmt: skip
def test_every_format_carries_its_special_characters_as_text(tmp_path: Path, check: Any) -> None:
    check(tmp_path)


# --- file names that are not UTF-8 -----------------------------------------------------------

NOT_UTF8 = b"cities/ume\xe5.yaml"
"""A city file named in Latin-1: git stores any bytes as a name, and so do file systems."""
SHOWN = "cities/ume\\xe5.yaml"
"""How every format names it: the byte that is not UTF-8 as `\\xe5` (`terminal.path_text`)."""


@pytest.fixture
def latin1_named(tmp_path: Path) -> Path:
    root = build_tree(tmp_path / "programme", {})
    (root / os.fsdecode(NOT_UTF8)).write_text(MINIMAL_CITY, encoding="utf-8")
    return root


def in_strict_utf8(root: Path, *args: str, **env: str) -> str:
    """twincli's stdout, run in `root` with a strict UTF-8 stdout (PYTHONIOENCODING=utf-8:
    a character it cannot encode is an error, not written as it is)."""
    done = run_twincli("--as-of", AS_OF, *args, cwd=root, PYTHONIOENCODING="utf-8", **env)
    stderr = done.stderr.decode("utf-8")
    assert "Traceback" not in stderr and done.returncode in (0, 1), stderr
    return done.stdout.decode("utf-8")  # strictly: each byte of it UTF-8


def _parsed_text(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(SHOWN)]


def _parsed_json(out: str) -> list[str]:
    return [d["file"] for d in json.loads(out)["diagnostics"]]


def _parsed_github(out: str) -> list[str]:
    return [line for line in out.splitlines() if f"file={SHOWN}," in line]


def _parsed_sarif(out: str) -> list[str]:
    """The files of the results, from their URIs: the bytes of the file's name."""
    from urllib.parse import unquote_to_bytes

    results = json.loads(out)["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    return [unquote_to_bytes(uri).decode("utf-8", "backslashreplace") for uri in uris]


def _parsed_junit(out: str) -> list[str]:
    import xml.etree.ElementTree as ET

    cases = ET.fromstring(out).iter("testcase")
    return [case.get("name", "") for case in cases if case.find("failure") is not None]


@pytest.mark.parametrize(
    ("output_format", "parsed"),
    [
        ("text", _parsed_text),
        ("json", _parsed_json),
        ("github", _parsed_github),
        ("sarif", _parsed_sarif),
        ("junit", _parsed_junit),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_file_name_that_is_not_utf8_is_named_in_every_format(
    latin1_named: Path, tmp_path: Path, output_format: str, parsed: Any
) -> None:
    summary = tmp_path / "summary.md"
    out = in_strict_utf8(
        latin1_named, "validate", "--format", output_format, GITHUB_STEP_SUMMARY=str(summary)
    )
    names = parsed(out)
    assert names and all(SHOWN in name for name in names), out
    if output_format == "github":
        assert "ume\\\\xe5" in summary.read_text(encoding="utf-8")  # `\` escaped for Markdown


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["status", "--format", "json"],
        ["deadlines"],
        ["export", "json"],
        ["validate", "cities"],
        ["render", "--check"],
    ],
    ids=" ".join,
)
def test_a_file_name_that_is_not_utf8_never_crashes_a_command(
    latin1_named: Path, command: list[str]
) -> None:
    in_strict_utf8(latin1_named, *command)


def test_a_report_whose_name_is_not_utf8_is_named_by_render(tmp_path: Path) -> None:
    """A report left over in the reports folder, named in Latin-1, that `render` removes."""
    root = build_tree(tmp_path / "programme", {})
    stale = "<!-- generated by twincli 0.1: twincli render --as-of 2025-06-30 -->\nold\n"
    (root / "reports").mkdir()
    (root / os.fsdecode(b"reports/caf\xe9.md")).write_text(stale, encoding="utf-8")
    assert "reports/caf\\xe9.md: left over" in in_strict_utf8(root, "render", "--check")
    assert "removed reports/caf\\xe9.md" in in_strict_utf8(root, "render")


# --- output in an encoding other than UTF-8 --------------------------------------------------

ENCODED_COMMANDS = [
    ["--help"],
    ["validate"],
    ["validate", "--format", "github"],
    ["status"],
    ["status", "--format", "markdown"],
    ["status", "--format", "json"],
    ["deadlines"],
    ["show", "city", "umea"],
    ["show", "city", "eskisehir"],
    ["show", "cohort", "cohort-2"],
    ["show", "pilot", "urbanew"],
    ["render", "--check"],
    ["render", "--out", "{tmp}/reports"],
    ["schema", "--kind", "city"],
    ["export", "csv"],
    ["export", "ics", "--city", "umea"],
    ["init", "{tmp}/Åre programme"],
    ["new", "city", "lodz", "--name", "Łódź", "--country", "PL", "--cohort", "cohort-2",
     "--pilot", "urbanew"],
    ["--as-of", "2025-10-20", "record", "attendance", "umea", "cluster-mobility"],
    ["show", "city", "ume"],  # a usage error: did you mean umea?
]  # fmt: skip


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("command", ENCODED_COMMANDS, ids=" ".join)
def test_every_command_degrades_in_an_encoding_that_is_not_utf8(
    tmp_path: Path, command: list[str], encoding: str
) -> None:
    """A terminal or a redirect in Latin-1 or ASCII (PYTHONIOENCODING, a Windows console):
    what it cannot show is transliterated or replaced, never a traceback."""
    root = tmp_path / "programme"
    shutil.copytree(EXAMPLE, root)
    args = [arg.format(tmp=tmp_path) for arg in command]
    done = run_twincli("--data", str(root), "--as-of", AS_OF, *args, PYTHONIOENCODING=encoding)
    stderr = done.stderr.decode(encoding)  # strictly: every character in that encoding
    assert "Traceback" not in stderr, stderr
    assert done.returncode == (2 if command[-1] == "ume" else 0), stderr
    document = command[0] in ("export", "schema") or "json" in command
    if document:  # JSON, iCalendar, CSV: UTF-8 by their formats, whatever the terminal's
        assert done.stdout.decode("utf-8")
    else:
        assert done.stdout.decode(encoding).strip() or stderr.strip()


def in_encoding(encoding: str, *args: str) -> str:
    """twincli's stdout on the example, in a process whose output is in `encoding`."""
    done = run_twincli("--data", str(EXAMPLE), "--as-of", AS_OF, *args, PYTHONIOENCODING=encoding)
    assert done.returncode == 0, done.stderr.decode(encoding)
    return done.stdout.decode(encoding)


def test_what_an_encoding_cannot_write_is_transliterated() -> None:
    """Latin-1 has `å` but not `ş` nor `→`; ASCII has none of them: twincli's own symbols
    become their ASCII spelling, letters lose the accents the encoding lacks."""
    latin1 = in_encoding("latin-1", "status")
    assert "2024-09-30 -> 2026-05-31" in latin1 and "Umeå" in latin1 and "Eskisehir" in latin1
    ascii_text = in_encoding("ascii", "status")
    assert "2024-09-30 -> 2026-05-31" in ascii_text and "Umea" in ascii_text
    assert "?" not in ascii_text.replace("(?)", "")
    markdown = in_encoding("ascii", "status", "--format", "markdown")
    assert "Eskisehir" in markdown and "-> 2026-05-31" in markdown


@pytest.mark.parametrize("output_format", ["json", "sarif", "junit"])
def test_machine_readable_documents_are_utf8_whatever_the_encoding(
    tmp_path: Path, output_format: str
) -> None:
    """JSON, SARIF and JUnit XML (which says `encoding="UTF-8"`) are UTF-8 by their formats:
    transliterated, or written in Latin-1, they would no longer say what the data says, or
    no longer parse."""
    city = MINIMAL_CITY + "Eskişehir→Umeå: 1\n"  # an unknown key, named in the message
    root = build_tree(tmp_path / "programme", {"cities/soria.yaml": city})
    args = ["--data", str(root), "--as-of", AS_OF, "validate", "--format", output_format]
    done = run_twincli(*args, PYTHONIOENCODING="latin-1")
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode("utf-8")
    if output_format == "junit":
        import xml.etree.ElementTree as ET

        said = "".join(ET.fromstring(out.encode("utf-8")).itertext())
    else:
        said = json.dumps(json.loads(out), ensure_ascii=False)
    assert "unknown key 'Eskişehir→Umeå'" in said
