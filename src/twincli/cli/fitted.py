"""A table that fits the width it is printed in: laid out by rich, or written as plain text.

Names and titles give way first: a table is as wide as its cells need; on a narrower terminal
its columns of names (`flexible`) are cut with an ellipsis, down to `TEXT_MIN` characters;
narrower still, names wrap between words, then figures break at their spaces (never inside a
number), then names wrap however narrow, and only on a terminal too narrow for the figures
themselves do they wrap inside a word (`FittedTable.layout`). Nothing is cut but names. The
widths are decided here, from the text of the cells; rich is given them as its public column
options (`width`, `no_wrap`, `overflow`) and draws the table.

Rich lays out every cell of a table it prints: for 1,000 cities, `status` would take about as
long again as reading every file, `deadlines` twice as long. So a long view (`LONG` rows or
more) and a view on a pipe are written as plain text (`print_view`): the same columns and
widths, without colour, no line ending with spaces. A long table that only fits a narrow
terminal by wrapping is left to rich.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich import box
from rich.cells import cell_len
from rich.console import (
    Console,
    ConsoleOptions,
    Group,
    JustifyMethod,
    RenderableType,
    RenderResult,
)
from rich.table import Table
from rich.text import Text

TEXT_MIN = 8
"""The fewest characters a name or title is cut to (the ellipsis included): narrower than
that, names wrap rather than being cut to a stub."""
LONG = 200
"""A view with this many rows of tables or more is written as plain text at a terminal too."""
BOX = box.SIMPLE_HEAD
"""A rule under the header; the footer, if any, below a blank line."""


@dataclass
class _Column:
    header: str
    footer: Text
    justify: JustifyMethod
    flexible: bool
    cells: list[str | Text] = field(default_factory=list)
    """As rich prints them (a `Text` keeps its styles)."""
    texts: list[str] = field(default_factory=list)
    """Their text, as the plain formatter writes it."""

    def distinct(self) -> set[str]:
        """Its texts, each once (many repeat: a kind, a title, a day), header and footer too."""
        return {self.header, self.footer.plain, *self.texts}

    def natural(self) -> int:
        """The width of its widest text."""
        return max(map(cell_len, self.distinct()))

    def widest_word(self) -> int:
        """The width of its widest word (a column that breaks between words needs it)."""
        return max(map(_widest_word, self.distinct()))


def _widest_word(text: str) -> int:
    return max(map(cell_len, text.split()), default=0)


@dataclass(frozen=True)
class Layout:
    """The widths of a table's columns (their text, without the spaces between them), and
    whether its names are cut with an ellipsis (else they wrap, as do the figures of a column
    narrower than they are)."""

    widths: list[int]
    names_cut: bool


class FittedTable:
    """A table of text cells that fits the width it is printed in (see the module's doc).

    Columns are figures, states and ids, which keep their width, or `flexible` (names and
    titles), which give way first. Cells are text: a `str` or a `Text` of one line, whose
    style colours it on a terminal."""

    def __init__(self, *, footer: bool = False) -> None:
        self.columns: list[_Column] = []
        self.show_footer = footer

    @property
    def row_count(self) -> int:
        return len(self.columns[0].cells) if self.columns else 0

    def add_column(
        self,
        header: str,
        *,
        flexible: bool = False,
        justify: JustifyMethod = "left",
        footer: str | Text = "",
    ) -> None:
        footer = Text(footer) if isinstance(footer, str) else footer
        self.columns.append(_Column(header, footer, justify, flexible))

    def add_row(self, *cells: str | Text) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        for column, value in zip(self.columns, cells, strict=True):
            value, text = _one_line(value)
            column.cells.append(value)
            column.texts.append(text)

    # --- the widths -----------------------------------------------------------------------

    def layout(self, width: int) -> Layout:
        """The widths for a table `width` characters wide, and whether its names are cut."""
        cut = self.cut_widths(width)
        room = width - 2 * len(self.columns)  # the edges, and two spaces between columns
        if sum(cut) <= room:
            return Layout(cut, names_cut=True)
        natural = [column.natural() for column in self.columns]
        words = [column.widest_word() for column in self.columns]
        names = [column.flexible for column in self.columns]
        least_of_all = [1] * len(natural)
        ways = (  # each no narrower than it has to be: names wrap between words, ...
            [w if name else n for w, name, n in zip(words, names, natural, strict=True)],
            words,  # ... and figures break at their spaces, ...
            [1 if name else n for name, n in zip(names, natural, strict=True)],  # names fold
            [1 if name else w for name, w in zip(names, words, strict=True)],  # ... both
            least_of_all,  # ... or figures fold too: nothing is lost, the lines fit
        )
        for least in ways:
            widths = _narrowed(natural, least, room)
            if sum(widths) <= room:
                break
        return Layout(widths, names_cut=False)

    def cut_widths(self, width: int) -> list[int]:
        """The widths for `width` characters with names cut with an ellipsis, but not below
        `TEXT_MIN` (nor below the widest word of a footer: the totals are figures): wider
        than `width` when even that does not fit."""
        natural = [column.natural() for column in self.columns]
        least = [
            max(min(n, TEXT_MIN), _widest_word(column.footer.plain)) if column.flexible else n
            for column, n in zip(self.columns, natural, strict=True)
        ]
        return _narrowed(natural, least, width - 2 * len(self.columns))

    # --- by rich ----------------------------------------------------------------------------

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.rich_table(self.layout(options.max_width))

    def rich_table(self, layout: Layout) -> Table:
        """This table as rich draws it, its columns as wide as `layout` says."""
        table = Table(box=BOX, pad_edge=False, collapse_padding=True, show_footer=self.show_footer)
        for column, width in zip(self.columns, layout.widths, strict=True):
            wraps = not layout.names_cut if column.flexible else width < column.natural()
            footer = column.footer.copy()
            footer.no_wrap, footer.overflow = False, "fold"  # totals wrap, never cut
            table.add_column(
                column.header,
                footer=footer,
                justify=column.justify,
                width=width,
                no_wrap=not wraps,
                overflow="fold" if wraps else "ellipsis",
            )
        for row in zip(*(column.cells for column in self.columns), strict=True):
            table.add_row(*(Text(v) if isinstance(v, str) else v for v in row))  # not markup
        return table

    # --- as plain text ----------------------------------------------------------------------

    def plain_lines(self, widths: Sequence[int], rule: str = "─") -> list[str]:
        """The table as lines of plain text, its columns `widths` wide (`cut_widths`): names
        cut with an ellipsis, the footer's totals wrapped; laid out as rich lays it out,
        without the spaces rich pads each line with."""
        lines = ["", _line(self._fitted([c.header for c in self.columns], widths))]
        lines.append(" " + rule * (sum(widths) + 2 * (len(widths) - 1)))
        columns = [_fitted_cells(c, width) for c, width in zip(self.columns, widths, strict=True)]
        lines += [_line(row) for row in zip(*columns, strict=True)]
        if self.show_footer:
            wrapped = [
                textwrap.wrap(c.footer.plain, width, break_on_hyphens=False) or [""]
                for c, width in zip(self.columns, widths, strict=True)
            ]
            lines.append("")
            for index in range(max(map(len, wrapped))):
                texts = [lines_[index] if index < len(lines_) else "" for lines_ in wrapped]
                lines.append(_line(self._fitted(texts, widths)))
        lines.append("")
        return lines

    def _fitted(self, texts: Sequence[str], widths: Sequence[int]) -> list[str]:
        return [
            _fit(text, width, column.justify)
            for text, width, column in zip(texts, widths, self.columns, strict=True)
        ]


def _fitted_cells(column: _Column, width: int) -> list[str]:
    """The cells of `column`, each cut and padded to `width` (each text once: they repeat)."""
    done = {text: _fit(text, width, column.justify) for text in set(column.texts)}
    return [done[text] for text in column.texts]


def _fit(plain: str, width: int, justify: JustifyMethod) -> str:
    """`plain` cut with an ellipsis to `width` characters and padded to it as `justify` says."""
    size = cell_len(plain)
    if size > width:
        cut = Text(plain)
        cut.truncate(width, overflow="ellipsis")
        plain, size = cut.plain, cut.cell_len
    space = width - size
    if justify == "right":
        return " " * space + plain
    if justify == "center":
        return " " * (space // 2) + plain + " " * (space - space // 2)
    return plain + " " * space


def _line(cells: Sequence[str]) -> str:
    return (" " + "  ".join(cells)).rstrip()


def _narrowed(widths: Sequence[int], least: Sequence[int], room: int) -> list[int]:
    """`widths` narrowed to `room` in all, the widest first, none below its `least` (wider
    than `room` when the `least` widths are)."""
    narrowed = list(widths)
    excess = sum(narrowed) - room
    while excess > 0:
        shrinkable = [i for i, w in enumerate(narrowed) if w > least[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=narrowed.__getitem__)
        narrowed[widest] -= 1
        excess -= 1
    return narrowed


def _one_line(value: str | Text) -> tuple[str | Text, str]:
    """A cell as rich prints it and its text: one line, safe for a terminal. What rich leaves
    out of a `Text` (a bell, a carriage return) is left out; a control character, a line
    feed or a bidirectional override from the data is written as a visible escape
    (`terminal.printable`), a tab as a space; a `Text` keeps its style."""
    text = value if isinstance(value, str) else value.plain
    if text.isprintable():
        return value, text
    from rich.control import strip_control_codes

    from twincli.terminal import printable

    safe = printable(strip_control_codes(text), one_line=True).replace("\t", " ")
    if safe == text:
        return value, text  # characters that are not printable but safe (a joiner)
    return (safe if isinstance(value, str) else Text(safe, style=value.style)), safe


def print_view(out: Console, view: RenderableType) -> None:
    """Print `view` (a renderable, or a Group of them) on `out`: its tables laid out by rich
    at a terminal, written as plain text on a pipe or when the view is long (see the
    module's doc). On a pipe no line ends with spaces (rich pads tables and wrapped text)."""
    parts = list(view.renderables) if isinstance(view, Group) else [view]
    rows = sum(part.row_count for part in parts if isinstance(part, FittedTable))
    plain = not out.is_terminal or rows >= LONG
    rule = BOX.substitute(out.options).head_row_horizontal
    for part in parts:
        lines = None
        if plain and isinstance(part, FittedTable):
            widths = part.cut_widths(out.width)
            if sum(widths) + 2 * len(widths) <= out.width:  # else its names wrap: rich's
                lines = part.plain_lines(widths, rule)
        if lines is None and out.is_terminal:
            out.print(part)
            continue
        if lines is None:
            with out.capture() as captured:
                out.print(part)
            lines = [line.rstrip(" ") for line in captured.get().splitlines()]
        out.file.write("".join(line + "\n" for line in lines))
        out.file.flush()
