"""The fast ways of the report commands give exactly what the plain ways give: progress (against
a plain restatement of its rules), the model as JSON written from the records
(`exports.model_json`, against the standard encoder of `record_data`), indented JSON
(`jsontext`), and long tables laid out a column at a time (`longtables.print_rows`, against
rich printing the whole table).

The programme is made by the benchmarks' generator, with the broken files of
`tests/test_bad_input.py` among its files, so that the model has the gaps broken data leaves.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import AS_OF, generate_programme
from tests.support.bad_input import add_broken_files
from tests.support.console import make_console
from tests.support.folders import EXAMPLE
from twincli.cli import longtables, tables
from twincli.export import exports, jsontext
from twincli.model import City, Cohort, Edition, Programme
from twincli.progress import standing as progress_module
from twincli.progress.standing import (
    DONE_STATES,
    SITE_VISIT,
    CityProgress,
    Deadline,
    Tally,
    VisitTally,
    deadlines,
    milestone_progress,
    output_progress,
    programme_progress,
)
from twincli.read.loader import load_programme
from twincli.terminal import safe_console_class

DAYS = (date(2023, 1, 1), date(2024, 11, 6), AS_OF, date(2026, 5, 31), date(2031, 1, 1))


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Programme:
    root = tmp_path_factory.mktemp("fast") / "programme"
    generate_programme(root, 120, seed=11)
    add_broken_files(root)
    return load_programme(root, cache=False).programme


# --- progress -------------------------------------------------------------------------------


def plain_city_progress(city: City, cohort: Cohort, edition: Edition, as_of: date) -> Any:
    """What `city_progress` gives, computed the plain way (as it was before it was made fast)."""
    active = city.status == "active"
    events = cohort.events
    attended = {e for e in city.attended if e in events and events[e].date <= as_of}
    by_activity = {}
    for activity in edition.activities.values():
        if activity.id == SITE_VISIT:
            continue
        done = sum(1 for e in attended if events[e].activity == activity.id)
        by_activity[activity.id] = Tally(min(done, activity.count), activity.count)
    site = edition.activities.get(SITE_VISIT)
    funded = {
        "to-partner": site.to_partner if site and site.to_partner is not None else 0,
        "from-partner": site.from_partner if site and site.from_partner is not None else 0,
    }
    by_direction = {
        direction: VisitTally(
            sum(1 for v in city.visits if v.direction == direction and v.status == "done"),
            sum(1 for v in city.visits if v.direction == direction and v.status == "planned"),
            funded[direction],
        )
        for direction in ("to-partner", "from-partner")
    }
    outputs = {
        spec.id: output_progress(spec, cohort, city.outputs.get(spec.id), as_of, active)
        for spec in edition.outputs.values()
    }
    milestones = {
        spec.id: milestone_progress(spec, cohort, outputs, edition, as_of, active)
        for spec in edition.milestones.values()
    }
    return (
        Tally(
            sum(t.done for t in by_activity.values()), sum(t.expected for t in by_activity.values())
        ),
        by_activity,
        VisitTally(
            sum(t.done for t in by_direction.values()),
            sum(t.planned for t in by_direction.values()),
            max(site.count if site is not None else 0, sum(funded.values())),
        ),
        by_direction,
        outputs,
        milestones,
        sum(1 for o in outputs.values() if o.overdue),
    )


def plain_totals(cities: Sequence[CityProgress]) -> tuple[Any, ...]:
    active = [c for c in cities if c.active]
    states: Counter[str] = Counter()
    for c in active:
        states.update(c.output_counts())
    return (
        len(active),
        len(cities) - len(active),
        (sum(c.activities.done for c in active), sum(c.activities.expected for c in active)),
        (
            sum(c.visits.done for c in active),
            sum(c.visits.planned for c in active),
            sum(c.visits.funded for c in active),
        ),
        {state: states.get(state, 0) for state in progress_module.OUTPUT_STATUSES},
        (
            sum(sum(m.reached for m in c.milestones.values()) for c in active),
            sum(len(c.milestones) for c in active),
        ),
        sum(c.overdue for c in active),
    )


@pytest.mark.parametrize("day", DAYS)
def test_progress_is_what_its_rules_say(programme: Programme, day: date) -> None:
    check_progress(programme, day)


def test_progress_on_the_days_things_happen(programme: Programme) -> None:
    """On the day of an approval, a submission, a visit or an event, and the day before."""
    days: set[date] = set()
    for city in programme.cities.values():
        for output in city.outputs.values():
            days.update(d for d in (output.approved, output.submitted) if d is not None)
        days.update(visit.start for visit in city.visits)
    for cohort in programme.cohorts.values():
        days.update(event.date for event in cohort.events.values())
    for day in sorted(days)[:: max(1, len(days) // 12)]:
        check_progress(programme, day)
        check_progress(programme, day - timedelta(days=1))


def check_progress(programme: Programme, day: date) -> None:
    progress = programme_progress(programme, day)
    cities = 0
    for cohort in progress.cohorts:
        assert cohort.edition is not None or not cohort.cities
        for city in cohort.cities:
            assert cohort.edition is not None
            cities += 1
            expected = plain_city_progress(city.city, cohort.cohort, cohort.edition, day)
            got = (
                city.activities,
                city.activities_by_id,
                city.visits,
                city.visits_by_direction,
                city.outputs,
                city.milestones,
                city.overdue,
            )
            assert got == expected, city.city.id
            assert list(city.outputs) == list(expected[4])
        totals = cohort.totals
        assert (
            totals.cities,
            totals.withdrawn,
            (totals.activities.done, totals.activities.expected),
            (totals.visits.done, totals.visits.planned, totals.visits.funded),
            totals.outputs,
            (totals.milestones.done, totals.milestones.expected),
            totals.overdue,
        ) == plain_totals(cohort.cities)
    every = [city for cohort in progress.cohorts for city in cohort.cities]
    assert progress.totals == progress_module.totals(every)  # summed from the cohorts'
    assert progress_module.select(progress) is progress
    assert cities > 100


@pytest.mark.parametrize("day", DAYS)
def test_deadlines_are_every_open_item_soonest_first(programme: Programme, day: date) -> None:
    progress = programme_progress(programme, day)
    expected = []
    for cohort in progress.cohorts:
        for city in cohort.cities:
            if not city.active:
                continue
            items: list[tuple[Any, str, str, date]] = []
            for o in city.outputs.values():
                if o.due is not None and o.status not in DONE_STATES:
                    items.append(("output", o.id, o.title, o.due))
            for m in city.milestones.values():
                if m.due is not None and not m.reached:
                    items.append(("milestone", m.id, m.title, m.due))
            for v in city.city.visits:
                if v.status == "planned":
                    where = f" ({v.city})" if v.city else ""
                    items.append(
                        ("visit", v.direction, f"site visit {v.direction}{where}", v.start)
                    )
            expected += [
                Deadline(
                    cohort.cohort.id,
                    city.city.id,
                    city.city.name,
                    kind,
                    item,
                    title,
                    due,
                    (due - day).days,
                )
                for kind, item, title, due in items
            ]
    expected.sort(key=lambda d: (d.due, d.cohort, d.city, d.kind, d.item))
    assert deadlines(progress) == expected
    assert deadlines(progress, within=30) == [d for d in expected if d.days <= 30]
    assert deadlines(progress, overdue_only=True) == [d for d in expected if d.days < 0]


# --- the model as JSON ----------------------------------------------------------------------


def standard_model_json(programme: Programme) -> str:
    payload = {
        "programme": exports.record_data(programme),
        "cohorts": {k: exports.record_data(v) for k, v in sorted(programme.cohorts.items())},
        "pilots": {k: exports.record_data(v) for k, v in sorted(programme.pilots.items())},
        "cities": {k: exports.record_data(v) for k, v in sorted(programme.cities.items())},
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def test_the_model_is_written_as_the_standard_encoder_writes_it(programme: Programme) -> None:
    expected = standard_model_json(programme)
    assert exports.model_json(programme) == expected
    assert "".join(exports.model_json_parts(programme)) == expected
    example = load_programme(EXAMPLE).programme
    assert exports.model_json(example) == standard_model_json(example)
    empty = dataclasses.replace(example, cohorts={}, pilots={}, cities={})
    assert exports.model_json(empty) == standard_model_json(empty)


class Text(str):
    """Text of a subclass of str: JSON writes it as text."""


def odd_city(city: City) -> City:
    """`city` with values only a record built by hand holds: a flag for a number, a time for
    a day, text of a subclass, amounts written oddly, escapes."""
    visit = city.visits[0]
    visits = (
        dataclasses.replace(
            visit,
            travellers=True,
            start=datetime(2025, 1, 2, 3, 4, 5),  # type: ignore[arg-type]
            claimed_eur=Decimal("1E+2"),
            reimbursed_eur=Decimal("12.50"),
            city=Text('Le \x1b[2J \u2028 "Mans" \\'),
        ),
        dataclasses.replace(visit, claimed_eur=Decimal("NaN"), reimbursed_eur=Decimal("-0.5")),
        *city.visits[1:],
    )
    return dataclasses.replace(
        city,
        name=Text("Umeå \U0001f600"),
        attended=("a", Text("b"), "c\x00"),
        contacts=[*city.contacts],  # type: ignore[arg-type]
        visits=visits,
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda city: odd_city(city),
        lambda city: dataclasses.replace(city, attended=("a", 1)),  # type: ignore[arg-type]
        lambda city: dataclasses.replace(city, outputs={1: next(iter(city.outputs.values()))}),
        lambda city: dataclasses.replace(city, name=b"bytes"),  # type: ignore[arg-type]
        lambda city: dataclasses.replace(city, withdrawn={"date": date(2025, 1, 1)}),  # type: ignore[arg-type]
        lambda city: dataclasses.replace(  # a list of records holding other things
            city,
            visits=(*city.visits, {"a": date(2025, 1, 1)}, "text", None, (1, 2)),  # type: ignore[arg-type]
        ),
        lambda city: dataclasses.replace(city, visits=()),
    ],
    ids=[
        "odd values",
        "a number among text",
        "a key that is a number",
        "bytes",
        "a dict",
        "not only records",
        "no records",
    ],
)
def test_records_built_by_hand_are_written_as_the_standard_encoder_writes_them(
    programme: Programme, change: Callable[[City], City]
) -> None:
    city = next(c for c in programme.cities.values() if c.visits and c.outputs)
    odd = dataclasses.replace(programme, cities={**programme.cities, city.id: change(city)})
    try:
        expected = standard_model_json(odd)
    except TypeError as exc:
        with pytest.raises(TypeError, match=str(exc)):
            exports.model_json(odd)
    else:
        assert exports.model_json(odd) == expected


def test_an_infinite_amount_fails_as_the_standard_way_fails(programme: Programme) -> None:
    city = next(c for c in programme.cities.values() if c.visits)
    visits = (dataclasses.replace(city.visits[0], claimed_eur=Decimal("Infinity")),)
    odd = dataclasses.replace(programme, cities={city.id: dataclasses.replace(city, visits=visits)})
    with pytest.raises(OverflowError):
        standard_model_json(odd)
    with pytest.raises(OverflowError):
        exports.model_json(odd)


@pytest.mark.parametrize(
    "value",
    [
        {"a": [0, 1, True, False, None, 1.5, -0.0, 1e300, float("nan"), 'é\n"\\\u2028\x00']},
        {"k": {"k": {"k": ["x", "y", 1, ["z"], [], {}]}}, "": "", Text("t"): Text("u")},
        {True: 1, None: 2, 1.5: 3},
        [[["a"], ("b", "c")], ()],
        "text",
        3,
    ],
)
def test_jsontext_writes_what_the_standard_encoder_writes(value: Any) -> None:
    assert jsontext.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_jsontext_writes_a_status_as_the_standard_encoder(programme: Programme) -> None:
    from twincli.progress import payloads

    payload = payloads.status_payload(programme_progress(programme, AS_OF))
    assert jsontext.dumps(payload) == json.dumps(payload, indent=2, ensure_ascii=False)


# --- long tables ----------------------------------------------------------------------------

NAMES = {
    "plain": None,
    "wide": "東京都 Tōkyō-to with a very long name and more",
    "escapes": "Le \x1b[2J Mans \x9b and \u202e more",
    "stripped": "Bell\x07 and return\r and feed\x0c",
    "joiners": "Family 👨\u200d👩\u200d👧 and flag 🏳️\u200d🌈",
    "only spaces": "     ",
    "long word": "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    "empty": "",
    "tab": "Tab\there",
    "line feed": "Line\nfeed",
    "separator": "Line\u2028separator",
    "accents": "Umeå, Eskişehir, Łódź",
}


def printed(width: int, print_it: Callable[[Any], None]) -> str:
    out = make_console(width=width, no_color=True, soft_wrap=False)
    print_it(out)
    return out.file.getvalue()  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("width", [200, 80, 52, 24])
@pytest.mark.parametrize("name", list(NAMES))
def test_a_long_table_prints_as_rich_prints_it(programme: Programme, name: str, width: int) -> None:
    found = deadlines(programme_progress(programme, AS_OF))[: longtables.LONG + 60]
    assert len(found) > longtables.LONG
    odd = NAMES[name]
    if odd is not None:
        found = [
            dataclasses.replace(d, city_name=odd, title=odd + d.title) if i % 7 == 3 else d
            for i, d in enumerate(found)
        ]
    rows = tables.deadline_rows(found)

    def table_of(chosen: Sequence[int]) -> Any:
        return tables.deadlines_table([found[i] for i in chosen])

    by_rich = printed(width, lambda out: out.print(tables.deadlines_table(found)))
    fast = printed(width, lambda out: longtables.print_rows(out, rows, table_of))
    assert fast == by_rich
    lines = longtables._lines_of_rows(printed_console(width), rows, table_of)
    if name in ("tab", "line feed", "separator", "escapes") or width < 52:
        return  # rich wraps, expands, squeezes or escapes something: rich prints it
    assert lines is not None


def printed_console(width: int) -> Any:
    return make_console(width=width, no_color=True, soft_wrap=False, highlight=True, emoji=True)


def test_the_rows_of_deadlines_are_their_text(programme: Programme) -> None:
    for day in DAYS:
        found = deadlines(programme_progress(programme, day))
        assert tables.deadline_rows(found) == [
            (str(d.due), f"{d.days:+d}", d.city_name, d.kind, d.title) for d in found
        ]
    assert tables.deadline_rows([]) == []


def test_a_short_or_coloured_table_is_printed_by_rich(programme: Programme) -> None:
    found = deadlines(programme_progress(programme, AS_OF))
    rows = tables.deadline_rows(found)

    def table_of(chosen: Sequence[int]) -> Any:
        return tables.deadlines_table([found[i] for i in chosen])

    assert longtables._lines_of_rows(printed_console(80), rows[:10], table_of) is None
    coloured = safe_console_class()(file=io.StringIO(), width=80, force_terminal=True)
    assert longtables._lines_of_rows(coloured, rows, table_of) is None
    shown = printed(80, lambda out: longtables.print_rows(out, rows[:10], table_of))
    assert shown == printed(80, lambda out: out.print(table_of(range(10))))


def test_the_deadlines_view_is_the_heading_and_the_table(programme: Programme) -> None:
    found = deadlines(programme_progress(programme, AS_OF))
    view = tables.deadlines_view(found, AS_OF)

    def fast(out: Any) -> None:
        out.print(tables.deadlines_heading(found, AS_OF))
        longtables.print_rows(
            out,
            tables.deadline_rows(found),
            lambda chosen: tables.deadlines_table([found[i] for i in chosen]),
        )

    assert printed(80, fast) == printed(80, lambda out: out.print(view))
    assert printed(80, lambda out: out.print(tables.deadlines_view([], AS_OF))) == (
        f"As of {AS_OF}: 0 overdue, 0 coming up\n"
    )


def test_the_commands_print_what_they_printed(programme: Programme, tmp_path: Path) -> None:
    """`deadlines` and `export json` of a generated programme, through the command line, are
    the rich table and the standard encoder's JSON."""
    from typer.testing import CliRunner

    from twincli.cli import app

    root = tmp_path / "programme"
    generate_programme(root, 60, seed=3)
    loaded = load_programme(root, cache=False).programme
    runner = CliRunner()
    args = ["--no-cache", "--data", str(root), "--as-of", AS_OF.isoformat()]
    result = runner.invoke(app, [*args, "export", "json"])
    assert result.exit_code == 0
    assert result.stdout == standard_model_json(loaded)
    result = runner.invoke(app, [*args, "deadlines"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    view = tables.deadlines_view(deadlines(programme_progress(loaded, AS_OF)), AS_OF)
    expected = printed(80, lambda out: out.print(view))  # on a pipe, without rich's padding
    assert result.stdout == "".join(line.rstrip(" ") + "\n" for line in expected.splitlines())


@pytest.mark.parametrize("width", [100, 60, 40])
@pytest.mark.parametrize(
    "shape",
    ["plain", "trailing spaces", "centred", "text justified", "cropped", "edges", "padded"],
)
def test_a_long_table_of_another_shape_prints_as_rich_prints_it(shape: str, width: int) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    words = ["alpha", "beta gamma", "delta epsilon zeta eta", "θ ι κ", "", " lead", "x" * 30]
    rows = [
        (
            str(n),
            words[n % 7],
            f"{n * 37 % 1000:d}" + (" " if shape == "trailing spaces" and n % 5 == 1 else ""),
        )
        for n in range(longtables.LONG + 40)
    ]

    def table_of(chosen: Sequence[int]) -> Table:
        table = Table(
            box=box.SQUARE if shape == "edges" else box.SIMPLE_HEAD,
            pad_edge=shape == "padded",
            collapse_padding=shape != "padded",
            padding=(0, 2) if shape == "padded" else (0, 1),
        )
        table.add_column("N", justify="center" if shape == "centred" else "left", no_wrap=True)
        table.add_column(
            "Words",
            no_wrap=True,
            max_width=16,
            overflow="crop" if shape == "cropped" else "ellipsis",
        )
        table.add_column("Number", justify="right", no_wrap=True)
        for i in chosen:
            n, text, number = rows[i]
            justified = "right" if shape == "text justified" else None
            table.add_row(n, Text(text, no_wrap=True, justify=justified), number)
        return table

    by_rich = printed(width, lambda out: out.print(table_of(range(len(rows)))))
    fast = printed(width, lambda out: longtables.print_rows(out, rows, table_of))
    assert fast == by_rich
    lines = longtables._lines_of_rows(printed_console(width), rows, table_of)
    assert (lines is None) == (shape == "trailing spaces")


def test_a_loaded_programme_is_kept_till_exit_only_by_the_console_script(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from twincli import cli
    from twincli.cli import common

    kept: list[object] = []
    monkeypatch.setattr(common, "_KEPT", kept)
    value = object()
    common.keep_till_exit(value)  # a test's process goes on: nothing is kept
    assert kept == []
    monkeypatch.setattr(cli, "EXITING", True)
    frozen = gc.get_freeze_count()
    common.keep_till_exit(value)
    assert kept[0] is kept and kept[1] is value
    assert gc.get_freeze_count() >= frozen
