"""`validate` in CI: --format auto, the GitHub job summary, SARIF (checked against the OASIS
schema), JUnit XML (read back with an XML parser), and --changed-since on a real git
repository."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import Result

import twincli
from tests.support.cli import run
from tests.support.folders import MINIMAL_CITY, MINIMAL_PILOT, REPO, build_tree
from twincli.check import formats
from twincli.cli.validate import Format, resolve_format
from twincli.codes import CATALOGUE
from twincli.diagnostics import Diagnostic, Location, Severity, Summary

SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
BROKEN = {
    "cities/soria.yaml": MINIMAL_CITY.replace("attended:", "atended:") + "status: withdrawn\n",
    "pilots/urbanew.yaml": "acronymm: URB\n" + MINIMAL_PILOT,
}


def validate(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return run(root, "validate", *args, env=env)


def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_tree(tmp_path / "prog", BROKEN)
    monkeypatch.chdir(root)
    return root


# --- auto -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, Format.text),
        ({"GITHUB_ACTIONS": "true"}, Format.github),
        ({"GITHUB_ACTIONS": "false"}, Format.text),
        ({"CI": "true"}, Format.text),
    ],
)
def test_auto_is_github_only_inside_github_actions(env: dict[str, str], expected: Format) -> None:
    assert resolve_format(Format.auto, env) is expected
    assert resolve_format(Format.json, {"GITHUB_ACTIONS": "true"}) is Format.json


def test_the_default_format_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = broken(tmp_path, monkeypatch)
    text = validate(root)
    assert text.stdout.startswith("cities/soria.yaml:5:1: error TC201")
    github = validate(root, env={"GITHUB_ACTIONS": "true"})
    assert github.stdout.startswith("::error file=cities/soria.yaml,line=5,col=1,title=TC201::")
    assert github.exit_code == text.exit_code == 1


# --- GitHub job summary ---------------------------------------------------------------------


def test_github_appends_a_markdown_summary_to_the_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = broken(tmp_path, monkeypatch)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = validate(root, env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert summary.read_text(encoding="utf-8") == (
        "earlier step\n"
        "## twincli validate\n"
        "\n"
        "**2 errors, 1 warning in 4 files**\n"
        "\n"
        "| Severity | File | Line | Code | Problem |\n"
        "| --- | --- | ---: | --- | --- |\n"
        "| **error** | cities/soria.yaml | 5:1 | TC201 | unknown key 'atended' "
        "(did you mean 'attended'?) |\n"
        "| warning | cities/soria.yaml | 6:9 | TC601 | the city is withdrawn but has no "
        "'withdrawn:' record (add 'withdrawn: {date: YYYY-MM-DD, reason: ...}') |\n"
        "| **error** | pilots/urbanew.yaml | 1:1 | TC201 | unknown key 'acronymm' "
        "(did you mean 'acronym'?) |\n"
    )
    # The annotations on stdout are unchanged by the summary.
    assert result.stdout.splitlines()[-1] == "2 errors, 1 warning in 4 files"


def test_the_summary_escapes_markdown_and_is_capped() -> None:
    many = [
        Diagnostic(
            "TC201",
            Severity.ERROR,
            f"unknown key 'a|b_{i}'",
            Location("cities/x.yaml", i + 1, 1),
            "<b>hint</b>",
        )
        for i in range(formats.SUMMARY_ROWS + 5)
    ]
    text = formats.github_summary(many, Summary.of(many, 1), lambda p: p)
    rows = [line for line in text.splitlines() if line.startswith("| **error**")]
    assert len(rows) == formats.SUMMARY_ROWS
    assert "a\\|b\\_0" in rows[0] and "<b>" not in rows[0]
    assert text.endswith("… and 5 more: run `twincli validate` to see them all.\n")
    clean = formats.github_summary([], Summary(0, 0, 31), lambda p: p)
    assert clean == "## twincli validate\n\n**0 errors, 0 warnings in 31 files**\n"


def test_an_unwritable_step_summary_is_a_warning_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(tmp_path / "prog", {})
    result = validate(
        root,
        "--format",
        "github",
        env={"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such" / "file")},
    )
    assert result.exit_code == 0
    assert result.stdout == "0 errors, 0 warnings in 4 files\n"
    assert "cannot write the job summary" in result.stderr


def test_github_annotations_keep_their_escaping() -> None:
    d = Diagnostic("TC201", Severity.ERROR, "50% a,b:c\nd", Location("x,y.yaml", 2, 3))
    assert formats.github_line(d, lambda p: p) == (
        "::error file=x%2Cy.yaml,line=2,col=3,title=TC201::50%25 a,b:c%0Ad"
    )


# --- SARIF ----------------------------------------------------------------------------------


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = broken(tmp_path, monkeypatch)
    result = validate(root, "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    errors = [e.message for e in sarif_validator().iter_errors(log)]
    assert errors == []
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("twincli", twincli.__version__)
    assert [r["id"] for r in driver["rules"]] == [c.code for c in CATALOGUE]
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in driver["rules"])
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("TC201", "error"),
        ("TC601", "warning"),
        ("TC201", "error"),
    ]
    first = results[0]
    assert driver["rules"][first["ruleIndex"]]["id"] == "TC201"
    assert first["message"]["text"] == "unknown key 'atended' (did you mean 'attended'?)"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "cities/soria.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 5, "startColumn": 1},
    }
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_of_a_clean_folder_and_from_outside_it(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "my programme", {"cities/soria.yaml": BROKEN["cities/soria.yaml"]})
    result = validate(root, "--format", "sarif")  # run from elsewhere: absolute file URIs
    log: dict[str, Any] = json.loads(result.stdout)
    assert list(sarif_validator().iter_errors(log)) == []
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    uri = location["artifactLocation"]["uri"]
    assert uri == (root / "cities" / "soria.yaml").resolve().as_uri()
    assert "%20" in uri and "uriBaseId" not in location["artifactLocation"]
    clean = validate(build_tree(tmp_path / "clean", {}), "--format", "sarif")
    assert clean.exit_code == 0
    assert json.loads(clean.stdout)["runs"][0]["results"] == []


def test_sarif_says_the_run_was_incomplete_when_a_file_cannot_be_read() -> None:
    d = Diagnostic("TC101", Severity.ERROR, "cannot read", Location("cities/a b.yaml"))
    log = json.loads(formats.to_sarif([d], lambda p: p, version="1", complete=False))
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": False}]
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "cities/a%20b.yaml"
    assert list(sarif_validator().iter_errors(log)) == []


# --- JUnit ----------------------------------------------------------------------------------


def junit(root: Path, *args: str) -> tuple[Result, ET.Element]:
    result = validate(root, "--format", "junit", *args)
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return result, ET.fromstring(result.stdout.encode())


def test_junit_has_one_case_per_file_and_fails_the_files_with_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = broken(tmp_path, monkeypatch)
    result, suites = junit(root)
    assert result.exit_code == 1
    assert suites.tag == "testsuites"
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("4", "2", "0")
    suite = suites.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == [
        "programme.yaml",
        "cohorts/cohort-2.yaml",
        "pilots/urbanew.yaml",
        "cities/soria.yaml",
    ]
    assert cases["programme.yaml"].find("failure") is None
    assert cases["cities/soria.yaml"].get("classname") == "cities"
    failure = cases["cities/soria.yaml"].find("failure")
    assert failure is not None
    assert failure.get("type") == "TC201"
    assert failure.get("message") == "1 error, 1 warning"
    assert failure.text == (
        "cities/soria.yaml:5:1: error TC201 unknown key 'atended' (did you mean 'attended'?)\n"
        "cities/soria.yaml:6:9: warning TC601 the city is withdrawn but has no 'withdrawn:' "
        "record (add 'withdrawn: {date: YYYY-MM-DD, reason: ...}')"
    )


def test_junit_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    city = MINIMAL_CITY + "status: withdrawn\n"
    root = build_tree(tmp_path / "prog", {"cities/soria.yaml": city})
    result, suites = junit(root)
    assert result.exit_code == 0
    assert suites.get("failures") == "0"
    case = next(c for c in suites.iter("testcase") if c.get("name", "").endswith("soria.yaml"))
    assert case.find("failure") is None
    out = case.find("system-out")
    assert out is not None and "warning TC601" in (out.text or "")
    strict, suites = junit(root, "--strict")
    assert strict.exit_code == 1
    assert suites.get("failures") == "1"


def test_junit_reports_misnamed_files_and_unreadable_ones_as_errors() -> None:
    found = [
        Diagnostic("TC111", Severity.ERROR, "bad name", Location("cities/Soria.yml")),
        Diagnostic("TC101", Severity.ERROR, "cannot read \x01", Location("cities/x.yaml")),
    ]
    xml = formats.to_junit(found, ["programme.yaml", "cities/x.yaml"], lambda p: p)
    suites = ET.fromstring(xml.encode())
    names = [c.get("name") for c in suites.iter("testcase")]
    assert names == ["programme.yaml", "cities/x.yaml", "cities/Soria.yml"]
    assert (suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("3", "1", "1")
    error = next(suites.iter("error"))
    # a control character is shown as an escape (terminal.printable), never raw in the XML
    assert error.get("type") == "TC101" and "cannot read \\u0001" in (error.text or "")


# --- --changed-since ------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose programme folder is a subfolder, with one commit on main, and
    an old problem in cities/legacy.yaml."""
    repo = tmp_path / "repo"
    build_tree(
        repo / "programme",
        {
            "cities/belfast.yaml": MINIMAL_CITY.replace("Soria", "B"),
            "cities/legacy.yaml": MINIMAL_CITY + "old-problem: 1\n",
        },
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "change")
    return repo


@needs_git
def test_changed_since_reports_only_changed_and_new_files(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repository / "programme"
    (root / "cities" / "belfast.yaml").write_text(
        MINIMAL_CITY.replace("Soria", "B") + "nmae: x\n", encoding="utf-8"
    )
    git(repository, "commit", "-q", "-am", "belfast")
    (root / "pilots" / "urbanew.yaml").write_text("acronymm: U\n" + MINIMAL_PILOT, "utf-8")
    (root / "cities" / "kozani.yaml").write_text("name: [", encoding="utf-8")  # untracked
    monkeypatch.chdir(repository)
    assert "old-problem" in validate(root).stdout  # not reported below: legacy.yaml is unchanged
    result = validate(root, "--changed-since", "main")
    assert result.exit_code == 1, result.stderr
    assert [line.split(": ")[0] for line in result.stdout.splitlines()[:-1]] == [
        "programme/cities/belfast.yaml:6:1",
        "programme/cities/kozani.yaml:2:1",
        "programme/pilots/urbanew.yaml:1:1",
    ]
    assert result.stdout.splitlines()[-1] == "3 errors, 0 warnings in 3 files"
    named = validate(root, "--changed-since", "main", "programme/cities")
    assert named.stdout.splitlines()[-1] == "2 errors, 0 warnings in 2 files"


@needs_git
def test_changed_since_still_resolves_references_against_the_whole_folder(
    repository: Path,
) -> None:
    root = repository / "programme"
    (root / "cities" / "soria.yaml").write_text(
        MINIMAL_CITY.replace("kick-off]", "kick-off, seminar-1]"), encoding="utf-8"
    )
    result = validate(root, "--changed-since", "main")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"
    nothing = validate(root, "--changed-since", "HEAD", "--format", "json")
    assert json.loads(nothing.stdout)["summary"]["files"] == 1  # uncommitted changes count


@needs_git
def test_changed_since_with_nothing_changed(repository: Path) -> None:
    result = validate(repository / "programme", "--changed-since", "main")
    assert (result.exit_code, result.stdout) == (0, "0 errors, 0 warnings in 0 files\n")


@needs_git
@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("no-such-branch", ["unknown git revision", "fetch-depth: 0"]),
        ("--output=x", ["not a git revision"]),
    ],
)
def test_changed_since_an_unknown_ref_is_a_usage_error(
    repository: Path, ref: str, words: list[str]
) -> None:
    result = validate(repository / "programme", f"--changed-since={ref}")
    assert result.exit_code == 2
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr


@needs_git
def test_changed_since_outside_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "prog", {})
    result = validate(root, "--changed-since", "main")
    assert result.exit_code == 2
    assert "needs a git repository" in result.stderr
