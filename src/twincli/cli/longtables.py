"""Long tables printed as rich prints them, in a fraction of the time.

rich lays out every cell of a table: thousands of rows (`twincli deadlines` for a programme of a
thousand cities) take seconds. When no colour is shown and every cell holds one line, a row is
only its cells fitted to their columns' widths and joined: rich computes the widths from a few
rows that have the widest cells (the same widths it would compute from all rows), prints the
header, and the rows are formatted here. Before trusting the formatting, the sample rows are
printed both ways and compared; if anything differs (another version of rich, unusual text)
the whole table is printed by rich.

`print_rows` goes further for a table made row by row from text (`twincli deadlines`): given
the text of every cell, it builds only the sample rows into a rich table, and lays out the
columns one at a time. Nothing of the other rows is made for rich at all.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from operator import add, sub
from typing import Any

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.control import strip_control_codes
from rich.table import Table
from rich.text import Text

from twincli import terminal

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


def print_rows(
    out: Console, rows: Sequence[Sequence[str]], table_of: Callable[[Sequence[int]], Table]
) -> None:
    """Print `table_of(range(len(rows)))` on `out` as rich prints it. `table_of(indices)` is
    the table of those rows; `rows` holds the text given for each of their cells (as text, or
    as a `Text` made of it), and each column's cells are made the same way."""
    lines = _lines_of_rows(out, rows, table_of)
    if lines is None:
        out.print(table_of(range(len(rows))))
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
    widths, above, sampled, below = _printed(out, probe, len(sample))
    line = _formatter(table, widths)
    if [line(rows[i]) for i in sample] != sampled:
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


# --- tables given as text -------------------------------------------------------------------

_STRIPPED = re.compile("[\x07\x08\x0b\x0c\x0d]")
"""What rich takes out of text it is given (`rich.control.strip_control_codes`)."""
_BREAKS = re.compile("[\n\t\x1c\x1d\x1e\x85\u2028\u2029]")
"""Line feeds and tabs (rich wraps and expands them), and what else `str.splitlines` breaks
lines at (rich measures the lines)."""
_JOINERS = ("\u200d", "\ufe0f")
"""Characters that make the width of a text more than the sum of its characters' widths."""


def _lines_of_rows(
    out: Console, rows: Sequence[Sequence[str]], table_of: Callable[[Sequence[int]], Table]
) -> list[str] | None:
    """The lines rich would print for the table of `rows`, or None when they cannot be made
    here (then rich prints it)."""
    if len(rows) < LONG or out.color_system is not None:
        return None
    columns: list[list[str]] = []
    measures: list[list[int]] = []
    widths_of: list[dict[str, int]] = []
    plain: list[bool] = []
    chosen = {0}
    for column in zip(*rows, strict=True):
        cells = list(column)
        text = "".join(cells)
        printable = text.isprintable()  # then none of what follows is there
        if not printable and _STRIPPED.search(text):
            cells = [strip_control_codes(cell) for cell in cells]
            text = "".join(cells)
        if not printable and (_BREAKS.search(text) or terminal.UNSAFE.search(text)):
            # What the console escapes makes a line longer, and it crops lines at its width.
            return None
        # Rich measures a column by its widest cell and the cell with its widest word; many
        # cells repeat (a kind, a title, a day), so each text is measured once.
        distinct = list(dict.fromkeys(cells))
        simple = printable and text.isascii()  # one cell per character
        sizes = list(map(len if simple else cell_len, distinct))
        widest, widest_word = _widest(distinct, sizes, simple, text)
        chosen.update((cells.index(widest), cells.index(widest_word)))
        width_of = dict(zip(distinct, sizes, strict=True))
        columns.append(cells)
        plain.append(simple)
        widths_of.append(width_of)
        measures.append(list(map(len if simple else width_of.__getitem__, cells)))
    sample = sorted(chosen)
    probe = table_of(sample)
    if probe.show_footer or len(probe.columns) != len(columns):
        return None
    widths, above, sampled, below = _printed(out, probe, len(sample))
    formatted = _format_columns(probe, widths, columns, measures, widths_of, plain)
    if formatted is None:
        return None
    if [formatted[i] for i in sample] != sampled:
        return None
    return [*above, *formatted, *below]


def _widest(texts: list[str], sizes: list[int], simple: bool, whole: str) -> tuple[str, str]:
    """The texts of a column that rich's measure of it comes from: the widest, and the one
    with the widest word (rich's narrowest width for the column)."""
    order = sorted(range(len(texts)), key=sizes.__getitem__, reverse=True)
    # A word is never wider than its text, so only texts wider than the widest word found
    # yet can hold a wider one (unless joiners make a text wider than its characters).
    exhaustive = not simple and any(joiner in whole for joiner in _JOINERS)
    widest_word, found = -1, order[0]
    for index in order:
        if sizes[index] <= widest_word and not exhaustive:
            break
        # rich: the widest word, or the whole text when it has none (only spaces)
        word = max(map(len if simple else cell_len, texts[index].split()), default=sizes[index])
        if word > widest_word:
            widest_word, found = word, index
    return texts[order[0]], texts[found]


def _format_columns(
    table: Table,
    widths: Sequence[int],
    columns: list[list[str]],
    measures: list[list[int]],
    widths_of: list[dict[str, int]],
    plain: list[bool],
) -> list[str] | None:
    """Every row's line, as `_formatter` makes it, laid out a column at a time (None when a
    cell needs what only rich does). `measures`: each cell's width; `widths_of`: the width of
    each text of a column; `plain`: whether a column's text is printable ASCII, a character
    per cell."""
    _, right, _, left = table.padding
    box = table.box
    assert box is not None
    last = len(widths) - 1
    laid_out = []
    for index, width in enumerate(widths):
        pad_left, pad_right = left, right
        if table.collapse_padding and index > 0:
            pad_left = max(0, pad_left - pad_right)
        if not table.pad_edge:
            pad_left = 0 if index == 0 else pad_left
            pad_right = 0 if index == last else pad_right
        before, after = " " * pad_left, " " * pad_right
        inner = width - pad_left - pad_right
        justify, overflow = _cells_way(table, index)
        cells, sizes, simple = columns[index], measures[index], plain[index]
        if justify in ("right", "center") and list(map(str.rstrip, cells)) != cells:
            return None  # rich strips a cell's trailing spaces before it places it
        if sizes and max(sizes) > inner:  # cut what is too wide, as `_fit` does
            cut = inner - 1 if overflow == "ellipsis" else inner
            mark = "…" if overflow == "ellipsis" else ""
            fast = inner > 0 and overflow in ("ellipsis", "crop")
            fits = {
                text: (
                    text[:cut] + mark  # printable ASCII: a character per cell
                    if fast and (simple or (text.isascii() and text.isprintable()))
                    else _fit(text, inner, justify, overflow)
                )
                for text, size in widths_of[index].items()
                if size > inner
            }
            cells = list(map(fits.get, cells, cells))
            sizes = list(map(min, sizes, repeat(inner, len(sizes))))
        if justify == "center":
            fitted = [before + _fit(cell, inner, justify, overflow) + after for cell in cells]
        else:  # padded by `str.ljust` or `str.rjust`
            right_justified = justify == "right"
            pad = pad_left if right_justified else pad_right  # spaces on the padded side
            if simple:  # a character per cell
                lengths: Iterator[int] = repeat(inner + pad, len(cells))
            else:  # the length that adds the spaces a cell is short of
                lengths = map(add, map(len, cells), map(sub, repeat(inner + pad), sizes))
            fitted = list(map(str.rjust if right_justified else str.ljust, cells, lengths))
            if right_justified and after:
                fitted = [cell + after for cell in fitted]
            elif not right_justified and before:
                fitted = [before + cell for cell in fitted]
        laid_out.append(fitted)
    edge = table.show_edge
    start, divider, end = (
        (box.mid_left if edge else ""),
        box.mid_vertical,
        (box.mid_right if edge else ""),
    )
    lines = list(map(divider.join, zip(*laid_out, strict=True)))
    if start or end:
        lines = [start + line + end for line in lines]
    return lines


def _cells_way(table: Table, index: int) -> tuple[Any, Any]:
    """How the cells of column `index` are justified and overflow (each of its cells is made
    the same way): as their `Text` says, else as the column does."""
    column = table.columns[index]
    first = column._cells[0] if column._cells else None
    if isinstance(first, Text):
        return first.justify or column.justify, first.overflow or column.overflow
    return column.justify, column.overflow


def _printed(
    out: Console, probe: Table, rows: int
) -> tuple[list[int], list[str], list[str], list[str]]:
    """How rich lays out `probe`, a table of `rows` sample rows, on `out` without colour: the
    widths of its columns, and its lines above the rows, of the rows, and below them."""
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
    above = printed[: len(printed) - rows - 1]
    return widths, above, printed[len(above) : len(above) + rows], printed[len(printed) - 1 :]
