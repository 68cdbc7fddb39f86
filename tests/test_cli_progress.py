"""`status`, `deadlines` and `show` on the example programme: exact output, JSON shapes,
filters and errors. Text output is pinned by golden files under tests/golden/; after a
deliberate change, regenerate them with `UPDATE_GOLDEN=1 make pytest` and review the diff.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.support import cli
from tests.support.folders import AS_OF, EXAMPLE
from tests.support.golden import check_text


def run(*args: str, as_of: str = AS_OF) -> tuple[int, str, str]:
    """`twincli ARGS...` on the example programme (80 columns, not a terminal)."""
    result = cli.run(EXAMPLE, *args, as_of=as_of)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("snapshot", "args"),
    [
        ("status.txt", ["status"]),
        ("status-cohort-2.md", ["status", "--cohort", "cohort-2", "--format", "markdown"]),
        ("status-city.txt", ["status", "--city", "chalkida"]),
        ("deadlines.txt", ["deadlines", "--within", "60"]),
        ("show-city.txt", ["show", "city", "eskisehir"]),
        ("show-cohort.txt", ["show", "cohort", "cohort-2"]),
        ("show-pilot.txt", ["show", "pilot", "urbanew"]),
    ],
)
def test_output_is_pinned(snapshot: str, args: list[str]) -> None:
    code, out, err = run(*args)
    assert (code, err) == (0, "")
    assert "\x1b[" not in out  # no colour when not on a terminal
    if snapshot.endswith(".txt"):
        assert max(len(line) for line in out.splitlines()) <= 80
    check_text(snapshot, out)


def test_status_json_has_the_stable_shape() -> None:
    code, out, _ = run("status", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["as_of"] == AS_OF
    cohort = payload["cohorts"][1]
    assert {"id", "edition", "start", "end", "cities", "totals"} <= set(cohort)
    assert (cohort["id"], cohort["edition"], cohort["start"], cohort["end"]) == (
        "cohort-2",
        "tlp-18",
        "2024-09-30",
        "2026-05-31",
    )
    city = next(c for c in cohort["cities"] if c["id"] == "chalkida")
    assert {"id", "name", "status", "activities", "visits", "outputs", "milestones"} <= set(city)
    assert city["activities"] == {
        "done": 7,
        "held": 8,
        "expected": 10,
        "missed": ["workshop-governance"],
    }
    assert cohort["sessions"] == {"held": 8, "expected": 10}
    assert city["visits"] == {"done": 1, "planned": 2, "funded": 3}
    assert city["outputs"]["stakeholder-engagement-plan"] == {
        "status": "needs-revision",
        "due": "2025-03-30",
        "overdue": True,
        "days_late": 92,
    }
    assert city["milestones"]["m1"] == {"due": "2025-03-30", "reached": False, "reached_on": None}


def test_withdrawn_cities_are_listed_but_not_counted() -> None:
    payload = json.loads(run("status", "--format", "json", "--cohort", "cohort-1")[1])
    (cohort,) = payload["cohorts"]
    statuses = {c["id"]: c["status"] for c in cohort["cities"]}
    assert statuses["kosice"] == "withdrawn"
    assert cohort["totals"]["cities"] == len(statuses) - 1
    assert cohort["totals"]["withdrawn"] == 1


def test_deadlines_json_soonest_first() -> None:
    payload = json.loads(run("deadlines", "--format", "json")[1])
    assert payload["as_of"] == AS_OF
    items = payload["deadlines"]
    assert [d["due"] for d in items] == sorted(d["due"] for d in items)
    first = items[0]
    assert set(first) >= {"cohort", "city", "kind", "item", "due", "days", "state"}
    assert all((d["days"] < 0) == (d["state"] == "overdue") for d in items)
    assert "kosice" not in {d["city"] for d in items}  # withdrawn: no deadlines
    assert {d["kind"] for d in items} == {"output", "milestone", "visit"}


def test_deadlines_overdue_only() -> None:
    payload = json.loads(run("deadlines", "--overdue", "--format", "json")[1])
    assert payload["deadlines"] and all(d["state"] == "overdue" for d in payload["deadlines"])


def test_as_of_makes_output_reproducible() -> None:
    assert run("status", "--format", "json") == run("status", "--format", "json")
    later = json.loads(run("status", "--format", "json", as_of="2026-01-01")[1])
    assert later["as_of"] == "2026-01-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--city", "atlantis"], "no city 'atlantis'"),
        (["status", "--cohort", "cohort-9"], "no cohort 'cohort-9'"),
        (["deadlines", "--city", "atlantis"], "no city 'atlantis'"),
        (["show", "city", "soira"], "no city 'soira' (did you mean 'soria'?)"),
        (["show", "pilot", "nope"], "no pilot 'nope'"),
    ],
)
def test_unknown_ids_exit_2_with_a_message(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert message in err


def test_report_on_broken_data_warns_on_stderr(example_copy: Path) -> None:
    (example_copy / "cities" / "soria.yaml").write_text("name: [", encoding="utf-8")
    result = cli.run(example_copy, "status")
    assert result.exit_code == 0
    assert "the data has 1 error" in result.stderr
    assert result.stderr.endswith("; left out: city soria (cities/soria.yaml has 1 error)\n")
    assert "Soria" not in result.stdout


# --- one city: only its file is read ---------------------------------------------------------


def test_one_city_is_shown_as_from_the_whole_programme() -> None:
    from twincli.progress.payloads import status_payload
    from twincli.progress.standing import programme_progress, select
    from twincli.read.loader import load_programme

    whole = programme_progress(load_programme(EXAMPLE, cache=False).programme, date(2025, 6, 30))
    for path in sorted((EXAMPLE / "cities").glob("*.yaml")):
        payload = json.loads(run("status", "--city", path.stem, "--format", "json")[1])
        assert payload == json.loads(json.dumps(status_payload(select(whole, city=path.stem))))


def test_showing_a_city_reads_no_other_city(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from twincli.read import loader

    (example_copy / "cities" / "soria.yaml").write_text("name: [", encoding="utf-8")
    assert cli.run(example_copy, "validate").exit_code == 1  # the cache, warm
    parsed: list[str] = []
    real = loader.parse_source

    def parse(source: loader.SourceFile, data: bytes) -> loader.Result:
        parsed.append(source.path)
        return real(source, data)

    monkeypatch.setattr(loader, "parse_source", parse)
    for command in (["show", "city", "belfast"], ["status", "--city", "belfast"]):
        result = cli.run(example_copy, *command)
        assert result.exit_code == 0, result.output
        assert "Belfast" in result.stdout
        assert "the data has 1 error" in result.stderr  # soria's, as validate found it
    assert {path for path in parsed if path.startswith("cities/")} <= {"cities/belfast.yaml"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("soria", "name: ["), "city 'soria' is left out: cities/soria.yaml has 1 error"),
        (("belfast", None), "city 'belfast' is left out: its cohort 'cohort-9' does not exist"),
    ],
)
def test_a_city_without_a_view_is_a_clear_message(
    example_copy: Path, change: tuple[str, str | None], message: str
) -> None:
    city, text = change
    path = example_copy / "cities" / f"{city}.yaml"
    if text is None:
        text = path.read_text(encoding="utf-8").replace("cohort: cohort-1", "cohort: cohort-9")
    path.write_text(text, encoding="utf-8")
    result = cli.run(example_copy, "show", "city", city)
    assert result.exit_code == 1  # a problem in the data, not in the command line
    assert result.stdout == ""
    assert result.stderr.endswith(
        f"twincli: error: {message} (twincli validate cities/{city}.yaml)\n"
    )


# --- render --check: its progress bar counts what it checks ------------------------------------


def test_the_check_bar_counts_the_reports_the_summary_counts(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bar's total is the number of reports checked, whatever else the folder holds: a
    report written by hand, one gone, one left over from data that no longer exists."""
    from contextlib import contextmanager

    from twincli.cli import render

    bars: list[tuple[int, str]] = []

    @contextmanager
    def progress(opts: object, total: int, what: str) -> Any:
        bars.append((total, what))
        yield None

    monkeypatch.setattr(render, "_progress", progress)
    reports = example_copy / "reports"
    (reports / "cities" / "soria" / "info-session.md").write_text("notes\n", encoding="utf-8")
    (reports / "cities" / "kozani" / "info-session.md").unlink()
    left_over = (reports / "cities" / "cologne" / "replication-plan.md").read_text(encoding="utf-8")
    (reports / "cities" / "cologne" / "old-plan.md").write_text(left_over, encoding="utf-8")
    result = cli.run(example_copy, "render", "--check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].startswith("3 of 55 reports in ")
    assert bars == [(55, "checking")]


def test_a_withdrawn_city_says_when_and_why() -> None:
    code, out, _ = run("show", "city", "kosice")
    assert code == 0
    assert "Withdrawn on 2024-05-06: The twinning team left the city office" in out
