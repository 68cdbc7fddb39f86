"""`twincli validate` and the global options, as a user and a CI job see them (cli.md).

Most checks run the Typer app in-process with `typer.testing.CliRunner` (whose result keeps
stdout and stderr apart); a few run `python -m twincli` in a real subprocess, for what only a
real process shows: colour on a pipe or a terminal, `python -m`, a closed pipe.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

import twincli
from tests.support.cli import invoke, process_env, run, twincli_process
from tests.support.console import make_console
from tests.support.folders import AS_OF, MINIMAL_CITY, MINIMAL_PILOT, build_tree
from twincli.check import formats
from twincli.diagnostics import Diagnostic, Location, Severity, Summary

BROKEN_CITY = MINIMAL_CITY.replace("attended:", "atended:") + "status: withdrawn\n"
BROKEN_PILOT = "acronymm: URB\n" + MINIMAL_PILOT
BROKEN = {"cities/soria.yaml": BROKEN_CITY, "pilots/urbanew.yaml": BROKEN_PILOT}

SORIA_ERROR = "5:1: error TC201 unknown key 'atended' (did you mean 'attended'?)"
SORIA_WARNING = (
    "6:9: warning TC601 the city is withdrawn but has no 'withdrawn:' record "
    "(add 'withdrawn: {date: YYYY-MM-DD, reason: ...}')"
)
PILOT_ERROR = "1:1: error TC201 unknown key 'acronymm' (did you mean 'acronym'?)"

COLOUR_SGR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7]|4[0-9]|10[0-7])(?:;[0-9;]*)?m")


def make(tmp_path: Path, files: Mapping[str, str | bytes | None] | None = None) -> Path:
    return build_tree(tmp_path / "prog", files or {})


def lines(text: str) -> list[str]:
    return text.splitlines()


def assert_stopped(result: Result, *words: str) -> str:
    """A run that could not run: exit 2, a message on stderr, nothing on stdout."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


# --- text output ---------------------------------------------------------------------------


def test_text_lines_and_summary_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, BROKEN)
    monkeypatch.chdir(root)
    result = run(None, "validate")
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        f"cities/soria.yaml:{SORIA_ERROR}",
        f"cities/soria.yaml:{SORIA_WARNING}",
        f"pilots/urbanew.yaml:{PILOT_ERROR}",
        "2 errors, 1 warning in 4 files",
    ]
    assert result.stderr == ""


def test_a_clean_folder_prints_only_the_summary_and_exits_0(tmp_path: Path) -> None:
    result = run(make(tmp_path), "validate")
    assert result.exit_code == 0
    assert lines(result.stdout) == ["0 errors, 0 warnings in 4 files"]
    assert result.stderr == ""


def test_the_example_programme_is_clean() -> None:
    result = run(Path(twincli.__file__).parents[2] / "examples" / "programme", "validate")
    assert result.exit_code == 0
    assert re.fullmatch(r"0 errors, 0 warnings in \d+ files\n", result.stdout)


@pytest.mark.parametrize(
    ("errors", "warnings", "files", "text"),
    [
        (0, 0, 0, "0 errors, 0 warnings in 0 files"),
        (1, 1, 1, "1 error, 1 warning in 1 file"),
        (2, 1, 4, "2 errors, 1 warning in 4 files"),
        (1, 2, 84, "1 error, 2 warnings in 84 files"),
    ],
)
def test_summary_singular_and_plural(errors: int, warnings: int, files: int, text: str) -> None:
    assert str(Summary(errors, warnings, files)) == text


def test_paths_from_a_subfolder_are_relative_inside_it_and_absolute_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, BROKEN)
    monkeypatch.chdir(root / "cities")
    result = run(None, "validate")
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        f"soria.yaml:{SORIA_ERROR}",
        f"soria.yaml:{SORIA_WARNING}",
        f"{(root / 'pilots' / 'urbanew.yaml').resolve()}:{PILOT_ERROR}",
        "2 errors, 1 warning in 4 files",
    ]


def test_paths_are_absolute_from_outside_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, BROKEN).resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run(root, "validate")
    out = lines(result.stdout)
    assert out[0] == f"{root}/cities/soria.yaml:{SORIA_ERROR}"
    assert Path(out[0].split(":")[0]).is_absolute()
    assert out[2] == f"{root}/pilots/urbanew.yaml:{PILOT_ERROR}"


def test_paths_from_the_parent_folder_are_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, BROKEN)
    monkeypatch.chdir(tmp_path)
    result = run(Path("prog"), "validate")
    assert lines(result.stdout)[0] == f"prog/cities/soria.yaml:{SORIA_ERROR}"


def test_text_is_not_markup_and_long_lines_are_not_wrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = MINIMAL_CITY + '"[bold]x:warning:": 1\n' + "a-very-long-unknown-key" * 5 + ": 1\n"
    root = make(tmp_path, {"cities/soria.yaml": city})
    monkeypatch.chdir(root)
    result = invoke("--as-of", AS_OF, "validate", env={"COLUMNS": "30"})
    out = lines(result.stdout)
    assert out[0] == "cities/soria.yaml:6:1: error TC201 unknown key '[bold]x:warning:'"
    assert out[1] == (
        f"cities/soria.yaml:7:1: error TC201 unknown key '{'a-very-long-unknown-key' * 5}'"
    )
    assert out[2] == "2 errors, 0 warnings in 4 files"


# --- exit codes ----------------------------------------------------------------------------


def test_warnings_alone_exit_0_and_1_with_strict(tmp_path: Path) -> None:
    root = make(tmp_path, {"cities/soria.yaml": MINIMAL_CITY + "status: withdrawn\n"})
    plain = run(root, "validate")
    assert plain.exit_code == 0
    assert lines(plain.stdout)[-1] == "0 errors, 1 warning in 4 files"
    strict = run(root, "validate", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout == plain.stdout


def test_errors_exit_1_with_or_without_strict(tmp_path: Path) -> None:
    root = make(tmp_path, BROKEN)
    assert run(root, "validate").exit_code == 1
    assert run(root, "validate", "--strict").exit_code == 1


def test_a_file_that_does_not_parse_is_exit_1_and_the_rest_is_still_checked(
    tmp_path: Path,
) -> None:
    root = make(
        tmp_path, {"cities/soria.yaml": b"name: [Soria\n", "pilots/urbanew.yaml": BROKEN_PILOT}
    )
    result = run(root, "validate", "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["diagnostics"]
    assert [(d["file"], d["code"]) for d in found] == [
        ("cities/soria.yaml", "TC103"),
        ("pilots/urbanew.yaml", "TC201"),
    ]


def test_a_file_that_is_not_utf8_is_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, {"cities/soria.yaml": "name: Córdoba\n".encode("latin-1")})
    monkeypatch.chdir(root)
    result = run(None, "validate")
    assert result.exit_code == 1
    assert lines(result.stdout)[0].startswith("cities/soria.yaml:1:8: error TC102 ")


def test_an_unknown_format_is_bad_usage(tmp_path: Path) -> None:
    result = run(make(tmp_path), "validate", "--format", "xml")
    assert_stopped(result, "xml")


# --- json ----------------------------------------------------------------------------------


def test_json_shape(tmp_path: Path) -> None:
    result = run(make(tmp_path, BROKEN), "validate", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert set(payload) == {"diagnostics", "summary"}
    assert payload["summary"] == {"errors": 2, "warnings": 1, "files": 4}
    assert payload["diagnostics"][0] == {
        "file": "cities/soria.yaml",
        "line": 5,
        "column": 1,
        "code": "TC201",
        "severity": "error",
        "message": "unknown key 'atended'",
        "hint": "did you mean 'attended'?",
        "cause": None,
    }
    assert [(d["file"], d["code"], d["severity"]) for d in payload["diagnostics"]] == [
        ("cities/soria.yaml", "TC201", "error"),
        ("cities/soria.yaml", "TC601", "warning"),
        ("pilots/urbanew.yaml", "TC201", "error"),
    ]
    for d in payload["diagnostics"]:
        assert set(d) == {"file", "line", "column", "code", "severity", "message", "hint", "cause"}
        assert isinstance(d["line"], int) and isinstance(d["column"], int)


def test_json_hint_is_null_when_there_is_none(tmp_path: Path) -> None:
    city = MINIMAL_CITY.replace("attended: [kick-off]", "zzzzzz: 1")
    result = run(make(tmp_path, {"cities/soria.yaml": city}), "validate", "-f", "json")
    (d,) = json.loads(result.stdout)["diagnostics"]
    assert d["code"] == "TC201" and d["hint"] is None


def test_json_paths_are_folder_relative_wherever_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, BROKEN)
    for cwd in (root / "cities", tmp_path):
        monkeypatch.chdir(cwd)
        payload = json.loads(run(root, "validate", "--format", "json").stdout)
        assert [d["file"] for d in payload["diagnostics"]] == [
            "cities/soria.yaml",
            "cities/soria.yaml",
            "pilots/urbanew.yaml",
        ]


def test_a_clean_json_report(tmp_path: Path) -> None:
    result = run(make(tmp_path), "validate", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "diagnostics": [],
        "summary": {"errors": 0, "warnings": 0, "files": 4},
    }


def test_json_keeps_non_ascii_text(tmp_path: Path) -> None:
    city = MINIMAL_CITY + "Eskişehir: 1\n"
    result = run(make(tmp_path, {"cities/soria.yaml": city}), "validate", "--format", "json")
    (d,) = json.loads(result.stdout)["diagnostics"]
    assert d["message"] == "unknown key 'Eskişehir'"


# --- github --------------------------------------------------------------------------------


def test_github_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, BROKEN)
    monkeypatch.chdir(root)
    result = run(None, "validate", "--format", "github")
    assert result.exit_code == 1
    commands = [line for line in lines(result.stdout) if line.startswith("::")]
    assert commands == [
        "::error file=cities/soria.yaml,line=5,col=1,title=TC201::"
        "unknown key 'atended' (did you mean 'attended'?)",
        "::warning file=cities/soria.yaml,line=6,col=9,title=TC601::"
        "the city is withdrawn but has no 'withdrawn:' record "
        "(add 'withdrawn: {date: YYYY-MM-DD, reason: ...}')",
        "::error file=pilots/urbanew.yaml,line=1,col=1,title=TC201::"
        "unknown key 'acronymm' (did you mean 'acronym'?)",
    ]
    others = [line for line in lines(result.stdout) if not line.startswith("::")]
    assert others in ([], ["2 errors, 1 warning in 4 files"])


def _diag(message: str, hint: str | None = None, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic("TC201", severity, message, Location("cities/soria.yaml", 3, 7), hint)


def test_github_line_escapes_data() -> None:
    d = _diag("100% sure\r\nsecond line", "use 50%")
    assert formats.github_line(d, lambda rel: rel) == (
        "::error file=cities/soria.yaml,line=3,col=7,title=TC201::"
        "100%25 sure%0D%0Asecond line (use 50%25)"
    )


def test_github_line_escapes_properties() -> None:
    d = _diag("plain: a, b")
    line = formats.github_line(d, lambda rel: "C:/data,x/100%/" + rel)
    assert line == (
        "::error file=C%3A/data%2Cx/100%25/cities/soria.yaml,line=3,col=7,title=TC201::plain: a, b"
    )


def test_github_line_for_a_warning() -> None:
    d = _diag("late", severity=Severity.WARNING)
    assert formats.github_line(d, lambda rel: rel).startswith("::warning file=cities/soria.yaml,")


def test_github_line_is_one_line_whatever_the_message() -> None:
    d = _diag("a\nb\rc\r\nd", "e\nf")
    line = formats.github_line(d, lambda rel: rel + "\n")
    assert "\n" not in line and "\r" not in line


def test_text_line_matches_the_documented_shape() -> None:
    d = _diag("unknown key 'atended'", "did you mean 'attended'?")
    assert formats.text_line(d, lambda rel: rel) == (
        "cities/soria.yaml:3:7: error TC201 unknown key 'atended' (did you mean 'attended'?)"
    )


# --- file arguments ------------------------------------------------------------------------


def test_file_arguments_report_only_on_those_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, BROKEN)
    monkeypatch.chdir(root)
    result = run(None, "validate", "cities/soria.yaml")
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        f"cities/soria.yaml:{SORIA_ERROR}",
        f"cities/soria.yaml:{SORIA_WARNING}",
        "1 error, 1 warning in 1 file",
    ]


def test_a_clean_named_file_passes_while_others_are_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, {"pilots/urbanew.yaml": BROKEN_PILOT})
    monkeypatch.chdir(root)
    result = run(None, "validate", "cities/soria.yaml", "cohorts/cohort-2.yaml")
    assert result.exit_code == 0
    assert lines(result.stdout) == ["0 errors, 0 warnings in 2 files"]


def test_named_files_still_resolve_references_against_the_whole_folder(tmp_path: Path) -> None:
    city = MINIMAL_CITY.replace("pilot: urbanew", "pilot: urbanev")
    root = make(tmp_path, {"cities/soria.yaml": city})
    result = run(root, "validate", "--format", "json", str(root / "cities" / "soria.yaml"))
    payload = json.loads(result.stdout)
    # cohort-2 and the kick-off event are found in files not named; urbanev is not
    assert [(d["code"], d["hint"]) for d in payload["diagnostics"]] == [
        ("TC303", "did you mean 'urbanew'?")
    ]
    assert payload["summary"] == {"errors": 1, "warnings": 0, "files": 1}


def test_file_arguments_relative_to_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, BROKEN)
    monkeypatch.chdir(root / "cities")
    result = run(None, "validate", "soria.yaml", "../cities/soria.yaml")
    assert lines(result.stdout) == [
        f"soria.yaml:{SORIA_ERROR}",
        f"soria.yaml:{SORIA_WARNING}",
        "1 error, 1 warning in 1 file",
    ]


def test_a_named_file_with_a_bad_name_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, {"cities/Cologne.yml": "name: Cologne\n"})
    monkeypatch.chdir(root)
    result = run(None, "validate", "cities/Cologne.yml")
    assert result.exit_code == 1
    line, _summary = lines(result.stdout)
    assert line.startswith("cities/Cologne.yml:1:1: error TC111 ")


def test_a_missing_file_argument_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path)
    monkeypatch.chdir(root)
    assert_stopped(run(None, "validate", "cities/nowhere.yaml"), "cities/nowhere.yaml")


def test_a_file_argument_outside_the_folder_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("name: x\n", encoding="utf-8")
    monkeypatch.chdir(root)
    message = assert_stopped(run(None, "validate", str(outside)), "outside.yaml")
    assert "programme folder" in message


def test_a_folder_argument_reports_on_the_files_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, BROKEN)
    monkeypatch.chdir(root)
    result = run(None, "validate", "cities")
    assert result.exit_code == 1
    assert f"cities/soria.yaml:{SORIA_ERROR}" in lines(result.stdout)
    assert run(None, "validate", "cohorts").exit_code == 0


NOTHING_TO_CHECK = (
    "no data file to check (twincli checks programme.yaml, cohorts/, pilots/ and cities/)"
)


@pytest.mark.parametrize(
    ("cwd", "argument", "named"),
    [
        ("", "reports", "twincli: error: reports: no data file to check"),
        ("cities", "../reports/README.md", "twincli: error: ../reports/README.md: no data file"),
        ("", "cities/README.md", "twincli: error: cities/README.md: no data file"),
        ("", "cities/.gitkeep", "twincli: error: cities/.gitkeep: no data file"),
    ],
)
def test_file_arguments_that_name_no_data_file_are_bad_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cwd: str, argument: str, named: str
) -> None:
    """CI must not pass having checked nothing: a path that names no file validate reads (a
    typo, the reports folder) is exit 2, not "0 errors, 0 warnings in 0 files"."""
    root = make(
        tmp_path,
        {
            "reports/README.md": "# Reports\n",
            "cities/README.md": "# Cities\n",
            "cities/.gitkeep": "",
        },
    )
    monkeypatch.chdir(root / cwd)
    for output_format in ("text", "json"):
        message = assert_stopped(run(None, "validate", "--format", output_format, argument), named)
        assert NOTHING_TO_CHECK in message


def test_file_arguments_that_do_not_exist_or_lie_outside_are_bad_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path)
    (tmp_path / "elsewhere.yaml").write_text("name: x\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert assert_stopped(run(None, "validate", "cities/sorai.yaml")) == (
        "twincli: error: cities/sorai.yaml: no such file or folder\n"
    )
    assert assert_stopped(run(None, "validate", "../elsewhere.yaml")) == (
        f"twincli: error: ../elsewhere.yaml is not in the programme folder {root.resolve()}\n"
    )


def test_several_file_arguments_none_of_them_data_are_named_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, {"reports/README.md": "# Reports\n", "notes.txt": "x\n"})
    monkeypatch.chdir(root)
    assert_stopped(
        run(None, "validate", "reports", "notes.txt"),
        f"twincli: error: reports, notes.txt: {NOTHING_TO_CHECK}",
    )


def test_one_data_file_among_the_arguments_is_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, {"reports/README.md": "# Reports\n"})
    monkeypatch.chdir(root)
    result = run(None, "validate", "reports", "cities/soria.yaml")
    assert (result.exit_code, result.stdout) == (0, "0 errors, 0 warnings in 1 file\n")


@pytest.mark.parametrize("argument", [".", "programme.yaml", "cohorts", "pilots/", "cities"])
def test_the_folder_its_programme_file_and_its_data_folders_are_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argument: str
) -> None:
    root = make(tmp_path)
    monkeypatch.chdir(root)
    assert run(None, "validate", argument).exit_code == 0


def test_an_empty_data_folder_named_checks_no_file_and_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Naming cities/ of a programme that has no cities yet is not a mistake."""
    root = make(tmp_path, {"cities/soria.yaml": None})
    (root / "cities").mkdir()
    monkeypatch.chdir(root)
    result = run(None, "validate", "cities")
    assert (result.exit_code, result.stdout) == (0, "0 errors, 0 warnings in 0 files\n")


def test_a_file_in_a_data_folder_that_is_reported_is_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file validate does not read but reports on (TC112) is one it checks."""
    root = make(tmp_path, {"cities/notes.txt": "x\n"})
    monkeypatch.chdir(root)
    result = run(None, "validate", "cities/notes.txt")
    assert result.exit_code == 1
    assert result.stdout.startswith("cities/notes.txt:1:1: error TC112 ")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_changed_since_with_nothing_changed_among_the_named_files_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed is a normal outcome of --changed-since; a path that names no data file
    is still bad usage."""
    root = make(tmp_path, {"reports/README.md": "# Reports\n"})
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=root,
            check=True,
            capture_output=True,
        )
    monkeypatch.chdir(root)
    for named in ([], ["cities"], ["cities/soria.yaml", "programme.yaml"]):
        result = run(None, "validate", "--changed-since", "HEAD", *named)
        assert (result.exit_code, result.stdout) == (0, "0 errors, 0 warnings in 0 files\n")
    assert_stopped(
        run(None, "validate", "--changed-since", "HEAD", "reports"), "reports: no data file"
    )


# --- finding the programme folder ----------------------------------------------------------


def test_data_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, BROKEN)
    monkeypatch.chdir(tmp_path)
    result = run(root, "validate")
    assert lines(result.stdout)[-1] == "2 errors, 1 warning in 4 files"


def test_twincli_data_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, BROKEN)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("TWINCLI_DATA", str(root))
    result = run(None, "validate")
    assert result.exit_code == 1
    assert lines(result.stdout)[-1] == "2 errors, 1 warning in 4 files"


def test_data_option_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = make(tmp_path, BROKEN)
    clean = build_tree(tmp_path / "clean", {})
    monkeypatch.setenv("TWINCLI_DATA", str(broken))
    assert run(clean, "validate").exit_code == 0


def test_the_environment_wins_over_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = make(tmp_path, BROKEN)
    clean = build_tree(tmp_path / "clean", {})
    monkeypatch.chdir(broken)
    monkeypatch.setenv("TWINCLI_DATA", str(clean))
    assert run(None, "validate").exit_code == 0


def test_walking_up_from_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, BROKEN)
    monkeypatch.chdir(root / "cities")
    result = run(None, "validate")
    assert result.exit_code == 1
    assert lines(result.stdout)[0] == f"soria.yaml:{SORIA_ERROR}"
    deep = root / "docs" / "notes"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = run(None, "validate")
    assert result.exit_code == 1
    assert lines(result.stdout)[0] == f"{root.resolve()}/cities/soria.yaml:{SORIA_ERROR}"
    assert lines(result.stdout)[-1] == "2 errors, 1 warning in 4 files"


def test_no_programme_folder_is_exit_2_naming_programme_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    message = assert_stopped(run(None, "validate"), "programme.yaml")
    assert "--data" in message


@pytest.mark.parametrize("source", ["option", "env"])
def test_a_data_folder_without_programme_yaml_is_exit_2(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "not-a-programme"
    folder.mkdir()
    if source == "env":
        monkeypatch.setenv("TWINCLI_DATA", str(folder))
        result = run(None, "validate")
    else:
        result = run(folder, "validate")
    assert_stopped(result, "programme.yaml")


def test_a_data_folder_that_does_not_exist_is_exit_2(tmp_path: Path) -> None:
    assert_stopped(run(tmp_path / "nowhere", "validate"), "nowhere")


# --- global options ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2025-13-01", "30/06/2025", "2025-6-30", "tomorrow", ""])
def test_an_invalid_as_of_is_exit_2(value: str, tmp_path: Path) -> None:
    result = invoke("--data", str(make(tmp_path)), "--as-of", value, "validate")
    assert_stopped(result, "YYYY-MM-DD")


def test_an_invalid_as_of_names_the_option(tmp_path: Path) -> None:
    result = invoke("--data", str(make(tmp_path)), "--as-of", "2025-13-01", "validate")
    assert "--as-of" in result.stderr


def test_as_of_changes_date_relative_findings(tmp_path: Path) -> None:
    # a visit marked done is dated after the as-of day: an error only on the earlier day
    visit = (
        "visits:\n  - {direction: to-partner, city: Valladolid, start: 2025-03-01, status: done}\n"
    )
    root = make(tmp_path, {"cities/soria.yaml": MINIMAL_CITY + visit})
    assert invoke("--data", str(root), "--as-of", "2025-06-30", "validate").exit_code == 0
    early = invoke("--data", str(root), "--as-of", "2025-01-01", "validate")
    assert early.exit_code == 1
    assert "2025-03-01" in early.stdout


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"twincli {twincli.__version__}\n"
    assert twincli.__version__ == "0.1.0"


def test_version_needs_no_programme_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("--version").stdout == "twincli 0.1.0\n"


def test_no_arguments_shows_help() -> None:
    result = invoke()
    # Typer's no_args_is_help prints the help and exits 2 (click's NoArgsIsHelpError)
    assert result.exit_code == 2
    assert "Usage" in result.output
    assert "validate" in result.output
    assert "Traceback" not in result.output


def test_help_exits_0_and_lists_the_options() -> None:
    result = invoke("validate", "--help")
    assert result.exit_code == 0
    for option in ("--format", "--strict"):
        assert option in result.stdout


# --- real processes ------------------------------------------------------------------------


def test_python_m_twincli_version(tmp_path: Path) -> None:
    done = twincli_process("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout == f"twincli {twincli.__version__}\n"
    assert done.stderr == ""


def test_subprocess_exit_codes_and_streams(tmp_path: Path) -> None:
    root = make(tmp_path, BROKEN)
    found = twincli_process("--as-of", AS_OF, "validate", cwd=root)
    assert found.returncode == 1
    assert found.stdout.splitlines()[-1] == "2 errors, 1 warning in 4 files"
    assert found.stderr == ""
    stopped = twincli_process("validate", cwd=root / "..")
    assert stopped.returncode == 2
    assert stopped.stdout == ""
    assert "programme.yaml" in stopped.stderr
    assert "Traceback" not in stopped.stderr


@pytest.mark.parametrize("extra", [{}, {"NO_COLOR": "1"}])
def test_no_escape_codes_when_piped(extra: dict[str, str], tmp_path: Path) -> None:
    root = make(tmp_path, BROKEN)
    done = twincli_process("--as-of", AS_OF, "validate", cwd=root, env=process_env(**extra))
    assert "\x1b" not in done.stdout
    assert done.stdout.splitlines()[0] == f"cities/soria.yaml:{SORIA_ERROR}"


def test_force_color_colours_text_diagnostics(tmp_path: Path) -> None:
    root = make(tmp_path, BROKEN)
    done = twincli_process("--as-of", AS_OF, "validate", cwd=root, env=process_env(FORCE_COLOR="1"))
    first = done.stdout.splitlines()[0]
    assert COLOUR_SGR.search(first), repr(first)
    assert re.sub(r"\x1b\[[0-9;]*m", "", first) == f"cities/soria.yaml:{SORIA_ERROR}"
    # The place is bold, the severity red, the code dim, the hint cyan; the message plain.
    styled = dict(re.findall(r"\x1b\[([0-9;]*)m([^\x1b]*)\x1b\[0m", first)[:3])
    assert styled["1"].startswith("cities/soria.yaml:") and styled["1;31"] == "error", first
    assert styled["2"].startswith(" TC"), first
    plain = re.split(r"\x1b\[[0-9;]*m", first)
    assert any(part.startswith(" ") and len(part) > 10 for part in plain), first


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit"])
def test_machine_formats_have_no_escape_codes_even_when_colour_is_forced(
    fmt: str, tmp_path: Path
) -> None:
    root = make(tmp_path, BROKEN)
    done = twincli_process(
        "--as-of", AS_OF, "validate", "--format", fmt, cwd=root, env=process_env(FORCE_COLOR="1")
    )
    assert "\x1b" not in done.stdout
    if fmt == "json":
        assert json.loads(done.stdout)["summary"]["errors"] == 2


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> bytes:
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "twincli", *args],
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
    finally:
        os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return out


@pytest.fixture
def terminal_env() -> Iterator[dict[str, str]]:
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("needs a pseudo-terminal")
    yield process_env(TERM="xterm-256color")


def test_colour_on_a_terminal(tmp_path: Path, terminal_env: dict[str, str]) -> None:
    root = make(tmp_path, BROKEN)
    out = _on_a_terminal(["--as-of", AS_OF, "validate"], root, terminal_env).decode()
    assert COLOUR_SGR.search(out)


@pytest.mark.parametrize(
    ("flags", "extra"), [([], {"NO_COLOR": "1"}), (["--no-color"], {})], ids=["NO_COLOR", "flag"]
)
def test_no_colour_on_a_terminal_when_asked(
    flags: list[str], extra: dict[str, str], tmp_path: Path, terminal_env: dict[str, str]
) -> None:
    root = make(tmp_path, BROKEN)
    out = _on_a_terminal(
        [*flags, "--as-of", AS_OF, "validate"], root, {**terminal_env, **extra}
    ).decode()
    assert "TC201" in out
    assert not COLOUR_SGR.search(out), repr(out)


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    keys = "".join(f"unknown-key-number-{i}: x\n" for i in range(3000))
    root = make(tmp_path, {"cities/soria.yaml": MINIMAL_CITY + keys})
    process = subprocess.Popen(
        [sys.executable, "-m", "twincli", "--as-of", AS_OF, "validate"],
        cwd=root,
        env=process_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    code = process.wait(timeout=60)
    assert first.startswith(b"cities/soria.yaml:6:1: error TC201")
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert code in (0, 1)


# --- lines written at once -----------------------------------------------------------------

TRICKY_LINES = [
    "cities/soria.yaml:12:1: error TC201 unknown key 'atended' (did you mean 'attended'?)",
    "bell \x07, backspace \x08, form feed \x0c, carriage return \r, vertical tab \x0b",
    "escape \x1b[31mred\x1b[0m, nul \x00, delete \x7f, C1 \x85\x9b",
    "bidi \u202eevil\u202c and isolates \u2066x\u2069",
    "wide 漢字 and emoji 🟢✅ and combining e\u0301",
    "x" * 500,
    "",
    "   leading and trailing spaces   ",
    "::warning file=cities/a.yaml,line=1,col=1,title=TC406::100%25 done%0Anext",
]


def plain_console(file: io.StringIO) -> Any:
    """A console as `cli.common.console` makes it when stdout is not a terminal."""
    made = make_console(file=file)
    assert made.color_system is None
    return made


@pytest.mark.parametrize("terminal", [None, "standard", "truecolor"])
@pytest.mark.parametrize("lines", [TRICKY_LINES, [*TRICKY_LINES, "a\ttab"], ["only\tthis"]])
def test_print_lines_writes_what_rich_prints_line_by_line(
    lines: list[str], terminal: str | None
) -> None:
    from twincli.cli.validate import print_lines

    def made(file: io.StringIO) -> Any:
        return plain_console(file) if terminal is None else coloured_console(file, terminal)

    by_rich, at_once = io.StringIO(), io.StringIO()
    slow = made(by_rich)
    for line in lines:
        slow.print(line)
    fast = made(at_once)
    if not any("\t" in line for line in lines):  # then rich must not be asked at all
        fast.print = None
    print_lines(fast, lines)
    assert at_once.getvalue() == by_rich.getvalue()
    assert at_once.getvalue().count("\n") == len(lines)


def coloured_console(file: io.StringIO, colour: str, **options: Any) -> Any:
    """A console as `cli.common.console` makes it on a terminal."""
    return make_console(file=file, force_terminal=True, color_system=colour, **options)


COLOURED_LINES = [
    [("cities/soria.yaml:12:1:", "bold"), (" ", ""), ("error", "bold red"), (" TC201", "dim")],
    [("wide 漢字 🟢 e\u0301", "bold yellow"), (" plain ", ""), ("", "cyan"), ("x" * 300, "")],
    [("escaped \\u001b[2J", "cyan"), (" (did you mean 'attended'?)", "cyan")],
    [("cities/soria.yaml:12:1:", "bold"), (" ", ""), ("error", "bold red"), (" TC202", "dim")],
    [("3 errors, 1 warning in 4 files", "bold")],
]


@pytest.mark.parametrize(
    ("colour", "options"),
    [("standard", {}), ("truecolor", {}), ("256", {"no_color": True})],
    ids=["standard", "truecolor", "no colour but bold"],
)
def test_coloured_lines_are_written_as_rich_prints_them(
    colour: str, options: dict[str, Any]
) -> None:
    from rich.text import Text

    from twincli.cli.validate import print_coloured

    lines = COLOURED_LINES * 100
    by_rich, at_once = io.StringIO(), io.StringIO()
    slow = coloured_console(by_rich, colour, **options)
    for pieces in lines:
        line = Text()
        for text, style in pieces:
            line.append(text, style=style)
        slow.print(line)
    print_coloured(coloured_console(at_once, colour, **options), lines)
    assert at_once.getvalue() == by_rich.getvalue()
    assert "\x1b[1m" in at_once.getvalue()


def test_a_coloured_line_with_a_tab_is_printed_by_rich() -> None:
    from rich.text import Text

    from twincli.cli.validate import print_coloured

    tabbed = [("a\ttab:", "bold"), (" ", ""), ("error", "bold red"), (" TC2\t01", "dim")]
    lines = [*COLOURED_LINES, tabbed]
    by_rich, at_once = io.StringIO(), io.StringIO()
    slow = coloured_console(by_rich, "standard")
    for pieces in lines:
        line = Text()
        for text, style in pieces:
            line.append(text, style=style)
        slow.print(line)
    print_coloured(coloured_console(at_once, "standard"), lines)
    assert at_once.getvalue() == by_rich.getvalue()
    assert "\t" not in at_once.getvalue()


def test_a_recording_console_is_given_every_line() -> None:
    from twincli.cli.validate import print_coloured, print_lines

    out = coloured_console(io.StringIO(), "standard", record=True)
    print_coloured(out, COLOURED_LINES)
    recorded = out.export_text().splitlines()
    assert recorded[0] == "cities/soria.yaml:12:1: error TC201"
    assert len(recorded) == len(COLOURED_LINES)
    print_lines(out, ["::error file=a.yaml::x", "1 error in 1 file"])
    assert out.export_text() == "::error file=a.yaml::x\n1 error in 1 file\n"


# --- a kind folder that cannot be listed --------------------------------------------------------


def unlistable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Listing `folder` fails as the system fails it without read permission (which root
    has everywhere, so the test fakes it at the listing function the loader uses)."""
    from twincli.read import loader

    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(loader.os, "scandir", scandir)


def test_an_unlistable_cities_folder_is_tc101_and_the_rest_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path, {"pilots/urbanew.yaml": BROKEN_PILOT})
    unlistable(monkeypatch, root / "cities")
    monkeypatch.chdir(root)
    result = invoke("--as-of", AS_OF, "validate")
    assert result.exit_code == 2, result.output
    assert lines(result.stdout) == [
        "cities:1:1: error TC101 cannot list the folder: Permission denied",
        f"pilots/urbanew.yaml:{PILOT_ERROR}",
        "2 errors, 0 warnings in 3 files",
    ]
    assert result.stderr == ""
    report = json.loads(invoke("--as-of", AS_OF, "validate", "--format", "json").stdout)
    assert report["diagnostics"][0] == {
        "file": "cities/",
        "line": 1,
        "column": 1,
        "code": "TC101",
        "severity": "error",
        "message": "cannot list the folder: Permission denied",
        "hint": None,
        "cause": None,
    }


def test_an_unlistable_cohorts_folder_does_not_make_every_cohort_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make(tmp_path)
    unlistable(monkeypatch, root / "cohorts")
    for cache in ([], ["--no-cache"]):
        result = run(root, *cache, "validate", "--format", "json")
        assert result.exit_code == 2, result.output
        report = json.loads(result.stdout)
        assert [(d["code"], d["file"]) for d in report["diagnostics"]] == [("TC101", "cohorts/")]


def test_a_misnamed_cohort_file_counts_as_existing_with_the_cache_too(tmp_path: Path) -> None:
    """Its id is the one its name suggests (TC111's hint): a city of that cohort gets no
    'cohort does not exist'. Adding or removing such a file, and nothing else, changes what
    a cached run reports as it changes what a cold run does."""
    city = MINIMAL_CITY.replace("cohort: cohort-2", "cohort: cohort-3")
    root = make(tmp_path, {"cities/soria.yaml": city})

    def codes(*options: str) -> list[tuple[str, str]]:
        result = run(root, *options, "validate", "--format", "json")
        return [(d["code"], d["file"]) for d in json.loads(result.stdout)["diagnostics"]]

    unknown = [("TC302", "cities/soria.yaml")]
    assert codes() == unknown
    misnamed = root / "cohorts" / "Cohort-3.yaml"
    misnamed.write_text((root / "cohorts" / "cohort-2.yaml").read_text())
    assert codes() == codes("--no-cache") == [("TC111", "cohorts/Cohort-3.yaml")]
    misnamed.unlink()
    assert codes() == codes("--no-cache") == unknown
