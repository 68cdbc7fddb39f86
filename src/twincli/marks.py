"""Where each record, key and value was read: the file, 1-based line and column.

The reader records positions as it builds the model, so a rule that finds a problem in a
record can point at the exact key, value or list item without re-reading the file.

Positions are stored compactly, since there is one `Marks` per record and a programme can
have millions of values: a flat tuple of small integers, four per field (key line and
column, value line and column; 0 when absent), laid out by the record class's `layout`.
"""

from __future__ import annotations

from collections.abc import Mapping

from twincli.diagnostics import Location

Position = tuple[int, int]
NO_LAYOUT: Mapping[str, int] = {}


class Marks:
    """Positions of a mapping and of its keys, values and list items (all 1-based).

    `entries` holds, for each field that is a mapping keyed by id, where each id was written,
    including ids whose value could not be read (so a broken entry still counts as existing).
    """

    __slots__ = ("broken", "column", "entries", "file", "items", "layout", "line", "positions")

    def __init__(
        self,
        file: str,
        line: int,
        column: int,
        layout: Mapping[str, int] = NO_LAYOUT,
        positions: tuple[int, ...] = (),
        items: dict[str, tuple[Position, ...]] | None = None,
        entries: dict[str, dict[str, Position]] | None = None,
        broken: tuple[str, ...] = (),
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.layout = layout
        """Key -> offset into `positions` (shared by every record of a class)."""
        self.positions = positions
        self.items = items
        self.entries = entries
        self.broken = broken
        """Keys whose value had a problem (reported), so the record holds less than was
        written: rules skip checks that would otherwise report a consequence of it."""

    def _position(self, name: str, offset: int) -> Position | None:
        index = self.layout.get(name)
        if index is None or index + offset >= len(self.positions):
            return None
        line = self.positions[index + offset]
        return (line, self.positions[index + offset + 1]) if line else None

    def here(self) -> Location:
        """The mapping itself (where a missing key would go)."""
        return Location(self.file, self.line, self.column)

    def key(self, name: str) -> Location:
        """The key `name`, else the mapping."""
        pos = self._position(name, 0)
        return Location(self.file, *pos) if pos else self.here()

    def value(self, name: str) -> Location:
        """The value of `name`, else its key, else the mapping."""
        pos = self._position(name, 2) or self._position(name, 0)
        return Location(self.file, *pos) if pos else self.here()

    def given(self, name: str) -> bool:
        """Whether a value was written for `name`, even one that could not be read: rules
        use it so that an unreadable value is not also reported as a missing one."""
        index = self.layout.get(name)  # as `_position(name, 2) is not None`, asked far more
        if index is None:
            return False
        positions = self.positions
        return index + 2 < len(positions) and positions[index + 2] != 0

    def intact(self, name: str) -> bool:
        """Whether the value of `name` was read without a problem."""
        return name not in self.broken

    def item(self, name: str, index: int) -> Location:
        """Item `index` of the list under `name`, else the list."""
        items = (self.items or {}).get(name, ())
        if 0 <= index < len(items):
            return Location(self.file, *items[index])
        return self.value(name)

    def ids(self, name: str) -> Mapping[str, Position]:
        """Where each id of the mapping keyed by id under `name` was written."""
        return (self.entries or {}).get(name, {})

    def entry(self, name: str, ident: str) -> Location:
        """The key `ident` of the mapping keyed by id under `name`, else that mapping."""
        pos = self.ids(name).get(ident)
        return Location(self.file, *pos) if pos else self.value(name)

    def has_entry(self, name: str, ident: str) -> bool:
        """Whether the mapping under `name` had the key `ident`, even if its value was broken."""
        return ident in self.ids(name)

    def with_entries(self, entries: dict[str, dict[str, Position]]) -> Marks:
        """The same marks with other `entries`."""
        return Marks(
            self.file,
            self.line,
            self.column,
            self.layout,
            self.positions,
            self.items,
            entries,
            self.broken,
        )

    def __repr__(self) -> str:
        return f"Marks({self.file!r}, {self.line}, {self.column})"


NO_MARKS = Marks("", 0, 0)
"""For records made in code rather than read from a file."""
