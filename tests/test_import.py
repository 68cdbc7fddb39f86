"""`twincli import`: real spreadsheets made here with openpyxl and csv, each checked for the
exact files written, or the exact problems reported with nothing written."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tests.support.cli import run
from tests.support.folders import build_tree, snapshot

COHORT = """\
edition: tlp-18
start: 2024-09-30
events:
  kick-off: {activity: kick-off, date: 2024-10-15, title: Kick-off in Brussels}
  seminar-1: {activity: info-seminar, date: 2024-11-12, title: Portal seminar}
  seminar-2: {activity: info-seminar, date: 2025-09-02, title: Funding seminar}
"""

SORIA = """\
name: Soria
country: ES
cohort: cohort-2
pilot: urbanew
contacts:
  - {name: Ana Pérez, role: lead, email: ana.perez@example.org}
attended: [kick-off]
outputs:
  learning-roadmap:
    status: drafting            # the first draft
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return build_tree(
        tmp_path / "prog",
        {"cohorts/cohort-2.yaml": COHORT, "cities/soria.yaml": SORIA},
    )


def csv_file(path: Path, rows: list[list[str]], *, delimiter: str, encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def soria(root: Path) -> str:
    return (root / "cities/soria.yaml").read_text(encoding="utf-8")


# --- each kind of sheet, as programme teams keep them ---------------------------------------


def test_an_xlsx_with_merged_headers_and_excel_dates(folder: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = "not this sheet"
    sheet = book.create_sheet("Cohort 2")
    sheet["A1"] = "Cohort 2: outputs and sessions"
    sheet["A2"] = "City"
    sheet.merge_cells("A2:A3")  # the header's text is in A2 only
    sheet["B2"] = "Outputs"
    sheet.merge_cells("B2:C2")
    sheet["B3"] = "Roadmap"  # the output's title
    sheet["C3"] = "action-plan"
    sheet["A4"] = "SORIA"
    sheet["B4"] = datetime(2025, 1, 20)  # an Excel date: submitted that day
    sheet["C4"] = "Not started"
    sheet["B4"].number_format = "dd/mm/yyyy"
    path = tmp_path / "tracker.xlsx"
    book.save(path)

    result = run(folder, "import", "outputs", str(path), "--sheet", "Cohort 2")

    assert result.exit_code == 0, result.output
    assert (
        soria(folder)
        == SORIA.replace(
            "    status: drafting            # the first draft\n",
            "    status: submitted           # the first draft\n    submitted: 2025-01-20\n",
        )
        + "  action-plan:\n    status: not-started\n"
    )


def test_an_xlsx_date_in_a_header_names_the_session_of_that_day(
    folder: Path, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Twin city", datetime(2024, 11, 12), "Kick-off in Brussels"])
    sheet.append(["soria", True, "✓"])
    path = tmp_path / "attendance.xlsx"
    book.save(path)

    result = run(folder, "import", "attendance", str(path))

    assert result.exit_code == 0, result.output
    assert soria(folder) == SORIA.replace("[kick-off]", "[kick-off, seminar-1]")


def test_a_windows_1252_csv_with_semicolons_creates_a_city(folder: Path, tmp_path: Path) -> None:
    rows = [
        ["City", "Country", "Partner", "Lead", "E-mail"],
        ["Málaga", "es", "Multi-city pilot", "José Núñez", "jose.nunez@example.es"],
    ]
    path = csv_file(tmp_path / "cities.csv", rows, delimiter=";", encoding="cp1252")

    result = run(folder, "import", "cities", str(path), "--cohort", "cohort-2")

    assert result.exit_code == 0, result.output
    assert result.stdout == f"created {folder}/cities/malaga.yaml\n"
    assert (folder / "cities/malaga.yaml").read_text(encoding="utf-8") == MALAGA


MALAGA = """\
# Málaga: a Twin City of cohort-2, paired with urbanew. Keep this file up to date as
# the programme goes (by hand, or with twincli record); twincli validate checks it.
name: Málaga
country: ES                     # ISO 3166-1 alpha-2 code
cohort: cohort-2                # cohorts/cohort-2.yaml
pilot: urbanew                  # pilots/urbanew.yaml
status: active                  # active | withdrawn (twincli withdraw malaga ...)

contacts:
  - {name: José Núñez, role: lead, email: jose.nunez@example.es}

# Events of cohort-2 the city took part in: twincli record attendance malaga EVENT...
attended: []

# Site visits: twincli record visit malaga --direction to-partner --start YYYY-MM-DD
visits: []

# Where it stands with each output: twincli record output malaga OUTPUT --status S
outputs:
  learning-roadmap:
    status: not-started         # due 2025-01-30
  action-plan:
    status: not-started         # due 2026-02-28
"""


def test_a_bom_csv_of_visits(folder: Path, tmp_path: Path) -> None:
    rows = [
        ["City", "Direction", "Partner city", "Start", "End", "Travellers", "Claimed"],
        ["Soria", "To partner", "Valladolid", "04/03/2025", "05/03/2025", "2", "1650"],
    ]
    path = csv_file(tmp_path / "visits.csv", rows, delimiter=",", encoding="utf-8-sig")

    result = run(folder, "import", "visits", str(path), "--day-first")

    assert result.exit_code == 0, result.output
    assert soria(folder) == SORIA.replace(
        "outputs:\n",
        "visits:\n"
        "  - direction: to-partner\n"
        "    city: Valladolid\n"
        "    start: 2025-03-04\n"
        "    end: 2025-03-05\n"
        "    status: done\n"
        "    travellers: 2\n"
        "    claimed_eur: 1650\n"
        "outputs:\n",
    )


def test_the_same_contact_is_completed_not_added_twice(folder: Path, tmp_path: Path) -> None:
    rows = [
        ["Id", "Contact", "Role", "E-mail", "Phone"],
        ["soria", "Ana Perez", "lead", "ana.perez@example.org", "+34 975 00 00 00"],
        ["soria", "Luis Gil", "energy", "luis.gil@example.org", ""],
    ]
    path = csv_file(tmp_path / "contacts.csv", rows, delimiter=",", encoding="utf-8")

    first = run(folder, "import", "cities", str(path))
    written = soria(folder)
    second = run(folder, "import", "cities", str(path))

    assert first.exit_code == 0, first.output
    assert written == SORIA.replace(
        "  - {name: Ana Pérez, role: lead, email: ana.perez@example.org}\n",
        "  - {name: Ana Pérez, role: lead, email: ana.perez@example.org, phone: +34 975 00 00 00}\n"
        "  - {name: Luis Gil, role: energy, email: luis.gil@example.org}\n",
    )
    assert (second.exit_code, second.stdout, soria(folder)) == (0, "", written)
    assert "nothing to change" in second.stderr


# --- problems: all of them, at their places, and nothing written ------------------------------


def test_typos_in_a_header_and_a_city_are_reported_together(folder: Path, tmp_path: Path) -> None:
    rows = [
        ["City", "Kick-off in Brussels", "Portal semnar"],
        ["Sorai", "x", ""],
        ["Soria", "perhaps", "x"],
    ]
    path = csv_file(tmp_path / "attendance.csv", rows, delimiter=",", encoding="utf-8")
    before = snapshot(folder)

    result = run(folder, "import", "attendance", str(path))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:C1: error: no field matches the header 'Portal semnar' "
        "(did you mean 'seminar-1'?)",
        f"{path}:A2: error: no city 'Sorai' in the programme (did you mean 'Soria'?)",
        f"{path}:B3: error: 'perhaps' is not a tick (write x, ✓, yes, 1 or TRUE; leave it blank)",
        "twincli: refused: 3 problems in the sheet; nothing was written",
    ]
    assert snapshot(folder) == before


def test_a_country_name_is_refused_with_its_code(folder: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cohort 3"
    sheet["A1"] = "Cities of cohort 2, as the selection committee listed them"
    rows = [
        ["City", "Country", "Pilot", "Cohort"],
        ["Valencia", "Spain", "urbanew", "cohort-2"],
        ["Burgos", "ES", "urbanu", "cohort-2"],
    ]
    for number, row in enumerate(rows, start=6):
        for column, value in enumerate(row, start=1):
            sheet.cell(number, column, value)
    path = tmp_path / "cities.xlsx"
    book.save(path)
    before = snapshot(folder)

    result = run(folder, "import", "cities", str(path))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:Cohort 3!B7: error: 'Spain' is not an ISO country code (ES)",
        f"{path}:Cohort 3!C8: error: no pilot 'urbanu' (by id, acronym or title) "
        "(did you mean 'urbanew'?)",
        "twincli: refused: 2 problems in the sheet; nothing was written",
    ]
    assert snapshot(folder) == before


def test_a_date_that_reads_both_ways_needs_the_order(folder: Path, tmp_path: Path) -> None:
    rows = [
        ["City", "Direction", "Partner city", "Start"],
        ["Soria", "to-partner", "Valladolid", "03/04/2025"],
    ]
    path = csv_file(tmp_path / "visits.csv", rows, delimiter=",", encoding="utf-8")
    before = snapshot(folder)

    result = run(folder, "import", "visits", str(path))

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:D2: error: '03/04/2025' could be read day first or month first "
        "(say which the sheet uses with --day-first or --month-first)"
    )
    assert snapshot(folder) == before
    assert run(folder, "import", "visits", str(path), "--month-first").exit_code == 0
    assert "start: 2025-03-04" in soria(folder)


def test_a_change_the_folder_would_refuse_is_not_written(folder: Path, tmp_path: Path) -> None:
    """seminar-2 is on 2025-09-02, after the as-of day: attending it is an error of the data,
    which the import's check of the whole folder finds."""
    rows = [["City", "seminar-2"], ["Soria", "x"]]
    path = csv_file(tmp_path / "attendance.csv", rows, delimiter=",", encoding="utf-8")
    before = snapshot(folder)

    result = run(folder, "import", "attendance", str(path))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"twincli: {folder}/cities/soria.yaml: error TC405 'seminar-2' is marked attended but "
        "takes place on 2025-09-02, after 2025-06-30 (that has not happened yet on the as-of "
        "day, which --as-of sets (default: today))",
        "twincli: refused: the change would add 1 error; nothing was written",
    ]
    assert snapshot(folder) == before


def test_dry_run_prints_the_plan_and_writes_nothing(folder: Path, tmp_path: Path) -> None:
    rows = [
        ["City", "Country", "Pilot", "Cohort"],
        ["Burgos", "ES", "urbanew", "cohort-2"],
        ["Soria", "ES", "urbanew", "cohort-2"],
    ]
    path = csv_file(tmp_path / "cities.csv", rows, delimiter=",", encoding="utf-8")
    before = snapshot(folder)

    result = run(folder, "import", "cities", str(path), "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout == f"would create {folder}/cities/burgos.yaml (24 lines)\n"
    assert result.stderr == "twincli: dry run: nothing was written\n"
    assert snapshot(folder) == before


def test_columns_maps_a_header_it_does_not_know(folder: Path, tmp_path: Path) -> None:
    rows = [["Ville", "Remarques", "seminar-1"], ["Soria", "came late", "x"]]
    path = csv_file(tmp_path / "attendance.csv", rows, delimiter=",", encoding="utf-8")

    result = run(
        folder, "import", "attendance", str(path), "--columns", "Ville=city,Remarques=ignore"
    )

    assert result.exit_code == 0, result.output
    assert soria(folder) == SORIA.replace("[kick-off]", "[kick-off, seminar-1]")


# --- a round trip ---------------------------------------------------------------------------

CITIES = {
    "cities/soria.yaml": None,
    "cities/eskisehir.yaml": "name: Eskişehir\ncountry: TR\ncohort: cohort-2\npilot: urbanew\n"
    "outputs:\n  learning-roadmap: {status: not-started}\n  action-plan: {status: not-started}\n",
    "cities/kozani.yaml": "name: Κοζάνη\ncountry: GR\ncohort: cohort-2\npilot: urbanew\n"
    "status: withdrawn\nwithdrawn: {date: 2025-01-10, reason: elections}\n"
    "outputs:\n  learning-roadmap: {status: not-started}\n  action-plan: {status: not-started}\n",
}


def test_export_csv_imports_into_a_fresh_programme(tmp_path: Path) -> None:
    source = build_tree(tmp_path / "source", CITIES)
    fresh = build_tree(tmp_path / "fresh", {"cities/soria.yaml": None})
    exported = run(source, "export", "csv", "--table", "cities")
    sheet = tmp_path / "cities.csv"
    sheet.write_bytes(exported.stdout_bytes)

    result = run(fresh, "import", "cities", str(sheet))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (fresh / "cities").iterdir()) == ["eskisehir.yaml", "kozani.yaml"]
    before, after = model(source), model(fresh)
    assert after["cities"]["eskisehir"] == before["cities"]["eskisehir"]
    # The sheet has a withdrawn city's status, not its withdrawal record.
    assert after["cities"]["kozani"] == {**before["cities"]["kozani"], "withdrawn": None}


def model(root: Path) -> dict[str, dict[str, object]]:
    exported = run(root, "export", "json")
    assert exported.exit_code == 0, exported.output
    data: dict[str, dict[str, object]] = json.loads(exported.stdout)
    return data


def test_a_city_found_by_its_name_keeps_its_spelling(folder: Path, tmp_path: Path) -> None:
    rows = [["City", "Country", "Pilot"], ["SORÍA", "es", "urbanew"]]
    path = csv_file(tmp_path / "cities.csv", rows, delimiter=",", encoding="utf-8")
    before = snapshot(folder)

    result = run(folder, "import", "cities", str(path))

    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "twincli: nothing to change\n"
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("name", "content", "args", "code", "message"),
    [
        ("s.xlsx", b"not a zip", (), 2, "s.xlsx: not an .xlsx workbook that can be read"),
        ("s.xls", b"\xd0\xcf\x11\xe0", (), 2, "s.xls: save it as .xlsx or .csv first"),
        ("s.csv", b"City\r\nSoria\r\n", ("--sheet", "One"), 2, "--sheet One: "),
        ("s.csv", b"", (), 1, "s.csv:A1: error: the sheet is empty"),
        ("s.csv", b"City\r\nSoria\r\n", ("--columns", "City"), 2, "'City' is not HEADER=field"),
        (
            "s.csv",
            b"Id,Country\r\nsoria,ES\r\n",
            ("--day-first", "--month-first"),
            2,
            "--day-first or --month-first, not both",
        ),
    ],
)
def test_a_sheet_that_cannot_be_read_is_refused(
    folder: Path,
    tmp_path: Path,
    name: str,
    content: bytes,
    args: tuple[str, ...],
    code: int,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the file as a person names it
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(folder)

    result = run(folder, "import", "cities", name, *args)

    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(folder) == before


def test_an_unknown_sheet_is_named_with_the_sheets_there(folder: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Cohort 2"
    book.create_sheet("Notes")
    book.save(tmp_path / "book.xlsx")

    result = run(folder, "import", "cities", str(tmp_path / "book.xlsx"), "--sheet", "Cohort 3")

    assert result.exit_code == 2
    assert result.stderr == (
        f"twincli: error: --sheet Cohort 3: {tmp_path}/book.xlsx has no such sheet "
        "(sheets: Cohort 2, Notes)\n"
    )


def test_a_misspelt_city_in_a_cities_sheet_is_not_made_a_new_city(
    folder: Path, tmp_path: Path
) -> None:
    rows = [["City", "Lead", "E-mail"], ["Sorai", "Luis Gil", "luis.gil@example.org"]]
    path = csv_file(tmp_path / "contacts.csv", rows, delimiter=",", encoding="utf-8")
    before = snapshot(folder)

    result = run(folder, "import", "cities", str(path))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:A2: error: no city 'Sorai' yet, and a new one needs country, cohort and pilot "
        "(did you mean 'Soria'?)",
        "twincli: refused: 1 problem in the sheet; nothing was written",
    ]
    assert snapshot(folder) == before


def test_a_lead_column_makes_new_contacts_leads_and_keeps_known_roles(
    folder: Path, tmp_path: Path
) -> None:
    city = SORIA.replace("role: lead", "role: deputy mayor")
    (folder / "cities/soria.yaml").write_text(city, encoding="utf-8")
    rows = [
        ["City", "Lead", "E-mail"],
        ["Soria", "Ana Pérez", "ana.perez@example.org"],
        ["Soria", "Luis Gil", "luis.gil@example.org"],
    ]
    path = csv_file(tmp_path / "leads.csv", rows, delimiter=",", encoding="utf-8")

    result = run(folder, "import", "cities", str(path))

    assert result.exit_code == 0, result.output
    assert soria(folder) == city.replace(
        "example.org}\n",
        "example.org}\n  - {name: Luis Gil, role: lead, email: luis.gil@example.org}\n",
    )
