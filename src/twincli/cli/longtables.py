"""Long tables printed as rich prints them, in a fraction of the time.

rich lays out every cell of a table: thousands of rows (`twincli deadlines` for a programme of a
thousand cities) take seconds. When no colour is shown and every cell holds one line, a row is
only its cells fitted to their columns' widths and joined: rich computes the widths from a few
rows that have the widest cells (the same widths it would compute from all rows), prints the
header, and the rows are formatted here. Before trusting the formatting, the sample rows are
printed both ways and compared; if anything differs (another version of rich, unusual text)
the whole table is printed by rich.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.control import strip_control_codes
from rich.table import Table
from rich.text import Text

LONG = 200
"""Tables with fewer rows than this are printed by rich."""


def print_view(out: Console, view: RenderableType) -> None:
    """Print `view` (a renderable, or a Group of them) on `out`, long tables fast."""
    parts = list(view.renderables) if isinstance(view, Group) else [view]
    for part in parts:
        lines = _fast_lines(out, part) if isinstance(part, Table) else None
        if lines is None:
            out.print(part)
        else:
            _write(out, lines)


def _write(out: Console, lines: list[str]) -> None:
    from twincli.terminal import printable  # what every console does to what it prints

    out.file.write(printable("".join(line + "\n" for line in lines)))
    out.file.flush()


def _fast_lines(out: Console, table: Table) -> list[str] | None:
    """The lines rich would print for `table`, or None when they cannot be made here."""
    if table.row_count < LONG or out.color_system is not None or table.show_footer:
        return None
    rows = _rows(table)
    if rows is None:
        return None
    sample = _sample(rows)
    cells = [list(column._cells) for column in table.columns]
    probe = _copy(table, [[column[i] for column in cells] for i in sample])
    console = Console(
        file=io.StringIO(),
        width=out.width,
        no_color=True,
        highlight=False,
        soft_wrap=out.soft_wrap,
        emoji=False,
        markup=False,
    )
    options = console.options
    widths = probe._calculate_column_widths(
        console, options.update_width(options.max_width - probe._extra_width)
    )
    console.print(probe)
    printed = console.file.getvalue().split("\n")[:-1]  # type: ignore[attr-defined]
    above = printed[: len(printed) - len(sample) - 1]
    below = printed[len(printed) - 1 :]
    line = _formatter(table, widths)
    if [line(rows[i]) for i in sample] != printed[len(above) : len(above) + len(sample)]:
        return None
    return [*above, *map(line, rows), *below]


Cell = tuple[str, Any]
"""A cell's text, as rich would show it, and how it overflows (None: as its column does)."""


def _rows(table: Table) -> list[list[Cell]] | None:
    """The table's cells row by row; None if a cell is not one line of text without tabs."""
    columns = []
    for column in table.columns:
        cells: list[Cell] = []
        for value in column._cells:
            if isinstance(value, str):
                cells.append((strip_control_codes(value), None))  # as rich makes it a Text
            elif isinstance(value, Text):
                cells.append((value.plain, value.overflow))
            else:
                return None
        columns.append(cells)
    rows = [list(row) for row in zip(*columns, strict=True)]
    if any("\n" in plain or "\t" in plain for row in rows for plain, _ in row):
        return None  # rich would wrap it, or expand its tabs
    return rows


def _sample(rows: Sequence[Sequence[Cell]]) -> list[int]:
    """The first row, and for each column the rows with its longest text and longest word:
    rich's column widths come from these."""
    chosen = {0}
    for column in range(len(rows[0])):
        plains = [row[column][0] for row in rows]
        sizes = [cell_len(plain) for plain in plains]
        chosen.add(max(range(len(rows)), key=sizes.__getitem__))
        words = [
            _longest_word(plain) if " " in plain or not plain.isascii() else size
            for plain, size in zip(plains, sizes, strict=True)
        ]
        chosen.add(max(range(len(rows)), key=words.__getitem__))
    return sorted(chosen)


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _copy(table: Table, rows: Sequence[Sequence[Any]]) -> Table:
    copy = Table(
        box=table.box,
        pad_edge=table.pad_edge,
        collapse_padding=table.collapse_padding,
        show_header=table.show_header,
        show_edge=table.show_edge,
        padding=table.padding,
        expand=table.expand,
    )
    for column in table.columns:
        copy.add_column(
            column.header,
            justify=column.justify,
            no_wrap=column.no_wrap,
            overflow=column.overflow,
            min_width=column.min_width,
            max_width=column.max_width,
            width=column.width,
            ratio=column.ratio,
        )
    for row in rows:
        copy.add_row(*row)
    return copy


def _formatter(table: Table, widths: Sequence[int]) -> Callable[[Sequence[Cell]], str]:
    """How rich lays out one row: the box's edges and dividers, each cell padded as the
    table pads it (`pad_edge`, `collapse_padding`) and fitted to its column."""
    _, right, _, left = table.padding
    box = table.box
    assert box is not None
    last = len(widths) - 1
    columns = []
    for index, (width, column) in enumerate(zip(widths, table.columns, strict=True)):
        pad_left, pad_right = left, right
        if table.collapse_padding and index > 0:
            pad_left = max(0, pad_left - pad_right)
        if not table.pad_edge:
            pad_left = 0 if index == 0 else pad_left
            pad_right = 0 if index == last else pad_right
        columns.append(
            (" " * pad_left, width - pad_left - pad_right, " " * pad_right, column.justify, column)
        )
    edge = table.show_edge
    start, divider, end = (
        (box.mid_left if edge else ""),
        box.mid_vertical,
        (box.mid_right if edge else ""),
    )

    def line(row: Sequence[Cell]) -> str:
        parts = [
            before + _fit(plain, inner, justify, overflow or column.overflow) + after
            for (plain, overflow), (before, inner, after, justify, column) in zip(
                row, columns, strict=True
            )
        ]
        return start + divider.join(parts) + end

    return line


def _fit(plain: str, width: int, justify: Any, overflow: Any) -> str:
    size = cell_len(plain)
    if size > width:
        text = Text(plain)
        text.truncate(width, overflow=overflow)
        plain, size = text.plain, cell_len(text.plain)
    space = " " * (width - size)
    if justify == "right":
        return space + plain
    if justify == "center":
        half = (width - size) // 2
        return " " * half + plain + " " * (width - size - half)
    return plain + space
