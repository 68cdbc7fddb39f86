"""`twincli status` prints long tables fast (`longtables.print_view`): byte for byte what rich
prints for the same view, with and without colour, at any width, and by rich itself where the
fast way cannot be sure (then `_fast_lines` gives None).

The programme is made by the benchmarks' generator (cohorts of 50 cities); some cities are
withdrawn and some get names rich lays out in its own ways.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from benchmarks.generate import AS_OF, generate_programme
from tests.support.console import make_console
from tests.support.folders import EXAMPLE
from twincli.cli import longtables, tables
from twincli.model import Programme
from twincli.progress.standing import programme_progress
from twincli.read.loader import load_programme

NAMES = {
    "plain": None,
    "long": "Chalkida and the Whole Island of Euboea with Every Village on the Coast",
    "wide": "東京都 Tōkyō-to 🌍 city",
    "joiners": "Family 👨\u200d👩\u200d👧 and flag 🏳️\u200d🌈",
    "escapes": "Le \x1b[2J Mans \u202e",
    "stripped": "Bell\x07 and return\r",
    "markup": "[red]Red[/red] :smile:",
    "only spaces": "   ",
    "tab": "Tab\there",
    "line feed": "Line\nfeed",
}
MUST_FALL_BACK = {"tab", "line feed"}  # rich expands or wraps them: it prints those tables


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Programme:
    root = tmp_path_factory.mktemp("long") / "programme"
    generate_programme(root, 150, seed=7)
    return load_programme(root, cache=False).programme


def odd(programme: Programme, name: str | None) -> Programme:
    """`programme` with every ninth city withdrawn and every thirteenth named `name`."""
    cities = {}
    for number, (key, city) in enumerate(sorted(programme.cities.items())):
        if number % 9 == 4:
            city = dataclasses.replace(city, status="withdrawn")
        if name is not None and number % 13 == 6:
            city = dataclasses.replace(city, name=name)
        cities[key] = city
    return dataclasses.replace(programme, cities=cities)


def console(width: int, colour: str | None) -> Console:
    """A console as `twincli` makes one, on a terminal with `colour` (a colour system), or
    piped."""
    made: Console = make_console(
        width=width,
        force_terminal=colour is not None,
        color_system=colour,
        no_color=None if colour else True,
        soft_wrap=False,
    )
    return made


def printed(out: Console, print_it: Callable[[Console], None]) -> str:
    print_it(out)
    return out.file.getvalue()  # type: ignore[attr-defined,no-any-return]


COLOURS = [None, "standard", "truecolor"]


@pytest.mark.parametrize("colour", [None, "truecolor"])  # "standard": the other tests
@pytest.mark.parametrize("width", [200, 60, 40, 30])
@pytest.mark.parametrize("name", list(NAMES))
def test_the_status_view_prints_as_rich_prints_it(
    programme: Programme, name: str, width: int, colour: str | None
) -> None:
    progress = programme_progress(odd(programme, NAMES[name]), AS_OF)
    view = tables.status_view(progress.cohorts)
    by_rich = printed(console(width, colour), lambda out: out.print(view))
    fast = printed(console(width, colour), lambda out: longtables.print_view(out, view))
    assert fast == by_rich
    if colour:
        assert "\x1b[2m" in fast  # withdrawn cities are dim
    made = [
        longtables._fast_lines(console(width, colour), part) is not None
        for part in view.renderables
        if isinstance(part, Table)
    ]
    assert len(made) == 3
    if name in MUST_FALL_BACK or width < 60:
        # Narrower, the figures leave a name fewer than `tables.TEXT_MIN` characters: the
        # names wrap (`tables.FittedTable`), and rich lays the table out.
        assert not any(made)
    else:
        assert all(made), made


def tables_laid_out(monkeypatch: Any) -> list[int]:
    """The number of rows of each table rich lays out from now on."""
    laid_out: list[int] = []
    render = Table._render

    def counted(self: Table, *args: Any) -> Any:
        laid_out.append(self.row_count)
        return render(self, *args)

    monkeypatch.setattr(Table, "_render", counted)
    return laid_out


def test_rich_lays_out_the_probes_only(programme: Programme, monkeypatch: Any) -> None:
    """The rows of a long table are not laid out by rich: only a few rows of each table are."""
    progress = programme_progress(odd(programme, NAMES["wide"]), AS_OF)
    view = tables.status_view(progress.cohorts)
    laid_out = tables_laid_out(monkeypatch)
    for colour in (None, "truecolor"):
        laid_out.clear()
        longtables.print_view(console(80, colour), view)
        assert len(laid_out) == 3
        assert max(laid_out) <= 10, laid_out  # of 50


@pytest.mark.parametrize("error", [AttributeError, TypeError, ValueError])
def test_another_rich_whose_insides_differ_prints_the_table_itself(
    programme: Programme, monkeypatch: Any, error: type[Exception]
) -> None:
    progress = programme_progress(programme, AS_OF)
    view = tables.status_view(progress.cohorts)
    by_rich = printed(console(80, "standard"), lambda out: out.print(view))

    def different(*args: Any) -> None:
        raise error("not as this version of rich does it")

    monkeypatch.setattr(longtables, "_fast_lines", different)
    fast = printed(console(80, "standard"), lambda out: longtables.print_view(out, view))
    assert fast == by_rich


def test_a_short_table_or_another_renderable_is_printed_by_rich() -> None:
    example = load_programme(EXAMPLE).programme
    view = tables.status_view(programme_progress(example, AS_OF).cohorts)
    parts = [part for part in view.renderables if isinstance(part, Table)]
    assert parts and all(part.row_count < longtables.MANY for part in parts)
    for colour in (None, "truecolor"):
        assert all(longtables._fast_lines(console(80, colour), part) is None for part in parts)
        by_rich = printed(console(80, colour), lambda out: out.print(view))
        assert printed(console(80, colour), lambda out: longtables.print_view(out, view)) == (
            by_rich
        )
    table = long_table("plain")
    table.columns[1]._cells[5] = Group(Text("two"), Text("lines"))
    assert longtables._fast_lines(console(80, None), table) is None
    assert longtables._fast_lines(console(80, None), long_table("plain")) is not None


ODD_BOX = box.Box(
    "┌─┬┐\n"  # top
    "│ ││\n"  # head
    "├─┼┤\n"  # head row
    "┃ ┃┃\n"  # mid
    "├─┼┤\n"  # row
    "╞═╪╡\n"  # foot row
    "║ ║║\n"  # foot
    "└─┴┘\n"  # bottom
)
"""A box whose rows are drawn with other dividers under a header and above a footer."""


def long_table(shape: str) -> Table:
    """A table of 60 rows with a footer, cells of each kind, in a `shape` of rich's options."""
    table = Table(
        box={"edges": box.SQUARE, "odd box": ODD_BOX}.get(shape, box.SIMPLE_HEAD),
        show_header=shape not in ("no header", "odd box"),
        show_footer=shape not in ("no footer", "odd box"),
        pad_edge=shape == "padded",
        collapse_padding=shape != "padded",
        padding=(0, 2) if shape == "padded" else (0, 1),
        expand=shape == "expand",
    )
    table.add_column("N", footer="total", justify="center" if shape == "centred" else "left")
    table.add_column("Name", footer=Text("names", style="italic"), max_width=14)
    table.add_column("Value", footer="1234", justify="right", no_wrap=True)
    table.add_column("Mix", footer="", overflow="crop" if shape == "cropped" else "ellipsis")
    words = ["alpha", "beta gamma", "δέλτα ε", "東京 都", "", " lead", "x" * 20, "trail  "]
    styles = ["", "dim", "bold red", "green on black", "underline"]
    for n in range(60):
        mix = Text()
        for letter in "ABC"[: n % 4]:
            mix.append(letter, style=styles[(n + ord(letter)) % 5])
        table.add_row(
            str(n),
            Text(words[n % 8], style=styles[n % 5], no_wrap=True, overflow="ellipsis"),
            Text(f"{n * 37 % 1000}" + ("  " if n % 6 == 1 else ""), style=styles[n % 3]),
            mix,
        )
    return table


SHAPES = [
    *("plain", "edges", "odd box", "no header", "no footer"),
    *("padded", "centred", "cropped", "expand"),
]


@pytest.mark.parametrize("colour", COLOURS)
@pytest.mark.parametrize("width", [100, 50, 36])
@pytest.mark.parametrize("shape", SHAPES)
def test_a_long_table_of_another_shape_prints_as_rich_prints_it(
    shape: str, width: int, colour: str | None
) -> None:
    by_rich = printed(console(width, colour), lambda out: out.print(long_table(shape)))
    fast = printed(
        console(width, colour), lambda out: longtables.print_view(out, long_table(shape))
    )
    assert fast == by_rich
    assert longtables._fast_lines(console(width, colour), long_table(shape)) is not None


def test_the_status_command_prints_what_rich_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the command line, with colour on a terminal and without."""
    from typer.testing import CliRunner

    from twincli.cli import app

    root = tmp_path / "programme"
    generate_programme(root, 100, seed=3)
    view = tables.status_view(
        programme_progress(load_programme(root, cache=False).programme, AS_OF).cohorts
    )
    args = ["--no-cache", "--data", str(root), "--as-of", AS_OF.isoformat(), "status"]
    monkeypatch.setenv("COLUMNS", "90")
    for colour in (False, True):
        if colour:
            monkeypatch.setenv("FORCE_COLOR", "1")
        else:
            monkeypatch.delenv("FORCE_COLOR", raising=False)
        monkeypatch.delenv("NO_COLOR", raising=False)
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0
        out = make_console(soft_wrap=False)  # as the command's: told by the environment
        by_rich = printed(out, lambda out: out.print(view))
        if not colour:  # not a terminal: no line ends with the spaces rich pads it with
            by_rich = "".join(line.rstrip(" ") + "\n" for line in by_rich.splitlines())
        assert result.stdout == by_rich
        assert ("\x1b[" in result.stdout) == colour


def test_the_sample_holds_a_row_of_each_kind(programme: Programme) -> None:
    """Rows whose cells rich lays out in their own ways (escapes, wide characters, a dim
    style) are compared with rich's lines: the probe holds one of each."""
    from twincli.cli import tablecells

    for name in ("escapes", "wide"):
        progress = programme_progress(odd(programme, NAMES[name]), AS_OF)
        table = tables.status_table(progress.cohorts[0])
        columns = [tablecells.keys(column._cells) for column in table.columns]
        assert all(keys is not None for keys in columns)
        cities = [text.plain for text in table.columns[0]._cells]
        assert NAMES[name].replace("\x07", "") in cities
        for colour in (False, True):
            sample = longtables._sample(columns, colour)  # type: ignore[arg-type]
            assert any(cities[i] == NAMES[name] for i in sample), sample
            styles = {table.columns[0]._cells[i].style for i in sample}
            if colour:  # withdrawn cities' names are dim
                assert "dim" in styles, sample


def test_text_a_console_reads_as_markup_is_printed_by_rich() -> None:
    """A `str` cell is read as markup and emoji codes by a console that reads them; the cell is
    not one the probe compares (a wider cell is)."""

    def table() -> Table:
        made = long_table("plain")
        made.columns[0]._cells[3] = "[b]3[/b] :smile:"
        made.columns[0]._cells[7] = "1" * 24
        return made

    def out() -> Console:
        return Console(file=io.StringIO(), width=80, force_terminal=True, markup=True, emoji=True)

    from twincli.cli import tablecells

    columns = [tablecells.keys(column._cells) for column in table().columns]
    assert 3 not in longtables._sample(columns, True)  # type: ignore[arg-type]
    by_rich = printed(out(), lambda out: out.print(table()))
    assert printed(out(), lambda out: longtables.print_view(out, table())) == by_rich
    assert "😄" in by_rich
    assert longtables._fast_lines(out(), table()) is None


def test_a_row_that_reads_as_the_header_is_placed_among_the_rows() -> None:
    """The probe's rows are found in rich's lines only where they are alone to match."""
    table = Table(box=box.SIMPLE, show_edge=False, show_footer=True)
    table.add_column("same", footer="same")
    for _ in range(30):
        table.add_row("same")
    by_rich = printed(console(80, None), lambda out: out.print(table))
    assert printed(console(80, None), lambda out: longtables.print_view(out, table)) == by_rich


def test_what_rich_lays_out_otherwise_is_refused() -> None:
    """A cell that wraps, a column or a row with a style: rich prints the table (even when the
    probe would show the difference)."""
    from twincli.cli import tablecells

    table = long_table("plain")
    table.columns[1]._cells[4] = Text("words that wrap in a narrow column", no_wrap=False)
    columns = [tablecells.keys(column._cells) for column in table.columns]
    codes = tablecells.Codes(console(80, None))
    rows = tablecells.row_lines(console(80, None), table, [3, 14, 5, 4], columns, codes)  # type: ignore[arg-type]
    assert rows is None
    styled = long_table("plain")
    styled.columns[2].style = "bold"
    assert not longtables._laid_out_simply(console(80, None), styled)
    styled = long_table("plain")
    styled.rows[5].style = "red"
    assert not longtables._laid_out_simply(console(80, None), styled)
    assert longtables._laid_out_simply(console(80, None), long_table("plain"))


@pytest.mark.parametrize("width", [120, 60])
def test_deadlines_in_colour_print_as_rich_prints_them(
    programme: Programme, width: int, monkeypatch: Any
) -> None:
    from twincli.progress.standing import deadlines

    found = deadlines(programme_progress(programme, AS_OF))
    rows = tables.deadline_rows(found)
    assert len(rows) > 100
    by_rich = printed(
        console(width, "truecolor"), lambda out: out.print(tables.deadlines_table(found))
    )
    assert "\x1b[1;31m" in by_rich  # overdue days in bold red
    laid_out = tables_laid_out(monkeypatch)
    fast = printed(
        console(width, "truecolor"),
        lambda out: longtables.print_rows(
            out, rows, lambda chosen: tables.deadlines_table([found[i] for i in chosen])
        ),
    )
    assert fast == by_rich
    assert laid_out and max(laid_out) < 20  # the probe's rows only
