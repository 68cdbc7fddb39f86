"""The cells of a table's rows as rich writes them, colour codes and all (`longtables.print_view`).

Rich writes a row as its cells' segments side by side between the box's dividers, each segment
as its style's codes, its text and a reset. A cell of one line of text (a `Text` or a `str`)
fitted to its column is `fit`: cut and padded as rich's `Text` cuts and pads it. Its codes come
from the console itself (`Codes`: a character printed once in each style), so its colour system,
`no_color` and theme apply. A `Text` of several styles (spans) is laid out by rich, once for
each distinct cell. What these rules do not cover raises `Unlike`: then rich prints the table.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.control import strip_control_codes
from rich.padding import Padding
from rich.table import Column, Table
from rich.text import Text

from twincli import terminal

BREAKS = re.compile("[\n\t\x1c\x1d\x1e\x85\u2028\u2029]")
"""Line feeds and tabs (rich wraps and expands them), and what else `str.splitlines` breaks
lines at (rich measures the lines)."""

TextKey = tuple[str, Any, tuple[Any, ...], Any, Any, Any, str]
"""A `Text`: its text, style, spans, justify, overflow, no_wrap and end."""
Key = str | TextKey
"""A cell as far as its look goes: a `str` as given, or a `Text` (`TextKey`)."""


class Unlike(Exception):
    """A cell rich lays out in a way not made here."""


def keys(values: Sequence[Any]) -> list[Key] | None:
    """`values`, the cells of a column, as `Key`s; None if one is not text."""
    made: list[Key] = []
    for value in values:
        if isinstance(value, str):
            made.append(value)
        elif isinstance(value, Text):
            way = (value.justify, value.overflow, value.no_wrap, value.end)
            made.append((value.plain, value.style, tuple(value.spans), *way))
        else:
            return None
    return made


def plain(cell: Key) -> str:
    """The text rich shows for a cell (it takes some control codes out of a `str`)."""
    return strip_control_codes(cell) if isinstance(cell, str) else cell[0]


def kind(cell: Key, colour: bool) -> Hashable:
    """How a cell is made, apart from its text, and what its text holds: printable ASCII, other
    characters of a cell each, characters of other widths, or what a safe console escapes.
    Cells of a kind are laid out alike."""
    text = plain(cell)
    if text.isascii() and text.isprintable():
        chars = 0
    elif terminal.UNSAFE.search(text):
        chars = 3
    else:
        chars = 1 if cell_len(text) == len(text) else 2
    if isinstance(cell, str):
        return (chars,)
    _, style, spans, *settings = cell
    return (chars, style, bool(spans), *settings) if colour else (chars, *settings)


def fit(text: str, width: int, justify: Any, overflow: Any) -> str:
    """`text` cut to `width` cells (as `Text.truncate` cuts it) and padded to it as `justify`
    says."""
    size = cell_len(text)
    if size > width:
        cut = Text(text)
        cut.truncate(width, overflow=overflow)
        text, size = cut.plain, cell_len(cut.plain)
    space = " " * (width - size)
    if justify == "right":
        return space + text
    if justify == "center":
        half = (width - size) // 2
        return " " * half + text + " " * (width - size - half)
    return text + space


MARK = "\ue000"
"""A character no style's codes hold and the console leaves as it is."""


class Codes:
    """What `out` writes before and after text in each style (nothing for an empty text), and
    the cells of several styles rich has laid out (`laid_out`), kept for the tables of a view."""

    def __init__(self, out: Console) -> None:
        self.out = out
        self.known: dict[Hashable, tuple[str, str]] = {}
        self.laid_out: dict[Hashable, str] = {}

    def wrap(self, style: Hashable, text: str) -> str:
        if not text:
            return ""
        codes = self.known.get(style)
        if codes is None:
            codes = self.known[style] = self._probe(style)
        return codes[0] + text + codes[1]

    def _probe(self, style: Hashable) -> tuple[str, str]:
        with self.out.capture() as captured:
            self.out.print(Text(MARK, style=style))  # type: ignore[arg-type]
        before, mark, after = captured.get().partition(MARK)
        if not mark or not after.endswith("\n") or "\x1b]" in before + after:
            raise Unlike(style)  # a link's codes differ each time a style is made
        return before, after[:-1]


def row_lines(
    out: Console,
    table: Table,
    widths: Sequence[int],
    columns: Sequence[Sequence[Key]],
    codes: Codes,
) -> list[str] | None:
    """The line of each row of `table` (given as the `Key` of each cell, column by column)
    with its columns `widths` wide, as `out` writes it; None when rich would lay a cell out
    otherwise."""
    assert table.box is not None
    safe = out.safe_box if table.safe_box is None else table.safe_box  # rich's `pick_bool`
    box = table.box.substitute(out.options, safe=safe)
    if not table.show_header:
        box = box.get_plain_headed_box()
    escape = isinstance(out, terminal.safe_console_class())  # it escapes what it prints
    laid_out = []
    for index, (width, column, keys) in enumerate(zip(widths, table.columns, columns, strict=True)):
        cells = _ColumnCells(out, table, index, width, column, codes, escape)
        try:
            made = {cell: cells.make(cell) for cell in dict.fromkeys(keys)}
        except Unlike:
            return None
        laid_out.append(list(map(made.__getitem__, keys)))
    edge = table.show_edge
    ways = [
        ((left if edge else ""), divider, (right if edge else ""))
        for left, divider, right in (
            (box.head_left, box.head_vertical, box.head_right),
            (box.mid_left, box.mid_vertical, box.mid_right),
            (box.foot_left, box.foot_vertical, box.foot_right),
        )
    ]
    start, divider, end = ways[1]
    lines = list(map(divider.join, zip(*laid_out, strict=True)))
    if start or end:
        lines = [start + line + end for line in lines]
    # The first row is the table's first line without a header, the last its last without a
    # footer: rich draws them with the head's and the foot's dividers.
    if not table.show_footer:
        start, divider, end = ways[2]
        lines[-1] = start + divider.join(row[-1] for row in laid_out) + end
    if not table.show_header:
        start, divider, end = ways[0]
        lines[0] = start + divider.join(row[0] for row in laid_out) + end
    return lines


class _ColumnCells:
    """The cells of a column: each fitted to its width and padded as the table pads it."""

    def __init__(
        self,
        out: Console,
        table: Table,
        index: int,
        width: int,
        column: Column,
        codes: Codes,
        escape: bool,
    ) -> None:
        _, right, _, left = table.padding  # as `Table._get_cells` pads a cell
        if table.collapse_padding and index > 0:
            left = max(0, left - right)
        if not table.pad_edge:
            left = 0 if index == 0 else left
            right = 0 if index == len(table.columns) - 1 else right
        self.out, self.column, self.codes, self.escape = out, column, codes, escape
        self.width, self.left, self.right = width, left, right
        self.inner = width - left - right
        self.colour = out.color_system is not None
        self.padded = any(table.padding)  # rich puts the cells of a padded table in a `Padding`

    def make(self, cell: Key) -> str:
        if isinstance(cell, str):
            if "[" in cell or ":" in cell:
                raise Unlike(cell)  # how rich reads it (markup, emoji codes) is the console's
            cell = (plain(cell), "", (), None, None, None, "\n")  # the `Text` rich makes of it
        text, style, spans, *way = cell
        column = self.column
        justify = way[0] or column.justify  # as `Text.__rich_console__` picks them
        overflow = way[1] or column.overflow or "fold"
        no_wrap = column.no_wrap if way[2] is None else way[2]
        if self.inner < 0 or justify not in ("left", "center", "right"):
            raise Unlike(cell)
        if way[3] not in ("\n", "") or BREAKS.search(text):
            raise Unlike(cell)
        if cell_len(text) > self.inner and (not no_wrap or overflow not in ("ellipsis", "crop")):
            raise Unlike(cell)  # rich wraps it (or lets it overflow)
        if spans and self.colour:
            return self._by_rich(cell)
        if self.inner == 0:  # a column no wider than its padding: rich crops every cell away
            return " " * self.left + " " * self.right
        # rich's `Lines.justify`: text placed right or centred loses its trailing spaces first
        fitted = fit(text if justify == "left" else text.rstrip(), self.inner, justify, overflow)
        if cell_len(fitted) != self.inner:
            raise Unlike(cell)
        if self.escape and terminal.UNSAFE.search(fitted):
            # A safe console escapes a cell as rich renders it, which then crops it to its width.
            fitted = set_cell_size(terminal.printable(fitted), self.inner)
        if self.colour and style:
            fitted = self.codes.wrap(style, fitted)
        return " " * self.left + fitted + " " * self.right

    def _by_rich(self, cell: TextKey) -> str:
        """A `Text` of several styles laid out by rich as `Table._render` lays it out, once for
        the tables of a view (the same strip of outputs comes back in many rows)."""
        column = self.column
        way = (column.justify, column.overflow, column.no_wrap, column.highlight)
        shape = (cell, self.width, self.left, self.right, self.padded, way)
        laid_out = self.codes.laid_out.get(shape)
        if laid_out is None:
            laid_out = self.codes.laid_out[shape] = self._lay_out(cell)
        return laid_out

    def _lay_out(self, cell: TextKey) -> str:
        text, style, spans, justify, overflow, no_wrap, end = cell
        made = Text(text, style, justify=justify, overflow=overflow, no_wrap=no_wrap, end=end)
        made.spans = list(spans)
        column = self.column
        options = self.out.options.update(
            width=self.width,
            justify=column.justify,
            no_wrap=column.no_wrap,
            overflow=column.overflow,
            height=None,
            highlight=column.highlight,
        )
        padded = Padding(made, (0, self.right, 0, self.left)) if self.padded else made
        lines = self.out.render_lines(padded, options)  # escaped by a safe console
        if len(lines) != 1:
            raise Unlike(cell)
        parts, size = [], 0
        for segment in lines[0]:
            if segment.control:
                raise Unlike(cell)
            size += cell_len(segment.text)
            parts.append(
                self.codes.wrap(segment.style, segment.text) if segment.style else segment.text
            )
        if size != self.width:
            raise Unlike(cell)
        return "".join(parts)
