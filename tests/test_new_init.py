"""`twincli init` and `twincli new`: new files, valid from the start, and what they refuse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.support.cli import invoke, run
from tests.support.folders import build_tree, snapshot
from twincli.check.validate import validate_folder
from twincli.cli import edits as editing_cli
from twincli.model import City, Cohort, Pilot, PilotCity
from twincli.read.loader import load_programme


def clean(root: Path) -> None:
    result = validate_folder(root, date(2025, 6, 30))
    assert [d for d in result.diagnostics if d.is_error] == []


# --- init -------------------------------------------------------------------------------------


def test_init_creates_a_programme_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "programme"
    result = invoke("init", str(target))
    assert result.exit_code == 0, result.output
    for rel in (
        "programme.yaml",
        "README.md",
        ".github/workflows/twincli.yml",
        ".pre-commit-config.yaml",
        ".gitignore",
        "cohorts/.gitkeep",
        "pilots/.gitkeep",
        "cities/.gitkeep",
        ".schemas/city.schema.json",
    ):
        assert (target / rel).is_file(), rel
        assert f"created {target / rel}" in result.stdout
    result = validate_folder(target, date(2025, 6, 30))
    assert result.diagnostics == ()
    assert result.summary.files == 1
    editions = load_programme(target).programme.editions
    assert {e: (editions[e].months, editions[e].partner) for e in editions} == {
        "tlp-20": (20, "pilot"),
        "tlp-18": (18, "pilot"),
        "tlp-12-mission": (12, "mission-city"),
    }
    assert "replication-plan" in editions["tlp-20"].outputs
    assert "action-plan" in editions["tlp-18"].outputs
    text = (target / "programme.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=.schemas/programme.schema.json\n")


def test_init_writes_ci_that_validates_and_renders_on_main(tmp_path: Path) -> None:
    """The workflow itself, with real git: tests/test_workflow.py."""
    assert invoke("init", str(tmp_path / "p")).exit_code == 0
    workflow = yaml.safe_load((tmp_path / "p/.github/workflows/twincli.yml").read_text())
    runs = [step.get("run") for step in workflow["jobs"]["check"]["steps"]]
    assert "twincli validate --format github" in runs
    assert "twincli render" in [step.get("run") for step in workflow["jobs"]["reports"]["steps"]]
    hooks = yaml.safe_load((tmp_path / "p/.pre-commit-config.yaml").read_text())
    ids = [hook["id"] for hook in hooks["repos"][0]["hooks"]]
    assert ids == ["twincli-validate"]
    assert ".twincli.lock" in (tmp_path / "p/.gitignore").read_text()
    assert "reports/** linguist-generated=true" in (tmp_path / "p/.gitattributes").read_text()


def test_init_accepts_a_fresh_git_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "programme.yaml").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 2
    assert "is not empty (notes.txt)" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_new_programme_takes_new_records_and_records(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert invoke("init", str(root)).exit_code == 0
    steps = [
        ["new", "cohort", "cohort-3", "--edition", "tlp-18", "--start", "2025-01-27"],
        ["new", "pilot", "comet", "--title", "Espoo Climate Community", "--city", "Espoo:FI"],
        ["new", "city", "amersfoort", "--name", "Amersfoort", "--country", "NL", "--cohort",
         "cohort-3", "--pilot", "comet"],
        ["record", "visit", "amersfoort", "--direction", "to-partner", "--start", "2025-05-13"],
        ["record", "output", "amersfoort", "learning-roadmap", "--status", "submitted"],
    ]  # fmt: skip
    for step in steps:
        result = run(root, *step)
        assert result.exit_code == 0, (step, result.output)
    clean(root)
    text = (root / "cities/amersfoort.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../.schemas/city.schema.json\n")


# --- new --------------------------------------------------------------------------------------


def test_new_city_is_valid_and_lists_its_outputs(example_copy: Path) -> None:
    result = run(
        example_copy, "new", "city", "pecs", "--name", "Pécs", "--country", "HU",
        "--cohort", "cohort-2", "--pilot", "cf4cities",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"created {example_copy}/cities/pecs.yaml\n"
    clean(example_copy)
    city = load_programme(example_copy).programme.cities["pecs"]
    assert city == City(
        id="pecs",
        name="Pécs",
        country="HU",
        cohort="cohort-2",
        pilot="cf4cities",
        outputs=city.outputs,
    )
    assert list(city.outputs) == [
        "learning-roadmap",
        "stakeholder-engagement-plan",
        "transferability-assessment",
        "action-plan",
        "info-session",
    ]
    assert {o.status for o in city.outputs.values()} == {"not-started"}
    text = (example_copy / "cities/pecs.yaml").read_text(encoding="utf-8")
    assert "    status: not-started         # due 2025-01-30\n" in text
    assert "# Site visits: twincli record visit pecs --direction" in text


def test_new_cohort_and_pilot(example_copy: Path) -> None:
    result = run(
        example_copy, "new", "cohort", "cohort-3", "--edition", "tlp-18", "--start",
        "2025-01-27", "--title", "Cohort 3",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run(
        example_copy, "new", "pilot", "nordic-heat", "--title", "Heat: Nordic district heating",
        "--acronym", "NDH", "--city", "Oslo:NO", "--city", "Trondheim:NO",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    clean(example_copy)
    programme = load_programme(example_copy).programme
    assert programme.cohorts["cohort-3"] == Cohort(
        id="cohort-3", title="Cohort 3", edition="tlp-18", start=date(2025, 1, 27)
    )
    assert programme.pilots["nordic-heat"] == Pilot(
        id="nordic-heat",
        acronym="NDH",
        title="Heat: Nordic district heating",
        cities=(PilotCity(name="Oslo", country="NO"), PilotCity(name="Trondheim", country="NO")),
    )
    cohort = (example_copy / "cohorts/cohort-3.yaml").read_text(encoding="utf-8")
    assert "start: 2025-01-27               # ends 2026-07-27 (start + 18 months)" in cohort


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["city", "../evil", "--name", "x"], "'../evil' is not a valid city id"),
        (["city", "a/b"], "'a/b' is not a valid city id"),
        (["city", ".."], "'..' is not a valid city id"),
        (["pilot", "Soria"], "'Soria' is not a valid pilot id (ids are lower-case letters, digits"),
        (["city", "soria", "--name", "x"], "cities/soria.yaml already exists"),
        (["cohort", "cohort-2"], "cohorts/cohort-2.yaml already exists"),
        (["city", "pecs", "--name", "Pécs", "--country", "HU", "--cohort", "cohort-9",
          "--pilot", "cf4cities"], "no cohort 'cohort-9' (cohorts: cohort-1, cohort-2)"),
        (["city", "pecs", "--name", "Pécs", "--country", "HU", "--cohort", "cohort-2",
          "--pilot", "cf4city"], "no pilot 'cf4city' (did you mean 'cf4cities'?)"),
        (["cohort", "cohort-3", "--edition", "tlp-81", "--start", "2025-01-01"],
         "no edition 'tlp-81'"),
        (["pilot", "x", "--title", "X", "--city", "Oslo"], "write the city as NAME:CC"),
        (["city", "pecs", "--name", "Pécs"],
         "missing --country, --cohort, --pilot: give them on the command line"),
    ],
)  # fmt: skip
def test_new_refuses_and_writes_nothing(example_copy: Path, args: list[str], message: str) -> None:
    before = snapshot(example_copy)
    result = run(example_copy, "new", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(example_copy) == before


def test_new_refuses_an_invalid_value_with_its_diagnostic(example_copy: Path) -> None:
    before = snapshot(example_copy)
    result = run(
        example_copy, "new", "city", "pecs", "--name", "Pécs", "--country", "UK",
        "--cohort", "cohort-2", "--pilot", "cf4cities",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "twincli: error TC209 country: 'UK'" in result.stderr  # no line: nothing written
    assert "pecs.yaml:" not in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(example_copy) == before


def test_new_asks_for_missing_values_on_a_terminal(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editing_cli, "interactive", lambda: True)
    result = run(
        example_copy, "new", "city", "eskisehir-2", "--name", "Eskişehir",
        stdin="TR\n\ncohort-1\nbudapest-cares\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    city = load_programme(example_copy).programme.cities["eskisehir-2"]
    assert (city.name, city.country, city.cohort, city.pilot) == (
        "Eskişehir",
        "TR",
        "cohort-1",
        "budapest-cares",
    )


def test_the_overlay_sees_a_new_file_in_a_missing_folder(tmp_path: Path) -> None:
    root = build_tree(tmp_path, {})
    (root / "pilots/urbanew.yaml").unlink()
    (root / "pilots").rmdir()
    result = run(root, "new", "pilot", "urbanew", "--title", "U", "--city", "Valladolid:ES")
    assert result.exit_code == 0, result.output
    clean(root)


def test_new_checks_each_answer_as_it_is_typed(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editing_cli, "interactive", lambda: True)
    result = run(
        example_copy, "new", "city", "eskisehir-2", "--name", "Eskişehir",
        stdin="UK\ntr\ncohort-9\nCohort-1\nbudapest-cares\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "'UK' is not an ISO 3166-1 alpha-2 country code (UK is the EU's code" in result.output
    assert "no cohort 'cohort-9'" in result.output
    assert "Cohort (cohort-1, cohort-2)" in result.output
    city = load_programme(example_copy).programme.cities["eskisehir-2"]
    assert (city.country, city.cohort) == ("TR", "cohort-1")


def test_nothing_is_asked_when_stdin_is_not_a_terminal(example_copy: Path) -> None:
    before = snapshot(example_copy)
    result = run(example_copy, "new", "city", "eskisehir-2", "--name", "E", stdin="TR\n")
    assert result.exit_code == 2
    assert "missing --country, --cohort, --pilot: give them on the command line" in result.stderr
    assert snapshot(example_copy) == before
