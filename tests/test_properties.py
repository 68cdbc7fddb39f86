"""Property tests: no file a user can write makes the loader or the validator raise.

Every property builds its own folder per example (`tempfile`, not `tmp_path`, which Hypothesis
would share between examples) on top of the minimal programme of `tests/support/folders.py`,
puts one generated file in it, and validates. Whatever the file holds, `validate_folder`
returns, and each diagnostic has a catalogued code, a 1-based line and column, and names a file
of the folder.
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.folders import MINIMAL_CITY, MINIMAL_COHORT, MINIMAL_PROGRAMME, build_tree
from twincli import model
from twincli.check.validate import Validation, validate_folder
from twincli.codes import BY_CODE
from twincli.read import records
from twincli.read.reader import read_yaml

AS_OF = date(2025, 6, 30)

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TARGETS = ["cities/soria.yaml", "programme.yaml", "cohorts/cohort-2.yaml", "pilots/urbanew.yaml"]


def check_diagnostics(root: Path, result: Validation) -> None:
    for d in result.diagnostics:
        assert d.code in BY_CODE, d
        assert d.severity == BY_CODE[d.code].severity, d
        assert d.location.line >= 1, d
        assert d.location.column >= 1, d
        assert (root / d.location.file).exists(), d
        assert d.message.strip(), d
        assert "\n" not in d.message, d
        assert d.hint is None or "\n" not in d.hint, d


def validate_with(files: dict[str, str | bytes | None]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = build_tree(Path(folder), files)
        result = validate_folder(root, AS_OF)
        check_diagnostics(root, result)
        assert result.summary.files >= 1
        # reporting on one file is a subset of reporting on all of them
        for target in files:
            only = validate_folder(root, AS_OF, [target])
            assert set(only.diagnostics) <= set(result.diagnostics)
            assert {d.location.file for d in only.diagnostics} <= {target}


# --- (a) random bytes ----------------------------------------------------------------------

YAML_BYTES = st.lists(
    st.sampled_from(
        [
            b"name: ",
            b"\n",
            b"  ",
            b"- ",
            b"&a ",
            b"*a",
            b"!!python/object:os.system ",
            b"<<: ",
            b"? ",
            b": ",
            b"{",
            b"}",
            b"[",
            b"]",
            b",",
            b"'",
            b'"',
            b"#",
            b"---\n",
            b"...\n",
            b"%YAML 1.1\n",
            b"\t",
            b"\xef\xbb\xbf",
            b"\x00",
            b"\xff",
            b"\xc3\xa9",
            b"\r",
            b"|",
            b">",
            b"~",
            b"NO",
            b"2024-02-30",
        ]
    )
    | st.binary(max_size=8),
    max_size=40,
).map(b"".join)


@SETTINGS
@given(data=st.binary(max_size=300) | YAML_BYTES)
def test_read_yaml_never_raises_on_random_bytes(data: bytes) -> None:
    node, diagnostics = read_yaml("cities/soria.yaml", data)
    assert node is not None or diagnostics
    for d in diagnostics:
        assert d.code in BY_CODE
        assert d.location.file == "cities/soria.yaml"
        assert d.location.line >= 1 and d.location.column >= 1
    if node is not None:
        for cls in (model.City, model.Programme, model.Cohort, model.Pilot):
            _, more = records.build(cls, node, "cities/soria.yaml", "soria")
            assert all(d.code in BY_CODE and d.location.line >= 1 for d in more)


@SETTINGS
@given(data=YAML_BYTES, target=st.sampled_from(TARGETS))
def test_random_bytes_in_a_folder_never_crash_validation(data: bytes, target: str) -> None:
    validate_with({target: data})


# --- (b) YAML-ish structures ---------------------------------------------------------------

KNOWN_KEYS = sorted(
    {
        key
        for cls in (
            model.Programme,
            model.Edition,
            model.Activity,
            model.OutputSpec,
            model.MilestoneSpec,
            model.Module,
            model.TravelRules,
            model.Cohort,
            model.Event,
            model.Pilot,
            model.PilotCity,
            model.City,
            model.Visit,
            model.CityOutput,
            model.Withdrawal,
            model.Contact,
            model.Action,
            model.InfoSession,
            model.PracticeAssessment,
            model.Scores,
            model.Stakeholder,
            model.Objective,
        )
        for key in records.record_spec(cls).fields
    }
)
IDS = [
    "tlp-18",
    "cohort-2",
    "urbanew",
    "soria",
    "kick-off",
    "seminar-1",
    "info-seminar",
    "site-visit",
    "learning-roadmap",
    "action-plan",
    "info-session",
    "m1",
    "m2",
    "Valladolid",
    "Vitoria-Gasteiz",
    "to-partner",
    "from-partner",
    "done",
    "planned",
    "cancelled",
    "approved",
    "submitted",
    "withdrawn",
    "active",
    "mission-city",
]
TRICKY = [
    "NO",
    "yes",
    "~",
    "null",
    "",
    "2024-02-30",
    "2024-9-3",
    "03/04/2025",
    "01234",
    "1.10",
    "1_000",
    "0x10",
    "-1",
    "0",
    "1650.505",
    "!!python/object:os.system",
    "*a",
    "&a",
    "<<",
    "? ",
    "\t",
    "a\tb",
    "Eskişehir",
    "🙂",
    "\u202e",
    "EL",
    "UK",
    "[x",
    "{",
    "#",
    "key: value",
    "- item",
]

scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.sampled_from(IDS),
    # dates and numbers a careful user could type; far-out ones have their own tests below
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)).map(date.isoformat),
    st.integers(min_value=-5, max_value=5000),
    st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False),
    st.booleans(),
    st.none(),
    st.text(max_size=12),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.sampled_from(IDS), st.sampled_from(TRICKY))


def _tree(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5)


structures = st.recursive(scalars, _tree, max_leaves=25)
documents = st.dictionaries(keys, structures, max_size=8) | structures


def dump(value: Any, unicode: bool, flow: bool | None) -> str:
    return yaml.safe_dump(
        _plain(value), allow_unicode=unicode, default_flow_style=flow, sort_keys=False
    )


def _plain(value: Any) -> Any:
    """Decimals as text (safe_dump has no representer for them)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


@SETTINGS
@given(
    doc=documents,
    target=st.sampled_from(TARGETS),
    unicode=st.booleans(),
    flow=st.sampled_from([None, True, False]),
)
def test_dumped_structures_never_crash_validation(
    doc: Any, target: str, unicode: bool, flow: bool | None
) -> None:
    validate_with({target: dump(doc, unicode, flow)})


@SETTINGS
@given(extra=st.dictionaries(keys, structures, min_size=1, max_size=5))
def test_structures_added_to_a_valid_city_never_crash(extra: dict[Any, Any]) -> None:
    city = yaml.safe_load(MINIMAL_CITY) | {k: _plain(v) for k, v in extra.items()}
    validate_with({"cities/soria.yaml": yaml.safe_dump(city, allow_unicode=True)})


@SETTINGS
@given(
    changes=st.dictionaries(
        st.sampled_from(["edition", "start", "end", "selected", "title", "events"]),
        structures,
        min_size=1,
        max_size=3,
    )
)
def test_structures_in_a_valid_cohort_never_crash(changes: dict[str, Any]) -> None:
    cohort = yaml.safe_load(MINIMAL_COHORT) | {k: _plain(v) for k, v in changes.items()}
    validate_with({"cohorts/cohort-2.yaml": yaml.safe_dump(cohort, allow_unicode=True)})


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


_days = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31)).map(date.isoformat)
_amounts = st.decimals(min_value=0, max_value=5000, places=2).map(str)
_visits = st.fixed_dictionaries(
    {
        "direction": st.sampled_from(["to-partner", "from-partner", "sideways"]),
        "start": _days,
        "status": st.sampled_from(["planned", "done", "cancelled"]),
    },
    optional={
        "city": st.sampled_from(["Valladolid", "Vitoria-Gasteiz", "valladolid", "Soria"]),
        "end": _days,
        "travellers": st.integers(min_value=0, max_value=5),
        "claimed_eur": _amounts,
        "reimbursed_eur": _amounts,
    },
)
_contents = st.fixed_dictionaries(
    {},
    optional={
        "objectives": st.lists(st.fixed_dictionaries({"title": st.text(max_size=5)}), max_size=2),
        "actions": st.lists(
            st.fixed_dictionaries({"title": st.just("a")}, optional={"start": _days, "end": _days}),
            max_size=3,
        ),
        "date": _days,
        "attendees": st.integers(min_value=0, max_value=50),
    },
)
_outputs = st.dictionaries(
    st.sampled_from(["learning-roadmap", "action-plan", "info-session", "roadmap"]),
    st.fixed_dictionaries(
        {"status": st.sampled_from(model.OUTPUT_STATUSES)},
        optional={"submitted": _days, "approved": _days, "content": _maybe(_contents)},
    ),
    max_size=3,
)
cities = st.fixed_dictionaries(
    {
        "name": st.text(min_size=1, max_size=10),
        "country": st.sampled_from(["ES", "NO", "EL", "UK", "es"]),
        "cohort": st.sampled_from(["cohort-2", "cohort-9"]),
        "pilot": st.sampled_from(["urbanew", "urbanev"]),
    },
    optional={
        "status": st.sampled_from(["active", "withdrawn"]),
        "withdrawn": _maybe(st.fixed_dictionaries({}, optional={"date": _days})),
        "attended": st.lists(st.sampled_from(["kick-off", "seminar-1", "nope"]), max_size=4),
        "visits": st.lists(_visits, max_size=5),
        "outputs": _outputs,
    },
)


@SETTINGS
@given(city=cities, as_of=st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 12, 31)))
def test_well_shaped_cities_never_crash_the_rules(city: dict[str, Any], as_of: date) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = build_tree(
            Path(folder), {"cities/soria.yaml": yaml.safe_dump(city, allow_unicode=True)}
        )
        check_diagnostics(root, validate_folder(root, as_of))


FRAGMENTS = [
    "name: Soria",
    "country: NO",
    "cohort: cohort-2",
    "pilot: urbanew",
    "attended: [kick-off, *a]",
    "base: &a {x: 1}",
    "<<: *a",
    "? complex key",
    ": value",
    "visits:",
    "  - direction: to-partner",
    "    start: 2024-02-30",
    "    status: done",
    "outputs:",
    "  learning-roadmap:",
    "    status: approved",
    "    content: {objectives: [{title: t}]}",
    "  action-plan: ~",
    "\tname: tab",
    "name: !!python/object/apply:os.system [ls]",
    "editions: {tlp-18: {title: T, months: 18, activities: {}, outputs: {}}}",
    "events: {kick-off: {activity: kick-off, date: 2024-10-15}}",
    "start: 2024-09-30",
    "edition: tlp-18",
    "- just a list item",
    "---",
    "...",
    "key: 'unterminated",
    'key: "esc \\x41 \\u00e9"',
    "multi: |",
    "  line",
    "  - not a list",
    "# comment",
    "",
    "&anchor",
    "*undefined",
    "{a: [b, {c: d}]}",
    "status: withdrawn",
    "withdrawn: {date: 2025-13-01}",
    "Eskişehir: 🙂",
]


@SETTINGS
@given(
    parts=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=10), max_size=15),
    target=st.sampled_from(TARGETS),
    newline=st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]),
)
# Found by this test at random before runs were derandomized: a syntax hint looked up line 4
# of a file with CR line breaks by splitting on LF (IndexError).
@example(parts=["a: b", "c: d", "e: f", "  g: h"], target="cities/soria.yaml", newline="\r")
@example(parts=["a: b", "c: d", "e: f", "  g: h"], target="programme.yaml", newline="\u2028")
def test_raw_text_fragments_never_crash_validation(
    parts: list[str], target: str, newline: str
) -> None:
    validate_with({target: newline.join(parts) + newline})


# --- values at the edges of their types ----------------------------------------------------

EDGE_CASES = {
    "start on the first day there is": {
        "cohorts/cohort-2.yaml": MINIMAL_COHORT.replace("start: 2024-09-30", "start: 0001-01-01")
    },
    "year 0": {
        "cohorts/cohort-2.yaml": MINIMAL_COHORT.replace("start: 2024-09-30", "start: 0000-01-01")
    },
    "a twelve-digit due month": {
        "programme.yaml": MINIMAL_PROGRAMME.replace("due_month: 4", "due_month: 999999999999")
    },
    "a twelve-digit count": {
        "programme.yaml": MINIMAL_PROGRAMME.replace("count: 3,", "count: 999999999999,")
    },
    "huge money": {
        "programme.yaml": MINIMAL_PROGRAMME.replace(
            "cap_per_traveller_eur: 900", "cap_per_traveller_eur: 999999999999.99"
        ),
        "cities/soria.yaml": MINIMAL_CITY
        + "visits:\n  - {direction: to-partner, city: Valladolid, start: 2024-10-01,"
        " status: done, travellers: 999999999999, claimed_eur: 999999999999.99,"
        " reimbursed_eur: 999999999999.99}\n",
    },
    "everything on the last day": {
        "cohorts/cohort-2.yaml": MINIMAL_COHORT + "end: 9999-12-31\n",
        "cities/soria.yaml": MINIMAL_CITY
        + "visits:\n  - {direction: to-partner, city: Valladolid, start: 9999-12-31,"
        " status: planned}\noutputs:\n  action-plan:\n    status: approved\n"
        "    submitted: 9999-12-31\n    approved: 9999-12-31\n"
        "    content: {actions: [{title: x, start: 9999-12-31, end: 0001-01-01}]}\n",
    },
}


@pytest.mark.parametrize("files", list(EDGE_CASES.values()), ids=list(EDGE_CASES))
def test_values_at_the_edges_never_crash(files: dict[str, str | bytes | None]) -> None:
    validate_with(files)


OVERFLOWS = {
    "months: 180000 (a typo)": {
        "programme.yaml": MINIMAL_PROGRAMME.replace("months: 18\n", "months: 180000\n")
    },
    "months: 999999999999": {
        "programme.yaml": MINIMAL_PROGRAMME.replace("months: 18\n", "months: 999999999999\n")
    },
    "a cohort starting on the last day there is": {
        "cohorts/cohort-2.yaml": MINIMAL_COHORT.replace("start: 2024-09-30", "start: 9999-12-31")
    },
    "a cohort starting in 9999": {
        "cohorts/cohort-2.yaml": MINIMAL_COHORT.replace("start: 2024-09-30", "start: 9999-01-01")
    },
}


@pytest.mark.parametrize("files", list(OVERFLOWS.values()), ids=list(OVERFLOWS))
def test_dates_past_the_calendar_are_diagnostics_not_crashes(
    files: dict[str, str | bytes | None],
) -> None:
    validate_with(files)
