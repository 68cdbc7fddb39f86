"""Small, faithful text edits of one YAML file, guided by the positions the reader keeps.

Editing commands change files that people also edit by hand, and each change lands in a pull
request: it must look like the edit a careful person would make. So a file is never dumped
again from data. Each operation finds on the node tree of `reader.read_yaml` where its change
goes (a scalar's exact span, the end of an entry, a list's last item) and splices in the
smallest text, in the style already there: indentation, block or flow, the dash of a list, the
quotes of the value it replaces, the column of a trailing comment. Everything else (comments,
blank lines, key order, quoting) stays byte for byte.

Each operation then reads its result again and checks that it holds exactly the data intended:
a layout the splice did not foresee raises `EditError` rather than damaging the file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from twincli.errors import TwincliError
from twincli.read.reader import UNTAGGED, read_yaml, yaml_lines
from twincli.read.records import NULLS

Value: TypeAlias = "str | list[Value] | dict[str, Value]"
"""New content: text (written as a scalar), a list, or a mapping (in insertion order)."""

Step = str | int
"""A step of a path into a document: a key of a mapping, or an index into a list."""

WIDTH = 100
"""A flow list within this width is wrapped when an item would take it beyond; one already
wrapped, when an item would take a line beyond this or its longest line."""

_BOM = "\ufeff"
_COMMENT_AFTER = re.compile(r"( {2,})#")


class EditError(TwincliError):
    """The change cannot be made safely by a small edit of this file's text."""


class Document:
    """One YAML file's text and the node tree it composes to (its top is a mapping)."""

    def __init__(self, text: str, file: str = "") -> None:
        self.bom = _BOM if text.startswith(_BOM) else ""
        self.text = text[len(self.bom) :]
        self.file = file
        self.newline = "\r\n" if "\r\n" in self.text else "\n"
        root, _ = read_yaml(file, self.text.encode("utf-8"))
        if not isinstance(root, MappingNode):
            raise EditError(f"{file} cannot be edited: it is not a readable mapping")
        self.root: MappingNode = root

    @classmethod
    def from_bytes(cls, data: bytes, file: str = "") -> Document:
        try:
            return cls(data.decode("utf-8"), file)
        except UnicodeDecodeError:
            raise EditError(f"{file} cannot be edited: it is not UTF-8 text") from None

    def to_bytes(self) -> bytes:
        return (self.bom + self.text).encode("utf-8")

    def data(self) -> Any:
        """The document as plain data: text (None for a plain null), lists, and mappings as
        tuples of (key, value) pairs, in order."""
        return _data(self.root)

    def data_at(self, path: Sequence[Step]) -> Any:
        """The plain data (see `data`) at `path`, or None."""
        node = self.node(path)
        return None if node is None else _data(node)

    def node(self, path: Sequence[Step]) -> Node | None:
        """The node at `path`, or None."""
        node: Node = self.root
        for step in path:
            if isinstance(step, str):
                if not isinstance(node, MappingNode):
                    return None
                found = _entry(node, step)
                if found is None:
                    return None
                node = node.value[found][1]
            else:
                if not isinstance(node, SequenceNode) or not 0 <= step < len(node.value):
                    return None
                node = node.value[step]
        return node

    def _mapping(self, path: Sequence[Step]) -> MappingNode:
        node = self.node(path)
        if not isinstance(node, MappingNode):
            raise EditError(f"{self.file}: expected a mapping at {_where(path)}")
        return node

    def _changed(self, text: str, expected: Any) -> Document:
        """The document with `text`, verified to hold `expected`."""
        try:
            changed = Document(self.bom + text, self.file)
        except EditError:
            changed = None
        if changed is None or changed.data() != expected:
            reason = "this change could not be made by a small edit of the file's layout"
            aliased = _first_alias(self.root)
            if aliased is not None:  # the likeliest cause: an entry shared by `&` and `*`
                mark = aliased.start_mark
                raise EditError(
                    f"{self.file}:{mark.line + 1}:{mark.column + 1}: {reason}: the file builds "
                    "entries from a YAML alias here (& and *); make it by hand, or write the "
                    "entries out in full"
                )
            raise EditError(f"{self.file}: {reason}; make it by hand")
        return changed

    # --- operations ---------------------------------------------------------------------

    def replace_scalar(self, path: Sequence[Step], value: str) -> Document:
        """Replace the scalar at `path` with `value`, keeping its quotes (when they can hold
        it) and the column of a comment aligned after it."""
        node = self.node(path)
        if not isinstance(node, ScalarNode) or node.style in ("|", ">"):
            raise EditError(f"{self.file}: expected a one-line value at {_where(path)}")
        new = scalar(value, style=node.style or None)
        start, end = node.start_mark.index, node.end_mark.index
        text = self.text
        after = _COMMENT_AFTER.match(text, end)
        if after is not None:
            spaces = len(after.group(1)) - (len(new) - (end - start))
            end = after.end(1)
            new += " " * max(1, spaces)
        return self._changed(
            text[:start] + new + text[end:], _updated(self.data(), path, lambda _: value)
        )

    def set_key(
        self,
        path: Sequence[Step],
        key: str,
        value: Value,
        *,
        after: Sequence[str] = (),
        flow: bool = False,
    ) -> Document:
        """Give `key` of the mapping at `path` the text `value`, or add the key: after the last
        of the keys in `after` (those that come before it in the format's order) that is
        there, else first. A new list or mapping is written in flow style with `flow`, else in
        the block style of the file (always flow inside a flow mapping)."""
        mapping = self._mapping(path)
        index = _entry(mapping, key)
        if index is not None:
            current = mapping.value[index][1]
            if _is_empty(current):  # `key:`, `key: ~`, `key: []`
                return self._replace_empty(path, mapping, index, key, value, flow)
            if isinstance(value, str) and isinstance(current, ScalarNode):
                if current.style in ("|", ">"):  # a block of text: rewritten in its place
                    before = [_key_text(k) or "" for k, _ in mapping.value[:index]]
                    return self.remove_key(path, key).set_key(path, key, value, after=before)
                return self.replace_scalar([*path, key], value)
            raise EditError(f"{self.file}: {_where([*path, key])} already has a value")
        keys = [_key_text(k) for k, _ in mapping.value]
        present = [keys.index(k) for k in after if k in keys]
        position = max(present) + 1 if present else 0
        return self._insert_entry(path, mapping, position, key, value, flow)

    def remove_key(self, path: Sequence[Step], key: str) -> Document:
        """Remove `key` and its value from the mapping at `path` (nothing if it is absent)."""
        mapping = self._mapping(path)
        index = _entry(mapping, key)
        if index is None:
            return self
        text = self.text
        knode, vnode = mapping.value[index]
        if mapping.flow_style:
            pairs = mapping.value
            if index + 1 < len(pairs):
                start, end = knode.start_mark.index, pairs[index + 1][0].start_mark.index
            elif index > 0:
                start, end = _end(pairs[index - 1][1]), vnode.end_mark.index
            else:
                start, end = knode.start_mark.index, vnode.end_mark.index
        else:
            start = _line_start(text, knode.start_mark.index)
            if text[start : knode.start_mark.index].strip():
                raise EditError(f"{self.file}: cannot remove {_where([*path, key])} here")
            end, _ = _after_line(text, _end(vnode))
        expected = _updated(self.data(), path, lambda pairs: tuple(p for p in pairs if p[0] != key))
        return self._changed(text[:start] + text[end:], expected)

    def append(
        self,
        path: Sequence[Step],
        key: str,
        item: Value,
        *,
        after: Sequence[str] = (),
        flow: bool = False,
    ) -> Document:
        """Append `item` to the list under `key` of the mapping at `path`, in the style of the
        list (block or flow, and for a mapping, the style of its siblings). Without the key, or
        with an empty value, the key gets a new list (see `set_key`)."""
        mapping = self._mapping(path)
        index = _entry(mapping, key)
        current = None if index is None else mapping.value[index][1]
        empty = current is None or _is_empty(current)
        if empty and not (isinstance(current, SequenceNode) and flow):
            return self.set_key(path, key, [item], after=after, flow=flow)
        if not isinstance(current, SequenceNode):
            raise EditError(f"{self.file}: {_where([*path, key])} is not a list")
        expected = _updated(self.data(), [*path, key], lambda items: [*items, _plain(item)])
        if current.flow_style:
            text = self._flow_append(current, item)
        else:
            text = self._block_append(current, item)
        return self._changed(text, expected)

    def remove_item(self, path: Sequence[Step], key: str, index: int) -> Document:
        """Remove the item at `index` of the list under `key` of the mapping at `path`, with
        its line in a block list; a block list left empty becomes `[]`."""
        sequence = self.node([*path, key])
        if not isinstance(sequence, SequenceNode) or not 0 <= index < len(sequence.value):
            raise EditError(f"{self.file}: no item {index} in {_where([*path, key])}")
        items = sequence.value
        item = items[index]
        text = self.text
        expected = _updated(self.data(), [*path, key], lambda old: old[:index] + old[index + 1 :])
        if sequence.flow_style:
            if index + 1 < len(items):
                start, end = item.start_mark.index, items[index + 1].start_mark.index
            elif index > 0:
                start, end = _end(items[index - 1]), item.end_mark.index
            else:
                start, end = item.start_mark.index, item.end_mark.index
            return self._changed(text[:start] + text[end:], expected)
        dash = text.rfind("-", 0, item.start_mark.index)
        start = _line_start(text, dash)
        if dash < 0 or text[start:dash].strip() or text[dash + 1 : item.start_mark.index].strip():
            raise EditError(f"{self.file}: cannot find the '-' of {_where([*path, key, index])}")
        end, _ = _after_line(text, _end(item))
        if len(items) > 1:
            return self._changed(text[:start] + text[end:], expected)
        emptied = self._changed(
            text[:start] + text[end:], _updated(expected, [*path, key], lambda _: None)
        )
        return emptied.set_key(path, key, [], flow=True)

    # --- splicing -----------------------------------------------------------------------

    def _insert_entry(
        self,
        path: Sequence[Step],
        mapping: MappingNode,
        position: int,
        key: str,
        value: Value,
        flow: bool,
    ) -> Document:
        text = self.text
        pairs = mapping.value
        if mapping.flow_style:
            entry = f"{scalar(key)}: {_flow(value)}"
            if position > 0:
                at = _end(pairs[position - 1][1])
                new = text[:at] + ", " + entry + text[at:]
            elif pairs:
                at = pairs[0][0].start_mark.index
                new = text[:at] + entry + ", " + text[at:]
            else:
                at = mapping.start_mark.index + 1
                new = text[:at] + entry + text[at:]
        else:
            first_key = pairs[0][0]
            start = _line_start(text, first_key.start_mark.index)
            if position == 0 and text[start : first_key.start_mark.index].strip():
                position = 1  # the first key shares its line with a '- ': add after it
            indent = first_key.start_mark.column
            flow = flow or _siblings_flow(pairs, value)
            lines = self._block_entry(key, value, indent, flow)
            if position == 0:
                at, lead = start, False
            else:
                at, lead = _after_line(text, _end(pairs[position - 1][1]))
                block = not isinstance(value, str) and not flow
                if indent == 0 and block and self._sections_apart():
                    lines = ["", *lines]
            new = text[:at] + self._lines(lines, lead) + text[at:]
        expected = _updated(
            self.data(),
            path,
            lambda old: (*old[:position], (key, _plain(value)), *old[position:]),
        )
        return self._changed(new, expected)

    def _replace_empty(
        self,
        path: Sequence[Step],
        mapping: MappingNode,
        index: int,
        key: str,
        value: Value,
        flow: bool,
    ) -> Document:
        """Give a key whose value is empty (`key:`, `key: ~`, `key: []`) a value."""
        knode, vnode = mapping.value[index]
        text = self.text
        start, end = knode.end_mark.index, vnode.end_mark.index
        if isinstance(value, str) or flow or mapping.flow_style or not value:
            inline = _flow(value)
            new = text[:start] + ": " + inline + text[end:]
        else:
            column = knode.start_mark.column
            if isinstance(value, list):
                lines = self._block_items(value, column + self._sequence_offset(), " ")
            else:
                lines = [
                    line
                    for k, v in value.items()
                    for line in self._block_entry(k, v, column + self._indent_step(), False)
                ]
            text = text[:start] + ":" + text[end:]
            at, lead = _after_line(text, start + 1)
            new = text[:at] + self._lines(lines, lead) + text[at:]
        expected = _updated(self.data(), [*path, key], lambda _: _plain(value))
        return self._changed(new, expected)

    def _flow_append(self, sequence: SequenceNode, item: Value) -> str:
        text = self.text
        rendered = _flow(item)
        if not sequence.value:
            at = sequence.start_mark.index + 1
            return text[:at] + rendered + text[at:]
        last = sequence.value[-1]
        at = _end(last)
        insert = ", " + rendered
        first_line = sequence.start_mark.line
        line_start = _line_start(text, at)
        line_end, _ = _after_line(text, at)
        length = len(text[line_start:line_end].rstrip("\r\n"))
        if last.end_mark.line != first_line:  # a wrapped list: wrap as it does
            lines = yaml_lines(text)[first_line : sequence.end_mark.line + 1]
            wrap = length + len(insert) > max(WIDTH, *(len(line) for line in lines))
        else:  # wrap a list that was within the width, as a careful person would
            wrap = length + len(insert) > WIDTH >= length
        if wrap:
            on_line = [n for n in sequence.value if n.start_mark.line == last.start_mark.line]
            column = on_line[0].start_mark.column
            insert = "," + self.newline + " " * column + rendered
        return text[:at] + insert + text[at:]

    def _block_append(self, sequence: SequenceNode, item: Value) -> str:
        text = self.text
        items = sequence.value
        last = items[-1]
        dash = text.rfind("-", 0, last.start_mark.index)
        gap = text[dash + 1 : last.start_mark.index]
        if dash < 0 or gap.strip() or text[_line_start(text, dash) : dash].strip():
            raise EditError(f"{self.file}: cannot find the list's '-' to follow")
        column = dash - _line_start(text, dash)
        if isinstance(item, dict) and isinstance(last, MappingNode) and last.flow_style:
            lines = [" " * column + "-" + gap + _flow(item)]
        else:
            lines = self._block_items([item], column, gap)
        if len(items) > 1:
            previous_end, _ = _after_line(text, _end(items[-2]))
            if _has_blank_line(text[previous_end : _line_start(text, dash)]):
                lines = ["", *lines]  # the items are set apart: so is the new one
        at, lead = _after_line(text, _end(last))
        return text[:at] + self._lines(lines, lead) + text[at:]

    # --- rendering new text -------------------------------------------------------------

    def _block_entry(self, key: str, value: Value, indent: int, flow: bool) -> list[str]:
        head = " " * indent + scalar(key) + ":"
        if isinstance(value, str):
            return [f"{head} {scalar(value)}"]
        if flow or not value:
            return [f"{head} {_flow(value)}"]
        if isinstance(value, list):
            return [head, *self._block_items(value, indent + self._sequence_offset(), " ")]
        step = self._indent_step()
        return [
            head,
            *(
                line
                for k, v in value.items()
                for line in self._block_entry(k, v, indent + step, False)
            ),
        ]

    def _block_items(self, items: list[Value], column: int, gap: str) -> list[str]:
        lines = []
        prefix = " " * column + "-" + gap
        for item in items:
            if isinstance(item, dict) and item:
                inner = column + 1 + len(gap)
                entry = [
                    line for k, v in item.items() for line in self._block_entry(k, v, inner, False)
                ]
                lines += [prefix + entry[0][inner:], *entry[1:]]
            else:
                lines.append(prefix + (scalar(item) if isinstance(item, str) else _flow(item)))
        return lines

    def _lines(self, lines: list[str], lead: bool) -> str:
        nl = self.newline
        if lead:  # after a last line without a line break
            return nl + nl.join(lines)
        return "".join(line + nl for line in lines)

    def _sections_apart(self) -> bool:
        """Whether blank lines set the top-level entries apart (then a new one is, too)."""
        text = self.text
        pairs = self.root.value
        for (_, value), (key, _) in itertools.pairwise(pairs):
            end, _ = _after_line(text, _end(value))
            if _has_blank_line(text[end : _line_start(text, key.start_mark.index)]):
                return True
        return False

    def _indent_step(self) -> int:
        for parent, child in _block_children(self.root):
            if isinstance(child, MappingNode):
                step = child.start_mark.column - parent.start_mark.column
                if step > 0:
                    return step
        return 2

    def _sequence_offset(self) -> int:
        """How far a block list's '-' sits right of its key (0 or the indent step, usually)."""
        for parent, child in _block_children(self.root):
            if isinstance(child, SequenceNode) and child.value:
                dash = self.text.rfind("-", 0, child.value[0].start_mark.index)
                column = dash - _line_start(self.text, dash)
                return max(0, column - parent.start_mark.column)
        return self._indent_step()


# --- scalars --------------------------------------------------------------------------------


def scalar(value: str, *, style: str | None = None) -> str:
    """`value` as a YAML scalar that reads back as the same text: in the quotes of `style` when
    given and they can hold it, else plain when it can be, else in double quotes."""
    if style == "'" and _single_ok(value):
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and _plain_ok(value):
        return value
    return _double_quoted(value)


def _plain_ok(value: str) -> bool:
    """Whether `value` reads back as itself written plain, in block and in flow context."""
    if not value or value != value.strip() or value in NULLS or not _printable(value):
        return False
    if _LINE_BREAKS.intersection(value):
        return False
    for text, path in ((f"k: {value}", ("k",)), (f"[{value}]", (0,)), (f"{{k: {value}}}", ("k",))):
        root, problems = read_yaml("", text.encode("utf-8"))
        if root is None or problems:
            return False
        node: Node = root
        for step in path:
            if isinstance(step, str):
                if not isinstance(node, MappingNode) or len(node.value) != 1:
                    return False
                node = node.value[0][1]
            else:
                if not isinstance(node, SequenceNode) or len(node.value) != 1:
                    return False
                node = node.value[0]
        if not isinstance(node, ScalarNode) or node.style or node.tag != UNTAGGED:
            return False
        if node.value != value:
            return False
    return True


_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
"""What YAML (1.1, as PyYAML reads it) takes for a line break: folded inside quotes."""


def _single_ok(value: str) -> bool:
    return bool(value) and _printable(value) and not _LINE_BREAKS.intersection(value)


def _printable(value: str) -> bool:
    return all(_printable_char(ch) for ch in value)


def _printable_char(ch: str) -> bool:
    code = ord(ch)
    return (
        code in (0x09, 0x0A, 0x0D, 0x85)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    )


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _double_quoted(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif not _printable_char(ch) or ch in _LINE_BREAKS:
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _flow(value: Value) -> str:
    if isinstance(value, str):
        return scalar(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return "{" + ", ".join(f"{scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"


# --- the node tree --------------------------------------------------------------------------


def _data(node: Node) -> Any:
    if isinstance(node, ScalarNode):
        return None if not node.style and node.value in NULLS else node.value
    if isinstance(node, SequenceNode):
        return [_data(child) for child in node.value]
    if isinstance(node, MappingNode):
        return tuple((_data(k), _data(v)) for k, v in node.value)
    raise EditError("unexpected YAML node")  # pragma: no cover


def _plain(value: Value) -> Any:
    """New content as `Document.data` shows it."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return tuple((k, _plain(v)) for k, v in value.items())


def _updated(data: Any, path: Sequence[Step], change: Callable[[Any], Any]) -> Any:
    """`data` with the value at `path` replaced by `change(value)`."""
    if not path:
        return change(data)
    step, rest = path[0], path[1:]
    if isinstance(step, str):
        return tuple((k, _updated(v, rest, change) if k == step else v) for k, v in data)
    return [_updated(v, rest, change) if i == step else v for i, v in enumerate(data)]


def _entry(mapping: MappingNode, key: str) -> int | None:
    found = [i for i, (k, _) in enumerate(mapping.value) if _key_text(k) == key]
    if len(found) > 1:
        raise EditError(f"the key '{key}' appears twice; fix the file first")
    return found[0] if found else None


def _key_text(node: Node) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def _is_empty(node: Node) -> bool:
    if isinstance(node, ScalarNode):
        return not node.style and node.value in NULLS
    return not node.value and bool(getattr(node, "flow_style", False))


def _siblings_flow(pairs: list[tuple[Node, Node]], value: Value) -> bool:
    """Whether a new mapping (or list) among values that are all mappings (or lists) should be
    written in flow style: when they all are (`learning-roadmap: {status: drafting}`)."""
    kind = MappingNode if isinstance(value, dict) else SequenceNode
    values = [v for _, v in pairs]
    return not isinstance(value, str) and all(isinstance(v, kind) and v.flow_style for v in values)


def _end(node: Node) -> int:
    """Where the text of a node ends: a block collection ends with its last item."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return int(node.end_mark.index)


def _block_children(root: Node) -> list[tuple[Node, Node]]:
    """(key, value) for every value of a block mapping that is a block collection."""
    found: list[tuple[Node, Node]] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode) and not node.flow_style:
            for key, value in node.value:
                if isinstance(value, (MappingNode, SequenceNode)) and not value.flow_style:
                    found.append((key, value))
                stack.append(value)
        elif isinstance(node, SequenceNode) and not node.flow_style:
            stack.extend(node.value)
    found.sort(key=lambda pair: pair[0].start_mark.index)
    return found


def _has_blank_line(lines: str) -> bool:
    """Whether whole lines of text hold a blank one."""
    return any(not line.strip() for line in lines.split("\n")[:-1])


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> tuple[int, bool]:
    """Where the next line starts after the text ending at `index` (and its comment), and
    whether the file ends on that line without a line break. A block scalar's text already
    ends at the start of a line."""
    if index > 0 and text[index - 1] == "\n":
        return index, False
    newline = text.find("\n", index)
    if newline < 0:
        return len(text), True
    return newline + 1, False


def _where(path: Sequence[Step]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else ("." if out else "") + step
    return out or "the top"


def _first_alias(root: Node) -> Node | None:
    """The first node, in the order of the text, that the tree holds twice (an alias, `*x`,
    of an anchored node, `&x`): where it is defined."""
    seen: set[int] = set()
    shared: list[Node] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared.append(node)
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(child for pair in node.value for child in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return min(shared, key=lambda node: node.start_mark.index, default=None)
