"""`twincli record` leaves alone a file that has errors of its own.

An edit spliced into a file twincli cannot read as intended goes wrong: with `attended:`
misspelt, `record attendance` would add a second `attended:` list, and once the typo is fixed
the file has the key twice and the attendance is lost or doubled. So a command refuses (exit 1,
nothing written) when the file it would edit has an error, as `twincli validate` reports it
before the change; warnings in it, and errors in other files, do not stop it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import Result

from tests.support import cli
from tests.support.editing import HAND_WRITTEN_CITY
from tests.support.folders import (
    MINIMAL_CITY,
    MINIMAL_COHORT,
    MINIMAL_PILOT,
    MINIMAL_PROGRAMME,
    build_tree,
    snapshot,
)
from twincli.check import incremental
from twincli.edit import transaction

CITY = HAND_WRITTEN_CITY

COMMANDS = {
    "attendance": ["attendance", "soria", "seminar-1"],
    "visit": [
        "visit", "soria", "--direction", "to-partner", "--city", "Valladolid",
        "--start", "2025-03-11",
    ],
    "output": [
        "output", "soria", "action-plan", "--status", "approved", "--date", "2025-02-01",
    ],
}  # fmt: skip
"""One command of each kind, each changing cities/soria.yaml (CITY) when it is valid."""

OWN_ERRORS = {
    "a misspelt key": (
        ("attended:                       # a block list", "atended:"),
        "cities/soria.yaml:11:1: error TC201 unknown key 'atended' (did you mean 'attended'?)",
    ),
    "a date not in the calendar": (
        ("    start: 2024-10-20", "    start: 2024-10-32"),
        "cities/soria.yaml:18:12: error TC205 visits[0].start: '2024-10-32' is not a date in "
        "the calendar",
    ),
    "an unknown status": (
        ("    status: done\n", "    status: doen\n"),
        "cities/soria.yaml:19:13: error TC207 visits[0].status: 'doen' is not one of: planned, "
        "done, cancelled (did you mean 'done'?)",
    ),
}
"""A mistake in the city file (old text, new text), and the error validate reports for it."""

REFUSED = (
    "twincli: refused: cities/soria.yaml has 1 error; fix it first "
    "(twincli validate cities/soria.yaml); nothing was written\n"
)


@pytest.fixture
def inside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The programme folder, and the current folder: paths are shown relative to it."""
    root = tmp_path / "prog"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> Result:
    """`twincli --as-of AS_OF ARGS...` in the current folder."""
    return cli.run(None, *args)


def with_mistake(old: str, new: str) -> str:
    assert CITY.count(old) == 1, old
    return CITY.replace(old, new)


def assert_refused(result: Result, root: Path, before: dict[str, bytes], stderr: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == stderr
    assert snapshot(root) == before  # byte for byte, and no lock or temporary file left


# --- errors in the file being edited ----------------------------------------------------------


@pytest.mark.parametrize("mistake", list(OWN_ERRORS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_city_file_with_an_error_of_its_own_is_not_edited(
    inside: Path, command: str, mistake: str
) -> None:
    (old, new), error = OWN_ERRORS[mistake]
    build_tree(inside, {"cities/soria.yaml": with_mistake(old, new)})
    before = snapshot(inside)
    result = run("record", *COMMANDS[command])
    assert_refused(result, inside, before, f"{error}\n{REFUSED}")


def test_every_error_of_the_file_is_listed(inside: Path) -> None:
    text = with_mistake("    start: 2024-10-20", "    start: 2024-10-32")
    text = text.replace("attended:                       # a block list", "atended:")
    build_tree(inside, {"cities/soria.yaml": text})
    before = snapshot(inside)
    result = run("record", *COMMANDS["visit"])
    assert_refused(
        result,
        inside,
        before,
        f"{OWN_ERRORS['a misspelt key'][1]}\n"
        f"{OWN_ERRORS['a date not in the calendar'][1]}\n"
        "twincli: refused: cities/soria.yaml has 2 errors; fix them first "
        "(twincli validate cities/soria.yaml); nothing was written\n",
    )


def test_only_the_files_own_errors_are_listed(inside: Path) -> None:
    (old, new), error = OWN_ERRORS["a misspelt key"]
    burgos = MINIMAL_CITY.replace("Soria", "Burgos").replace("attended:", "atended:")
    build_tree(inside, {"cities/soria.yaml": with_mistake(old, new), "cities/burgos.yaml": burgos})
    before = snapshot(inside)
    result = run("record", *COMMANDS["attendance"])
    assert_refused(result, inside, before, f"{error}\n{REFUSED}")


def test_a_city_that_cannot_be_read_at_all_is_not_edited(inside: Path) -> None:
    """TC209: the country is not a code, so there is no city to plan the change on."""
    build_tree(inside, {"cities/soria.yaml": with_mistake("country: 'ES'", "country: 'UK'")})
    before = snapshot(inside)
    result = run("record", *COMMANDS["attendance"])
    assert_refused(
        result,
        inside,
        before,
        "cities/soria.yaml:4:10: error TC209 country: 'UK' is not an ISO 3166-1 alpha-2 country "
        "code (UK is the EU's code for the United Kingdom; ISO 3166-1 says GB)\n" + REFUSED,
    )


def test_a_city_whose_cohort_cannot_be_read_is_not_edited(inside: Path) -> None:
    cohort = "edition: [tlp-18\nstart: 2024-09-30\n"
    build_tree(inside, {"cities/soria.yaml": CITY, "cohorts/cohort-2.yaml": cohort})
    before = snapshot(inside)
    result = run("record", *COMMANDS["attendance"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("cohorts/cohort-2.yaml:2:6: error TC103 YAML syntax error")
    assert result.stderr.endswith(
        "twincli: refused: cohorts/cohort-2.yaml has 1 error; fix it first "
        "(twincli validate cohorts/cohort-2.yaml); nothing was written\n"
    )
    assert snapshot(inside) == before


def test_paths_are_shown_as_validate_shows_them_from_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = with_mistake("country: 'ES'", "country: 'UK'")
    root = build_tree(tmp_path / "prog", {"cities/soria.yaml": text})
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = run("--data", str(root), "record", *COMMANDS["attendance"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{root}/cities/soria.yaml:4:10: error TC209 ")
    assert result.stderr.endswith(
        f"twincli: refused: {root}/cities/soria.yaml has 1 error; fix it first "
        f"(twincli validate {root}/cities/soria.yaml); nothing was written\n"
    )


def test_the_audit_cases_on_the_example(example_copy: Path) -> None:
    soria = example_copy / "cities/soria.yaml"
    text = soria.read_text(encoding="utf-8")
    assert text.count("\nattended: [") == 1
    soria.write_text(text.replace("\nattended: [", "\natended: ["), encoding="utf-8")
    plymouth = example_copy / "cities/plymouth.yaml"
    text = plymouth.read_text(encoding="utf-8")
    assert text.count("    start: 2025-09-09\n") == 1
    plymouth.write_text(text.replace("start: 2025-09-09", "start: 2025-09-31"), encoding="utf-8")
    before = snapshot(example_copy)
    for command in (
        ["attendance", "soria", "kick-off"],
        ["output", "plymouth", "info-session", "--status", "drafting"],
    ):
        result = run("--data", str(example_copy), "record", *command)
        assert result.exit_code == 1, result.output
        assert f"refused: {example_copy}/cities/{command[1]}.yaml has 1 error" in result.stderr
        assert snapshot(example_copy) == before


# --- what does not block a change -------------------------------------------------------------


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_warning_in_the_file_does_not_block_the_change(inside: Path, command: str) -> None:
    # TC406: the first visit is still planned, though its day has passed
    text = with_mistake(
        '    city: "Vitoria-Gasteiz"\n    start: 2024-10-20\n    status: done\n',
        '    city: "Vitoria-Gasteiz"\n    start: 2024-10-20\n    status: planned\n',
    )
    build_tree(inside, {"cities/soria.yaml": text})
    result = run("validate")
    assert result.stdout.splitlines()[0].startswith("cities/soria.yaml:19:13: warning TC406 ")
    assert result.exit_code == 0
    result = run("record", *COMMANDS[command])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("cities/soria.yaml:")
    assert result.stderr == ""
    assert (inside / "cities/soria.yaml").read_text(encoding="utf-8") != text


@pytest.mark.parametrize("command", list(COMMANDS))
def test_errors_in_other_files_do_not_block_the_change_and_are_counted(
    inside: Path, command: str
) -> None:
    burgos = MINIMAL_CITY.replace("Soria", "Burgos").replace("attended:", "atended:")
    pilot = "acronymm: URB\n" + MINIMAL_PILOT
    files = {"cities/soria.yaml": CITY, "cities/burgos.yaml": burgos, "pilots/urbanew.yaml": pilot}
    build_tree(inside, files)
    result = run("record", *COMMANDS[command])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("cities/soria.yaml:")
    assert result.stderr.endswith(
        "twincli: warning: the programme already has 2 errors elsewhere (run twincli validate)\n"
    )
    assert (inside / "cities/soria.yaml").read_text(encoding="utf-8") != CITY


# --- cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        (CITY, ["load", "validate", "validate"]),
        (with_mistake("    start: 2024-10-20", "    start: 2024-10-32"), ["load", "validate"]),
    ],
    ids=["written", "refused"],
)
def test_the_refusal_comes_from_the_check_before_the_change(
    inside: Path, monkeypatch: pytest.MonkeyPatch, text: str, steps: list[str]
) -> None:
    """No extra load: the folder is loaded once and checked before the change; a refused change
    is not checked after it."""
    build_tree(inside, {"cities/soria.yaml": text})
    seen: list[str] = []
    load, validate = transaction.load_programme, incremental.validate

    def loading(*args: object, **kwargs: object) -> object:
        seen.append("load")
        return load(*args, **kwargs)  # type: ignore[arg-type]

    def validating(*args: object, **kwargs: object) -> object:
        seen.append("validate")
        return validate(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(transaction, "load_programme", loading)
    monkeypatch.setattr(incremental, "validate", validating)
    run("record", *COMMANDS["attendance"])
    assert seen == steps


# --- a cohort or an edition that cannot be read -------------------------------------------------

PROGRAMME_ERROR = (
    "programme.yaml:5:13: error TC204 editions.tlp-18.months: expected a whole number, got "
    "'eighteen' (write plain digits, e.g. 2)"
)

NOT_READ = {
    "a broken edition": (
        {"programme.yaml": MINIMAL_PROGRAMME.replace("months: 18", "months: eighteen")},
        PROGRAMME_ERROR,
        "programme.yaml",
    ),
    "a cohort file with an error": (
        {"cohorts/cohort-2.yaml": MINIMAL_COHORT.replace("start: 2024-09-30", "start: 2024-09-31")},
        "cohorts/cohort-2.yaml:2:8: error TC205 start: '2024-09-31' is not a date in the calendar",
        "cohorts/cohort-2.yaml",
    ),
    "a misnamed cohort file": (
        {"cohorts/cohort-2.yaml": None, "cohorts/Cohort-2.yaml": MINIMAL_COHORT},
        "cohorts/Cohort-2.yaml:1:1: error TC111 'Cohort-2' is not a valid id for a file name (ids "
        "are lower-case letters, digits and single hyphens, e.g. 'cohort-2')",
        "cohorts/Cohort-2.yaml",
    ),
}
"""Files that keep the city's cohort or its edition from being read, the error validate reports,
and the file that has it."""


def refused_for(path: str) -> str:
    return (
        f"twincli: refused: {path} has 1 error; fix it first (twincli validate {path}); "
        "nothing was written\n"
    )


@pytest.mark.parametrize("broken", list(NOT_READ))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_city_whose_cohort_or_edition_cannot_be_read_is_not_edited(
    inside: Path, command: str, broken: str
) -> None:
    files, error, path = NOT_READ[broken]
    build_tree(inside, {"cities/soria.yaml": CITY, **files})
    before = snapshot(inside)
    result = run("record", *COMMANDS[command])
    assert_refused(result, inside, before, f"{error}\n{refused_for(path)}")


@pytest.mark.parametrize("broken", list(NOT_READ))
def test_new_city_of_a_cohort_or_edition_that_cannot_be_read_is_refused(
    inside: Path, broken: str
) -> None:
    files, error, path = NOT_READ[broken]
    build_tree(inside, files)
    before = snapshot(inside)
    result = run(
        "new", "city", "burgos", "--name", "Burgos", "--country", "ES", "--cohort", "cohort-2",
        "--pilot", "urbanew",
    )  # fmt: skip
    assert_refused(result, inside, before, f"{error}\n{refused_for(path)}")
