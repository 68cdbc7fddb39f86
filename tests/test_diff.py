"""`twincli diff`: what a change does to the programme, read from real git repositories.

The scripted history: on `main`, a programme of three cities; on the branch `change`, one
commit each approves Soria's roadmap (and gives it a session that does not exist: an error
introduced), marks Burgos' visit done (and fixes its attendance of a session that does not
exist: an error fixed), and withdraws León (whose unknown pilot stays wrong, on a line an
added comment moves: not a new error); in the working tree, not committed, a session of the
cohort moves.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.support import cli
from tests.support.folders import EXAMPLE, MINIMAL_CITY, REPO, build_tree
from tests.support.golden import check_text
from tests.support.markdown import table_problems

SORIA = MINIMAL_CITY + "outputs:\n  learning-roadmap: {status: submitted, submitted: 2025-01-20}\n"
BURGOS = """\
name: Burgos
country: ES
cohort: cohort-2
pilot: urbanew
attended: [kick-off, seminar-2]
visits:
  - {direction: to-partner, city: Valladolid, start: 2025-05-12, end: 2025-05-13, status: planned}
outputs:
  learning-roadmap: {status: drafting, started: 2024-12-01}
"""
LEON = """\
name: León
country: ES
cohort: cohort-2
pilot: nowhere
attended: [kick-off]
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def new_repository(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    return repo


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The scripted history (see the module's description); the programme folder, which is
    a folder of the repository, not its top, and the current folder (paths are shown
    relative to it)."""
    repo = new_repository(tmp_path / "repo")
    root = build_tree(
        repo / "programme",
        {"cities/soria.yaml": SORIA, "cities/burgos.yaml": BURGOS, "cities/leon.yaml": LEON},
    )
    commit(repo, "A programme of three cities")
    git(repo, "switch", "-qc", "change")
    soria = root / "cities" / "soria.yaml"
    edit(soria, "{status: submitted, submitted: 2025-01-20}",
         "{status: approved, submitted: 2025-01-20, approved: 2025-02-10}")  # fmt: skip
    edit(soria, "attended: [kick-off]", "attended: [kick-off, seminar-9]")
    commit(repo, "Soria's roadmap approved")
    burgos = root / "cities" / "burgos.yaml"
    edit(burgos, "status: planned", "status: done")
    edit(burgos, "seminar-2", "seminar-1")
    commit(repo, "Burgos made its visit")
    leon = root / "cities" / "leon.yaml"
    edit(leon, "name: León", "# León left in March.\nname: León")
    edit(leon, "attended:", "status: withdrawn\nwithdrawn: {date: 2025-03-01, reason: Elections}\n"
         "attended:")  # fmt: skip
    commit(repo, "León withdrew")
    edit(root / "cohorts" / "cohort-2.yaml", "2024-11-12", "2024-11-19")
    monkeypatch.chdir(root)
    return root


def diff(root: Path, *args: str, env: dict[str, str | None] | None = None) -> cli.Result:
    return cli.run(root, "diff", *args, env={"GITHUB_ACTIONS": None, **(env or {})})


def shown(root: Path, result: cli.Result, ref: str = "main") -> str:
    """What the command printed, with the commit of `ref` (different in each run: commits
    have dates) written `<main>`."""
    assert (result.exit_code, result.stderr) == (0, "")
    commit_id = git(root, "rev-parse", "--short=10", ref).strip()
    return result.stdout.replace(commit_id, f"<{ref}>")


TEXT = """\
The working tree against main (<main>), as of 2025-06-30: 4 files differ

cohort cohort-2 (cohorts/cohort-2.yaml)
  session seminar-1 moved: 2024-11-12 → 2024-11-19

city Burgos (cities/burgos.yaml)
  site visit to-partner (Valladolid) of 2025-05-12–2025-05-13: planned → done
  attended seminar-1 (2024-11-19)
  attendance removed: seminar-2

city León (cities/leon.yaml)
  withdrawn on 2025-03-01: Elections

city Soria (cities/soria.yaml)
  Roadmap: submitted 2025-01-20 → approved 2025-02-10
  attended seminar-9

As of 2025-06-30:
  León: Roadmap (due 2025-01-30) no longer overdue
  León: milestone Planned (due 2025-03-30) no longer overdue
  Soria: milestone Planned (due 2025-03-30) no longer overdue
  Burgos: behind (Roadmap overdue since 2025-01-30) → behind (Roadmap overdue since 2025-01-30; \
2 site visits left would end after 2026-03-30 at its pace so far (1 made or planned since \
2024-09-30))
  León: behind (Roadmap overdue since 2025-01-30; no site visit made or planned by \
mid-programme (2025-06-30)) → withdrawn
  cohort-2 totals: active cities 3 → 2, withdrawn 0 → 1, sessions attended 3/6 → 3/4, visits \
done 0 → 1, visits planned 1 → 0, outputs not-started 4 → 2, outputs submitted 1 → 0, outputs \
approved 0 → 1, milestones reached 0/6 → 1/4, overdue 2 → 1

Validation: introduced 1 error, 1 warning; fixed 1 error, 2 warnings
  introduced: cities/soria.yaml:5:22: error TC304 'seminar-9' is not an event of cohort-2
  introduced: cities/soria.yaml:7:21: warning TC602 'learning-roadmap' is approved but has no \
content to render (add its 'content:'; `twincli schema --kind city` describes its keys)
  fixed: cities/burgos.yaml:5:22: error TC304 'seminar-2' is not an event of cohort-2
  fixed: cities/burgos.yaml:7:91: warning TC406 visit planned for 2025-05-13 has passed as of \
2025-06-30 (set 'status: done' or 'cancelled', or move its dates)
  fixed: cities/soria.yaml:7:21: warning TC602 'learning-roadmap' is submitted but has no \
content to render (add its 'content:'; `twincli schema --kind city` describes its keys)
"""


def test_text_says_what_the_change_does(history: Path) -> None:
    """Every kind of change of the history, what follows from it as of the day, and the
    errors introduced and fixed; León's unknown pilot, on a line an added comment moved, is
    neither."""
    assert shown(history, diff(history, "main")) == TEXT


def test_markdown_and_json_say_the_same(history: Path) -> None:
    markdown = shown(history, diff(history, "main", "--format", "markdown"))
    assert table_problems(markdown) == []
    check_text("diff.md", markdown)
    check_text("diff.json", shown(history, diff(history, "main", "--format", "json")))


def test_markdown_keeps_its_tables_and_its_text(tmp_path: Path) -> None:
    """A city whose name and reason of withdrawal hold what Markdown would act on (a pipe,
    HTML, emphasis, a link) shows them as typed, in a table that keeps its columns."""
    repo = new_repository(tmp_path / "repo")
    city = MINIMAL_CITY.replace("name: Soria", "name: 'So|ria <b>*x*</b> [l](http://x)'")
    root = build_tree(repo, {"cities/soria.yaml": city})
    commit(repo, "base")
    (root / "cities" / "soria.yaml").write_text(
        city + "status: withdrawn\nwithdrawn: {date: 2025-03-01, reason: 'a | b <i>c</i>'}\n",
        encoding="utf-8",
    )
    result = diff(root, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert table_problems(text) == []
    tokens = MarkdownIt("commonmark").enable(["table"]).parse(text)
    cells = [t for t in tokens if t.type == "inline" and t.map is not None]
    kinds = {c.type for t in cells for c in t.children or []}
    assert kinds <= {"text", "code_inline", "softbreak"}, kinds
    words = ["".join(c.content for c in t.children or []) for t in cells]
    assert "city So|ria <b>*x*</b> [l](http://x) (cities/soria.yaml)" in words
    assert "withdrawn on 2025-03-01: a | b <i>c</i>" in words


STATUS_TOTALS = ("cities", "withdrawn", "activities", "visits", "outputs", "milestones", "overdue")


def test_json_shape_is_documented(history: Path) -> None:
    """Every key of the JSON is in docs/diff.md's description of it (the totals are in the
    shape of `status`'s, which docs/cli.md describes)."""
    payload = json.loads(diff(history, "main", "--format", "json").stdout)
    assert payload["totals"]
    for totals in payload["totals"]:
        assert set(totals["before"]) == set(totals["after"]) == set(STATUS_TOTALS)
        totals["before"] = totals["after"] = None
    doc = (REPO / "docs" / "diff.md").read_text(encoding="utf-8")
    keys: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                keys.add(key)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(payload)
    assert {key for key in keys if f'"{key}"' not in doc} == set()


def test_the_default_base_is_where_the_branch_left_its_upstream(history: Path) -> None:
    repo = history.parent
    assert shown(history, diff(history), "HEAD").startswith(
        "The working tree against HEAD (<HEAD>), as of 2025-06-30: 1 file differs\n"
    )
    git(repo, "branch", "--set-upstream-to", "main")
    assert shown(history, diff(history)) == TEXT


def test_head_compares_a_revision_without_checking_it_out(history: Path) -> None:
    """The branch as committed: the session moved in the working tree is not part of it."""
    result = shown(history, diff(history, "main", "--head", "change"))
    commit_id = git(history, "rev-parse", "--short=10", "change").strip()
    assert result.startswith(
        f"Change ({commit_id}) against main (<main>), as of 2025-06-30: 3 files differ\n"
    )
    assert "seminar-1 moved" not in result
    assert "Roadmap: submitted 2025-01-20 → approved 2025-02-10" in result
    back = shown(history, diff(history, "change", "--head", "main"))
    assert "against change" in back and "Roadmap" not in back  # where they met: main itself


def test_a_programme_in_step_with_its_base_has_no_change(history: Path) -> None:
    git(history.parent, "stash", "-q")
    assert shown(history, diff(history, "change"), "change") == (
        "The working tree against change (<change>): no change to the programme\n"
    )


def test_the_job_summary_inside_github_actions(history: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    assert shown(history, diff(history, "main", env=env)) == TEXT
    written = summary.read_text(encoding="utf-8")
    commit_id = git(history, "rev-parse", "--short=10", "main").strip()
    assert written.replace(commit_id, "<main>") == shown(
        history, diff(history, "main", "--format", "markdown")
    )


# --- what stops it -----------------------------------------------------------------------------


def stopped(result: cli.Result) -> str:
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr.startswith("twincli: error: "), result.stderr
    return result.stderr.removeprefix("twincli: error: ")


def test_a_folder_outside_git(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "programme", {})
    assert stopped(diff(root)) == f"diff needs a git repository, and {root} is not in one\n"


def test_an_unknown_base(history: Path) -> None:
    assert stopped(diff(history, "origin/main")) == (
        "origin/main: unknown git revision (a branch of a remote must be fetched first: git "
        "fetch origin main; in GitHub Actions, actions/checkout with fetch-depth: 0)\n"
    )
    assert "unknown git revision" in stopped(diff(history, "main", "--head", "nowhere"))
    assert "not a git revision" in stopped(diff(history, "--", "--all"))


def test_a_repository_without_a_commit(tmp_path: Path) -> None:
    root = build_tree(new_repository(tmp_path / "repo"), {})
    assert stopped(diff(root)) == (
        "the repository has no commit yet: there is nothing to compare with\n"
    )


def test_a_programme_that_did_not_exist_at_the_base(tmp_path: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    (repo / "README.md").write_text("Soon a programme.\n", encoding="utf-8")
    commit(repo, "Empty")
    root = build_tree(repo / "programme", {})
    commit(repo, "The programme")
    assert stopped(diff(root, "HEAD~1")) == (
        "HEAD~1 has no programme.yaml in this folder: the programme did not exist there "
        "(compare with a later revision)\n"
    )


def test_a_file_that_does_not_parse_on_one_side_is_named(tmp_path: Path) -> None:
    """A file broken in the working tree: named, its errors introduced, its city left out
    of the figures of both sides (it would seem to vanish from its cohort's totals); the
    rest of the change is shown."""
    repo = new_repository(tmp_path / "repo")
    root = build_tree(repo, {"cities/burgos.yaml": BURGOS})
    commit(repo, "base")
    (root / "cities" / "soria.yaml").write_text("name: [Soria\n", encoding="utf-8")
    edit(root / "cities" / "burgos.yaml", "status: planned", "status: done")
    result = diff(root, "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    base = git(repo, "rev-parse", "--short=10", "HEAD").strip()
    assert payload["unreadable"] == [{"file": "cities/soria.yaml", "sides": ["the working tree"]}]
    assert [r["id"] for r in payload["records"]] == ["burgos"]
    assert [t["before"]["cities"] for t in payload["totals"]] == [1]
    assert [(d["file"], d["severity"]) for d in payload["validation"]["introduced"]] == [
        ("cities/soria.yaml", "error")
    ]
    text = shown(root, diff(root), "HEAD")
    assert "against HEAD (<HEAD>)" in text and base not in text
    assert (
        "\ncities/soria.yaml: not read in the working tree; its changes are not shown\n" in text
        or f"\n{root}/cities/soria.yaml: not read in the working tree; its changes are not shown\n"
        in text
    )


# --- the example of the README -----------------------------------------------------------------


def test_the_readme_shows_a_real_pull_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README.md and docs/diff.md show `diff` of the week's pull request on the example
    programme, its changes made by `record` on a branch: the output is what this gives."""
    repo = new_repository(tmp_path / "programme")
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("reports"), dirs_exist_ok=True)
    commit(repo, "The example programme")
    git(repo, "switch", "-qc", "week-27")
    for step in (
        ["record", "output", "plymouth", "learning-roadmap", "--status", "approved",
         "--date", "2025-06-28"],
        ["record", "output", "chalkida", "stakeholder-engagement-plan", "--status",
         "submitted", "--date", "2025-06-27"],
        ["record", "event", "cohort-2", "cluster-mobility", "--date", "2025-10-21"],
        ["record", "attendance", "plymouth", "cluster-energy"],
    ):  # fmt: skip
        assert cli.run(repo, *step).exit_code == 0, step
    commit(repo, "Week 27")
    monkeypatch.chdir(repo)
    command = "twincli --as-of 2025-06-30 diff main"
    result = cli.invoke(*command.split()[1:])
    assert result.exit_code == 0, result.stderr
    commit_id = git(repo, "rev-parse", "--short=10", "main").strip()
    block = f"$ {command}\n" + result.stdout.replace(commit_id, "<main>")
    for page in (REPO / "README.md", REPO / "docs" / "diff.md"):
        shown = re.findall(r"```text\n(\$ twincli --as-of 2025-06-30 diff main\n.*?)```",
                           page.read_text(encoding="utf-8"), flags=re.S)  # fmt: skip
        assert [re.sub(r"main \([0-9a-f]{10}\)", "main (<main>)", s) for s in shown] == [block]


# --- every kind of change ----------------------------------------------------------------------


def test_each_kind_of_change_in_a_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = new_repository(tmp_path / "repo")
    visits = (
        "visits:\n"
        "  - {direction: to-partner, city: Valladolid, start: 2025-03-10, status: planned}\n"
        "  - {direction: from-partner, start: 2025-04-01, status: done, reimbursed_eur: 900}\n"
        "  - {direction: to-partner, city: Vitoria-Gasteiz, start: 2025-09-01, status: planned}\n"
    )
    root = build_tree(
        repo,
        {
            "cities/soria.yaml": MINIMAL_CITY + visits + "notes: Call in May.\n"
            "outputs:\n  learning-roadmap: {status: drafting, link: 'https://example.org/a'}\n",
            "cities/burgos.yaml": BURGOS,
            "pilots/comet.yaml": "title: Comet\ncities: [{name: Espoo, country: FI}]\n",
        },
    )
    commit(repo, "base")
    soria = root / "cities" / "soria.yaml"
    edit(soria, "start: 2025-03-10, status: planned", "start: 2025-03-10, status: cancelled")
    edit(soria, "reimbursed_eur: 900", "reimbursed_eur: 850")
    edit(soria, "start: 2025-09-01", "start: 2025-09-08")
    edit(soria, "Call in May.", "Call in June.")
    edit(soria, "https://example.org/a", "https://example.org/b")
    (root / "cities" / "burgos.yaml").unlink()
    (root / "cities" / "leon.yaml").write_text(LEON.replace("nowhere", "comet"), "utf-8")
    edit(root / "cohorts" / "cohort-2.yaml", "start: 2024-09-30", "start: 2024-10-07")
    edit(root / "cohorts" / "cohort-2.yaml", "  seminar-1:", "  seminar-2:")
    edit(root / "pilots" / "comet.yaml", "[{name: Espoo, country: FI}]",
         "[{name: Espoo, country: FI}, {name: Vantaa, country: FI}]")  # fmt: skip
    monkeypatch.chdir(root)
    text = shown(root, diff(root), "HEAD")
    blocks = text.split("\n\n")[1:-2]
    assert blocks == [
        "cohort cohort-2 (cohorts/cohort-2.yaml)\n"
        "  moved: from 2024-09-30 → from 2024-10-07\n"
        "  session seminar-1 of 2024-11-12 removed\n"
        "  session seminar-2 (info-seminar) on 2024-11-12 added",
        "pilot Comet (pilots/comet.yaml)\n  cities: Espoo → Espoo, Vantaa",
        "city Burgos (cities/burgos.yaml): removed",
        "city León (cities/leon.yaml): added\n  in cohort-2, paired with comet",
        "city Soria (cities/soria.yaml)\n"
        "  Roadmap: link https://example.org/b\n"
        "  site visit to-partner (Valladolid) of 2025-03-10: planned → cancelled\n"
        "  site visit from-partner of 2025-04-01: reimbursed €900 → €850\n"
        "  site visit to-partner (Vitoria-Gasteiz) of 2025-09-01 moved: 2025-09-01 → 2025-09-08\n"
        "  notes changed",
    ]


def test_a_revision_is_never_an_option_to_git(history: Path, tmp_path: Path) -> None:
    """`--output=FILE` would have git write a file: as BASE or --head it is refused."""
    written = tmp_path / "written"
    assert "not a git revision" in stopped(diff(history, "--", f"--output={written}"))
    assert "not a git revision" in stopped(diff(history, "main", "--head", f"--output={written}"))
    assert not written.exists()


def test_figures_are_those_of_the_day(history: Path) -> None:
    """As of a day before Soria's roadmap was approved (2025-02-10), its approval is a fact
    of the record, but not of that day's figures: the totals count it submitted, as
    `status` does on that day."""
    result = cli.run(history, "diff", "main", "--format", "json", as_of="2025-02-01")
    payload = json.loads(result.stdout)
    soria = next(r for r in payload["records"] if r["id"] == "soria")
    assert soria["changes"][0]["text"] == "Roadmap: submitted 2025-01-20 → approved 2025-02-10"
    [totals] = payload["totals"]
    assert totals["before"]["outputs"]["approved"] == totals["after"]["outputs"]["approved"] == 0
    status = json.loads(cli.run(history, "status", "--format", "json", as_of="2025-02-01").stdout)
    assert status["totals"] == totals["after"]
