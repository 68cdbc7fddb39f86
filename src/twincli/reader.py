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
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

UNTAGGED = "tag:twincli,2026:untagged"
"""The tag of every node that carried no explicit tag."""

MAX_ALIAS_NODES = 10_000
"""Most nodes a file's aliases may expand to (a 'billion laughs' file is refused)."""

_BOM = b"\xef\xbb\xbf"


class _UntypedLoader(_BaseLoader):
    """Composes without implicit typing: every node not tagged in the file gets UNTAGGED."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return UNTAGGED


def read_yaml(file: str, data: bytes) -> tuple[Node | None, list[Diagnostic]]:
    """Decode and compose one file. `file` is how diagnostics name it.

    Returns the root node (or None when the file cannot be used) and the diagnostics found.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if b"\x00" in data:
        return None, [
            _diag(
                "TC102",
                "this is a binary file, not UTF-8 text",
                file,
                *_byte_position(data, data.index(b"\x00")),
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = "save the file as UTF-8"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = "this looks like UTF-16: save the file as UTF-8"
        return None, [
            _diag(
                "TC102",
                f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
                file,
                *_byte_position(data, exc.start),
                hint=hint,
            )
        ]
    try:
        loader = _UntypedLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(file, exc)]
    except yaml.YAMLError as exc:
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
        problem = _alias_problem(node)
        if problem is not None:
            return None, [_diag("TC109", problem, file, *_position(node))]
    if "!" in text:
        return node, _tag_diagnostics(node, file)
    return node, []


def _syntax_diagnostic(file: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in problem:
        return _diag(
            "TC105",
            "more than one YAML document in the file",
            file,
            line,
            column,
            hint="keep one mapping per file; remove the '---' line",
        )
    message = f"YAML syntax error: {problem}"
    if exc.context:
        where = ""
        if exc.context_mark is not None and exc.context_mark.line + 1 != line:
            where = f" at line {exc.context_mark.line + 1}"
        message += f" ({exc.context}{where})"
    return _diag("TC103", message, file, line, column)


def _alias_problem(root: Node) -> str | None:
    """Count the nodes the tree expands to, without expanding it: each distinct node's size is
    computed once. Returns a message when the count passes the limit or an alias is recursive."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            in_progress.discard(key)
            size = 1 + sum(sizes[id(c)] for c in _children(node))
            if size > MAX_ALIAS_NODES:
                return (
                    f"aliases expand this file to more than {MAX_ALIAS_NODES:,} nodes "
                    "(a 'billion laughs' file?)"
                )
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in in_progress:
            return "an alias refers to the node that contains it (a recursive structure)"
        in_progress.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in in_progress:
                return "an alias refers to the node that contains it (a recursive structure)"
            if id(child) not in sizes:
                stack.append((child, False))
    return None


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
        stack.extend(_children(node))
    return found


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
