"""The benchmark's own measures: what it times must be what it says it is."""

from __future__ import annotations

from pathlib import Path

from benchmarks.run import write_bare


def test_write_bare_writes_the_same_files_again_and_leaves_no_temporary(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    files = {
        "overview.md": b"# Overview\n",
        "cohorts/cohort-1.md": b"# Cohort 1\n",
        "cities/soria/action-plan.md": "# Soria — plan\n".encode(),
    }
    for rel, data in files.items():
        (reports / rel).parent.mkdir(parents=True, exist_ok=True)
        (reports / rel).write_bytes(data)
    (reports / "notes.txt").write_text("not a report")

    seconds = write_bare(reports, tmp_path / "again")

    assert seconds > 0
    written = {
        p.relative_to(tmp_path / "again").as_posix(): p.read_bytes()
        for p in (tmp_path / "again").rglob("*")
        if p.is_file()
    }
    assert written == files
