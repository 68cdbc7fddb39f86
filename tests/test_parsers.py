"""One answer whatever the parser: libyaml, or PyYAML's pure-Python parser.

libyaml and the pure-Python parser disagree on some input and word their errors differently
(data-format.md); twincli composes the same trees and reports the same diagnostics either way.
The reader's own tests (test_reader.py) also run both ways.
"""

from __future__ import annotations

import pytest
from yaml.nodes import MappingNode, Node, SequenceNode

from tests.support.folders import EXAMPLE
from twincli.diagnostics import Diagnostic
from twincli.read import reader
from twincli.read.reader import PURE_ENV, read_yaml

FILE = "cities/soria.yaml"
pytestmark = pytest.mark.skipif(not reader.LIBYAML, reason="needs libyaml to compare with")


def shape(node: Node | None) -> object:
    """Everything of a tree that twincli reads: kind, tag, value, style, where it starts
    (index, line, column) and ends (index; libyaml puts the end of a block collection that
    ends the file without a line break on a line of its own, which nothing reads)."""
    if node is None:
        return None
    start = node.start_mark
    marks = (start.index, start.line, start.column, node.end_mark.index)
    if isinstance(node, MappingNode):
        return ("map", node.tag, marks, [(shape(k), shape(v)) for k, v in node.value])
    if isinstance(node, SequenceNode):
        return ("seq", node.tag, marks, [shape(child) for child in node.value])
    return ("str", node.tag, marks, node.value, node.style or "")  # plain: None or ""


def both_ways(
    text: str | bytes, monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[object, list[object]], tuple[object, list[object]]]:
    """What the reader gives with libyaml and with the pure-Python parser."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    answers = []
    for pure in ("0", "1"):
        monkeypatch.setenv(PURE_ENV, pure)
        node, found = read_yaml(FILE, data)
        answers.append((shape(node), found))
    return answers[0], answers[1]


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*.yaml")),
)
def test_the_example_composes_to_the_same_tree_either_way(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    libyaml, pure = both_ways((EXAMPLE / path).read_bytes(), monkeypatch)
    assert libyaml == pure
    assert libyaml[0] is not None and libyaml[1] == []


FUZZ_FINDINGS = [
    # Found by `make fuzz` (tests/fuzz.py): libyaml accepted, the pure-Python parser refused
    # or placed a node elsewhere. Each is fixed in reader._PureLoader.
    "!\t a: b\n",  # a tab after a tag
    "a: !x\tb\n",
    "?",  # a key alone, at the end of a file without a line break
    "\u00e9\t",  # a tab after a plain scalar
    "a: b\t",
    "a: b\tc\n",  # a tab inside a plain scalar
    "a:\t[b,\tc]\n",  # tabs between the tokens of a flow collection
    "|#",  # a comment right after a block scalar's indicator
    "a: |\t# c\n b\n",
    "{e: ,}",  # an empty value in a flow mapping: placed at the next token
    "[n: ]",
    "{n: !,}",  # the non-specific tag '!' before a ',' in a flow collection
]

DIFFERING = [
    "a: b",
    "a:\n- b\n- c",
    "a: [b,\n c]",
    "name: [Soria\n",
    "name: Soria\ncountry: ES\n  cohort: x\n",
    "a: b: c\n",
    "a: 'unclosed\n",
    'a: "bad \\q escape"\n',
    "a: *nowhere\n",
    "a: &x 1\nb: &x 2\nc: *x\n",
    "- a\nb: c\n",
    "a:\n\t- b\n",
    "a: [b, c\nd: e\n",
    "a: {b: c\n",
    "a: b\n---\nc: d\n",
    "a: !<tag:x> b\n",
    "a: %b\n",
    "a: @b\n",
    "a: `b\n",
    "? [a, b]\n: c\n",
    "a: |\n b\n c\nd\n",
    "a: >-2\n   b\n",
    "a: [b]]\n",
    "a: x\x01y\n",
    "a: 'x'\x0b\n",
    "a: b\n" + "c" * 1100 + ": d\n",
    "[" * 1001 + "]" * 1001 + "\n",
    "\ufeffa: b\n",
    "a: b \ufeff c\n",
    "a: \x85b\n",
    "{a: b, a: c}\n",
    "a: [?x]\n",
    "a: [? x : y]\n",
    "a: [x: y]\n",
    "a: {x}\n",
    "a: :x\n",
    "a: [:x]\n",
    "a: -\n",
    "a: [-x, - y]\n",
]


@pytest.mark.parametrize("text", DIFFERING + FUZZ_FINDINGS)
def test_the_same_diagnostics_with_or_without_libyaml(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Input on which libyaml and the pure-Python parser disagree or word their errors
    differently, and some they agree on: twincli gives one answer, in words that do not
    depend on the parser."""
    libyaml, pure = both_ways(text, monkeypatch)
    assert libyaml == pure
    for d in libyaml[1]:
        assert isinstance(d, Diagnostic)
        assert "<unicode string>" not in d.message and "\n" not in d.message


SCANNER_CORPUS = [
    # plain scalars: what ends them, what continues them, and how lines fold
    "a: b:c\n",
    "a: http://example.org/x?y=1#z\n",
    "a: [b:c, d: e, 'f':g]\n",
    "a: {b:c, d: e}\n",
    "a: [b:, c]\n",
    "a: {b:}\n",
    "a: one\n  two\n\n  three\n",
    "a: one \n   two  \n",
    "a: one\r\n  two\r\n",
    "a: one # a comment\nb: two#not a comment\n",
    "a: one\t# a comment after a tab\n",
    "- one\n  two\n- three\n",
    "a: one\n---\n",
    "a: one\n...\n",
    "a: x\n  ---y\n",
    "[a\n, b\n ]\n",
    "{a: b\n  c, d: e}\n",
    "a: [b\tc, d\t, e]\n",
    "a:\tb\n",
    "a: b \t \n",
    "a: 'b'\t\n",
    "- a\t\n- b\n",
    "a: x\u2028y\n",
    "a: b\n \tc\n",
    "a: b\n\t c\n",
    "- b\n \tc\n",
    "a: b\n  \tc\n",
    "a:\n  b\n \t c\n",
    "a:\n  - b\n   \tc\n",
    # block scalars: indicators, ignored lines, indentation
    "a: |\n  b\n  c\n",
    "a: |-\n  b\n\n",
    "a: |+\n  b\n\n",
    "a: >\n  b\n  c\n\n  d\n",
    "a: |2\n   b\n",
    "a: >-1\n  b\n",
    "a: |+2\n   b\n",
    "a: |  # comment\n  b\n",
    "a: |\t\n  b\n",
    "a: |#\n  b\n",
    "a: |x\n  b\n",
    "a: |-0\n  b\n",
    "a: >10\n  b\n",
    "a: |\n  b\n c\n",
    # tags
    "a: !b c\n",
    "a: !!str c\n",
    "a: !<tag:example.org,2000:x> c\n",
    "a: !<tag:x c\n",
    "%TAG !e! tag:example.org,2000:\n---\na: !e!x c\n",
    "a: !e!x c\n",
    "a: ! c\n",
    "a: [! c, !x d]\n",
    "a: {b: !x, c: d}\n",
    "a: !x\n",
    "a: !x, b\n",
    "a: !x\tb\n",
    "!x\n",
    "a: !x,y b\n",
    "a: !x[y] b\n",
    "a: [!x]\n",
    "a: !<x,y[z]> b\n",
    "a: !x%41 b\n",
    "a: !x%4 b\n",
    "a: !x%zz b\n",
    "a: !\u00e9 b\n",
    # keys, values and empty nodes in flow collections
    "a: {b, c: d}\n",
    "a: [b: c, d]\n",
    "a: [? b : c]\n",
    "a: [b: ]\n",
    "a: [b: , c]\n",
    "a: [: b]\n",
    "a: {: b}\n",
    "a: {b: , c: d}\n",
    "a: {? b}\n",
    "a: [,]\n",
    "a: [b,,]\n",
    # tabs where they are not white space
    "a:\n\tb: c\n",
    "\ta: b\n",
    "a: |\n\tb\n",
    "- a\n-\tb\n",
]


@pytest.mark.parametrize("text", SCANNER_CORPUS)
def test_the_scanner_corpus_reads_the_same_either_way(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the pure-Python scanner was changed for, and what is near it, composes to the
    same tree or the same diagnostics as with libyaml (the reader's pure-Python methods are
    checked against libyaml here, input by input)."""
    libyaml, pure = both_ways(text, monkeypatch)
    assert libyaml == pure


LINE_BREAKS = {"LF": "\n", "CR LF": "\r\n", "CR": "\r", "NEL": "\x85", "LS": "\u2028"}


@pytest.mark.parametrize("newline", LINE_BREAKS.values(), ids=LINE_BREAKS.keys())
@pytest.mark.parametrize(
    ("lines", "hint"),
    [
        # the fourth line indented out of step: the hint looks at it and at the one above
        (
            ["id: soria", "name: Soria", "country: ES", "   bad: x", "  - y"],
            "this line is indented more than the one above",
        ),
        (["a: [b, c", "d: e"], "close the list opened with '['"),
        (["a: b", "c: d", "- e"], "a list item where a key was expected"),
    ],
)
def test_syntax_hints_count_lines_as_yaml_does(
    newline: str, lines: list[str], hint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """YAML breaks lines at CR, CR LF, NEL, LS and PS too: a hint that looks a line up by its
    number finds that line, whatever breaks the file uses (it once raised IndexError)."""
    text = newline.join(lines) + newline
    libyaml, pure = both_ways(text, monkeypatch)
    assert libyaml == pure
    _, diagnostics = libyaml
    assert len(diagnostics) == 1
    assert isinstance(diagnostics[0], Diagnostic)
    assert diagnostics[0].hint is not None and hint in diagnostics[0].hint


@pytest.mark.parametrize("newline", LINE_BREAKS.values(), ids=LINE_BREAKS.keys())
def test_a_control_character_is_placed_on_the_line_yaml_counts(newline: str) -> None:
    text = f"a: b{newline}c: d{newline}e: \x07{newline}"
    _, diagnostics = read_yaml("x.yaml", text.encode())
    assert [(d.location.line, d.location.column) for d in diagnostics] == [(3, 4)]


def test_yaml_lines_split_where_the_parser_does() -> None:
    text = "a\r\nb\rc\nd\x85e\u2028f\u2029g\x0ch\x1ci"
    assert reader.yaml_lines(text) == ["a", "b", "c", "d", "e", "f", "g\x0ch\x1ci"]


def scalars(node: Node | None) -> list[tuple[str, str]]:
    """(tag, text) of every key and value of a tree, in the order of the text."""
    if isinstance(node, MappingNode):
        return [s for key, value in node.value for s in scalars(key) + scalars(value)]
    if isinstance(node, SequenceNode):
        return [s for child in node.value for s in scalars(child)]
    return [] if node is None else [(node.tag, node.value)]


NOT_CHARACTERS = {
    # text -> where each escape is reported (line, column), what the message and the hint say
    'name: "Ply\\ud800mouth"\n': ([(1, 11)], "\\ud800 is half of a UTF-16 surrogate pair", None),
    'name: "\\udfff"\n': ([(1, 8)], "\\udfff is half of a UTF-16 surrogate pair", None),
    'name: "\\U0000D800"\n': ([(1, 8)], "\\U0000D800 is half of a UTF-16 surrogate pair", None),
    'name: "\\ud83d\\ude00"\n': ([(1, 8)], "\\ud83d is half", "one escape: \\U0001F600"),
    'name: "\\U00110000"\n': ([(1, 8)], "\\U00110000 is beyond U+10FFFF", None),
    '"k\\ud800": x\n': ([(1, 3)], "\\ud800 is half", None),
    'a: b\n"\\ud800": x\n': ([(2, 2)], "\\ud800 is half", None),
    'a: ["ok", "x\\ud800"]\n': ([(1, 13)], "\\ud800 is half", None),
    'a: {"\\ud800": "\\ud800"}\n': ([(1, 6), (1, 16)], "\\ud800 is half", None),
    'a: "one\n  two \\ud800\\ud800"\n': ([(2, 7)], "\\ud800 is half", None),
    'a: !x "\\ud800"\n': ([(1, 8)], "\\ud800 is half", None),
}


@pytest.mark.parametrize("text", NOT_CHARACTERS)
def test_an_escape_that_is_not_a_character_is_reported_where_it_is(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escapes are the only way text that is not Unicode gets in (a file is strict UTF-8): a
    lone surrogate crashed every command that printed it, and an escape past U+10FFFF the
    reader itself. libyaml refuses the file; either way each key or value holding such an
    escape is reported once, at its first, and set aside (tagged as reported), with valid
    text in it."""
    where, message, hint = NOT_CHARACTERS[text]
    libyaml, pure = both_ways(text, monkeypatch)
    assert libyaml == pure
    _, diagnostics = pure
    found = [d for d in diagnostics if isinstance(d, Diagnostic) and d.code == "TC116"]
    assert [(d.location.line, d.location.column) for d in found] == where
    for d in found:
        assert message in d.message
        assert hint is None or (d.hint is not None and hint in d.hint)
    node, _ = read_yaml(FILE, text.encode())
    texts = scalars(node)
    assert all(t.encode("utf-8") for _, t in texts)  # every text is valid Unicode
    assert len([t for tag, t in texts if tag != reader.UNTAGGED]) == len(where)


@pytest.mark.parametrize(
    "text",
    ['a: "\\\\ud800"\n', 'a: "\\ud7ff\\ue000\\U0010FFFF"\n', "a: '\\ud800'\n", "a: \\ud800\n"],
)
def test_escapes_of_characters_and_escaped_backslashes_are_text(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The characters either side of the surrogates and the last one are characters, and
    `\\\\ud800` (an escaped backslash) or a single-quoted or plain `\\ud800` is six letters."""
    libyaml, pure = both_ways(text, monkeypatch)
    assert libyaml == pure
    assert pure[1] == []
