"""Long tables printed as rich prints them, in a fraction of the time.

rich lays out every cell of a table: thousands of rows (`twincli deadlines` for a programme of a
thousand cities, `twincli status` for ten thousand) take seconds. When every cell holds one line
of text, a row is only its cells fitted to their columns' widths and joined. rich computes the
widths from a probe: the table with a few of its rows (those with the widest cells, the same
widths it would compute from all rows), which it prints with the header and the footer; the
rows are formatted here. Before trusting the formatting, the probe's rows are formatted here too
and compared with rich's lines; if anything differs (another version of rich, unusual text) the
whole table is printed by rich.

`print_view` does this for the tables of a view (`twincli status`), with colour
(`tablecells`). `print_rows` goes further for a table made row by row from text, without colour
(`twincli deadlines` on a pipe): given the text of every cell, it builds only the sample rows
into a rich table, and lays out the columns one at a time. Nothing of the other rows is made
for rich at all. With colour, it makes the whole table and prints it as `print_view` does.

A table fitted to the terminal (`tables.FittedTable`) is made here only when the probe's widths
hold it as it is; narrower, its names wrap, and rich prints it. On a pipe, the lines written
here go through `TrimmedFile` like rich's: no line ends with spaces.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from operator import add, sub
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.control import strip_control_codes
from rich.errors import StyleError
from rich.table import Table
from rich.text import Text

from twincli import terminal
from twincli.cli import tablecells
from twincli.cli.tablecells import BREAKS, Key, fit
from twincli.cli.tables import FittedTable

LONG = 200
"""`print_rows` prints tables with fewer rows than this by rich."""
MANY = 20
"""`print_view` prints tables with fewer rows than this by rich: its probe (a header, a footer
and some five rows) costs what some ten rows cost."""


def print_view(out: Console, view: RenderableType) -> None:
    """Print `view` (a renderable, or a Group of them) on `out`, long tables fast."""
    parts = list(view.renderables) if isinstance(view, Group) else [view]
    codes = tablecells.Codes(out)  # what `out` writes around each style, found once a view
    for part in parts:
        lines = None
        if isinstance(part, Table):
            try:
                lines = _fast_lines(out, part, codes)
            except (AttributeError, TypeError, ValueError):
                # Another version of rich, whose insides (`Column._cells`, how a table
                # computes its widths) differ: it prints the table itself, as always.
                lines = None
        if lines is None:
            out.print(part)
        else:
            _write(out, lines, escaped=True)


def print_rows(
    out: Console, rows: Sequence[Sequence[str]], table_of: Callable[[Sequence[int]], Table]
) -> None:
    """Print `table_of(range(len(rows)))` on `out` as rich prints it. `table_of(indices)` is
    the table of those rows; `rows` holds the text given for each of their cells (as text, or
    as a `Text` made of it), and each column's cells are made the same way. With colour,
    the whole table is made and printed as `print_view` prints it."""
    lines = _lines_of_rows(out, rows, table_of)
    if lines is None:
        print_view(out, table_of(range(len(rows))))
    else:
        _write(out, lines)


class TrimmedFile:
    """A text file (a pipe, a file) that `write`s lines without the spaces at their ends: rich
    pads every line of a table to its width, which a terminal shows as nothing but a file
    keeps. Spaces at the end of what is written are held until the rest of their line comes
    (written then if text follows them on that line, else dropped). Everything else is the
    file's."""

    _AT_LINE_ENDS = re.compile("[ \t]+\n")

    def __init__(self, file: Any) -> None:
        self.file = file
        self._held = ""

    def write(self, text: str) -> int:
        whole = self._held + text
        end = whole.rfind("\n") + 1
        last = whole[end:]
        kept = last.rstrip(" \t")
        self._held = last[len(kept) :]
        lines = whole[:end]
        if " \n" in lines or "\t\n" in lines:
            lines = self._AT_LINE_ENDS.sub("\n", lines)
        self.file.write(lines + kept)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)


def _write(out: Console, lines: list[str], *, escaped: bool = False) -> None:
    """Write `lines` on `out`'s file, escaped as every console of twincli escapes what it
    prints (`terminal.printable`) unless they are (`escaped`)."""
    from twincli.terminal import printable

    text = "".join(line + "\n" for line in lines)
    out.file.write(text if escaped else printable(text))
    out.file.flush()


def _fast_lines(
    out: Console, table: Table, codes: tablecells.Codes | None = None
) -> list[str] | None:
    """The lines `out` would print for `table`, colour codes, escapes and footer included, or
    None when they cannot be made here."""
    if table.row_count < MANY or not _laid_out_simply(out, table):
        return None
    columns: list[list[Key]] = []
    for column in table.columns:
        keys = tablecells.keys(column._cells)
        if keys is None:
            return None  # not text: rich lays it out
        columns.append(keys)
    sample = _sample(columns, out.color_system is not None)
    # The first row follows the header, the last comes before the footer: without them,
    # rich draws these rows with other dividers, in the probe as in the table.
    ends = {0: not table.show_header, table.row_count - 1: not table.show_footer}
    sample = sorted({*sample, *(row for row, drawn_otherwise in ends.items() if drawn_otherwise)})
    probe = copy.copy(table)
    probe.columns = [
        dataclasses.replace(column, _cells=[column._cells[i] for i in sample])
        for column in table.columns
    ]
    probe.rows = [table.rows[i] for i in sample]
    widths: list[int] = []
    laid_out_for: list[ConsoleOptions] = []

    def calculate_widths(console: Console, options: ConsoleOptions) -> list[int]:
        widths[:] = Table._calculate_column_widths(probe, console, options)
        laid_out_for[:] = [options]
        return widths

    # The widths rich lays the probe out with are the table's: they are kept as it prints it.
    # A table fitted to the width is printed as it is when they hold it (else rich prints it).
    shown = probe.as_it_is() if isinstance(probe, FittedTable) else probe
    setattr(shown, "_calculate_column_widths", calculate_widths)  # noqa: B010
    with out.capture() as captured:
        out.print(shown)
    printed = captured.get().split("\n")[:-1]
    if len(widths) != len(table.columns):
        return None  # rich did not compute them as this expects
    if isinstance(probe, FittedTable) and not probe.holds(out, laid_out_for[0], widths):
        return None  # too narrow for it as it is: fitted otherwise
    lines = tablecells.row_lines(out, table, widths, columns, codes or tablecells.Codes(out))
    if lines is None:
        return None
    sampled = [lines[i] for i in sample]
    found = [
        start
        for start in range(len(printed) - len(sample) + 1)
        if printed[start : start + len(sample)] == sampled
    ]
    if len(found) != 1:  # not as rich lays them out (or not found for sure)
        return None
    return [*printed[: found[0]], *lines, *printed[found[0] + len(sample) :]]


def _laid_out_simply(out: Console, table: Table) -> bool:
    """Whether each row of `table` is a line of its cells between the box's dividers, in no
    style but the cells' own, and `out` writes what it prints to its file as it prints it."""
    top, _, bottom, _ = table.padding
    if (
        table.box is None
        or not table.columns
        or top
        or bottom
        or table.show_lines
        or table.leading
        or table.row_styles
        or table.title
        or table.caption
        or any(row.style is not None or row.end_section for row in table.rows)
        or any(column.style or column.highlight for column in table.columns)
    ):
        return False
    held = getattr(out, "_buffer_index", 1)  # prints inside another print's are held
    if out.record or out.quiet or out.is_jupyter or out.legacy_windows or held:
        return False  # what it prints is recorded, dropped, shown otherwise or held
    try:
        return not (out.get_style(table.style or "") or out.get_style(table.border_style or ""))
    except StyleError:
        return False  # rich fails as it fails


def _sample(columns: Sequence[Sequence[Key]], colour: bool) -> list[int]:
    """A few rows that between them hold, for each column, its widest text and the text with
    its widest word (rich's column widths come from these), and a cell of each kind
    (`tablecells.kind`): each is compared with rich's. Rows that meet most needs are taken."""
    needs: list[list[int]] = []
    for keys in columns:
        distinct = {cell: tablecells.plain(cell) for cell in dict.fromkeys(keys)}
        sizes = {cell: cell_len(text) for cell, text in distinct.items()}
        words = {  # rich: the widest word, or the whole text when it has none (only spaces)
            cell: max(map(cell_len, text.split()), default=sizes[cell])
            if " " in text or not text.isascii()
            else sizes[cell]
            for cell, text in distinct.items()
        }
        for measure in (sizes, words):
            most = max(measure.values())
            needs.append([i for i, cell in enumerate(keys) if measure[cell] == most])
        kind = {cell: tablecells.kind(cell, colour) for cell in distinct}
        kinds: dict[Any, list[int]] = {}
        for i, cell in enumerate(keys):
            kinds.setdefault(kind[cell], []).append(i)
        needs += kinds.values()
    counts = Counter(i for need in needs for i in need)
    chosen: set[int] = set()
    for need in sorted(needs, key=len):  # the hardest to meet first
        if chosen.isdisjoint(need):
            chosen.add(max(need, key=counts.__getitem__))
    return sorted(chosen)


# --- tables given as text -------------------------------------------------------------------

_STRIPPED = re.compile("[\x07\x08\x0b\x0c\x0d]")
"""What rich takes out of text it is given (`rich.control.strip_control_codes`)."""
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
        if not printable and (BREAKS.search(text) or terminal.UNSAFE.search(text)):
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
    laid_out = _printed(out, probe, len(sample))
    if laid_out is None:
        return None
    widths, above, sampled, below = laid_out
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
                    else fit(text, inner, justify, overflow)
                )
                for text, size in widths_of[index].items()
                if size > inner
            }
            cells = list(map(fits.get, cells, cells))
            sizes = list(map(min, sizes, repeat(inner, len(sizes))))
        if justify == "center":
            fitted = [before + fit(cell, inner, justify, overflow) + after for cell in cells]
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
) -> tuple[list[int], list[str], list[str], list[str]] | None:
    """How rich lays out `probe`, a table of `rows` sample rows, on `out` without colour: the
    widths of its columns, and its lines above the rows, of the rows, and below them (None
    when it is not laid out as it is: too narrow for a `FittedTable`)."""
    console = Console(
        file=io.StringIO(),
        width=out.width,
        no_color=True,
        highlight=False,
        soft_wrap=out.soft_wrap,
        emoji=False,
        markup=False,
    )
    options = console.options.update_width(console.options.max_width - probe._extra_width)
    widths = probe._calculate_column_widths(console, options)
    if isinstance(probe, FittedTable):
        if not probe.holds(console, options, widths):
            return None  # too narrow for it as it is: fitted otherwise
        probe = probe.as_it_is()
    console.print(probe)
    printed = console.file.getvalue().split("\n")[:-1]  # type: ignore[attr-defined]
    above = printed[: len(printed) - rows - 1]
    return widths, above, printed[len(above) : len(above) + rows], printed[len(printed) - 1 :]
