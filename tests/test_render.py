"""`twincli render` and the files it writes: markers, hand-edited files, atomic writes,
`--check`, narrowing, and what it says."""

from __future__ import annotations

import importlib
import io
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.hostile import HOSTILE_FILES
from tests.support import cli
from tests.support.folders import EXAMPLE, build_tree
from twincli import __version__
from twincli.report.render import marker_line, read_report
from twincli.writing import write_atomic

render_cli = importlib.import_module("twincli.cli.render")  # the module, not the command
AS_OF = "2025-06-30"
MARKER = marker_line(date(2025, 6, 30))


def run(root: Path, *args: str, as_of: str = AS_OF) -> tuple[int, str, str]:
    result = cli.run(root, "render", *args, as_of=as_of)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def programme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example programme without its reports; the current folder."""
    root = tmp_path / "programme"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("reports"))
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One city with five documents; the current folder."""
    root = build_tree(tmp_path / "small", HOSTILE_FILES)
    monkeypatch.chdir(root)
    return root


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


SMALL_REPORTS = [
    "reports/README.md",
    "reports/cohorts/cohort-2.md",
    "reports/cities/soria/learning-roadmap.md",
    "reports/cities/soria/stakeholder-engagement-plan.md",
    "reports/cities/soria/transferability-assessment.md",
    "reports/cities/soria/action-plan.md",
    "reports/cities/soria/info-session.md",
]


def test_render_writes_every_report_with_the_marker(small: Path) -> None:
    code, out, err = run(small)
    assert (code, err) == (0, "")
    assert out == (
        "".join(f"wrote {path}\n" for path in SMALL_REPORTS)
        + "7 reports in reports/: 7 written, 0 unchanged\n"
    )
    for path in SMALL_REPORTS:
        text = (small / path).read_text(encoding="utf-8")
        assert text.startswith(MARKER + "\n")
        assert text.endswith("\n") and not text.endswith("\n\n")


def test_rendering_twice_changes_nothing(programme: Path) -> None:
    assert run(programme)[0] == 0
    before = snapshot(programme / "reports")
    code, out, err = run(programme)
    assert (code, out, err) == (0, "55 reports in reports/: 0 written, 55 unchanged\n", "")
    assert snapshot(programme / "reports") == before  # same bytes, files not even touched


def test_a_hand_edited_report_is_left_alone(small: Path) -> None:
    run(small)
    edited = small / "reports" / "cities" / "soria" / "info-session.md"
    edited.write_text("# Our own notes\n", encoding="utf-8")
    code, out, err = run(small, as_of="2025-07-01")
    assert code == 1
    assert err == (
        "twincli: reports/cities/soria/info-session.md has no twincli marker (written by "
        "hand?): left as it is; --force overwrites it\n"
    )
    # Nothing changed on 1 July: the others state 30 June again, with the same bytes.
    assert out == "7 reports in reports/: 0 written, 6 unchanged, 1 left alone\n"
    assert edited.read_text(encoding="utf-8") == "# Our own notes\n"

    code, out, err = run(small, "--force")
    assert (code, err) == (0, "")
    assert "wrote reports/cities/soria/info-session.md\n" in out
    assert edited.read_text(encoding="utf-8").startswith(MARKER)


def test_check_after_a_data_change_names_the_stale_report(programme: Path) -> None:
    run(programme)
    soria = programme / "cities" / "soria.yaml"
    soria.write_text(
        soria.read_text(encoding="utf-8").replace("budget_eur: 210000", "budget_eur: 250000"),
        encoding="utf-8",
    )
    code, out, err = run(programme, "--check", as_of="2025-09-01")
    assert (code, err) == (1, "")
    assert out == (
        "reports/cities/soria/replication-plan.md: stale: the data now renders it differently "
        "(as of 2025-06-01)\n"  # cohort 1 ended on 31 May: nothing of it changes after
        "1 of 55 reports in reports/ out of date (run `twincli render` to update them)\n"
    )
    assert run(programme)[1] == (
        "wrote reports/cities/soria/replication-plan.md\n"
        "55 reports in reports/: 1 written, 54 unchanged\n"
    )
    assert run(programme, "--check")[0] == 0


def test_check_re_renders_as_of_the_day_in_each_file(programme: Path) -> None:
    """Time passing does not make reports stale; only the data does. Rendered again later,
    the reports of cohort 1, which ended on 31 May, stay as they were; those of cohort 2
    and the overview state the last day one of their figures changed."""
    run(programme)
    code, out, _ = run(programme, "--check", as_of="2025-09-01")
    assert (code, out) == (0, "55 reports in reports/ up to date\n")
    code, out, _ = run(programme, as_of="2025-09-01")
    assert code == 0 and out.endswith("28 written, 27 unchanged\n")
    assert "cohort-1" not in out and "wrote reports/cohorts/cohort-2.md\n" in out
    # Cohort 2's Transferability Assessment, due 30 September, is due soon from 31 August.
    assert read_report(programme / "reports" / "README.md").as_of == date(2025, 8, 31)  # type: ignore[union-attr]
    assert run(programme, "--check", as_of="2025-09-01")[0] == 0


def test_check_finds_missing_hand_written_and_left_over_reports(small: Path) -> None:
    run(small)
    reports = small / "reports"
    (reports / "cohorts" / "cohort-2.md").unlink()
    (reports / "cities" / "soria" / "info-session.md").write_text("mine\n", encoding="utf-8")
    ghost = reports / "cities" / "atlantis" / "action-plan.md"
    ghost.parent.mkdir()
    ghost.write_text(MARKER + "\nold\n", encoding="utf-8")
    (reports / "notes.md").write_text("hand-written notes, no marker\n", encoding="utf-8")

    code, out, err = run(small, "--check")
    assert (code, err) == (1, "")
    assert out == (
        "reports/cohorts/cohort-2.md: missing\n"
        "reports/cities/soria/info-session.md: has no twincli marker (written by hand?)\n"
        "reports/cities/atlantis/action-plan.md: left over: its data no longer exists\n"
        "3 of 7 reports in reports/ out of date (run `twincli render` to update them)\n"
    )

    code, out, _ = run(small, "--force")
    assert code == 0
    assert "removed reports/cities/atlantis/action-plan.md (its data no longer exists)\n" in out
    assert not ghost.parent.exists()  # its emptied folder goes too
    assert (reports / "notes.md").read_text(encoding="utf-8").startswith("hand-written")
    assert run(small, "--check")[0] == 0


def test_a_report_edited_below_the_marker_is_stale_then_overwritten(small: Path) -> None:
    run(small)
    roadmap = small / "reports" / "cities" / "soria" / "learning-roadmap.md"
    roadmap.write_text(roadmap.read_text(encoding="utf-8") + "An edit.\n", encoding="utf-8")
    assert run(small, "--check")[0] == 1
    assert run(small)[0] == 0
    assert "An edit." not in roadmap.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["--city", "soria"], 5),
        (["--cohort", "cohort-1"], 1 + 26),
        (["--output", "learning-roadmap"], 15),
        (["--cohort", "cohort-2", "--output", "action-plan"], 2),
        (["--city", "umea", "--cohort", "cohort-2"], 4),
    ],
)
def test_narrowing_renders_only_what_is_asked(
    programme: Path, args: list[str], written: int
) -> None:
    code, out, err = run(programme, *args)
    assert (code, err) == (0, "")
    assert out.endswith(f"{written} reports in reports/: {written} written, 0 unchanged\n")
    assert not (programme / "reports" / "README.md").exists()
    assert run(programme, "--check", *args)[0] == 0


def test_narrowing_never_removes_other_reports(small: Path) -> None:
    run(small)
    ghost = small / "reports" / "cities" / "atlantis" / "action-plan.md"
    ghost.parent.mkdir()
    ghost.write_text(MARKER + "\nold\n", encoding="utf-8")
    assert run(small, "--city", "soria")[0] == 0
    assert ghost.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--city", "atlantis"], "no city 'atlantis'"),
        (["--cohort", "cohort-9"], "no cohort 'cohort-9' (cohorts: cohort-1, cohort-2)"),
        (["--city", "soria", "--cohort", "cohort-2"], "no city 'soria' in cohort-2"),
        (["--output", "poster"], "no output 'poster' (outputs: action-plan, "),
        (["--check", "--city", "atlantis"], "no city 'atlantis'"),
        (["--out", "cities"], "--out cities: reports cannot go into the programme's data"),
        (["--out", "."], "--out .: reports cannot go into the programme's data folders"),
        (["--out", "programme.yaml"], "--out programme.yaml: "),
    ],
)
def test_bad_usage_exits_2(programme: Path, args: list[str], message: str) -> None:
    code, out, err = run(programme, *args)
    assert (code, out) == (2, "")
    assert err.startswith("twincli: error: ") and message in err
    assert not (programme / "reports").exists()


def test_reports_can_go_elsewhere(programme: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "elsewhere"
    code, out, _ = run(programme, "--out", str(out_dir))
    assert code == 0 and out.endswith(f"55 reports in {out_dir}/: 55 written, 0 unchanged\n")
    overview = (out_dir / "README.md").read_text(encoding="utf-8")
    assert "(cohorts/cohort-1.md)" in overview
    assert "programme.yaml" not in overview  # no links to data outside the reports' tree
    assert not (programme / "reports").exists()


def test_data_with_errors_is_not_rendered(programme: Path) -> None:
    soria = programme / "cities" / "soria.yaml"
    soria.write_text(soria.read_text(encoding="utf-8").replace("attended:", "atended:"))
    for args in ([], ["--check"]):
        code, out, err = run(programme, *args)
        assert (code, out) == (1, "")
        assert err == (
            "cities/soria.yaml:16:1: error TC201 unknown key 'atended' (did you mean "
            "'attended'?)\n"
            "twincli: the data has 1 error: no report was rendered; fix the data, then render "
            "again\n"
        )
    assert not (programme / "reports").exists()


def test_no_progress_bar_when_not_on_a_terminal(programme: Path) -> None:
    assert run(programme)[2] == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal_for_many_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    opts = render_cli.Options()
    with render_cli._progress(opts, render_cli.PROGRESS_FROM - 1, "rendering") as step:
        assert step is None
    with render_cli._progress(opts, render_cli.PROGRESS_FROM, "rendering") as step:
        assert step is not None
        for _ in range(render_cli.PROGRESS_FROM):
            step()
    assert "rendering" in terminal.getvalue()


def test_an_interrupted_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, b"new\n", durable=True)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left


def test_a_report_that_cannot_be_written_is_a_clear_error(
    small: Path,
) -> None:
    (small / "reports").mkdir()
    (small / "reports" / "cities").write_text("a file where a folder should be\n")
    code, _, err = run(small)
    assert code == 2
    assert err.startswith("twincli: error: cannot write ")


def test_a_folder_linking_out_of_the_reports_is_refused(small: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (small / "reports").mkdir()
    (small / "reports" / "cities").symlink_to(elsewhere)
    code, _, err = run(small)
    assert code == 2
    assert "leads outside" in err
    assert list(elsewhere.iterdir()) == []


def test_a_newer_version_rendering_the_same_bytes_changes_nothing(small: Path) -> None:
    run(small)
    readme = small / "reports" / "README.md"
    text = readme.read_text(encoding="utf-8")
    older = text.replace(f"twincli {__version__}:", "twincli 0.0.0-old:", 1)
    assert older != text
    readme.write_text(older, encoding="utf-8")
    assert run(small, "--check")[0] == 0
    assert run(small)[1].endswith("7 reports in reports/: 0 written, 7 unchanged\n")
    assert readme.read_text(encoding="utf-8") == older


def test_windows_line_ends_are_not_a_change(small: Path) -> None:
    run(small)
    readme = small / "reports" / "README.md"
    readme.write_bytes(readme.read_bytes().replace(b"\n", b"\r\n"))
    assert run(small, "--check")[0] == 0
