"""One cause, one message (issue 16, part 6): a value in a shared file that puts the records of
several cities in the wrong is reported at its own line, with what follows from it counted,
and each consequence points at it; "did you mean" proposes only a close spelling; a cohort
whose start and end disagree with its edition's length is warned of."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.folders import MINIMAL_CITY, MINIMAL_COHORT, MINIMAL_PILOT, build_tree
from twincli.check import causes
from twincli.check.formats import Folded, text_order
from twincli.diagnostics import Cause, Diagnostic, Location, Severity, misspelt

# --- a cohort's start moved a year: one cause ------------------------------------------------

MOVED_COHORT = MINIMAL_COHORT.replace("start: 2024-09-30", "start: 2025-09-30")

VISITING_CITY = (
    MINIMAL_CITY
    + """\
visits:
  - {direction: to-partner, city: Valladolid, start: 2025-02-11, end: 2025-02-12, status: done}
"""
)

SUBMITTING_CITY = (
    MINIMAL_CITY.replace("Soria", "Burgos")
    + """\
outputs:
  learning-roadmap: {status: needs-revision, submitted: 2025-01-17, revision_requested: 2025-01-29}
"""
)


def moved_start(tmp_path: Path) -> Path:
    return build_tree(
        tmp_path,
        {
            "cohorts/cohort-2.yaml": MOVED_COHORT,
            "cities/soria.yaml": VISITING_CITY,
            "cities/burgos.yaml": SUBMITTING_CITY,
        },
    )


WINDOW = "is outside the cohort: cohort-2 runs 2025-09-30 to 2027-03-30"
FOLLOWS = "(follows from cohorts/cohort-2.yaml:2)"
START_CAUSE = (
    "cohorts/cohort-2.yaml:2:8: error TC412 start 2025-09-30 moves 1 visit and 1 output of "
    "2 cities, and 2 events, outside cohort-2 (check this value: the errors that follow from "
    "it go away with it)"
)
START_CONSEQUENCES = [
    f"cities/burgos.yaml:7:57: error TC402 'learning-roadmap' submitted 2025-01-17 {WINDOW} "
    + FOLLOWS,
    "cities/burgos.yaml:7:89: error TC402 'learning-roadmap' revision_requested 2025-01-29 "
    f"{WINDOW} {FOLLOWS}",
    f"cities/soria.yaml:7:54: error TC402 visit start 2025-02-11 {WINDOW} {FOLLOWS}",
    f"cities/soria.yaml:7:71: error TC402 visit end 2025-02-12 {WINDOW} {FOLLOWS}",
    f"cohorts/cohort-2.yaml:4:40: error TC402 event 'kick-off' on 2024-10-15 {WINDOW} {FOLLOWS}",
    f"cohorts/cohort-2.yaml:5:45: error TC402 event 'seminar-1' on 2024-11-12 {WINDOW} {FOLLOWS}",
]


def validate_text(root: Path, *args: str) -> list[str]:
    result = run(None, "validate", "--format", "text", *args)
    assert result.exit_code == 1, result.output
    return result.stdout.splitlines()


def test_a_moved_start_is_reported_at_its_line_first_with_its_consequences_folded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(moved_start(tmp_path))
    assert validate_text(tmp_path) == [
        START_CAUSE,
        *START_CONSEQUENCES[:4],
        "... and 2 more from cohorts/cohort-2.yaml:2",
        "7 errors, 0 warnings in 5 files",
    ]


def test_verbose_lists_every_consequence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(moved_start(tmp_path))
    assert validate_text(tmp_path, "--verbose") == [
        START_CAUSE,
        *START_CONSEQUENCES,
        "7 errors, 0 warnings in 5 files",
    ]


def test_a_moved_start_in_json_gives_each_consequence_its_cause(tmp_path: Path) -> None:
    result = run(moved_start(tmp_path), "validate", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["summary"] == {"errors": 7, "warnings": 0, "files": 5}
    found = payload["diagnostics"]
    cause = {"file": "cohorts/cohort-2.yaml", "line": 2, "column": 8}
    assert [(d["file"], d["line"], d["code"], d["cause"]) for d in found] == [
        ("cities/burgos.yaml", 7, "TC402", cause),
        ("cities/burgos.yaml", 7, "TC402", cause),
        ("cities/soria.yaml", 7, "TC402", cause),
        ("cities/soria.yaml", 7, "TC402", cause),
        ("cohorts/cohort-2.yaml", 2, "TC412", None),
        ("cohorts/cohort-2.yaml", 4, "TC402", cause),
        ("cohorts/cohort-2.yaml", 5, "TC402", cause),
    ]
    assert found[4] == {
        **cause,
        "code": "TC412",
        "severity": "error",
        "message": "start 2025-09-30 moves 1 visit and 1 output of 2 cities, and 2 events, "
        "outside cohort-2",
        "hint": "check this value: the errors that follow from it go away with it",
        "cause": None,
    }
    assert found[2]["message"] == f"visit start 2025-02-11 {WINDOW}"  # the cause is apart


def test_a_cached_run_prints_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cause is named from every city's findings, whether they were checked in this run
    or taken from the cache: a re-run that reads one city again prints the same."""
    import time

    from twincli.read import cache as caching
    from twincli.read import loader

    monkeypatch.setattr(caching, "now_ns", lambda: time.time_ns() + 10 * caching.RACY_NS)
    monkeypatch.chdir(moved_start(tmp_path))
    first = run(None, "validate", "--format", "text", "--verbose")
    assert first.stdout.splitlines()[:7] == [START_CAUSE, *START_CONSEQUENCES]
    soria = tmp_path / "cities" / "soria.yaml"
    soria.write_text(soria.read_text(encoding="utf-8") + "# read again\n", encoding="utf-8")
    parsed: list[str] = []
    parse_source = loader.parse_source
    monkeypatch.setattr(
        loader, "parse_source", lambda s, data: parsed.append(s.path) or parse_source(s, data)
    )
    again = run(None, "validate", "--format", "text", "--verbose")
    assert parsed == ["cities/soria.yaml"]  # burgos's findings came from the cache
    assert again.stdout == first.stdout


def test_one_city_out_of_its_cohort_is_its_own_mistake(tmp_path: Path) -> None:
    """A visit dated before the start in one city's file names no cause: the visit is the
    mistake, not the start."""
    root = build_tree(
        tmp_path,
        {"cities/soria.yaml": VISITING_CITY.replace("2025-02-11", "2024-09-29")},
    )
    result = run(root, "validate", "--format", "json")
    ((d),) = json.loads(result.stdout)["diagnostics"]
    assert (d["code"], d["line"], d["cause"]) == ("TC402", 7, None)
    assert "follows from" not in run(root, "validate", "-f", "text").stdout


def test_a_derived_end_puts_the_cause_at_the_editions_months(tmp_path: Path) -> None:
    """Without an `end`, the cohort ends start + the edition's months: a length cut short
    is the cause of what falls after it."""
    from tests.support.folders import MINIMAL_PROGRAMME

    late = VISITING_CITY.replace("2025-02-11", "2025-10-01").replace("2025-02-12", "2025-10-02")
    root = build_tree(
        tmp_path,
        {
            "programme.yaml": MINIMAL_PROGRAMME.replace("months: 18", "months: 12")
            .replace("due_month: 17", "due_month: 11")
            .replace("due_month: 18", "due_month: 12"),
            "cities/soria.yaml": late.replace("city: Valladolid, ", "city: Valladolid, ").replace(
                "status: done", "status: planned"
            ),
            "cities/burgos.yaml": late.replace("Soria", "Burgos").replace(
                "status: done", "status: planned"
            ),
        },
    )
    result = run(root, "--as-of", "2025-06-30", "validate", "--format", "json")
    found = json.loads(result.stdout)["diagnostics"]
    (cause,) = [d for d in found if d["code"] == "TC412"]
    assert (cause["file"], cause["line"], cause["message"]) == (
        "programme.yaml",
        5,
        "months 12 of tlp-18 end cohort-2 on 2025-09-30, which moves 2 visits of 2 cities "
        "outside cohort-2",
    )
    assert {d["cause"]["line"] for d in found if d["code"] == "TC402"} == {5}


# --- a session removed from a cohort: one cause --------------------------------------------

TWO_SEMINARS = MINIMAL_COHORT + "  seminar-2: {activity: info-seminar, date: 2025-01-14}\n"
ATTENDING = MINIMAL_CITY.replace("[kick-off]", "[kick-off, seminar-1, seminar-2]")


def removed_session(tmp_path: Path) -> Path:
    return build_tree(
        tmp_path,
        {
            "cohorts/cohort-2.yaml": TWO_SEMINARS.replace(
                "  seminar-1: {activity: info-seminar, date: 2024-11-12}\n", ""
            ),
            "cities/soria.yaml": ATTENDING,
            "cities/burgos.yaml": ATTENDING.replace("Soria", "Burgos"),
        },
    )


SESSION_CAUSE = (
    "cohorts/cohort-2.yaml:3:1: error TC311 'seminar-1' is attended by 2 cities but is not an "
    "event of cohort-2: was it removed or renamed? (add the event back to the cohort, or "
    "correct 'attended' in each city's file)"
)


def test_a_removed_session_is_said_once_at_the_cohort_and_never_hints_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(removed_session(tmp_path))
    assert validate_text(tmp_path) == [
        SESSION_CAUSE,
        "cities/burgos.yaml:5:22: error TC304 'seminar-1' is not an event of cohort-2 "
        "(follows from cohorts/cohort-2.yaml:3)",
        "cities/soria.yaml:5:22: error TC304 'seminar-1' is not an event of cohort-2 "
        "(follows from cohorts/cohort-2.yaml:3)",
        "3 errors, 0 warnings in 5 files",
    ]


def test_a_removed_session_in_json(tmp_path: Path) -> None:
    result = run(removed_session(tmp_path), "validate", "--format", "json")
    found = json.loads(result.stdout)["diagnostics"]
    cause = {"file": "cohorts/cohort-2.yaml", "line": 3, "column": 1}
    assert [(d["file"], d["code"], d["hint"], d["cause"]) for d in found] == [
        ("cities/burgos.yaml", "TC304", None, cause),
        ("cities/soria.yaml", "TC304", None, cause),
        ("cohorts/cohort-2.yaml", "TC311", SESSION_CAUSE.split("? (")[1][:-1], None),
    ]


@pytest.mark.parametrize("args", [("status",), ("show", "city", "soria")])
def test_a_report_counts_the_cause_as_validate_does(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run(removed_session(tmp_path), *args)
    assert result.stderr.startswith("twincli: warning: the data has 3 errors;"), result.stderr


def test_only_a_file_asked_about_still_points_at_its_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(removed_session(tmp_path))
    assert validate_text(tmp_path, "cities/soria.yaml") == [
        "cities/soria.yaml:5:22: error TC304 'seminar-1' is not an event of cohort-2 "
        "(follows from cohorts/cohort-2.yaml:3)",
        "1 error, 0 warnings in 1 file",
    ]


@pytest.mark.parametrize(
    ("attended", "hint"),
    [
        ("semniar-2", "did you mean 'seminar-2'?"),  # two letters swapped
        ("kick-of", "did you mean 'kick-off'?"),  # one left out
        ("seminar-3", None),  # another session, not a spelling of seminar-2
        ("seminar-funding", None),  # shares a word with seminar-2, not its spelling
    ],
)
def test_did_you_mean_proposes_only_a_close_spelling(
    tmp_path: Path, attended: str, hint: str | None
) -> None:
    root = build_tree(
        tmp_path,
        {
            "cohorts/cohort-2.yaml": TWO_SEMINARS,
            "cities/soria.yaml": MINIMAL_CITY.replace("[kick-off]", f"[{attended}]"),
        },
    )
    ((d),) = json.loads(run(root, "validate", "-f", "json").stdout)["diagnostics"]
    assert (d["code"], d["hint"], d["cause"]) == ("TC304", hint, None)


def test_did_you_mean_never_names_a_session_the_city_lists_already(tmp_path: Path) -> None:
    city = MINIMAL_CITY.replace("[kick-off]", "[kick-off, seminar-2, semniar-2]")
    root = build_tree(tmp_path, {"cohorts/cohort-2.yaml": TWO_SEMINARS, "cities/soria.yaml": city})
    ((d),) = json.loads(run(root, "validate", "-f", "json").stdout)["diagnostics"]
    assert (d["code"], d["hint"]) == ("TC304", None)


@pytest.mark.parametrize(
    ("word", "names", "found"),
    [
        ("seminar-fundng", ["seminar-funding", "cluster-financing"], ["seminar-funding"]),
        ("seminar-funding", ["cluster-financing", "seminar-portal"], []),
        ("workshop-1", ["workshop-2", "wrokshop-1"], ["wrokshop-1"]),
        ("kik", ["kick", "kiss"], ["kick"]),  # a short word: one letter at most
        ("kickof", ["kick-off"], ["kick-off"]),
        ("kick-off", ["kick-off"], []),  # itself is no misspelling
    ],
)
def test_misspelt(word: str, names: list[str], found: list[str]) -> None:
    assert misspelt(word, names) == found


# --- an event's date, a pilot's cities -------------------------------------------------------


def test_an_event_dated_after_the_as_of_day_that_cities_attended_is_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attended = MINIMAL_CITY.replace("[kick-off]", "[kick-off, seminar-1]")
    monkeypatch.chdir(
        build_tree(
            tmp_path,
            {
                "cohorts/cohort-2.yaml": MINIMAL_COHORT.replace("2024-11-12", "2025-07-08"),
                "cities/soria.yaml": attended,
                "cities/burgos.yaml": attended.replace("Soria", "Burgos"),
            },
        )
    )
    consequence = (
        "error TC405 'seminar-1' is marked attended but takes place on 2025-07-08, after "
        "2025-06-30 (check the date and the status; dates are compared with --as-of, default "
        "today) (follows from cohorts/cohort-2.yaml:5)"
    )
    assert validate_text(tmp_path) == [
        "cohorts/cohort-2.yaml:5:45: error TC414 'seminar-1' takes place on 2025-07-08, after "
        "2025-06-30, but 2 cities mark it attended (check the event's date, or take it out of "
        "'attended' in each city's file)",
        f"cities/burgos.yaml:5:22: {consequence}",
        f"cities/soria.yaml:5:22: {consequence}",
        "3 errors, 0 warnings in 5 files",
    ]


def test_a_city_taken_out_of_a_pilot_that_cities_visited_is_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(
        build_tree(
            tmp_path,
            {
                "pilots/urbanew.yaml": MINIMAL_PILOT.replace(
                    "  - {name: Valladolid, country: ES}\n", ""
                ),
                "cities/soria.yaml": VISITING_CITY,
                "cities/burgos.yaml": VISITING_CITY.replace("Soria", "Burgos"),
            },
        )
    )
    consequence = (
        "error TC501 'Valladolid' is not one of urbanew's cities (its cities are: "
        "Vitoria-Gasteiz) (follows from pilots/urbanew.yaml:2)"
    )
    assert validate_text(tmp_path) == [
        "pilots/urbanew.yaml:2:1: error TC507 'Valladolid' is visited by 2 cities but is not one "
        "of urbanew's cities: was it removed or renamed? (add the city back to the pilot, or "
        "correct each visit's 'city')",
        f"cities/burgos.yaml:7:35: {consequence}",
        f"cities/soria.yaml:7:35: {consequence}",
        "3 errors, 0 warnings in 5 files",
    ]


# --- a cohort's length against its edition's ---------------------------------------------------


@pytest.mark.parametrize(
    ("end", "message"),
    [
        ("2026-03-30", None),  # start + 18 months
        ("2026-09-30", None),  # 6 months longer: an extension
        ("2026-03-29", "end 2026-03-29 is before start + 18 months (2026-03-30)"),
        ("2026-10-01", "end 2026-10-01 is more than 6 months after start + 18 months (2026-03-30)"),
        ("2024-09-29", None),  # before the start: TC401 says so
    ],
)
def test_a_cohort_whose_dates_disagree_with_its_editions_length_is_warned_of(
    tmp_path: Path, end: str, message: str | None
) -> None:
    cohort = MINIMAL_COHORT.replace("start: 2024-09-30\n", f"start: 2024-09-30\nend: {end}\n")
    root = build_tree(tmp_path, {"cohorts/cohort-2.yaml": cohort})
    found = json.loads(run(root, "validate", "-f", "json").stdout)["diagnostics"]
    warned = [d for d in found if d["code"] == "TC413"]
    if message is None:
        assert warned == []
        return
    assert warned == [
        {
            "file": "cohorts/cohort-2.yaml",
            "line": 3,
            "column": 6,
            "code": "TC413",
            "severity": "warning",
            "message": message + ", and edition tlp-18 lasts 18 months",
            "hint": "check the cohort's start and end",
            "cause": None,
        }
    ]


# --- grouping and folding, as functions -------------------------------------------------------


def consequence(file: str, line: int, cause: Cause) -> Diagnostic:
    return Diagnostic("TC402", Severity.ERROR, "out", Location(file, line), None, cause)


def test_causes_are_grouped_on_their_place_and_words() -> None:
    here = Location("cohorts/c.yaml", 2, 8)
    start = Cause(here, "TC412", "start 2025-01-01 moves", "outside c", "visit", "1")
    other = Cause(here, "TC412", "start 2025-01-01 moves", "outside d", "visit", "1")
    found = causes.with_causes(
        [
            consequence("cities/a.yaml", 3, start),
            consequence("cities/b.yaml", 3, start),
            consequence("cities/b.yaml", 4, start),  # the same visit: counted once
            consequence("cities/a.yaml", 9, other),  # one city: no cause
        ]
    )
    reported = [d for d in found if d.code == "TC412"]
    assert [d.message for d in reported] == [
        "start 2025-01-01 moves 2 visits of 2 cities outside c"
    ]
    assert [d.cause is None for d in found if d.code == "TC402"] == [False, False, False, True]


def test_text_order_puts_each_cause_first_and_folds_the_rest() -> None:
    here = Location("cohorts/c.yaml", 2, 8)
    start = Cause(here, "TC412", "start moves", "outside c", "visit")
    following = [consequence(f"cities/{n}.yaml", 1, start) for n in "abcdef"]
    reported = Diagnostic("TC412", Severity.ERROR, "start moves 6 visits outside c", here)
    other = Diagnostic("TC201", Severity.ERROR, "unknown key", Location("cities/a.yaml", 1))
    everything = sorted([*following, reported, other], key=Diagnostic.sort_key)
    assert text_order(everything) == [reported, *following[:4], Folded(2, here), other]
    assert text_order(everything, verbose=True) == [reported, *following, other]


# --- the CI formats: every diagnostic in order, a consequence naming its cause ------------------


def test_ci_formats_mention_the_cause_and_sarif_stays_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xml.etree.ElementTree as ET

    import jsonschema

    from tests.support.folders import REPO

    monkeypatch.chdir(removed_session(tmp_path))
    follows = "(follows from cohorts/cohort-2.yaml:3)"

    github = run(None, "validate", "--format", "github").stdout.splitlines()
    assert github[0] == (
        "::error file=cities/burgos.yaml,line=5,col=22,title=TC304::'seminar-1' is not an event "
        f"of cohort-2 {follows}"
    )
    assert github[2].startswith("::error file=cohorts/cohort-2.yaml,line=3,col=1,title=TC311::")

    log = json.loads(run(None, "validate", "--format", "sarif").stdout)
    schema = json.loads((REPO / "tests/data/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(schema).iter_errors(log)) == []
    first, _, cause = log["runs"][0]["results"]
    assert first["message"]["text"] == f"'seminar-1' is not an event of cohort-2 {follows}"
    assert first["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "cohorts/cohort-2.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 1},
            },
            "message": {"text": "the cause"},
        }
    ]
    assert cause["ruleId"] == "TC311" and "relatedLocations" not in cause

    junit = ET.fromstring(run(None, "validate", "--format", "junit").stdout.encode())
    failures = {c.get("name"): c.find("failure") for c in junit.iter("testcase")}
    burgos = failures["cities/burgos.yaml"]
    assert burgos is not None and burgos.text is not None
    assert burgos.text.endswith(follows)
    cohort = failures["cohorts/cohort-2.yaml"]
    assert cohort is not None and cohort.get("type") == "TC311"


def test_the_job_summary_lists_each_cause_before_what_follows_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(removed_session(tmp_path))
    summary = tmp_path.parent / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    run(None, "validate", "--format", "github", env=env)
    rows = [line for line in summary.read_text(encoding="utf-8").splitlines() if "TC3" in line]
    assert [row.split(" | ")[1:4] for row in rows] == [
        ["cohorts/cohort-2.yaml", "3:1", "TC311"],
        ["cities/burgos.yaml", "5:22", "TC304"],
        ["cities/soria.yaml", "5:22", "TC304"],
    ]
