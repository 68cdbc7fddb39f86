"""The workflow `init` writes (issue 17): pull requests carry data only and are explained by
`twincli diff`; the reports are rendered and committed on main. Tried with real git: two
branches that each change a different city merge with no conflict, and the reports after the
render that follows are those of the merged data."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.cli import invoke, run
from tests.support.folders import MINIMAL_CITY, MINIMAL_FILES, build_tree, snapshot

DAY = "2025-06-30"
LUGO = MINIMAL_CITY.replace("name: Soria", "name: Lugo")
"""A second city of the minimal programme's cohort, like Soria."""


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True, text=True)


def workflow(root: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        (root / ".github" / "workflows" / "twincli.yml").read_text(encoding="utf-8")
    )
    return loaded


def step(root: Path, job: str, name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        s for s in workflow(root)["jobs"][job]["steps"] if s.get("name") == name
    ]
    assert len(found) == 1, name
    return found[0]


def run_step(root: Path, job: str, name: str) -> subprocess.CompletedProcess[str]:
    """A step's script as GitHub runs it (`bash -e -o pipefail`), on a pull request to main."""
    script = step(root, job, name)["run"].replace("${{ github.base_ref }}", "main")
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def ci_on_main(root: Path, as_of: str = DAY) -> subprocess.CompletedProcess[str]:
    """The `reports` job after a push to main: render, then commit and push what changed."""
    assert git(root, "branch", "--show-current").stdout.strip() == "main"
    rendered = run(root, "render", as_of=as_of)
    assert rendered.exit_code == 0, rendered.output
    done = run_step(root, "reports", "Commit the reports")
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A programme made by `init` with two cities, its reports rendered on main by the
    workflow's job, pushed to a bare `origin`."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    root = tmp_path / "programme"
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(root, "config", "user.name", "Programme officer")
    git(root, "config", "user.email", "officer@example.org")
    assert invoke("init", str(root)).exit_code == 0
    build_tree(root, {**MINIMAL_FILES, "cities/lugo.yaml": LUGO})
    git(root, "add", "--all")
    git(root, "commit", "-q", "-m", "The programme, its cohort and two cities")
    git(root, "remote", "add", "origin", str(origin))
    git(root, "push", "-q", "-u", "origin", "main")
    ci_on_main(root)
    assert (root / "reports" / "README.md").is_file()
    return root


def test_the_workflow_checks_pull_requests_and_renders_on_main(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path / "p")).exit_code == 0
    root = tmp_path / "p"
    flow = workflow(root)
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    check, reports = flow["jobs"]["check"], flow["jobs"]["reports"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert reports["if"].startswith("github.event_name != 'pull_request'")
    assert check["steps"][0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    runs = [s.get("run") for s in check["steps"]]
    assert "twincli validate --format github" in runs
    assert 'twincli diff "origin/${{ github.base_ref }}" --format markdown' in runs
    assert not any("twincli render" in (r or "") for r in runs)  # no report on a branch
    explained = step(root, "check", "What this pull request changes")
    assert explained["if"] == "${{ !cancelled() }}"  # said even when validation fails
    assert reports["permissions"] == {"contents": "write"}
    assert reports["concurrency"]["cancel-in-progress"] is False
    assert [s.get("run") for s in reports["steps"]][-3:-1] == [
        "twincli validate --format github",
        "twincli render",
    ]
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks["repos"][0]["hooks"]] == ["twincli-validate"]


def test_git_folds_the_reports_as_generated(repository: Path) -> None:
    attribute = git(repository, "check-attr", "linguist-generated", "reports/README.md")
    assert attribute.stdout == "reports/README.md: linguist-generated: true\n"
    data = git(repository, "check-attr", "linguist-generated", "cities/soria.yaml")
    assert data.stdout == "cities/soria.yaml: linguist-generated: unspecified\n"


def test_two_branches_that_change_different_cities_merge_without_conflict(
    repository: Path, tmp_path: Path
) -> None:
    root = repository
    git(root, "switch", "-q", "-c", "soria-roadmap")
    recorded = run(
        root, "record", "output", "soria", "learning-roadmap", "--status", "submitted",
        "--date", "2025-06-20", as_of=DAY,
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    git(root, "commit", "-q", "-am", "Soria submits its Learning Roadmap")
    assert run_step(root, "check", "Pull requests carry data only").returncode == 0

    git(root, "switch", "-q", "main")
    git(root, "switch", "-q", "-c", "lugo-seminar")
    recorded = run(root, "record", "attendance", "lugo", "seminar-1", as_of=DAY)
    assert recorded.exit_code == 0, recorded.output
    git(root, "commit", "-q", "-am", "Lugo attended the first seminar")
    assert run_step(root, "check", "Pull requests carry data only").returncode == 0

    git(root, "switch", "-q", "main")
    for branch in ("soria-roadmap", "lugo-seminar"):
        merged = git(root, "merge", "--no-ff", "-q", "-m", f"Merge {branch}", branch, check=False)
        assert merged.returncode == 0, merged.stdout + merged.stderr
        git(root, "push", "-q")
        ci_on_main(root)
    assert git(root, "status", "--porcelain").stdout == ""
    # Each render on main was committed by itself, and changed only reports.
    log = git(root, "log", "--first-parent", "--format=%x00%s", "--name-only", "-4").stdout
    commits = [entry.split() for entry in log.split("\0")[1:]]  # subject's words, then files
    renders = [c for c in commits if c[:3] == ["Render", "the", "reports"]]
    assert len(renders) == 2
    assert all(path.startswith("reports/") for c in renders for path in c[3:])
    assert all(any(path.startswith("reports/") for path in c[3:]) for c in renders)
    assert git(root, "rev-parse", "HEAD").stdout == git(root, "rev-parse", "origin/main").stdout

    # What main holds: the reports of the merged data, as a render from nothing gives them.
    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(fresh))
    pushed = snapshot(fresh / "reports")
    shutil.rmtree(fresh / "reports")
    assert run(fresh, "render", as_of=DAY).exit_code == 0
    assert snapshot(fresh / "reports") == pushed == snapshot(root / "reports")
    cohort = (root / "reports" / "cohorts" / "cohort-2.md").read_text(encoding="utf-8")
    assert "| Lugo | Multi-city pilot | 🔴 behind | ▰▰▰▰▰▰▰▰▰▰ 2/2 |" in cohort  # both changes
    assert "| Soria | 📤 submitted | ⬜ not started |" in cohort
    assert "| 2024-11-12 | Info seminar | Info seminar | 1/2 | Soria |" in cohort
    assert run(root, "render", "--check", as_of=DAY).exit_code == 0


def test_a_pull_request_that_changes_the_reports_is_refused(repository: Path) -> None:
    root = repository
    git(root, "switch", "-q", "-c", "with-reports")
    run(root, "record", "attendance", "lugo", "seminar-1", as_of=DAY)
    assert run(root, "render", as_of=DAY).exit_code == 0
    git(root, "add", "--all")
    git(root, "commit", "-q", "-m", "Lugo attended, reports rendered on the branch")
    refused = run_step(root, "check", "Pull requests carry data only")
    assert refused.returncode == 1
    assert refused.stdout.startswith(
        "::error::this pull request changes reports/, which the workflow renders on main after "
        "the merge: leave them out (git checkout origin/main -- reports/)\n"
    )
    assert "reports/cohorts/cohort-2.md" in refused.stdout.splitlines()
    git(root, "checkout", "origin/main", "--", "reports/")
    git(root, "commit", "-q", "-m", "Leave the reports to main")
    assert run_step(root, "check", "Pull requests carry data only").returncode == 0


def test_the_morning_render_commits_nothing_when_no_figure_changed(repository: Path) -> None:
    """Three mornings later, with no session held and no deadline passed in between."""
    before = git(repository, "rev-parse", "HEAD").stdout
    done = ci_on_main(repository, "2025-07-03")
    assert done.stdout == "The reports are up to date.\n"
    assert git(repository, "rev-parse", "HEAD").stdout == before
