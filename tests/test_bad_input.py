"""The corpus of broken programme folders (`tests/support/bad_input.py`), each run through
`twincli validate --format json`: exactly the diagnostics reported (code, folder-relative file,
line; the column where the case says it), the exit code, and no traceback.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.support.bad_input import CASES, CITY, PILOT, WARNINGS, Case, y
from tests.support.cli import run
from tests.support.folders import AS_OF, build_tree
from twincli.check.validate import validate_folder
from twincli.read import reader
from twincli.read.loader import load_programme


def run_validate(root: Path, output_format: str = "json") -> Any:
    return run(root, "validate", "--format", output_format)


def ran_cleanly(result: Any) -> bool:
    """No traceback in what the command printed (`run` fails the test on any exception)."""
    return "Traceback" not in result.output


@pytest.mark.parametrize("case", CASES)
def test_bad_input(tmp_path: Path, case: Case) -> None:
    root = build_tree(tmp_path / "programme", case.files)
    if case.setup is not None:
        case.setup(root, tmp_path)
    result = run_validate(root)

    assert ran_cleanly(result), result.output
    if case.says is not None:
        assert case.says.lower() in result.output.lower(), result.output
    report = json.loads(result.stdout) if result.stdout.strip() else {"diagnostics": []}
    got = sorted(report["diagnostics"], key=lambda d: (d["code"], d["file"], d["line"]))
    want = sorted(case.expected)
    shown = json.dumps(got, indent=1, ensure_ascii=False)
    assert [(d["code"], d["file"], d["line"]) for d in got] == [e[:3] for e in want], shown
    for d, (code, _, _, *column) in zip(got, want, strict=True):
        assert d["severity"] == ("warning" if code in WARNINGS else "error"), d
        if column:
            assert d["column"] == column[0], d
        if code in case.hints:
            assert case.hints[code] in (d["hint"] or ""), d
        if code in case.messages:
            assert case.messages[code] in d["message"], d
    errors = sum(code not in WARNINGS for code, *_ in want)
    if "summary" in report:
        assert (report["summary"]["errors"], report["summary"]["warnings"]) == (
            errors,
            len(want) - errors,
        )
    assert result.exit_code == (case.exit_code if case.exit_code is not None else int(errors > 0))

    # The same folder printed for people: the same exit code, and no traceback either.
    text = run_validate(root, "text")
    assert ran_cleanly(text), text.output
    assert text.exit_code == result.exit_code


@pytest.mark.skipif(not reader.LIBYAML, reason="needs libyaml to compare with")
@pytest.mark.parametrize("case", [pytest.param(p.values[0], id=p.id) for p in CASES])
def test_bad_input_gives_the_same_diagnostics_without_libyaml(
    tmp_path: Path, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every case of the corpus, read by libyaml and by PyYAML's pure-Python parser."""
    root = build_tree(tmp_path / "programme", case.files)
    if case.setup is not None:
        case.setup(root, tmp_path)
    answers = []
    for pure in ("0", "1"):
        monkeypatch.setenv(reader.PURE_ENV, pure)
        answers.append(validate_folder(root, date.fromisoformat(AS_OF)).diagnostics)
    assert answers[0] == answers[1]


NOT_UNICODE_CASES = [
    "escape-of-half-a-surrogate-pair-in-a-value",
    "escape-of-a-surrogate-pair-in-a-key",
    "escapes-that-are-not-characters-in-every-kind-of-file",
]
EVERY_COMMAND = [
    *(["validate", "--format", f] for f in ("text", "json", "github", "sarif", "junit")),
    ["status"],
    ["deadlines"],
    ["show", "city", "soria"],
    ["show", "cohort", "cohort-2"],
    ["show", "pilot", "urbanew"],
    ["export", "json"],
    *(["export", "csv", "--table", t] for t in ("cities", "visits", "outputs", "events")),
    ["export", "ics"],
    ["render", "--check"],
    ["render"],
    ["record", "attendance", "soria", "seminar-1"],
    ["new", "city", "pecs", "--name", "P\u00e9cs", "--country", "HU", "--cohort", "cohort-2",
     "--pilot", "urbanew"],
]  # fmt: skip


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=" ".join)
@pytest.mark.parametrize(
    "case", [pytest.param(p.values[0], id=p.id) for p in CASES if p.id in NOT_UNICODE_CASES]
)
def test_every_command_runs_on_text_that_is_not_unicode(
    tmp_path: Path, case: Case, command: list[str]
) -> None:
    """A lone surrogate once passed validate, then crashed every command that printed or
    wrote it (and, in a key, validate itself): what holds one is left out, never shown."""
    root = build_tree(tmp_path / "programme", case.files)
    result = run(root, *command)
    assert ran_cleanly(result), result.output
    assert result.exit_code in (0, 1), result.output
    assert "\ufffd" not in result.output
    written = [p.read_bytes().decode("utf-8") for p in root.rglob("*") if p.is_file()]
    assert not any("\ufffd" in text for text in written)


def test_python_tag_is_never_acted_on(tmp_path: Path) -> None:
    marker = tmp_path / "hacked"
    root = build_tree(
        tmp_path / "programme",
        {
            CITY: f'name: !!python/object/apply:os.system ["touch {marker}"]\n'
            "country: ES\ncohort: cohort-2\npilot: urbanew\n"
        },
    )
    result = run_validate(root)
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["TC107"]
    assert not marker.exists()


def test_implicit_typing_traps_keep_the_text(tmp_path: Path) -> None:
    """What the no-diagnostic cases above load as: the text typed, never YAML 1.1's guess."""
    root = build_tree(
        tmp_path,
        {
            PILOT: y("""
                acronym: 01234
                title: 1.10
                cities: [{name: Trondheim, country: NO}]
            """),
            CITY: y("""
                name: yes
                country: ES
                cohort: cohort-2
                pilot: urbanew
                contacts: [{name: on, role: "null", email: 0x10}]
            """),
        },
    )
    loaded = load_programme(root)
    assert loaded.diagnostics == ()
    pilot = loaded.programme.pilots["urbanew"]
    assert (pilot.acronym, pilot.title, pilot.cities[0].country) == ("01234", "1.10", "NO")
    city = loaded.programme.cities["soria"]
    assert city.name == "yes"
    contact = city.contacts[0]
    assert (contact.name, contact.role, contact.email) == ("on", "null", "0x10")
