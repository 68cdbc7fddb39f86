"""`twincli export csv|json|ics`: each output read back with the parser its users have."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import icalendar
import jsonschema
import pytest
from typer.testing import Result

from tests.support.cli import run
from tests.support.folders import AS_OF, EXAMPLE, MINIMAL_CITY, MINIMAL_COHORT, build_tree
from twincli.export import csvtables, jsondata, schemas
from twincli.export.calendar import PRODID, calendar_ics
from twincli.export.scope import narrow
from twincli.read.loader import load_programme

TRICKY_NAME = 'Commune de Courcy, "Grand Reims" – Žilina-Ñuñoa'
TRICKY = {
    "cities/soria.yaml": f"name: '{TRICKY_NAME}'\n"
    + MINIMAL_CITY.split("\n", 1)[1]
    + """visits:
  - {direction: to-partner, city: Valladolid, start: 2025-03-04, end: 2025-03-05,
     status: done, travellers: 2, claimed_eur: 899.5, reimbursed_eur: 899.50}
  - {direction: from-partner, city: Vitoria-Gasteiz, start: 2025-09-09, status: planned}
outputs:
  learning-roadmap: {status: approved, submitted: 2025-01-20, approved: 2025-01-25}
""",
    "cohorts/cohort-2.yaml": MINIMAL_COHORT + "  workshop: {activity: info-seminar, "
    "date: 2025-02-11, title: '=HYPERLINK(\"http://x\")'}\n",
}


def export(root: Path, *args: str, as_of: str = AS_OF) -> Result:
    return run(root, "export", *args, as_of=as_of)


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a byte order mark, for Excel"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- CSV ------------------------------------------------------------------------------------


def test_csv_cities_has_one_row_per_city_with_progress(tmp_path: Path) -> None:
    root = build_tree(tmp_path, TRICKY)
    result = export(root, "csv")
    assert result.exit_code == 0, result.stderr
    rows = read_csv(result.stdout_bytes)
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == TRICKY_NAME
    assert {k: row[k] for k in ("as_of", "cohort", "city", "country", "pilot", "status")} == {
        "as_of": AS_OF,
        "cohort": "cohort-2",
        "city": "soria",
        "country": "ES",
        "pilot": "urbanew",
        "status": "active",
    }
    assert (row["events_attended"], row["events_expected"]) == ("1", "4")
    assert (row["visits_done"], row["visits_planned"], row["visits_funded"]) == ("1", "1", "3")
    assert (row["outputs_approved"], row["outputs_not_started"]) == ("1", "1")
    assert (row["milestones_reached"], row["milestones_expected"]) == ("1", "2")
    # kick-off attended, seminar-1 and the workshop missed: 1 of 3 is under half
    assert (row["health"], row["health_reason"]) == ("behind", "attended 1 of 3 sessions held")


def test_csv_quotes_commas_and_quotes_and_keeps_diacritics(tmp_path: Path) -> None:
    root = build_tree(tmp_path, TRICKY)
    raw = export(root, "csv").stdout_bytes.decode("utf-8-sig")
    assert '"Commune de Courcy, ""Grand Reims"" – Žilina-Ñuñoa"' in raw


def test_csv_neutralises_formulas_but_not_figures(tmp_path: Path) -> None:
    root = build_tree(tmp_path, TRICKY)
    events = read_csv(export(root, "csv", "--table", "events").stdout_bytes)
    titles = {row["event"]: row["title"] for row in events}
    assert titles["workshop"] == '\'=HYPERLINK("http://x")'
    assert csvtables._cell(-3) == "-3"
    assert csvtables._cell("-3 degrees") == "'-3 degrees"
    assert csvtables._cell("@home") == "'@home"


def test_csv_other_tables(tmp_path: Path) -> None:
    root = build_tree(tmp_path, TRICKY)
    visits = read_csv(export(root, "csv", "-t", "visits").stdout_bytes)
    assert [(v["visit"], v["direction"], v["start"], v["end"], v["status"]) for v in visits] == [
        ("1", "to-partner", "2025-03-04", "2025-03-05", "done"),
        ("2", "from-partner", "2025-09-09", "2025-09-09", "planned"),
    ]
    assert (visits[0]["claimed_eur"], visits[0]["reimbursed_eur"]) == ("899.50", "899.50")
    assert (visits[1]["travellers"], visits[1]["claimed_eur"]) == ("", "")
    outputs = read_csv(export(root, "csv", "-t", "outputs").stdout_bytes)
    assert [(o["output"], o["status"], o["due"], o["overdue"]) for o in outputs] == [
        ("learning-roadmap", "approved", "2025-01-30", "false"),
        ("action-plan", "not-started", "2026-02-28", "false"),
    ]
    events = read_csv(export(root, "csv", "-t", "events").stdout_bytes)
    assert [(e["event"], e["date"], e["attended"]) for e in events] == [
        ("kick-off", "2024-10-15", "1"),
        ("seminar-1", "2024-11-12", "0"),
        ("workshop", "2025-02-11", "0"),
    ]
    assert events[0]["activity_title"] == "Kick-off"


def test_csv_on_the_example_programme() -> None:
    expected = {"cities": 15, "outputs": 15 * 5, "events": 20}
    for table, count in expected.items():
        rows = read_csv(export(EXAMPLE, "csv", "--table", table).stdout_bytes)
        assert len(rows) == count, table
    cities = read_csv(export(EXAMPLE, "csv", "--cohort", "cohort-2").stdout_bytes)
    assert {c["cohort"] for c in cities} == {"cohort-2"}
    assert "Umeå" in {c["name"] for c in cities}
    one = read_csv(export(EXAMPLE, "csv", "--city", "eskisehir").stdout_bytes)
    assert [c["name"] for c in one] == ["Eskişehir"]


def test_csv_without_bom_and_with_semicolons(tmp_path: Path) -> None:
    root = build_tree(tmp_path, TRICKY)
    data = export(root, "csv", "--no-bom", "--delimiter", ";").stdout_bytes
    assert data.startswith(b"as_of;cohort;city;")
    rows = list(csv.reader(io.StringIO(data.decode(), newline=""), delimiter=";"))
    assert rows[1][3] == TRICKY_NAME


# --- JSON -----------------------------------------------------------------------------------


def test_json_is_the_whole_model_shaped_like_the_files() -> None:
    result = export(EXAMPLE, "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["programme", "cohorts", "pilots", "cities"]
    assert list(data["cities"]) == sorted(data["cities"])
    assert len(data["cities"]) == 15 and len(data["pilots"]) == 13
    soria = data["cities"]["soria"]
    assert list(soria)[:5] == ["name", "country", "cohort", "pilot", "status"]
    assert soria["visits"][0]["start"] == "2024-04-15"
    assert soria["visits"][2]["claimed_eur"] == 498.3
    assert data["programme"]["editions"]["tlp-18"]["activities"]["site-visit"]["to-partner"] == 2
    assert data["pilots"]["trondheim-nzd"]["cities"][0]["country"] == "NO"
    assert export(EXAMPLE, "json").stdout == result.stdout


def test_each_exported_record_matches_its_json_schema() -> None:
    data = json.loads(export(EXAMPLE, "json").stdout)
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    for kind, records in (("cohort", "cohorts"), ("pilot", "pilots"), ("city", "cities")):
        validator = jsonschema.Draft7Validator(schemas.file_schema(kind), format_checker=checker)
        for record in data[records].values():
            assert list(validator.iter_errors(record)) == []
    programme = jsonschema.Draft7Validator(schemas.file_schema("programme"))
    assert list(programme.iter_errors(data["programme"])) == []


def test_json_filters(tmp_path: Path) -> None:
    data = json.loads(export(EXAMPLE, "json", "--city", "soria").stdout)
    assert list(data["cities"]) == ["soria"]
    assert list(data["cohorts"]) == ["cohort-1"]
    assert list(data["pilots"]) == ["urbanew"]
    cohort = json.loads(export(EXAMPLE, "json", "--cohort", "cohort-2").stdout)
    assert {c["cohort"] for c in cohort["cities"].values()} == {"cohort-2"}


# --- iCalendar ------------------------------------------------------------------------------


def parse_ics(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == PRODID
    return list(calendar.walk("VEVENT"))


def test_ics_has_sessions_visits_and_deadlines_with_stable_uids() -> None:
    result = export(EXAMPLE, "ics")
    assert result.exit_code == 0
    assert b"\r\n" in result.stdout_bytes
    events = parse_ics(result.stdout_bytes)
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    kinds = Counter(uid.split(".")[0] for uid in uids)
    assert kinds == {"event": 20, "visit": kinds["visit"], "output": 10}
    assert kinds["visit"] > 20
    kick_off = next(e for e in events if e["UID"] == "event.cohort-2.kick-off@twincli")
    assert str(kick_off["SUMMARY"]) == "Kick-off in Brussels (Cohort 2)"
    assert kick_off["DTSTART"].dt.isoformat() == "2024-10-15"
    assert kick_off["DTEND"].dt.isoformat() == "2024-10-16"
    deadline = next(e for e in events if e["UID"] == "output.cohort-2.learning-roadmap@twincli")
    assert "Umeå: " in str(deadline["DESCRIPTION"])
    assert deadline["TRANSP"] == "TRANSPARENT"
    visit = next(e for e in events if e["UID"] == "visit.soria.1@twincli")
    assert str(visit["SUMMARY"]) == "Site visit: Soria to URBANEW, Vitoria-Gasteiz"
    assert visit["STATUS"] == "CONFIRMED"
    assert (visit["DTSTART"].dt.isoformat(), visit["DTEND"].dt.isoformat()) == (
        "2024-04-15",
        "2024-04-17",
    )
    starts = [e["DTSTART"].dt for e in events]
    assert starts == sorted(starts)


def test_ics_is_byte_identical_whatever_the_day() -> None:
    first = export(EXAMPLE, "ics").stdout_bytes
    assert export(EXAMPLE, "ics").stdout_bytes == first
    assert export(EXAMPLE, "ics", as_of="2030-01-01").stdout_bytes == first
    stamps = {e["DTSTAMP"].dt for e in parse_ics(first)}
    assert len(stamps) == 1


def test_ics_for_one_city_has_its_own_deadlines_and_attendance() -> None:
    events = parse_ics(export(EXAMPLE, "ics", "--city", "soria").stdout_bytes)
    uids = {str(e["UID"]) for e in events}
    assert "output.cohort-1.soria.replication-plan@twincli" in uids
    assert not any(uid.startswith("event.cohort-2.") for uid in uids)
    assert {uid.split(".")[1] for uid in uids if uid.startswith("visit.")} == {"soria"}
    kick_off = next(e for e in events if e["UID"] == "event.cohort-1.kick-off@twincli")
    assert str(kick_off["DESCRIPTION"]).endswith("\nAttended")
    withdrawn = parse_ics(export(EXAMPLE, "ics", "--city", "kosice").stdout_bytes)
    assert not any(str(e["UID"]).startswith("output.") for e in withdrawn)


# --- the command ----------------------------------------------------------------------------


def test_out_writes_the_file_and_stdout_stays_empty(tmp_path: Path) -> None:
    target = tmp_path / "calendar.ics"
    result = export(EXAMPLE, "ics", "--out", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "wrote" in result.stderr
    assert target.read_bytes() == export(EXAMPLE, "ics").stdout_bytes
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["csv", "--city", "nowhere"], ["no city 'nowhere'"]),
        (["json", "--cohort", "cohort-9"], ["no cohort 'cohort-9'", "cohort-1"]),
        (["ics", "--cohort", "cohort-2", "--city", "soria"], ["no city 'soria' in cohort-2"]),
        (["csv", "--table", "people"], ["people"]),
    ],
)
def test_bad_usage_exits_2_with_nothing_on_stdout(args: list[str], words: list[str]) -> None:
    result = export(EXAMPLE, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr


def test_out_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = export(EXAMPLE, "json", "--out", str(tmp_path / "no" / "x.json"))
    assert result.exit_code == 2
    assert "--out" in result.stderr


def test_data_with_errors_still_exports_with_a_warning_on_stderr(tmp_path: Path) -> None:
    root = build_tree(tmp_path, {"pilots/urbanew.yaml": "title: U\ncities: []\n"})
    result = export(root, "json")
    assert result.exit_code == 0
    assert "figures may be incomplete" in result.stderr
    assert json.loads(result.stdout)["pilots"] == {}


def test_exports_are_pure_functions_of_the_data() -> None:
    programme = load_programme(EXAMPLE).programme
    assert calendar_ics(programme) == calendar_ics(programme)
    assert jsondata.model_json(programme) == jsondata.model_json(programme)
    with pytest.raises(LookupError):
        narrow(programme, city="nowhere")


def test_exports_have_no_escape_codes_when_colour_is_forced() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twincli", "--data", str(EXAMPLE), "export", "csv", "--no-bom"],
        env={**os.environ, "FORCE_COLOR": "1"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert b"\x1b" not in done.stdout
    assert done.stdout.startswith(b"as_of,cohort,city,")


def test_json_is_written_as_the_standard_encoder_writes_it() -> None:
    import json as std

    programme = load_programme(EXAMPLE).programme
    payload = {
        "programme": jsondata.record_data(programme),
        "cohorts": {k: jsondata.record_data(v) for k, v in sorted(programme.cohorts.items())},
        "pilots": {k: jsondata.record_data(v) for k, v in sorted(programme.pilots.items())},
        "cities": {k: jsondata.record_data(v) for k, v in sorted(programme.cities.items())},
    }
    assert jsondata.model_json(programme) == std.dumps(payload, indent=2, ensure_ascii=False) + "\n"
