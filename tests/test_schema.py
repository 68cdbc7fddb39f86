"""`twincli.read.records.build`: composed nodes to model records, typed by the model, not by YAML.

Strings are strings, quoting never changes a type, an empty value is an absent one, every
problem of a file is reported at once, and every record remembers where its keys and values
were (`Marks`, 1-based).
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.support.folders import MINIMAL_CITY, MINIMAL_PILOT, build_tree
from twincli import model
from twincli.check.validate import validate_folder
from twincli.diagnostics import Location
from twincli.marks import Marks
from twincli.read import records as schema
from twincli.read.reader import read_yaml

FILE = "cities/soria.yaml"

CITY_HEAD = "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n"


def build(cls: type[model.Record], text: str, ident: str | None = "soria") -> tuple[Any, list]:
    """Read `text` as `cls`; the record (or schema.INVALID) and every diagnostic."""
    node, found = read_yaml(FILE, text.encode("utf-8"))
    assert node is not None, found
    record, more = schema.build(cls, node, FILE, ident)
    return record, found + more


def ok(cls: type[model.Record], text: str, ident: str | None = "soria") -> Any:
    record, found = build(cls, text, ident)
    assert found == [], [(d.code, d.message) for d in found]
    assert record is not schema.INVALID
    return record


def codes(found: list) -> list[str]:
    return [d.code for d in found]


def where(found: list) -> list[tuple[str, int, int]]:
    return [(d.code, d.location.line, d.location.column) for d in found]


def city(extra: str = "", head: str = CITY_HEAD) -> str:
    return head + extra


# --- strings stay strings ------------------------------------------------------------------


def test_country_no_is_norway() -> None:
    pilot_city = ok(model.PilotCity, "name: Oslo\ncountry: NO\n", None)
    assert pilot_city.country == "NO"
    assert isinstance(pilot_city.country, str)


@pytest.mark.parametrize(
    "typed", ["01234", "1.10", "yes", "no", "NO", "true", "2024-01-01", "1e3", "0x10", ".inf"]
)
def test_text_fields_keep_the_text_as_typed(typed: str) -> None:
    record = ok(model.City, city(head=f"name: {typed}\ncountry: ES\ncohort: c\npilot: p\n"))
    assert record.name == typed
    assert type(record.name) is str


def test_text_in_lists_and_content_stays_text() -> None:
    record = ok(
        model.City,
        city(
            "contacts:\n  - {name: 01234, role: yes, email: 1.10}\n"
            "outputs:\n  learning-roadmap:\n    status: drafting\n"
            "    content: {objectives: [{title: NO, questions: [1.10, 0o7, off]}]}\n"
        ),
    )
    (contact,) = record.contacts
    assert (contact.name, contact.role, contact.email) == ("01234", "yes", "1.10")
    (objective,) = record.outputs["learning-roadmap"].content.objectives
    assert objective.title == "NO"
    assert objective.questions == ("1.10", "0o7", "off")


def test_a_version_like_title_keeps_its_trailing_zero() -> None:
    edition = ok(
        model.Edition,
        "title: 1.10\nmonths: 18\nactivities: {kick-off: {count: 1}}\noutputs: {a: {}}\n",
        "tlp-18",
    )
    assert edition.title == "1.10"


def test_a_quoted_tilde_is_text_not_absent() -> None:
    record = ok(model.City, city('contacts: [{name: "~", role: "null", email: ""}]\n'))
    (contact,) = record.contacts
    assert (contact.name, contact.role, contact.email) == ("~", "null", "")


def test_keys_that_yaml_would_type_stay_text() -> None:
    cohort = ok(
        model.Cohort,
        "edition: tlp-18\nstart: 2024-09-30\nevents:\n"
        "  2024: {activity: kick-off, date: 2024-10-15}\n"
        "  yes: {activity: kick-off, date: 2024-10-16}\n",
        "cohort-2",
    )
    assert set(cohort.events) == {"2024", "yes"}
    assert cohort.events["2024"].id == "2024"


# --- types come from the schema, not from quoting ------------------------------------------


def test_a_quoted_date_in_a_date_field_is_a_date() -> None:
    cohort = ok(model.Cohort, "edition: tlp-18\nstart: \"2024-09-30\"\nend: '2026-03-31'\n")
    assert cohort.start == date(2024, 9, 30)
    assert cohort.end == date(2026, 3, 31)


def test_a_quoted_count_is_a_number() -> None:
    activity = ok(model.Activity, "count: \"3\"\nto-partner: '2'\n", "site-visit")
    assert activity.count == 3
    assert activity.to_partner == 2
    assert type(activity.count) is int


def test_money_is_a_decimal_quoted_or_not() -> None:
    record = ok(
        model.City,
        city(
            "visits:\n"
            "  - {direction: to-partner, start: 2024-10-01, status: done,"
            ' claimed_eur: "1650.50", reimbursed_eur: 899.5, travellers: "2"}\n'
        ),
    )
    (visit,) = record.visits
    assert visit.claimed_eur == Decimal("1650.50")
    assert visit.reimbursed_eur == Decimal("899.5")
    assert visit.travellers == 2


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("two", "TC204"),
        ("1_000", "TC204"),
        ("0x10", "TC204"),
        ("0o7", "TC204"),
        ("2.0", "TC204"),
        ("-1", "TC204"),
        ("+2", "TC204"),
        ("0", "TC210"),
    ],
)
def test_integers_are_plain_decimal_digits(value: str, code: str) -> None:
    record, found = build(
        model.Visit,
        f"direction: to-partner\nstart: 2024-10-01\nstatus: done\ntravellers: {value}\n",
    )
    assert where(found) == [(code, 4, 13)]
    assert record is not schema.INVALID  # travellers is optional: the visit is kept
    assert record.travellers is None


@pytest.mark.parametrize("value", ["1,000", "1e3", "-5", "10.123", "€900", "nine hundred"])
def test_money_is_non_negative_with_at_most_two_decimals(value: str) -> None:
    _, found = build(
        model.Visit,
        f"direction: to-partner\nstart: 2024-10-01\nstatus: done\nclaimed_eur: '{value}'\n",
    )
    assert codes(found) == ["TC206"]


@pytest.mark.parametrize(
    ("value", "hint_part"),
    [
        ("03/04/2025", "YYYY-MM-DD"),
        ("March 2025", "YYYY-MM-DD"),
        ("2024-9-3", "2024-09-03"),
        ("2024-02-30", None),
        ("2024-01-01T10:00:00", "YYYY-MM-DD"),
        ("20240101", "YYYY-MM-DD"),
    ],
)
def test_dates_are_iso_and_never_guessed(value: str, hint_part: str | None) -> None:
    _, found = build(model.Cohort, f"edition: tlp-18\nstart: {value}\n", "cohort-2")
    # the bad start is reported; the cohort then lacks its required start (no extra TC202)
    assert where(found) == [("TC205", 2, 8)]
    (d,) = found
    assert d.message.startswith("start: ")
    assert value in d.message
    if hint_part is not None:
        assert d.hint is not None and hint_part in d.hint


def test_a_leap_day_is_a_date_only_in_a_leap_year() -> None:
    assert ok(model.Withdrawal, "date: 2024-02-29\n", None).date == date(2024, 2, 29)
    _, found = build(model.Withdrawal, "date: 2025-02-29\n", None)
    assert codes(found) == ["TC205"]


# --- empty means absent --------------------------------------------------------------------


@pytest.mark.parametrize("empty", ["", " ~", " null", " Null", " NULL"])
def test_an_empty_value_means_absent_and_defaults_apply(empty: str) -> None:
    record = ok(
        model.City,
        city(
            f"status:{empty}\nwithdrawn:{empty}\ncontacts:{empty}\nattended:{empty}\n"
            f"visits:{empty}\noutputs:{empty}\n"
        ),
    )
    assert record.status == "active"
    assert record.withdrawn is None
    assert record.contacts == ()
    assert record.attended == ()
    assert record.visits == ()
    assert dict(record.outputs) == {}


def test_pilot_kind_defaults_when_empty() -> None:
    pilot = ok(model.Pilot, "title: T\nkind: ~\ncities: [{name: Oslo, country: NO}]\n", "p")
    assert pilot.kind == "pilot-activity"
    assert pilot.domains == ()


def test_optional_dates_may_be_empty() -> None:
    visit = ok(model.Visit, "direction: to-partner\nstart: 2024-10-01\nend:\nstatus: planned\n")
    assert visit.end is None


def test_an_empty_required_value_is_reported() -> None:
    record, found = build(model.City, "name:\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n")
    assert record is schema.INVALID
    assert codes(found) == ["TC202"]


def test_a_city_with_an_empty_name_fails_validation() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = build_tree(
            Path(folder), {"cities/soria.yaml": MINIMAL_CITY.replace("name: Soria", "name:")}
        )
        result = validate_folder(root, date(2025, 6, 30))
        assert result.summary.errors >= 1
        assert {d.location.file for d in result.diagnostics} == {"cities/soria.yaml"}


# --- marks ---------------------------------------------------------------------------------

MARKED_CITY = """\
name: Soria
country: ES
cohort: cohort-2
pilot: urbanew
attended: [kick-off, seminar-1]
visits:
  - direction: to-partner
    start: 2024-10-01
    status: done
outputs:
  learning-roadmap:
    status: submitted
    submitted: 2024-12-01
contacts:
  - name: Ana
"""


def test_marks_point_at_keys_values_items_and_entries() -> None:
    record = ok(model.City, MARKED_CITY)
    m = record.marks
    assert isinstance(m, Marks)
    assert m.here() == Location(FILE, 1, 1)
    assert m.key("attended") == Location(FILE, 5, 1)
    assert m.value("attended") == Location(FILE, 5, 11)
    assert m.item("attended", 0) == Location(FILE, 5, 12)
    assert m.item("attended", 1) == Location(FILE, 5, 22)
    assert m.key("country") == Location(FILE, 2, 1)
    assert m.value("country") == Location(FILE, 2, 10)
    assert m.value("visits") == Location(FILE, 7, 3)
    assert m.entry("outputs", "learning-roadmap") == Location(FILE, 11, 3)
    assert m.has_entry("outputs", "learning-roadmap")
    assert not m.has_entry("outputs", "action-plan")


def test_nested_records_have_their_own_marks() -> None:
    record = ok(model.City, MARKED_CITY)
    (visit,) = record.visits
    assert visit.marks.here() == Location(FILE, 7, 5)
    assert visit.marks.key("start") == Location(FILE, 8, 5)
    assert visit.marks.value("start") == Location(FILE, 8, 12)
    output = record.outputs["learning-roadmap"]
    assert output.marks.value("submitted") == Location(FILE, 13, 16)
    (contact,) = record.contacts
    assert contact.marks.value("name") == Location(FILE, 15, 11)


def test_marks_fall_back_to_the_key_then_the_mapping() -> None:
    record = ok(model.City, MARKED_CITY)
    m = record.marks
    assert m.key("withdrawn") == m.here()
    assert m.value("withdrawn") == m.here()
    assert m.item("attended", 5) == m.value("attended")
    assert m.entry("outputs", "action-plan") == m.value("outputs")
    assert m.entry("nothing", "x") == m.here()


def test_an_empty_value_is_marked_at_its_key() -> None:
    record = ok(model.City, city("withdrawn:\n"))
    assert record.marks.value("withdrawn") == Location(FILE, 5, 1)


def test_marks_are_one_based_for_block_lists() -> None:
    record = ok(model.City, city("attended:\n  - kick-off\n  - seminar-1\n"))
    assert record.marks.item("attended", 0) == Location(FILE, 6, 5)
    assert record.marks.item("attended", 1) == Location(FILE, 7, 5)


def test_marks_take_no_part_in_equality() -> None:
    a = ok(model.City, MARKED_CITY)
    b = ok(model.City, "\n\n" + MARKED_CITY)
    assert a == b
    assert a.marks.here() != b.marks.here()


def test_item_marks_follow_the_values_when_an_item_is_invalid() -> None:
    record, found = build(model.City, city("attended: [Kick Off, kick-of]\n"))
    assert codes(found) == ["TC208"]
    assert record.attended == ("kick-of",)
    assert record.marks.item("attended", 0) == Location(FILE, 5, 22)


def test_a_reference_error_after_an_invalid_item_points_at_its_own_item() -> None:
    attended = MINIMAL_CITY.replace("attended: [kick-off]", "attended: [Kick Off, kick-of]")
    with tempfile.TemporaryDirectory() as folder:
        root = build_tree(Path(folder), {"cities/soria.yaml": attended})
        result = validate_folder(root, date(2025, 6, 30))
        assert where(list(result.diagnostics)) == [("TC208", 5, 12), ("TC304", 5, 22)]


def test_item_marks_skip_empty_items_like_the_values_do() -> None:
    record, found = build(model.City, city("attended: [kick-off, ~, seminar-1]\n"))
    assert codes(found) == ["TC203"]  # an empty list item
    assert record.attended == ("kick-off", "seminar-1")
    assert record.marks.item("attended", 1) == Location(FILE, 5, 25)


# --- messages and positions of problems ----------------------------------------------------


def test_messages_carry_the_key_path() -> None:
    _, found = build(
        model.City,
        city(
            "visits:\n"
            "  - {direction: to-partner, start: 2024-10-01, status: done}\n"
            "  - {direction: to-partner, start: 2024-13-01, status: done}\n"
            "outputs:\n"
            "  action-plan:\n"
            "    status: drafting\n"
            "    content:\n"
            "      actions:\n"
            "        - {title: a, budget_eur: 1,5}\n"
        ),
    )
    messages = [d.message for d in found]
    assert messages[0].startswith("visits[1].start: ")
    assert any(m.startswith("outputs.action-plan.content.actions[0]") for m in messages[1:])


def test_top_level_messages_have_no_prefix() -> None:
    _, found = build(model.City, city("atended: [kick-off]\n"))
    (d,) = found
    assert (d.code, d.message, d.hint) == (
        "TC201",
        "unknown key 'atended'",
        "did you mean 'attended'?",
    )
    assert (d.location.line, d.location.column) == (5, 1)


def test_every_problem_of_a_file_is_reported() -> None:
    text = """\
name: Soria
country: UK
cohort: cohort-2
pilot: urbanew
atended: [kick-off]
visits:
  - direction: sideways
    start: 03/04/2025
    status: done
    travellers: two
"""
    _, found = build(model.City, text)
    assert where(found) == [
        ("TC209", 2, 10),
        ("TC201", 5, 1),
        ("TC207", 7, 16),
        ("TC205", 8, 12),
        ("TC204", 10, 17),
    ]
    assert all(d.location.file == FILE for d in found)
    by_code = {d.code: d for d in found}
    assert by_code["TC209"].hint is not None and "GB" in by_code["TC209"].hint
    assert by_code["TC207"].message.startswith("visits[0].direction: ")


def test_a_missing_key_points_at_the_mapping_that_lacks_it() -> None:
    record, found = build(model.City, "name: Soria\ncountry: ES\npilot: urbanew\n")
    assert record is schema.INVALID
    assert where(found) == [("TC202", 1, 1)]
    assert "'cohort'" in found[0].message
    _, found = build(model.City, city("visits:\n  - status: done\n    start: 2024-10-01\n"))
    assert where(found) == [("TC202", 6, 5)]
    assert found[0].message == "visits[0]: missing required key 'direction'"


def test_duplicate_keys_point_at_the_second_key() -> None:
    record, found = build(model.City, CITY_HEAD + "name: Cologne\n")
    assert where(found) == [("TC110", 5, 1)]
    assert "line 1" in found[0].message
    assert record.name == "Soria"  # not silently the last one


def test_merge_keys_are_errors() -> None:
    _, found = build(model.City, "base: &b {country: ES}\n<<: *b\nname: Soria\n")
    assert "TC108" in codes(found)


def test_a_tagged_value_is_reported_once_and_not_used() -> None:
    record, found = build(model.City, city("contacts: [{name: Ana, role: !!str lead}]\n"))
    assert where(found) == [("TC107", 5, 30)]
    (contact,) = record.contacts
    assert contact.role is None


def test_wrong_shapes_are_tc203() -> None:
    record, found = build(
        model.City, "name: [Soria]\ncountry: {a: b}\ncohort: c\npilot: p\nvisits: x\n"
    )
    assert record is schema.INVALID
    assert where(found) == [("TC203", 1, 7), ("TC203", 2, 10), ("TC203", 5, 9)]


def test_the_top_of_a_file_must_be_a_mapping() -> None:
    node, _ = read_yaml(FILE, b"- Soria\n")
    assert node is not None
    record, found = schema.build(model.City, node, FILE, "soria")
    assert record is schema.INVALID
    assert where(found) == [("TC106", 1, 1)]


def test_unknown_keys_are_errors_at_every_level_including_content() -> None:
    _, found = build(
        model.City,
        city(
            "outputs:\n  learning-roadmap:\n    status: drafting\n"
            "    content: {objectives: [{title: t, indicatr: x}]}\n"
        ),
    )
    (d,) = found
    assert d.code == "TC201"
    assert d.message == "outputs.learning-roadmap.content.objectives[0]: unknown key 'indicatr'"
    assert d.hint == "did you mean 'indicator'?"


def test_ids_under_keyed_mappings_are_slugs() -> None:
    record, found = build(model.City, city("outputs:\n  Learning Roadmap: {status: drafting}\n"))
    assert where(found) == [("TC208", 6, 3)]
    assert found[0].hint is not None and "'learning-roadmap'" in found[0].hint
    assert dict(record.outputs) == {}


# --- a broken record is dropped, its key still exists --------------------------------------


def test_a_record_with_an_invalid_required_value_is_dropped_but_its_key_counts() -> None:
    record, found = build(
        model.City,
        city(
            "outputs:\n  learning-roadmap:\n    status: drafting\n"
            "  action-plan:\n    status: aproved\n"
        ),
    )
    assert where(found) == [("TC207", 9, 13)]
    assert found[0].hint == "did you mean 'approved'?"
    assert set(record.outputs) == {"learning-roadmap"}  # the broken entry is left out
    assert record.marks.has_entry("outputs", "action-plan")  # but it was there
    assert record.marks.entry("outputs", "action-plan") == Location(FILE, 8, 3)


def test_a_broken_event_does_not_cause_false_reference_errors() -> None:
    cohort = (
        "edition: tlp-18\nstart: 2024-09-30\nevents:\n"
        "  kick-off: {activity: kick-off, date: 2024-13-15}\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        root = build_tree(Path(folder), {"cohorts/cohort-2.yaml": cohort})
        result = validate_folder(root, date(2025, 6, 30))
        # soria attends kick-off: the event is broken, not missing
        assert where(list(result.diagnostics)) == [("TC205", 4, 40)]


def test_a_broken_city_file_does_not_cause_false_errors_elsewhere() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = build_tree(
            Path(folder), {"cohorts/cohort-2.yaml": "edition: tlp-18\nstart: 2024-99-30\n"}
        )
        result = validate_folder(root, date(2025, 6, 30))
        assert {d.location.file for d in result.diagnostics} == {"cohorts/cohort-2.yaml"}


def test_a_broken_pilot_city_does_not_cause_false_errors_elsewhere() -> None:
    pilot = MINIMAL_PILOT.replace(
        "{name: Valladolid, country: ES}", "{name: Valladolid, country: EL}"
    )
    visit = (
        "visits:\n  - {direction: to-partner, city: Valladolid, start: 2024-10-01, status: done}\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        root = build_tree(
            Path(folder), {"pilots/urbanew.yaml": pilot, "cities/soria.yaml": MINIMAL_CITY + visit}
        )
        result = validate_folder(root, date(2025, 6, 30))
        assert [(d.location.file, d.code) for d in result.diagnostics] == [
            ("pilots/urbanew.yaml", "TC209")
        ]


def test_a_required_list_counts_items_that_were_written() -> None:
    record, found = build(model.Pilot, "title: T\ncities: []\n", "p")
    assert record is schema.INVALID
    assert where(found) == [("TC211", 2, 9)]


# --- specs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "required"),
    [
        (model.Programme, {"name", "editions"}),
        (model.Edition, {"title", "months", "activities", "outputs"}),
        (model.Cohort, {"edition", "start"}),
        (model.Event, {"activity", "date"}),
        (model.Pilot, {"title", "cities"}),
        (model.PilotCity, {"name", "country"}),
        (model.City, {"name", "country", "cohort", "pilot"}),
        (model.Visit, {"direction", "start", "status"}),
        (model.CityOutput, {"status"}),
    ],
)
def test_required_keys_match_the_data_format(cls: type[model.Record], required: set[str]) -> None:
    assert set(schema.record_spec(cls).required) == required


def test_yaml_spellings_of_keys() -> None:
    spec = schema.record_spec(model.Activity)
    assert {"to-partner", "from-partner"} <= set(spec.fields)
    assert "to_partner" not in spec.fields
    assert "id" not in spec.fields  # filled from the mapping key
