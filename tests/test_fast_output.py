"""The report commands give exactly what the plain ways give: deadlines (against a plain
restatement of their rules), the model as JSON written a record at a time
(`jsondata.model_json`, against the standard encoder of the whole of `record_data`), and long
tables as the commands print them.

The programme is made by the benchmarks' generator, with the broken files of
`tests/test_bad_input.py` among its files, so that the model has the gaps broken data leaves.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import AS_OF, generate_programme
from tests.support.bad_input import add_broken_files
from tests.support.console import make_console
from tests.support.folders import EXAMPLE
from twincli.cli import tables
from twincli.export import jsondata
from twincli.model import City, Programme
from twincli.progress.standing import (
    DONE_STATES,
    Deadline,
    deadlines,
    programme_progress,
)
from twincli.read.loader import load_programme

DAYS = (date(2023, 1, 1), date(2024, 11, 6), AS_OF, date(2026, 5, 31), date(2031, 1, 1))


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Programme:
    root = tmp_path_factory.mktemp("fast") / "programme"
    generate_programme(root, 120, seed=11)
    add_broken_files(root)
    return load_programme(root, cache=False).programme


# --- deadlines ----------------------------------------------------------------------------


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
        "programme": jsondata.record_data(programme),
        "cohorts": {k: jsondata.record_data(v) for k, v in sorted(programme.cohorts.items())},
        "pilots": {k: jsondata.record_data(v) for k, v in sorted(programme.pilots.items())},
        "cities": {k: jsondata.record_data(v) for k, v in sorted(programme.cities.items())},
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def test_the_model_is_written_as_the_standard_encoder_writes_it(programme: Programme) -> None:
    expected = standard_model_json(programme)
    assert jsondata.model_json(programme) == expected
    assert "".join(jsondata.model_json_parts(programme)) == expected
    example = load_programme(EXAMPLE).programme
    assert jsondata.model_json(example) == standard_model_json(example)
    empty = dataclasses.replace(example, cohorts={}, pilots={}, cities={})
    assert jsondata.model_json(empty) == standard_model_json(empty)


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
            jsondata.model_json(odd)
    else:
        assert jsondata.model_json(odd) == expected


def test_an_infinite_amount_fails_as_the_standard_way_fails(programme: Programme) -> None:
    city = next(c for c in programme.cities.values() if c.visits)
    visits = (dataclasses.replace(city.visits[0], claimed_eur=Decimal("Infinity")),)
    odd = dataclasses.replace(programme, cities={city.id: dataclasses.replace(city, visits=visits)})
    with pytest.raises(OverflowError):
        standard_model_json(odd)
    with pytest.raises(OverflowError):
        jsondata.model_json(odd)


def printed(width: int, print_it: Callable[[Any], None]) -> str:
    out = make_console(width=width, no_color=True, soft_wrap=False)
    print_it(out)
    return out.file.getvalue()  # type: ignore[attr-defined,no-any-return]


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
