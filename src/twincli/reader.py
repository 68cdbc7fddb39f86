"""The YAML reader: bytes of one file to a composed YAML node tree, or diagnostics.

Only composes (PyYAML's node graph, with libyaml's C parser when available); never constructs
Python objects, so nothing in a file can execute. Every scalar is resolved as untagged text:
types come from the schema (`twincli.schema`), not from YAML 1.1's guesses, and any tag a file
does carry was written explicitly, which the schema reports.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from twincli.codes import severity_of
from twincli.diagnostics import Diagnostic, Location

try:
    from yaml import CSafeLoader as _BaseLoader

    LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    LIBYAML = False

UNTAGGED = "tag:twincli,2026:untagged"
"""The tag of every node that carried no explicit tag."""

MAX_ALIAS_NODES = 10_000
"""Most nodes a file's aliases may add when expanded (a 'billion laughs' file is refused)."""

_BOM = b"\xef\xbb\xbf"


class _UntypedLoader(_BaseLoader):
    """Composes without implicit typing: every node not tagged in the file gets UNTAGGED."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return UNTAGGED


def read_yaml(file: str, data: bytes) -> tuple[Node | None, list[Diagnostic]]:
    """Decode and compose one file. `file` is how diagnostics name it.

    Returns the root node (or None when the file cannot be used) and the diagnostics found.
    """
    text, problem = _decode(file, data)
    if text is None:
        return None, [problem] if problem else []
    try:
        loader = _UntypedLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(file, text, exc)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_diagnostic(file, text, exc)]
    except yaml.YAMLError as exc:  # pragma: no cover - every parser error is one of the above
        return None, [_diag("TC103", f"YAML syntax error: {exc}", file, 1, 1)]
    if node is None:
        return None, [
            _diag(
                "TC104",
                "the file is empty",
                file,
                1,
                1,
                hint="a file here holds one mapping of keys and values",
            )
        ]
    if "*" in text:
        found = _alias_problem(node)
        if found is not None:
            message, where = found
            return None, [_diag("TC109", message, file, *_position(where))]
    if "!" in text:
        return node, _tag_diagnostics(node, file)
    return node, []


def _decode(file: str, data: bytes) -> tuple[str | None, Diagnostic | None]:
    """The file's text, or the reason it is not UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _diag(
            "TC102",
            "this file is UTF-16, not UTF-8",
            file,
            1,
            1,
            hint="UTF-16 is not supported: save it as UTF-8",
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if b"\x00" in data:
        line, column = _byte_position(data, data.index(b"\x00"))
        return None, _diag("TC102", "this is a binary file, not UTF-8 text", file, line, column)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        return None, _diag(
            "TC102",
            f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
            file,
            line,
            column,
            hint="save the file as UTF-8",
        )


def _syntax_diagnostic(file: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in f"{exc.context} {problem}":
        return _diag(
            "TC105",
            "more than one YAML document in the file",
            file,
            line,
            column,
            hint="keep one mapping per file; remove the '---' line",
        )
    if "cannot start any token" in problem and _char_at(text, line, column) == "\t":
        return _diag(
            "TC103",
            "YAML syntax error: a tab cannot indent YAML",
            file,
            line,
            column,
            hint="indent with spaces",
        )
    message = f"YAML syntax error: {problem}"
    if exc.context:
        where = ""
        if exc.context_mark is not None and exc.context_mark.line + 1 != line:
            where = f" at line {exc.context_mark.line + 1}"
        message += f" ({exc.context}{where})"
    return _diag("TC103", message, file, line, column)


def _reader_diagnostic(file: str, text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    """A character YAML does not allow (a control character). libyaml reports its position
    in bytes of UTF-8, the pure-Python reader in characters."""
    offset = exc.position
    if LIBYAML:
        offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
    offset = min(max(offset, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = text[offset] if offset < len(text) else ""
    name = f"U+{ord(char):04X}" if char else "a character"
    return _diag(
        "TC103",
        f"YAML syntax error: {name} is a control character YAML does not allow",
        file,
        line,
        column,
        hint="remove it, or write it as an escape in a double-quoted string",
    )


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


def _alias_problem(root: Node) -> tuple[str, Node] | None:
    """How far aliases expand the tree, computed without expanding it: each distinct node's
    expanded size is computed once. Returns a message and where to point when aliases add
    more than MAX_ALIAS_NODES nodes, or when an alias refers to a node that contains it."""
    sizes: dict[int, int] = {}
    order: list[Node] = []
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for _, child in _edges(node))
            order.append(node)
            continue
        if key in sizes:
            continue
        on_path.add(key)
        stack.append((node, True))
        for where, child in _edges(node):
            if id(child) in on_path:
                return ("an alias refers to a node that contains it (a recursive structure)", where)
            if id(child) not in sizes:
                stack.append((child, False))
    added = sizes[id(root)] - len(sizes)
    if added <= MAX_ALIAS_NODES:
        return None
    culprit = next(node for node in order if sizes[id(node)] > MAX_ALIAS_NODES)
    return (
        f"aliases expand this file by more than {MAX_ALIAS_NODES:,} nodes "
        "(a 'billion laughs' file?)",
        culprit,
    )


def _tag_diagnostics(root: Node, file: str) -> list[Diagnostic]:
    """Every explicitly tagged node, wherever it is (the schema then ignores those nodes)."""
    found = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag != UNTAGGED:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            found.append(
                _diag(
                    "TC107",
                    f"explicit tag '{tag}' is not allowed",
                    file,
                    *_position(node),
                    hint="remove it: each field's type comes from the data format",
                )
            )
        stack.extend(child for _, child in _edges(node))
    return found


def _edges(node: Node) -> list[tuple[Node, Node]]:
    """(where to point, child) for each child: a mapping value is pointed at by its key."""
    if isinstance(node, MappingNode):
        return [edge for key, value in node.value for edge in ((key, key), (key, value))]
    if isinstance(node, SequenceNode):
        return [(child, child) for child in node.value]
    return []


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _diag(
    code: str, message: str, file: str, line: int, column: int, hint: str | None = None
) -> Diagnostic:
    return Diagnostic(code, severity_of(code), message, Location(file, line, column), hint)
