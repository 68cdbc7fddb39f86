"""Ids and names typed into editing commands are taken in any case and in a close spelling
with exactly one match; otherwise the command says "did you mean" and writes nothing. A
close spelling never crosses digits: `seminar-2` is not taken for `seminar-1`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.editing import changed_by, commit_all
from tests.support.folders import snapshot
from twincli.errors import closest_meant


@pytest.mark.parametrize(
    ("word", "names", "meant"),
    [
        ("Soria", ["soria", "sant-boi"], "soria"),
        ("UMEA", ["umea"], "umea"),
        ("Umea", ["Umeå", "Lund"], "Umeå"),
        ("kick off", ["kick-off", "seminar-portal"], "kick-off"),
        ("kick-of", ["kick-off", "seminar-portal"], "kick-off"),
        ("aproved", ["submitted", "approved"], "approved"),
        ("seminar-2", ["seminar-1", "kick-off"], None),
        ("cluster", ["cluster-energy", "cluster-mobility"], None),
        ("xyz", ["soria"], None),
    ],
)
def test_what_a_typed_word_means(word: str, names: list[str], meant: str | None) -> None:
    assert closest_meant(word, names) == meant


def test_any_case_and_a_close_spelling_are_taken_and_said(repo: Path) -> None:
    result = run(repo, "record", "attendance", "Plymouth", "seminar-ecosytem")
    assert result.exit_code == 0, result.output
    assert result.stderr == "twincli: 'seminar-ecosytem' taken as 'seminar-ecosystem'\n"
    commit_all(repo)
    diff = changed_by(
        repo, "record", "visit", "PLYMOUTH", "--start", "2025-09-09", "--status", "Cancelled",
        "--city", "lund",
    )  # fmt: skip
    assert diff == [
        "+++ cities/plymouth.yaml",
        "@@ -26 +26 @@ visits:",
        "-    status: planned",
        "+    status: cancelled",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["record", "attendance", "plymouth", "cluster"],
         "no event 'cluster' in cohort-2 (did you mean 'cluster-energy'?)"),
        (["record", "output", "plymouth", "roadmap", "--status", "drafting"],
         "no output 'roadmap' in edition tlp-18"),
        (["record", "attendance", "plym", "kick-off"], "no city 'plym'"),
    ],
)  # fmt: skip
def test_no_single_match_is_did_you_mean(repo: Path, args: list[str], message: str | None) -> None:
    before = snapshot(repo)
    result = run(repo, *args)
    assert result.exit_code == 2, result.output
    if message is not None:
        assert message in result.stderr
    assert snapshot(repo) == before
