# mypy: disable-error-code="no-untyped-call"
"""The YAML reader: bytes of one file to a composed YAML node tree, or diagnostics.

Only composes (PyYAML's node graph, with libyaml's C parser when available); never constructs
Python objects, so nothing in a file can execute. Every scalar is resolved as untagged text:
types come from the schema (`twincli.read.records`), not from YAML 1.1's guesses, and any tag a file
does carry was written explicitly, which the schema reports.

One answer whatever the parser: libyaml and PyYAML's pure-Python parser disagree on some input
and word their errors differently. libyaml composes (it is fast); a file it refuses is parsed
again by the pure-Python parser, whose error is the one reported; and the pure-Python parser is
made to accept what libyaml accepts (`[why?]`). So the diagnostics are the same with libyaml,
without it, or with `$TWINCLI_PURE_YAML=1` (which skips libyaml). Nesting is bounded
(MAX_DEPTH) the same way in both: the pure-Python composer recurses.

No text that is not Unicode leaves the reader. A file is strict UTF-8, so only an escape in a
double-quoted scalar can name something else: half of a UTF-16 surrogate pair (`"\\ud800"`)
or a number past U+10FFFF. libyaml refuses the file there; the pure-Python parser reads on,
and each key or value holding such an escape is reported (TC116) and set aside, as a tagged
one is, holding U+FFFD in its place, so that nothing downstream prints or writes it.
"""

from __future__ import annotations

import os
import re
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.scanner import ScannerError
from yaml.tokens import (
    FlowEntryToken,
    FlowMappingEndToken,
    FlowSequenceEndToken,
    ScalarToken,
    TagToken,
    ValueToken,
)

from twincli.codes import severity_of
from twincli.diagnostics import Diagnostic, Location
from twincli.read.limits import Listing

try:
    from yaml import CSafeLoader as _BaseLoader

    LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    LIBYAML = False

UNTAGGED = "tag:twincli,2026:untagged"
"""The tag of every node that carried no explicit tag."""

NOT_UNICODE = "tag:twincli,2026:not-unicode"
"""The tag of a key or value whose escapes name no Unicode character (reported as TC116):
like an explicitly tagged node, the schema leaves it out, having nothing more to report."""

MAX_ALIAS_NODES = 10_000
"""Most nodes a file's aliases may add when expanded (a 'billion laughs' file is refused)."""

MAX_DEPTH = 64
"""Most levels of nesting (the top mapping is level 1; a programme file needs about 8)."""

PURE_ENV = "TWINCLI_PURE_YAML"
"""Set to 1 to parse with PyYAML's pure-Python parser even where libyaml is available."""

_BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BREAKS = "\0 \t\r\n\x85\u2028\u2029"


def yaml_lines(text: str) -> list[str]:
    """The lines of a text as YAML counts them (a mark's `line` indexes this list): both parsers
    break lines at CR LF, CR, LF, NEL, LS and PS, where `str.split("\\n")` sees only LF and
    `str.splitlines` also breaks at form feeds and other separators YAML reads as text."""
    return _LINE_BREAK.split(text)


def libyaml_used() -> bool:
    """Whether files are composed by libyaml (else by the pure-Python parser)."""
    return LIBYAML and os.environ.get(PURE_ENV, "").strip() in ("", "0")


class _UntypedLoader(_BaseLoader):
    """Composes without implicit typing: every node not tagged in the file gets UNTAGGED."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return UNTAGGED

    # libyaml's composer calls these around every node, for path resolvers, which are not
    # used: doing nothing saves a tenth of the time composing takes.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _TooDeepError(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _PureLoader(yaml.SafeLoader):
    """PyYAML's pure-Python parser, untyped like _UntypedLoader, accepting what libyaml
    accepts, and stopping at MAX_DEPTH before its recursive composer goes deeper."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._escapes: list[tuple[yaml.Mark, str, int]] = []
        """Escapes naming no character, as scanned: where each starts, as written, and the
        number it names."""
        self.not_unicode: list[tuple[yaml.Mark, str, int, int | None]] = []
        """For each scalar set aside, its first such escape (where, as written, its number),
        and the number of the next one when it follows at once (a surrogate pair, written as
        JSON writes one)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return UNTAGGED

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):  # a reference to a node composed already
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeepError(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_scalar_node(self, anchor: Any) -> ScalarNode:
        node: ScalarNode = super().compose_scalar_node(anchor)
        if self._escapes and self._escapes[0][0].index < node.end_mark.index:
            # The scanner is never behind the composer: the escapes before this node's end
            # are all in it (those of earlier nodes went with them).
            inside = [e for e in self._escapes if e[0].index < node.end_mark.index]
            del self._escapes[: len(inside)]
            (mark, escape, code), *rest = inside
            after = rest[0][2] if rest and rest[0][0].index == mark.index + len(escape) else None
            self.not_unicode.append((mark, escape, code, after))
            if node.tag == UNTAGGED:  # an explicit tag is reported, and set aside, already
                node.tag = NOT_UNICODE
        return node

    # PyYAML's own scanner methods, changed where libyaml (and the YAML spec) accept more:
    # '?' inside a plain scalar of a flow collection (`[why?]`), and tabs as separating
    # white space (`a: b<TAB>`, `[a,<TAB>b]`, `!tag<TAB>b`) but never as indentation.

    def scan_to_next_token(self) -> None:
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        while True:
            while self.peek() == " " or (
                self.peek() == "\t" and (self.flow_level or not self.allow_simple_key)
            ):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in "\0\r\n\x85\u2028\u2029":
                    self.forward()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def scan_plain(self) -> ScalarToken:
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (
                    ch in _BREAKS
                    or (
                        ch == ":"
                        and self.peek(length + 1) in _BREAKS + (",[]{}" if self.flow_level else "")
                    )
                    or (self.flow_level and ch in ",[]{}")
                ):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces)
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark) or []
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> list[str]:
        chunks: list[str] = []
        length = 0
        while self.peek(length) in " \t":
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        if self.peek() in "\r\n\x85\u2028\u2029":
            line_break = self.scan_line_break()
            self.allow_simple_key = True
            if self._document_marker():
                return []
            breaks = []
            while self.peek() in " \t\r\n\x85\u2028\u2029":
                if self.peek() in " \t":
                    if self.peek() == "\t" and self.column < indent:
                        break  # a tab in the indentation: not white space of this scalar
                    self.forward()
                else:
                    breaks.append(self.scan_line_break())
                    if self._document_marker():
                        return []
            if line_break != "\n":
                chunks.append(line_break)
            elif not breaks:
                chunks.append(" ")
            chunks.extend(breaks)
        elif whitespaces:
            chunks.append(whitespaces)
        return chunks

    def _document_marker(self) -> bool:
        return self.prefix(3) in ("---", "...") and self.peek(3) in _BREAKS

    def scan_block_scalar_indicators(self, start_mark: Any) -> tuple[bool | None, int | None]:
        chomping: bool | None = None
        increment: int | None = None
        for _ in range(2):
            ch = self.peek()
            if ch in "+-" and chomping is None:
                chomping = ch == "+"
                self.forward()
            elif ch in "0123456789" and increment is None:
                if ch == "0":
                    raise ScannerError(
                        "while scanning a block scalar",
                        start_mark,
                        "expected indentation indicator in the range 1-9, but found 0",
                        self.get_mark(),
                    )
                increment = int(ch)
                self.forward()
        if self.peek() not in _BREAKS and self.peek() != "#":  # `|# comment` as libyaml
            raise ScannerError(
                "while scanning a block scalar",
                start_mark,
                f"expected chomping or indentation indicators, but found {self.peek()!r}",
                self.get_mark(),
            )
        return chomping, increment

    def scan_block_scalar_ignored_line(self, start_mark: Any) -> None:
        while self.peek() in " \t":
            self.forward()
        if self.peek() == "#":
            while self.peek() not in "\0\r\n\x85\u2028\u2029":
                self.forward()
        if self.peek() not in "\0\r\n\x85\u2028\u2029":
            raise ScannerError(
                "while scanning a block scalar",
                start_mark,
                f"expected a comment or a line break, but found {self.peek()!r}",
                self.get_mark(),
            )
        self.scan_line_break()

    def scan_tag_uri(self, name: str, start_mark: Any) -> str:
        """A tag's URI; in a shorthand tag (`!x`) without ',', '[' or ']', as libyaml reads
        it (`{a: !x, b: c}`)."""
        allowed = "-;/?:@&=+$_.!~*'()%" + ("" if name == "shorthand tag" else ",[]")
        chunks = []
        length = 0
        ch = self.peek(length)
        while ch.isascii() and (ch.isalnum() or ch in allowed) and ch:
            if ch == "%":
                chunks.append(self.prefix(length))
                self.forward(length)
                length = 0
                chunks.append(self.scan_uri_escapes("tag", start_mark))
            else:
                length += 1
            ch = self.peek(length)
        if length:
            chunks.append(self.prefix(length))
            self.forward(length)
        if not chunks:
            raise ScannerError(
                f"while parsing a {name.split()[-1]}",
                start_mark,
                f"expected URI, but found {ch!r}",
                self.get_mark(),
            )
        return "".join(chunks)

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: Any) -> list[str]:
        """PyYAML's, except for an escape naming no Unicode character (`\\ud800`, past
        `\\U0010FFFF`): libyaml refuses the file there, PyYAML gave the text a lone
        surrogate (or raised ValueError); here it is noted, and reads as U+FFFD."""
        chunks: list[str] = []
        while True:
            length = 0
            while self.peek(length) not in "'\"\\\0 \t\r\n\x85\u2028\u2029":
                length += 1
            if length:
                chunks.append(self.prefix(length))
                self.forward(length)
            ch = self.peek()
            if not double and ch == "'" and self.peek(1) == "'":
                chunks.append("'")
                self.forward(2)
            elif (double and ch == "'") or (not double and ch in '"\\'):
                chunks.append(ch)
                self.forward()
            elif double and ch == "\\":
                escape = self.get_mark()
                self.forward()
                ch = self.peek()
                if ch in self.ESCAPE_REPLACEMENTS:
                    chunks.append(self.ESCAPE_REPLACEMENTS[ch])
                    self.forward()
                elif ch in self.ESCAPE_CODES:
                    length = self.ESCAPE_CODES[ch]
                    self.forward()
                    for k in range(length):
                        if self.peek(k) not in "0123456789ABCDEFabcdef":
                            raise ScannerError(
                                "while scanning a double-quoted scalar",
                                start_mark,
                                f"expected escape sequence of {length} hexadecimal numbers, "
                                f"but found {self.peek(k)!r}",
                                self.get_mark(),
                            )
                    code = int(self.prefix(length), 16)
                    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                        self._escapes.append((escape, f"\\{ch}{self.prefix(length)}", code))
                        chunks.append("\ufffd")
                    else:
                        chunks.append(chr(code))
                    self.forward(length)
                elif ch in "\r\n\x85\u2028\u2029":
                    self.scan_line_break()
                    chunks.extend(self.scan_flow_scalar_breaks(double, start_mark))
                else:
                    raise ScannerError(
                        "while scanning a double-quoted scalar",
                        start_mark,
                        f"found unknown escape character {ch!r}",
                        self.get_mark(),
                    )
            else:
                return chunks

    # The parser's: an empty value in a flow collection is where libyaml places it, at the
    # next token (`{a: , b: c}`), not right after the ':'.

    def parse_flow_mapping_value(self) -> Any:
        if self.check_token(ValueToken):
            self.get_token()
            if not self.check_token(FlowEntryToken, FlowMappingEndToken):
                self.states.append(self.parse_flow_mapping_key)
                return self.parse_flow_node()
        self.state = self.parse_flow_mapping_key
        return self.process_empty_scalar(self.peek_token().start_mark)

    def parse_flow_sequence_entry_mapping_value(self) -> Any:
        if self.check_token(ValueToken):
            self.get_token()
            if not self.check_token(FlowEntryToken, FlowSequenceEndToken):
                self.states.append(self.parse_flow_sequence_entry_mapping_end)
                return self.parse_flow_node()
        self.state = self.parse_flow_sequence_entry_mapping_end
        return self.process_empty_scalar(self.peek_token().start_mark)

    def scan_tag(self) -> Any:
        start_mark = self.get_mark()
        ch = self.peek(1)
        if ch == "<":
            handle = None
            self.forward(2)
            suffix = self.scan_tag_uri("tag", start_mark)
            if self.peek() != ">":
                raise ScannerError(
                    "while parsing a tag",
                    start_mark,
                    f"expected '>', but found {self.peek()!r}",
                    self.get_mark(),
                )
            self.forward()
        elif ch in _BREAKS or (self.flow_level and ch == ","):  # `{a: !, b: c}` as libyaml
            handle = None
            suffix = "!"
            self.forward()
        else:
            length = 1
            use_handle = False
            while ch not in _BREAKS:
                if ch == "!":
                    use_handle = True
                    break
                length += 1
                ch = self.peek(length)
            if use_handle:
                handle = self.scan_tag_handle("tag", start_mark)
            else:
                handle = "!"
                self.forward()
            suffix = self.scan_tag_uri("shorthand tag", start_mark)
        if self.peek() not in _BREAKS and not (self.flow_level and self.peek() == ","):
            raise ScannerError(
                "while scanning a tag",
                start_mark,
                f"expected ' ', but found {self.peek()!r}",
                self.get_mark(),
            )
        return TagToken((handle, suffix), start_mark, self.get_mark())


def read_yaml(file: str, data: bytes) -> tuple[Node | None, list[Diagnostic]]:
    """Decode and compose one file. `file` is how diagnostics name it.

    Returns the root node (or None when the file cannot be used) and the diagnostics found.
    """
    node, diagnostics, unchecked = read_yaml_unchecked(file, data)
    if unchecked and node is not None:
        problem = depth_problem(file, node)
        if problem is not None:
            return None, [problem]
    return node, diagnostics


def read_yaml_unchecked(file: str, data: bytes) -> tuple[Node | None, list[Diagnostic], bool]:
    """`read_yaml`, except that the nesting depth (MAX_DEPTH) of a tree composed by libyaml
    may be left unchecked, which the third value says. Walking such a tree no deeper than a
    fixed number of levels is safe; then, if anything is wrong with it, `depth_problem`
    says whether it is too deep (the only problem to report then). The loader builds records
    this way: a record built without a problem is at most as deep as the model, so the check
    (a tenth of the time composing takes) is needed only for files with problems."""
    text = _decode(file, data)
    if isinstance(text, Diagnostic):
        return None, [text], False
    if not text.endswith("\n"):
        # libyaml reads a missing last line break as there: so do both, for the same marks
        text += "\n"
    node, problems, unchecked = _compose(file, text)
    if node is None:
        return None, problems or [_empty(file)], False
    if "*" in text:
        found = _alias_problem(node)
        if found is not None:
            message, where = found
            return None, [_diag("TC109", message, file, *_position(where))], False
    if "!" in text:
        return node, _tag_diagnostics(node, file) + problems, False
    return node, problems, unchecked


def _empty(file: str) -> Diagnostic:
    return _diag(
        "TC104",
        "the file is empty",
        file,
        1,
        1,
        hint="a file here holds one mapping of keys and values",
    )


def _compose(file: str, text: str) -> tuple[Node | None, list[Diagnostic], bool]:
    """The file's node tree (None when empty, or when a problem stops composing it: then
    that one problem), the problems found in it (TC116), and whether the tree's depth is
    left unchecked: for a tree composed by libyaml whose nodes nothing else walks (no
    aliases, no tags)."""
    if libyaml_used() and "\ufeff" not in text:  # libyaml counts U+FEFF as two columns
        try:
            node = _run(_UntypedLoader(text))
        except yaml.YAMLError:
            pass  # answered below by the pure-Python parser, in its words, as without libyaml
        else:
            if node is None:
                return None, [], False
            if "*" not in text and "!" not in text:
                return node, [], True
            deep = _too_deep(node, "*" in text)
            if deep is None:
                return node, [], False
            return None, [_depth_diagnostic(file, deep.start_mark)], False
    try:
        loader = _PureLoader(text)  # which refuses a control character at once
        node = _run(loader)
    except _TooDeepError as exc:
        return None, [_depth_diagnostic(file, exc.mark)], False
    except yaml.MarkedYAMLError as exc:  # the scanner's, the parser's and the composer's
        return None, [_syntax_diagnostic(file, text, exc)], False
    except yaml.reader.ReaderError as exc:
        return None, [_reader_diagnostic(file, text, exc)], False
    return node, _not_unicode_diagnostics(file, loader.not_unicode), False


def depth_problem(file: str, root: Node) -> Diagnostic | None:
    """TC115 when the tree `read_yaml_unchecked` left unchecked is nested too deep."""
    deep = _too_deep(root, False)
    return None if deep is None else _depth_diagnostic(file, deep.start_mark)


def _run(loader: Any) -> Node | None:
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def _too_deep(root: Node, aliased: bool) -> Node | None:
    """The first node, in the order of the text, nested deeper than MAX_DEPTH. An alias's
    node counts where it is defined, as the pure-Python composer sees it."""
    if aliased:
        return _too_deep_aliased(root)
    level = [root]  # a tree: level by level, a twentieth of the time composing took
    for _ in range(MAX_DEPTH):
        below: list[Node] = []
        for node in level:
            if type(node) is MappingNode:
                for pair in node.value:
                    below += pair
            elif type(node) is SequenceNode:
                below += node.value
        level = below
    return min(level, key=lambda node: node.start_mark.index) if level else None


def _too_deep_aliased(root: Node) -> Node | None:
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return node
        stack.extend((child, depth + 1) for child in reversed(_children(node)))
    return None


def _depth_diagnostic(file: str, mark: yaml.Mark) -> Diagnostic:
    return _diag(
        "TC115",
        f"values are nested more than {MAX_DEPTH} levels deep",
        file,
        mark.line + 1,
        mark.column + 1,
        hint="a programme file needs a few levels: flatten it",
    )


def _decode(file: str, data: bytes) -> str | Diagnostic:
    """The file's text, or the reason it is not UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _diag(
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
        return _diag("TC102", "this is a binary file, not UTF-8 text", file, line, column)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        return _diag(
            "TC102",
            f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
            file,
            line,
            column,
            hint="save the file as UTF-8",
        )


def _not_unicode_diagnostics(
    file: str, found: list[tuple[yaml.Mark, str, int, int | None]]
) -> list[Diagnostic]:
    """TC116 for each escape naming no character that `_PureLoader` found (the first
    MAX_LISTED listed, the others counted)."""
    listing = Listing()
    for mark, escape, code, after in found:
        message, hint = _not_unicode_problem(escape, code, after)
        listing.add("TC116", Location(file, mark.line + 1, mark.column + 1), message, hint)
    return listing.diagnostics()


def _not_unicode_problem(escape: str, code: int, after: int | None) -> tuple[str, str]:
    """The message and hint for an escape naming no character (`after`: the number of the
    escape right after it, if any)."""
    if code > 0x10FFFF:
        message = f"{escape} is beyond U+10FFFF, the last Unicode character"
        hint = "check its digits, or write the character itself"
    else:
        message = f"{escape} is half of a UTF-16 surrogate pair, not a character"
        hint = "remove it, or write the character itself"
        if code < 0xDC00 and after is not None and 0xDC00 <= after <= 0xDFFF:
            pair = 0x10000 + ((code - 0xD800) << 10) + (after - 0xDC00)
            hint = f"YAML writes a character past U+FFFF as one escape: \\U{pair:08X}"
    return message, hint


def _syntax_diagnostic(file: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    assert mark is not None  # the pure-Python parser marks every error
    line, column = mark.line + 1, mark.column + 1
    problem = str(exc.problem)
    if "expected a single document" in f"{exc.context} {problem}":
        return _diag(
            "TC105",
            "more than one YAML document in the file",
            file,
            line,
            column,
            hint="keep one mapping per file; remove the '---' line",
        )
    if "cannot start any token" in problem and text[mark.index] == "\t":
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
    hint = _syntax_hint(text, problem, str(exc.context or ""), mark, exc.context_mark)
    return _diag("TC103", message, file, line, column, hint=hint)


def _syntax_hint(
    text: str, problem: str, context: str, mark: yaml.Mark, opened: yaml.Mark | None
) -> str | None:
    """What a person most likely meant, for the syntax errors people make most: a value
    holding ': ', a line indented out of step, a quote or bracket never closed, a line
    without its colon."""
    lines = yaml_lines(text)
    here = lines[mark.line] if mark.line < len(lines) else ""
    at = f" at line {opened.line + 1}" if opened is not None else ""
    if problem == "mapping values are not allowed here":
        key, colon, value = here.partition(": ")
        value = value.split(" #", 1)[0].split("\t#", 1)[0]  # not a comment after it
        if colon and len(key) + 2 <= mark.column:  # `name: Belfast: the city`
            if '"' not in value:
                return f'a value holding ": " must be quoted: {key.strip()}: "{value.strip()}"'
            return "a value holding ': ' must be quoted"
        above = lines[mark.line - 1] if 0 < mark.line <= len(lines) else ""
        if _indent(here) > _indent(above):
            return "this line is indented more than the one above: line it up with its keys"
        return "a key needs a space after its colon (key: value), here or on the line above"
    if "unexpected end of stream" in problem and "quoted scalar" in context:
        return f"the quote opened{at} is never closed"
    for kind, what, opener, closer in (
        ("sequence", "list", "[", "]"),
        ("mapping", "mapping", "{", "}"),
    ):
        if f"flow {kind}" in context and problem.startswith(f"expected ',' or '{closer}'"):
            line = lines[opened.line] if opened is not None and opened.line < len(lines) else ""
            if opened is not None and closer in line[opened.column :]:
                return "separate its entries with ',', and quote a value that holds ': '"
            return f"close the {what} opened with '{opener}'{at} with '{closer}'"
    if problem.startswith("could not find expected ':'") and opened is not None:
        return (
            f"line {opened.line + 1} has no colon: write 'key: value', or join it to the line above"
        )
    if problem.startswith("expected <block end>") and mark.column == _indent(here):
        if problem.endswith("found '-'"):
            return "a list item where a key was expected: indent it under its key"
        return "this line does not line up with the lines above it: check its indentation"
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _reader_diagnostic(file: str, text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    """A character YAML does not allow (a control character), at its position in characters
    (as the pure-Python reader counts; libyaml's errors are never reported)."""
    before = yaml_lines(text[: exc.position])
    line = len(before)
    column = len(before[-1]) + 1
    return _diag(
        "TC103",
        f"YAML syntax error: U+{exc.character:04X} is a control character YAML does not allow",
        file,
        line,
        column,
        hint="remove it, or write it as an escape in a double-quoted string",
    )


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
    """Every explicitly tagged node, wherever it is (the schema then ignores those nodes);
    the first MAX_LISTED in the order of the text listed, the others counted."""
    found = Listing()
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in (UNTAGGED, NOT_UNICODE):
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            found.add(
                "TC107",
                Location(file, *_position(node)),
                f"explicit tag '{tag}' is not allowed",
                "remove it: each field's type comes from the data format",
            )
        stack.extend(reversed([child for _, child in _edges(node)]))
    return found.diagnostics()


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
    before = data[:offset]
    return before.count(b"\n") + 1, len(before) - before.rfind(b"\n")


def _diag(
    code: str, message: str, file: str, line: int, column: int, hint: str | None = None
) -> Diagnostic:
    return Diagnostic(code, severity_of(code), message, Location(file, line, column), hint)
