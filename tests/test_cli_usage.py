"""Usage errors and help in twincli's own words: what a value should be, never the wording of
the library Typer converts values with (pydantic), and help that shows each option's value by
what it is. Where Typer 0.29 has its own way (a missing choice, `{ID}` in a usage line, `<str>`
beside an argument in help), no option of Typer's public API changes it: the tests pin it."""

from __future__ import annotations

import re

import pytest
from typer.testing import Result

from tests.support import cli
from tests.support.folders import EXAMPLE
from twincli.cli import lazy

HELP_PATHS = [
    [],
    *[[c.name] for c in lazy.COMMANDS],
    *[["export", kind] for kind in ("csv", "json", "ics")],
    *[["new", kind] for kind in ("city", "cohort", "pilot")],
    *[["record", kind] for kind in ("attendance", "visit", "output")],
]


def invoke(*args: str, width: int = 80) -> Result:
    """`twincli ARGS...` on the example programme, at a terminal `width` columns wide (rich
    reads $COLUMNS)."""
    return cli.run(EXAMPLE, *args, env={"COLUMNS": str(width)})


def said(result: Result) -> str:
    """What a refusal says, its lines (and the borders of rich's panel) joined."""
    return " ".join(result.stderr.replace("│", " ").split())


def refused(result: Result, command: str) -> str:
    """A usage error: exit 2, nothing on stdout, Typer's usage lines, no library wording."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    message = said(result)
    assert f"Usage: twincli {command} [OPTIONS]" in message
    assert f"Try 'twincli {command} --help' for help." in message
    for leaked in ("Value error", "Input should", "Traceback", "<int", "x>="):
        assert leaked not in message
    return message


# --- refused values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--format", "xml"],
         "Invalid value for '--format' / '-f': 'xml' is not one of auto, text, json, github, "
         "sarif, junit"),
        (["status", "--format", "JSON"],
         "Invalid value for '--format' / '-f': 'JSON' is not one of table, json, markdown"),
        (["deadlines", "--format", "xml"], "'xml' is not one of table, json, markdown, csv"),
        (["show", "town", "soria"],
         "Invalid value for 'KIND': 'town' is not one of city, cohort, event, pilot"),
        (["schema", "--kind", "visit"],
         "Invalid value for '--kind': 'visit' is not one of programme, cohort, pilot, city"),
        (["export", "csv", "--table", "pilots"],
         "Invalid value for '--table' / '-t': 'pilots' is not one of cities, visits, outputs, "
         "events"),
        (["export", "csv", "--delimiter", "|"],
         "Invalid value for '--delimiter': '|' is not one of ',', ';', tab"),
        (["new", "pilot", "comet-2", "--kind", "city"],
         "Invalid value for '--kind': 'city' is not one of pilot-activity, mission-city"),
        (["record", "visit", "soria", "--direction", "there", "--start", "2025-01-01"],
         "Invalid value for '--direction': 'there' is not one of to-partner, from-partner"),
        (["record", "visit", "soria", "--direction", "to-partner", "--start", "2025-01-01",
          "--status", "finished"],
         "Invalid value for '--status': 'finished' is not one of planned, done, cancelled"),
        (["record", "output", "soria", "action-plan", "--status", "done"],
         "Invalid value for '--status': 'done' is not one of not-started, drafting, submitted, "
         "needs-revision, approved"),
    ],
)  # fmt: skip
def test_a_word_that_is_not_a_choice_is_refused_with_the_choices(
    args: list[str], message: str
) -> None:
    command = args[0] if args[0] not in ("export", "new", "record") else " ".join(args[:2])
    assert message in refused(invoke(*args), command)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deadlines", "--within", "-3"],
         "Invalid value for '--within': -3 is below 0: give a number of days, 0 or more"),
        (["deadlines", "--within", "x"],
         "Invalid value for '--within': 'x' is not a whole number: give a number of days, 0 or "
         "more"),
        (["deadlines", "--within", "1.5"], "'1.5' is not a whole number: give a number of days"),
        (["record", "visit", "soria", "--direction", "to-partner", "--start", "2025-01-01",
          "--travellers", "0"],
         "Invalid value for '--travellers': 0 is below 1: give a number of travellers, 1 or more"),
        (["record", "visit", "soria", "--direction", "to-partner", "--start", "2025-01-01",
          "--travellers", "two"],
         "'two' is not a whole number: give a number of travellers, 1 or more"),
    ],
)  # fmt: skip
def test_a_number_out_of_range_says_what_it_should_be(args: list[str], message: str) -> None:
    command = args[0] if args[0] != "record" else " ".join(args[:2])
    assert message in refused(invoke(*args), command)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2025-02-30", "status"],
         "Invalid value for '--as-of': '2025-02-30' is written as YYYY-MM-DD but is not a date "
         "in the calendar"),
        (["--as-of", "2025-2-3", "status"],
         "Invalid value for '--as-of': '2025-2-3' is not a date as YYYY-MM-DD (zero-pad month "
         "and day: 2025-02-03)"),
        (["--as-of", "30/06/2025", "status"],
         "Invalid value for '--as-of': '30/06/2025' is not a date as YYYY-MM-DD"),
        (["record", "visit", "soria", "--direction", "to-partner", "--start", "2025-02-30"],
         "Invalid value for '--start': '2025-02-30' is written as YYYY-MM-DD but is not a date "
         "in the calendar"),
        (["record", "visit", "soria", "--direction", "to-partner", "--start", "2025-01-01",
          "--end", "2025-1-2"],
         "Invalid value for '--end': '2025-1-2' is not a date as YYYY-MM-DD (zero-pad month and "
         "day: 2025-01-02)"),
        (["record", "output", "soria", "action-plan", "--status", "approved", "--date",
          "2025-13-01"],
         "Invalid value for '--date': '2025-13-01' is written as YYYY-MM-DD but is not a date in "
         "the calendar"),
        (["new", "cohort", "cohort-3", "--start", "1 May 2025"],
         "Invalid value for '--start': '1 May 2025' is not a date as YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_a_date_option_says_whether_the_form_or_the_day_is_wrong(
    args: list[str], message: str
) -> None:
    if args[0] == "--as-of":
        result = cli.invoke("--data", str(EXAMPLE), *args)
        command = ""
    else:
        result = invoke(*args)
        command = " ".join(args[:2])
    assert result.exit_code == 2, result.output
    text = said(result)
    assert message in text
    assert f"Usage: twincli {command}".rstrip() in text
    assert "Value error" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["record", "visit", "soria"], "Missing option '--start'."),
        (["withdraw", "soria", "--date", "2025-01-01"], "Missing option '--reason'."),
        (["show"], "Missing argument 'KIND'. Choose from: city, cohort, event, pilot"),
        (["show", "city"], "Missing argument 'ID'."),
        (["init"], "Missing argument 'DIR'."),
        (["record", "attendance", "soria"], "Missing argument 'EVENT'."),
    ],
)  # fmt: skip
def test_a_missing_value_is_named_with_its_choices(args: list[str], message: str) -> None:
    """Typer's wording (the choices a line each, as Click lists them)."""
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in said(result)


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["show"], "Usage: twincli show [OPTIONS] {KIND} {ID} [EVENT]"),
        (["init"], "Usage: twincli init [OPTIONS] {DIR}"),
        (["record", "attendance", "soria"],
         "Usage: twincli record attendance [OPTIONS] {CITY} {EVENT}..."),
        (["record", "output", "soria"], "Usage: twincli record output [OPTIONS] {CITY} {OUTPUT}"),
        (["new", "city"], "Usage: twincli new city [OPTIONS] {ID}"),
        (["validate", "--format", "x"], "Usage: twincli validate [OPTIONS] [FILE]..."),
    ],
)  # fmt: skip
def test_usage_lines_name_arguments_as_the_help_does(args: list[str], usage: str) -> None:
    """By their metavar; Typer 0.29 puts a required one in braces."""
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == usage


# --- help ---------------------------------------------------------------------------------


def rows(path: list[str], width: int = 200) -> dict[str, str]:
    """Each option or argument of a command's help, by its name: the rest of its first row."""
    result = invoke(*path, "--help", width=width)
    assert result.exit_code == 0, result.output
    found = {}
    for line in result.stdout.splitlines():
        cells = line.strip("│ ").lstrip("* ").split()
        if cells and (cells[0].startswith("-") or cells[0].isupper()):
            short = len(cells) > 1 and re.fullmatch(r"-[a-z]", cells[1]) is not None
            found[cells[0]] = " ".join(cells[2 if short else 1 :])
    return found


@pytest.mark.parametrize(
    ("path", "name", "shown"),
    [
        (["validate"], "FILE", "Report only"),
        (["show"], "KIND", "What to show"),
        (["show"], "ID", "Its id"),
        (["init"], "DIR", "The folder"),
        (["record", "attendance"], "CITY", "The Twin City's id"),
        (["record", "attendance"], "EVENT", "Events of"),
        (["status"], "--city", "ID "),
        (["status"], "--cohort", "ID "),
        (["status"], "--format", "table | json | markdown "),
        (["deadlines"], "--within", "DAYS "),
        (["deadlines"], "--format", "table | json "),
        (["validate"], "--format", "auto | text | json | github | sarif | junit "),
        (["schema"], "--kind", "programme | cohort | pilot | city "),
        (["schema"], "--out", "DIR "),
        (["render"], "--out", "DIR "),
        (["export", "csv"], "--out", "FILE "),
        (["export", "csv"], "--table", "cities | visits | outputs | events "),
        (["export", "csv"], "--delimiter", "',' | ';' | tab "),
        (["new", "city"], "--name", "NAME "),
        (["new", "city"], "--country", "CC "),
        (["new", "cohort"], "--start", "YYYY-MM-DD "),
        (["new", "cohort"], "--title", "TEXT "),
        (["new", "pilot"], "--title", "TEXT "),
        (["new", "pilot"], "--acronym", "TEXT "),
        (["new", "pilot"], "--kind", "pilot-activity | mission-city "),
        (["record", "visit"], "--direction", "to-partner | from-partner "),
        (["record", "visit"], "--travellers", "N "),
        (["record", "visit"], "--status", "planned | done | cancelled "),
        (["record", "output"], "--status",
         "not-started | drafting | submitted | needs-revision | approved "),
        (["record", "output"], "--date", "YYYY-MM-DD "),
    ],
)  # fmt: skip
def test_help_shows_each_value_by_what_it_is(path: list[str], name: str, shown: str) -> None:
    row = rows(path)[name]
    if name.startswith("-"):  # an option: what it takes, first
        assert row.startswith(shown)
    else:  # an argument, named by its metavar; Typer 0.29 shows its type next: `ID <str>`
        assert shown in row


@pytest.mark.parametrize("path", HELP_PATHS, ids=lambda p: " ".join(p) or "twincli")
@pytest.mark.parametrize("width", [60, 80])
def test_help_wraps_between_words(path: list[str], width: int) -> None:
    """At a narrow terminal, help wraps at spaces: every word it shows is a whole word of the
    help shown on a wide one (rich folds a word too long for its column)."""

    def words(width: int) -> set[str]:
        result = invoke(*path, "--help", width=width)
        assert result.exit_code == 0, result.output
        return set(re.sub(r"[│╭╮╰╯─]", " ", result.stdout).split())

    assert words(width) - words(200) == set()


def test_new_ids_are_shown_with_an_id_of_their_kind() -> None:
    assert "(e.g. eskisehir)" in rows(["new", "city"])["ID"]
    assert "(e.g. cohort-3)" in rows(["new", "cohort"])["ID"]
    pilot = rows(["new", "pilot"])["ID"]
    assert "(e.g. urbanew)" in pilot
    assert (EXAMPLE / "pilots" / "urbanew.yaml").is_file()


def test_init_help_wraps_its_paragraphs_to_the_terminal() -> None:
    lines = [line.strip() for line in invoke("init", "--help", width=100).stdout.splitlines()]
    start = lines.index("Create a new programme folder, ready for its first cohort.")
    assert lines[start + 1 : start + 8] == [
        "",
        "It holds:",
        "- programme.yaml, with the programme's editions",
        "- empty cohorts/, pilots/ and cities/ folders",
        "- a README, a CI workflow, a pre-commit config and editor schemas",
        "",
        "Refuses a folder that is not empty.",
    ]


# --- SARIF --------------------------------------------------------------------------------


def test_sarif_help_keeps_a_path_that_starts_a_sentence_as_it_is() -> None:
    from twincli.check.formats import sarif_rules

    helps = {rule["id"]: rule["help"]["markdown"] for rule in sarif_rules()}
    assert "\n\n`cities/soria.yaml` without read permission.\n\n" in helps["TC101"]
    assert "\n\n`cities/Soria.yml`.\n\n" in helps["TC111"]
    assert "\n\nA city file saved as Latin-1 or UTF-16.\n\n" in helps["TC102"]
    assert not any("Cities/" in text for text in helps.values())
