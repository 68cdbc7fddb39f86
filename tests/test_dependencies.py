"""What pyproject.toml promises about the dependencies, and what the raised floors keep out.

`make test` runs every test with the newest versions the bounds allow; `make test-oldest` runs
them again with each runtime dependency at its floor (`tests/support/oldest.py`). A floor
raised to keep out a broken release has a test that fails under `make test-oldest` if the floor
is lowered again: the two Jinja sandbox escapes below, and for PyYAML's floor (6.0.4, the first
with libyaml 0.2.6, which stops at 1,000 levels of nesting where 0.2.5 overflows the stack)
`tests/test_reader.py::test_deep_nesting_is_a_diagnostic_not_a_crash`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.support import oldest
from tests.support.cli import run
from tests.support.folders import REPO, build_tree


def all_requirements() -> list[str]:
    with (REPO / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["dev"]]


@pytest.mark.parametrize("requirement", all_requirements())
def test_every_dependency_has_a_floor_and_an_upper_bound(requirement: str) -> None:
    """A release of a dependency that breaks twincli cannot reach users unseen: the versions
    allowed are those between two the tests ran with."""
    name, floor, bound = oldest.floor_and_bound(requirement)
    assert name and floor and bound


def test_the_oldest_versions_are_the_floors(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\ndependencies = [\n'
        '    "typer>=0.29,<0.30",\n    "python-dateutil >= 2.9, < 5",\n    "icalendar>=6,<8",\n]\n',
        encoding="utf-8",
    )
    assert oldest.constraints(pyproject) == "typer==0.29\npython-dateutil==2.9\nicalendar==6\n"


@pytest.mark.parametrize("requirement", ["typer", "typer>=0.29", "typer<0.30", "typer==0.29.2"])
def test_a_dependency_without_a_floor_or_a_bound_is_refused(requirement: str) -> None:
    with pytest.raises(ValueError, match="expected 'name>=floor,<bound'"):
        oldest.floor_and_bound(requirement)


# --- jinja2>=3.1.6 ------------------------------------------------------------------------


def with_templates(root: Path, templates: dict[str, str]) -> Path:
    folder = root / "templates"
    folder.mkdir()
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    return root


RUNS_CODE = "x{open(chr(80)+chr(87)+chr(78),chr(119))}.j2"
"""A template file name that is Python code in an f-string: it creates the file `PWN`."""


def test_a_template_file_name_never_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CVE-2024-56201, fixed in Jinja 3.1.5: the name of a template that imports a name another
    template does not export was compiled into an f-string, so the file name ran as code."""
    root = with_templates(
        build_tree(tmp_path / "programme", {}),
        {
            "overview.md.j2": '{% include "' + RUNS_CODE + '" %}\n',
            RUNS_CODE: '{% from "exports-nothing.j2" import missing %}{{ missing }}\n',
            "exports-nothing.j2": "nothing\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = run(root, "render")
    assert result.exit_code == 2, result.output
    assert f"(imported on line 1 in '{RUNS_CODE}') does not export" in result.stderr
    assert not (tmp_path / "PWN").exists()


def test_attr_cannot_reach_str_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CVE-2025-27516, fixed in Jinja 3.1.6: `|attr("format")` gave a template the string's
    own `format`, past the sandbox, which copied an environment variable into a report."""
    monkeypatch.setenv("TWINCLI_TEST_SECRET", "the-secret-value")
    template = (
        '{{ "{0.__init__.__globals__[os].environ[TWINCLI_TEST_SECRET]}"|attr("format")(cycler) }}\n'
    )
    root = with_templates(build_tree(tmp_path / "programme", {}), {"overview.md.j2": template})
    result = run(root, "render")
    assert result.exit_code == 2, result.output
    assert "not allowed in a template" in result.stderr
    assert "the-secret-value" not in result.output
    assert not (root / "reports").exists()
