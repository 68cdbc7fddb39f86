"""Where each record, key and value was read: the file, 1-based line and column.

The reader records positions as it builds the model, so a rule that finds a problem in a
record can point at the exact key, value or list item without re-reading the file.
"""

from __future__ import annotations

from twincli.diagnostics import Location

Position = tuple[int, int]


class Marks:
    """Positions of a mapping and of its keys, values and list items (all 1-based).

    `entries` holds, for each field that is a mapping keyed by id, where each id was written,
    including ids whose value could not be read (so a broken entry still counts as existing).
    """

    __slots__ = ("column", "entries", "file", "items", "keys", "line", "values")

    def __init__(
        self,
        file: str,
        line: int,
        column: int,
        keys: dict[str, Position] | None = None,
        values: dict[str, Position] | None = None,
        items: dict[str, tuple[Position, ...]] | None = None,
        entries: dict[str, dict[str, Position]] | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.keys = keys if keys is not None else {}
        self.values = values if values is not None else {}
        self.items = items if items is not None else {}
        self.entries = entries if entries is not None else {}

    def here(self) -> Location:
        """The mapping itself (where a missing key would go)."""
        return Location(self.file, self.line, self.column)

    def key(self, name: str) -> Location:
        """The key `name`, else the mapping."""
        pos = self.keys.get(name)
        return Location(self.file, *pos) if pos else self.here()

    def value(self, name: str) -> Location:
        """The value of `name`, else its key, else the mapping."""
        pos = self.values.get(name) or self.keys.get(name)
        return Location(self.file, *pos) if pos else self.here()

    def item(self, name: str, index: int) -> Location:
        """Item `index` of the list under `name`, else the list."""
        items = self.items.get(name, ())
        if 0 <= index < len(items):
            return Location(self.file, *items[index])
        return self.value(name)

    def given(self, name: str) -> bool:
        """Whether a value was written for `name`, even one that could not be read: rules
        use it so that an unreadable value is not also reported as a missing one."""
        return name in self.values

    def entry(self, name: str, ident: str) -> Location:
        """The key `ident` of the mapping keyed by id under `name`, else that mapping."""
        pos = self.entries.get(name, {}).get(ident)
        return Location(self.file, *pos) if pos else self.value(name)

    def has_entry(self, name: str, ident: str) -> bool:
        """Whether the mapping under `name` had the key `ident`, even if its value was broken."""
        return ident in self.entries.get(name, {})

    def __repr__(self) -> str:
        return f"Marks({self.file!r}, {self.line}, {self.column})"


NO_MARKS = Marks("", 0, 0)
"""For records made in code rather than read from a file."""
