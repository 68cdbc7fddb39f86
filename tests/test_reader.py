"""`twincli.read.reader.read_yaml`: bytes of one file to an untyped node tree, or diagnostics.

What the reader promises (data-format.md): UTF-8 with an optional BOM, one document, no
implicit typing (every scalar is text the schema types), explicit tags reported wherever they
are and never acted on, aliases allowed but a file expanding past 10,000 nodes refused without
expanding it.

Every test runs twice, with libyaml and with PyYAML's pure-Python parser (`parser` below):
twincli answers the same with or without libyaml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from twincli.read import reader
from twincli.read.reader import MAX_ALIAS_NODES, MAX_DEPTH, PURE_ENV, UNTAGGED, read_yaml

FILE = "cities/soria.yaml"
PARSERS = ["libyaml", "pure"] if reader.LIBYAML else ["pure"]


@pytest.fixture(autouse=True, params=PARSERS)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test with libyaml, and with the pure-Python parser ($TWINCLI_PURE_YAML=1)."""
    if request.param == "pure":
        monkeypatch.setenv(PURE_ENV, "1")
    else:
        monkeypatch.delenv(PURE_ENV, raising=False)
    assert reader.libyaml_used() == (request.param == "libyaml")
    return str(request.param)


def read(text: str | bytes) -> tuple[Node | None, list[tuple[str, int, int]]]:
    """The node and (code, line, column) of each diagnostic."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    node, diagnostics = read_yaml(FILE, data)
    for d in diagnostics:
        assert d.location.file == FILE
    return node, [(d.code, d.location.line, d.location.column) for d in diagnostics]


def messages(text: str | bytes) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return [d.message for d in read_yaml(FILE, data)[1]]


def walk(node: Node) -> list[Node]:
    """Every distinct node of a tree (aliases visited once)."""
    out: list[Node] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        out.append(n)
        if isinstance(n, MappingNode):
            stack.extend(x for pair in n.value for x in pair)
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)
    return out


def expanded_size(node: Node) -> int:
    """Nodes of the tree with every alias expanded (keys count), computed the naive way."""
    if isinstance(node, MappingNode):
        return 1 + sum(expanded_size(k) + expanded_size(v) for k, v in node.value)
    if isinstance(node, SequenceNode):
        return 1 + sum(expanded_size(c) for c in node.value)
    return 1


def value_of(root: Node | None, key: str) -> Node:
    assert isinstance(root, MappingNode)
    for k, v in root.value:
        if k.value == key:
            return v
    raise KeyError(key)


# --- decoding ------------------------------------------------------------------------------


def test_a_plain_mapping_composes_without_diagnostics() -> None:
    node, found = read("name: Soria\ncountry: ES\n")
    assert isinstance(node, MappingNode)
    assert found == []


def test_utf8_bom_is_tolerated() -> None:
    node, found = read(b"\xef\xbb\xbfname: Soria\n")
    assert found == []
    assert isinstance(node, MappingNode)
    key, value = node.value[0]
    assert key.value == "name"  # the BOM is not part of the first key
    assert value.value == "Soria"
    assert (key.start_mark.line, key.start_mark.column) == (0, 0)


def test_non_ascii_utf8_text_is_kept() -> None:
    node, found = read("name: Eskişehir\ncontact: Ana Pérez\n")
    assert found == []
    assert value_of(node, "name").value == "Eskişehir"


def test_a_bom_alone_is_an_empty_file() -> None:
    assert read(b"\xef\xbb\xbf")[1] == [("TC104", 1, 1)]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "   \n"])
def test_empty_files_are_reported(text: str) -> None:
    node, found = read(text)
    assert node is None
    assert found == [("TC104", 1, 1)]


def test_nul_byte_is_tc102_with_its_line_and_column() -> None:
    node, found = read(b"name: Soria\nab: c\x00d\n")
    assert node is None
    assert found == [("TC102", 2, 6)]


def test_nul_byte_after_a_bom_is_still_found() -> None:
    node, found = read(b"\xef\xbb\xbf\x00name: x\n")
    assert node is None
    assert [code for code, _, _ in found] == ["TC102"]


def test_latin1_is_tc102_on_the_right_line() -> None:
    data = "name: Soria\ncountry: ES\ncontact: Ana Pérez\n".encode("latin-1")
    node, found = read(data)
    assert node is None
    assert found == [("TC102", 3, 15)]
    (message,) = messages(data)
    assert "0xe9" in message
    (d,) = read_yaml(FILE, data)[1]
    assert d.hint is not None and "UTF-8" in d.hint


def test_windows_1252_on_the_first_line() -> None:
    node, found = read("name: Córdoba\n".encode("cp1252"))
    assert node is None
    assert found == [("TC102", 1, 8)]


def test_utf16_is_reported_as_utf16_not_binary() -> None:
    data = "name: Soria\n".encode("utf-16")  # with its BOM, as Windows editors write it
    (d,) = read_yaml(FILE, data)[1]
    assert d.code == "TC102"
    assert "binary" not in d.message
    assert d.hint is not None and "UTF-16" in d.hint


# --- syntax --------------------------------------------------------------------------------


def test_syntax_error_is_tc103_with_a_position() -> None:
    node, found = read("name: Soria\ncountry: [ES\n")
    assert node is None
    ((code, line, column),) = found
    assert code == "TC103"
    assert line >= 2 and column >= 1


def test_tab_indentation_is_a_syntax_error() -> None:
    node, found = read("name: Soria\nvisits:\n\t- start: 2024-01-01\n")
    assert node is None
    assert [(code, line) for code, line, _ in found] == [("TC103", 3)]


def test_two_documents_are_tc105() -> None:
    node, found = read("name: Soria\n---\nname: Cologne\n")
    assert node is None
    assert found == [("TC105", 2, 1)]


def test_a_control_character_is_reported_on_its_line() -> None:
    node, found = read("name: Soria\ncountry: E\x01S\n")
    assert node is None
    assert found == [("TC103", 2, 11)]


def test_a_control_character_message_is_one_line() -> None:
    (message,) = messages("name: Soria\ncountry: E\x01S\n")
    assert "\n" not in message
    assert "<unicode string>" not in message


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_a_diagnostic_not_a_crash(depth: int) -> None:
    """libyaml stops at 1,000 levels with its own error, the pure-Python composer would
    exhaust Python's recursion: both answer TC115 at the first level too deep."""
    node, found = read("a: " + "[" * depth + "]" * depth + "\n")
    assert node is None
    assert found == [("TC115", 1, 4 + MAX_DEPTH - 1)]


def nested(levels: int, style: str) -> str:
    """A file whose deepest value is at `levels` (the top mapping is level 1)."""
    if style == "flow":
        return "a: " + "[" * (levels - 2) + "x" + "]" * (levels - 2) + "\n"
    if style == "sequences":
        return (
            "a:\n"
            + "".join("  " * i + "-\n" for i in range(levels - 3))
            + "  " * (levels - 3)
            + "- x\n"
        )
    return "".join("  " * i + "k:\n" for i in range(levels - 2)) + "  " * (levels - 2) + "k: x\n"


@pytest.mark.parametrize("style", ["flow", "sequences", "mappings"])
def test_nesting_up_to_the_limit_is_accepted(style: str) -> None:
    node, found = read(nested(MAX_DEPTH, style))
    assert node is not None and found == []


@pytest.mark.parametrize("style", ["flow", "sequences", "mappings"])
def test_one_level_more_is_tc115_where_it_starts(style: str) -> None:
    text = nested(MAX_DEPTH + 1, style)
    node, found = read(text)
    assert node is None
    ((code, line, column),) = found
    assert code == "TC115"
    # the first node at level MAX_DEPTH + 1: the last key of nested mappings, else the scalar
    deepest = text.rindex("k") if style == "mappings" else text.index("x")
    assert (line, column) == (
        text.count("\n", 0, deepest) + 1,
        deepest - text.rfind("\n", 0, deepest),
    )
    (message,) = messages(text)
    assert message == f"values are nested more than {MAX_DEPTH} levels deep"


def test_the_first_node_too_deep_is_reported() -> None:
    text = "a: " + "[" * 70 + "]" * 70 + "\nb: " + "[" * 70 + "]" * 70 + "\n"
    assert read(text) == (None, [("TC115", 1, 3 + MAX_DEPTH)])


def test_an_alias_counts_where_its_anchor_is() -> None:
    """An alias deep down refers to a node defined higher up: the file is as deep as its
    text, not as its aliases expanded (which TC109 bounds)."""
    inner = "[" * 10 + "x" + "]" * 10
    text = f"a: &deep {inner}\nb: " + "[" * (MAX_DEPTH - 3) + "*deep" + "]" * (MAX_DEPTH - 3)
    node, found = read(text + "\n")
    assert node is not None and found == []


def test_an_anchored_node_too_deep_is_reported_where_it_is_defined() -> None:
    text = "a: " + "[" * 70 + "&x [y]" + "]" * 70 + "\nb: *x\n"
    assert read(text) == (None, [("TC115", 1, 3 + MAX_DEPTH)])


# --- aliases -------------------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_with_tc109() -> None:
    # 9 levels of 10 aliases: 10**9 scalars when expanded. Composing shares the aliased
    # nodes, so this returns at once; expanding would never finish.
    node, found = read(billion_laughs())
    assert node is None
    assert [code for code, _, _ in found] == ["TC109"]
    (message,) = messages(billion_laughs())
    assert "10,000" in message


def test_billion_laughs_inside_a_city_file_is_refused() -> None:
    text = "name: Soria\ncountry: ES\nnotes:\n" + "".join(
        "  " + line + "\n" for line in billion_laughs(6).splitlines()
    )
    node, found = read(text)
    assert node is None
    assert [code for code, _, _ in found] == ["TC109"]


def aliases_adding(count: int, pad: int = 0) -> str:
    """A file whose aliases add `100 * count` nodes when expanded: `base` is a list of 99
    scalars (100 nodes), aliased `count` times; `pad` is a plain list of `pad` scalars."""
    base = "[" + ", ".join(["x"] * 99) + "]"
    return f"base: &b {base}\nall: [{', '.join(['*b'] * count)}]\npad: [{', '.join(['p'] * pad)}]\n"


def distinct_nodes(text: str) -> int:
    seen: set[int] = set()
    stack = [yaml.compose(text, Loader=yaml.SafeLoader)]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node.value, list):
            stack.extend(
                n for item in node.value for n in (item if isinstance(item, tuple) else (item,))
            )
    return len(seen)


@pytest.mark.parametrize("count", [1, 90, MAX_ALIAS_NODES // 100])
def test_aliases_adding_up_to_the_limit_are_accepted(count: int) -> None:
    text = aliases_adding(count, pad=5_000)
    tree = yaml.compose(text, Loader=yaml.SafeLoader)
    assert expanded_size(tree) - distinct_nodes(text) == 100 * count
    node, found = read(text)
    assert found == []
    assert node is not None


def test_aliases_adding_one_more_than_the_limit_are_refused() -> None:
    text = aliases_adding(MAX_ALIAS_NODES // 100 + 1)
    node, found = read(text)
    assert node is None
    assert [code for code, _, _ in found] == ["TC109"]


def test_many_aliases_to_one_small_node_are_fine() -> None:
    text = "contact: &c {name: Ana, role: lead}\ncontacts: [" + ", ".join(["*c"] * 50) + "]\n"
    node, found = read(text)
    assert found == []
    assert node is not None


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]\n",
        "a: &a {b: *a}\n",
        "a: &a\n  - x\n  - b: [*a]\n",
        "&root {name: Soria, self: *root}\n",
    ],
)
def test_a_recursive_alias_is_refused(text: str) -> None:
    node, found = read(text)
    assert node is None
    assert [code for code, _, _ in found] == ["TC109"]
    assert "recursive" in messages(text)[0]


def test_an_undefined_alias_is_a_syntax_error() -> None:
    node, found = read("name: *nowhere\n")
    assert node is None
    assert [(code, line) for code, line, _ in found] == [("TC103", 1)]


def test_an_asterisk_in_text_is_not_an_alias() -> None:
    node, found = read('title: "Energy * finance"\nnote: 5 * 3\n')
    assert found == []
    assert value_of(node, "note").value == "5 * 3"


def test_a_large_file_without_aliases_is_not_refused_for_an_asterisk() -> None:
    body = "actions:\n" + "".join(f"  - {{title: a{i}, kpis: [k, k]}}\n" for i in range(2000))
    assert read(body)[1] == []  # the same file without the '*' is fine
    _, found = read('note: "Energy * finance"\n' + body)
    assert found == []


# --- tags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "line", "column"),
    [
        ("name: !!python/object:os.system ls\n", "!!python/object:os.system", 1, 7),
        (
            "name: Soria\nnot-a-key:\n  deeper:\n    - [1, !!python/object/apply:os.system [ls]]\n",
            "!!python/object/apply:os.system",
            4,
            11,
        ),
        ("!!python/object/new:dict {a: 1}\n", "!!python/object/new:dict", 1, 1),
        ("name: !!str Soria\n", "!!str", 1, 7),
        ("count: !!int '3'\n", "!!int", 1, 8),
        ("name: !custom Soria\n", "!custom", 1, 7),
        ("!!str name: Soria\n", "!!str", 1, 1),
        ("? !!str name\n: Soria\n", "!!str", 1, 3),
        ("name: !<tag:yaml.org,2002:str> Soria\n", "!!str", 1, 7),
        ("list: !!seq [a]\n", "!!seq", 1, 7),
        ("map: !!map {a: b}\n", "!!map", 1, 6),
        ("data: !!binary aGk=\n", "!!binary", 1, 7),
    ],
)
def test_tags_are_reported_anywhere_with_their_written_form(
    text: str, written: str, line: int, column: int
) -> None:
    node, diagnostics = read_yaml(FILE, text.encode())
    assert node is not None  # the tree is kept; the schema ignores tagged nodes
    assert [(d.code, d.location.line, d.location.column) for d in diagnostics] == [
        ("TC107", line, column)
    ]
    assert f"'{written}'" in diagnostics[0].message
    assert diagnostics[0].hint is not None


def test_every_tag_is_reported_once() -> None:
    text = "a: !!str x\nb: [!!int 1, !!float 2.0]\nc: {d: !!bool yes}\n"
    _, found = read(text)
    assert sorted(found) == [("TC107", 1, 4), ("TC107", 2, 5), ("TC107", 2, 14), ("TC107", 3, 8)]


def test_an_aliased_tagged_node_is_reported_once() -> None:
    _, found = read("a: &t !!binary aGk=\nb: *t\nc: *t\n")
    assert found == [("TC107", 1, 4)]


def test_an_exclamation_mark_in_text_is_not_a_tag() -> None:
    node, found = read("title: Hello!\nnote: 'say !!python/object'\n")
    assert found == []
    assert value_of(node, "note").value == "say !!python/object"


# --- nothing is ever constructed -----------------------------------------------------------

DANGEROUS = [
    "name: !!python/object/apply:os.system ['touch {marker}']\n",
    "name: !!python/object/apply:subprocess.check_call [[touch, '{marker}']]\n",
    "!!python/object/new:type\n  args: [z, !!python/tuple [], {{}}]\n",
    "name: !!python/name:os.system\n",
    "name: !!python/module:os\n",
]


@pytest.mark.parametrize("template", DANGEROUS)
def test_tags_are_never_acted_on(template: str, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    text = template.format(marker=marker)
    node, diagnostics = read_yaml(FILE, text.encode())
    assert not marker.exists()
    assert node is not None
    assert {d.code for d in diagnostics} == {"TC107"}
    for n in walk(node):
        assert type(n) in (ScalarNode, SequenceNode, MappingNode)
        if isinstance(n, ScalarNode):
            assert type(n.value) is str


def test_the_reader_never_calls_a_constructor(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader constructed a Python object")

    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_object", refuse)
    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_document", refuse)
    node, diagnostics = read_yaml(
        FILE, b"name: !!python/object/apply:os.system [ls]\nn: 3\nd: 2024-01-01\n"
    )
    assert node is not None
    assert [d.code for d in diagnostics] == ["TC107"]


# --- no implicit typing --------------------------------------------------------------------

TRICKY_SCALARS = [
    "yes",
    "no",
    "NO",
    "Off",
    "true",
    "y",
    "01234",
    "0o17",
    "0x10",
    "1_000",
    "1.10",
    "1e3",
    ".inf",
    "-.nan",
    "2024-01-01",
    "2024-01-01T10:00:00Z",
    "12:30:45",
    "~",
    "null",
    "=",
]


@pytest.mark.parametrize("scalar", TRICKY_SCALARS)
def test_every_scalar_is_untagged_text(scalar: str) -> None:
    node, found = read(f"value: {scalar}\nlist: [{scalar}]\n")
    assert found == []
    value = value_of(node, "value")
    assert isinstance(value, ScalarNode)
    assert value.tag == UNTAGGED
    assert value.value == scalar
    assert not value.style  # plain: the schema tells an unquoted '~' from '"~"'
    (item,) = value_of(node, "list").value
    assert item.tag == UNTAGGED and item.value == scalar


def test_an_empty_value_is_untagged_empty_text() -> None:
    node, found = read("value:\n")
    assert found == []
    value = value_of(node, "value")
    assert value.tag == UNTAGGED and value.value == "" and not value.style


def test_quoted_scalars_are_untagged_and_keep_their_style() -> None:
    node, found = read('a: "3"\nb: \'2024-09-30\'\nc: "~"\n')
    assert found == []
    for key, text, style in (("a", "3", '"'), ("b", "2024-09-30", "'"), ("c", "~", '"')):
        value = value_of(node, key)
        assert value.tag == UNTAGGED
        assert (value.value, value.style) == (text, style)


def test_collections_and_keys_are_untagged() -> None:
    node, found = read("1: [a, {b: c}]\nyes: {x: y}\n")
    assert found == []
    assert node is not None
    assert all(n.tag == UNTAGGED for n in walk(node))
    assert [k.value for k, _ in node.value] == ["1", "yes"]


def test_block_scalars_are_text() -> None:
    node, found = read("feedback: |\n  line one\n  line two\nshort: >\n  folded\n  text\n")
    assert found == []
    assert value_of(node, "feedback").value == "line one\nline two\n"
    assert value_of(node, "short").value == "folded text\n"


def test_node_marks_are_zero_based_positions_of_the_text() -> None:
    node, _ = read("name: Soria\nattended:\n  - kick-off\n")
    item = value_of(node, "attended").value[0]
    assert (item.start_mark.line, item.start_mark.column) == (2, 4)


# --- what PyYAML's pure-Python scanner refused --------------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("questions: [why?]\n", ["why?"]),
        ("questions: [why?, how?]\n", ["why?", "how?"]),
        ("questions: [is it ready ?]\n", ["is it ready ?"]),
        ("questions: [a?b, 'c?']\n", ["a?b", "c?"]),
        ("questions: [why?\n  ]\n", ["why?"]),
    ],
)
def test_a_question_mark_in_a_flow_list_is_text(text: str, items: list[str]) -> None:
    """libyaml (and the YAML spec) read `[why?]` as a list of one text; PyYAML's own
    pure-Python scanner refuses it ("expected ',' or ']', but got '?'")."""
    node, found = read(text)
    assert found == []
    assert [item.value for item in value_of(node, "questions").value] == items


def test_a_question_mark_in_a_flow_mapping_key_is_text() -> None:
    node, found = read("scores: {why?: 3}\n")
    assert found == []
    ((key, value),) = value_of(node, "scores").value
    assert (key.value, value.value) == ("why?", "3")


# --- the words of each diagnostic -----------------------------------------------------------


def diagnostics(text: str | bytes) -> list[tuple[str, int, int, str, str | None]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return [
        (d.code, d.location.line, d.location.column, d.message, d.hint)
        for d in read_yaml(FILE, data)[1]
    ]


def test_the_words_of_a_syntax_error_and_where_its_context_is() -> None:
    assert diagnostics("a: [b,\n  c\n") == [
        (
            "TC103",
            3,
            1,
            "YAML syntax error: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence at line 1)",
            "close the list opened with '[' at line 1 with ']'",
        )
    ]
    assert diagnostics("a: {b: c]\n") == [
        (
            "TC103",
            1,
            9,
            "YAML syntax error: expected ',' or '}', but got ']' (while parsing a flow mapping)",
            "close the mapping opened with '{' at line 1 with '}'",
        )
    ]


SYNTAX_HINTS = [
    ("name: Belfast: the city\n", 1, 14,
     'a value holding ": " must be quoted: name: "Belfast: the city"'),
    ("name: 'A' b: c: d\n", 1, 11, None),  # not a line a hint can mend
    ("name: Soria\ncountry: ES\n  cohort: c\n", 3, 9,
     "this line is indented more than the one above: line it up with its keys"),
    ("a:b\nc: d\n", 2, 2,
     "a key needs a space after its colon (key: value), here or on the line above"),
    ('name: "Soria\ncountry: ES\n', 3, 1, "the quote opened at line 1 is never closed"),
    ("name: 'Soria\ncountry: ES\n", 3, 1, "the quote opened at line 1 is never closed"),
    ("name: Soria\nattended: [a, b\ncountry: ES\n", 3, 8,
     "close the list opened with '[' at line 2 with ']'"),
    ("a: {b: c\nd: e\n", 2, 2, "close the mapping opened with '{' at line 1 with '}'"),
    ("name: Belfast: the city   # see note\n", 1, 14,
     'a value holding ": " must be quoted: name: "Belfast: the city"'),
    ("c: {name: X role: lead}\n", 1, 17,
     "separate its entries with ',', and quote a value that holds ': '"),
    ("c: [a, b: c d: e]\n", 1, 14,
     "separate its entries with ',', and quote a value that holds ': '"),
    ("name: Soria\n- a\n", 2, 1,
     "a list item where a key was expected: indent it under its key"),
    ("a:\n  - x\n  y: z\n", 3, 3,
     "this line does not line up with the lines above it: check its indentation"),
    ("a:\n  b: c\n d: e\n", 3, 2,
     "this line does not line up with the lines above it: check its indentation"),
    ('title: "A: b" x: y\n', 1, 15, None),
    ("a: b\nc\nd: e\n", 3, 1,
     "line 2 has no colon: write 'key: value', or join it to the line above"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "column", "hint"), SYNTAX_HINTS)
def test_a_common_syntax_error_says_what_was_most_likely_meant(
    text: str, line: int, column: int, hint: str | None
) -> None:
    """The message is the parser's (with libyaml or without it); the hint, for the mistakes
    people make most, says how to mend the line."""
    ((code, at_line, at_column, message, given),) = diagnostics(text)
    assert (code, at_line, at_column, given) == ("TC103", line, column, hint), message


def test_the_words_of_two_documents_a_tab_and_a_stray_character() -> None:
    assert diagnostics("a: b\n---\nc: d\n") == [
        (
            "TC105",
            2,
            1,
            "more than one YAML document in the file",
            "keep one mapping per file; remove the '---' line",
        )
    ]
    assert diagnostics("a:\n\tb: c\n") == [
        ("TC103", 2, 1, "YAML syntax error: a tab cannot indent YAML", "indent with spaces")
    ]
    ((code, line, column, message, hint),) = diagnostics("a: `b\n")
    assert (code, line, column, hint) == ("TC103", 1, 4, None)
    assert "tab" not in message and "cannot start any token" in message


def test_the_words_of_a_control_character() -> None:
    assert diagnostics("a: b\nc: d\x07e\n") == [
        (
            "TC103",
            2,
            5,
            "YAML syntax error: U+0007 is a control character YAML does not allow",
            "remove it, or write it as an escape in a double-quoted string",
        )
    ]
    assert diagnostics("\x08") == [
        (
            "TC103",
            1,
            1,
            "YAML syntax error: U+0008 is a control character YAML does not allow",
            "remove it, or write it as an escape in a double-quoted string",
        )
    ]


def test_the_words_of_too_deep_a_tag_and_bytes_that_are_not_utf8() -> None:
    ((*_, hint),) = diagnostics("a: " + "[" * 70 + "]" * 70 + "\n")
    assert hint == "a programme file needs a few levels: flatten it"
    assert diagnostics("a: !t 1\n") == [
        (
            "TC107",
            1,
            4,
            "explicit tag '!t' is not allowed",
            "remove it: each field's type comes from the data format",
        )
    ]
    assert [d[:3] for d in diagnostics(b"a: b\nc: d\xff\n")] == [("TC102", 2, 5)]
    assert [d[:3] for d in diagnostics(b"\xff")] == [("TC102", 1, 1)]


def test_every_tag_is_found_though_an_alias_repeats_one() -> None:
    found = diagnostics("a: !u 1\nb: &x !t 2\nc: *x\n")
    assert sorted(message for _, _, _, message, _ in found) == [
        "explicit tag '!t' is not allowed",
        "explicit tag '!u' is not allowed",
    ]


def test_a_node_aliased_from_two_lists_is_not_recursive() -> None:
    node, found = read("a: &x [1]\nb: [*x]\nc: [*x]\n")
    assert node is not None and found == []


def test_depth_is_checked_past_a_repeated_alias() -> None:
    text = "x: &a 1\ny: *a\nz: " + "[" * 70 + "]" * 70 + "\n"
    assert read(text) == (None, [("TC115", 3, 3 + MAX_DEPTH)])


SCANNER_ERRORS = [
    ("a: |0\n b\n", 1, 5, "expected indentation indicator in the range 1-9, but found 0 "
     "(while scanning a block scalar)"),
    ("a: |-0\n b\n", 1, 6, "expected indentation indicator in the range 1-9, but found 0 "
     "(while scanning a block scalar)"),
    ("a: |x\n b\n", 1, 5, "expected chomping or indentation indicators, but found 'x' "
     "(while scanning a block scalar)"),
    ("a: |X\n b\n", 1, 5, "expected chomping or indentation indicators, but found 'X' "
     "(while scanning a block scalar)"),
    ("a: | x\n b\n", 1, 6, "expected a comment or a line break, but found 'x' "
     "(while scanning a block scalar)"),
    ("a: | X\n", 1, 6, "expected a comment or a line break, but found 'X' "
     "(while scanning a block scalar)"),
    ("a: !<x b\n", 1, 7, "expected '>', but found ' ' (while parsing a tag)"),
    ("a: !<> b\n", 1, 6, "expected URI, but found '>' (while parsing a tag)"),
    ("a: !! b\n", 1, 6, "expected URI, but found ' ' (while parsing a tag)"),
    ("a: !x,y b\n", 1, 6, "expected ' ', but found ',' (while scanning a tag)"),
    ("a: [!x]\n", 1, 7, "expected ' ', but found ']' (while scanning a tag)"),
    ("a: !x%4 b\n", 1, 7, "expected URI escape sequence of 2 hexadecimal numbers, but found ' ' "
     "(while scanning a tag)"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "column", "problem"), SCANNER_ERRORS)
def test_the_words_of_each_scanner_error(text: str, line: int, column: int, problem: str) -> None:
    """Errors are worded by the pure-Python scanner, with libyaml or without it."""
    assert diagnostics(text) == [("TC103", line, column, f"YAML syntax error: {problem}", None)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: x\n...\n", "x"),
        ("a: x\n ---y\n", "x ---y"),
        ("a:\n b\n c\n", "b c"),
        ("a: | # X marks the comment\n b\n", "b\n"),
        ("a: |-\n b\n", "b"),
        ("a: |+\n b\n\n", "b\n\n"),
        ("a: >2\n   b\n", " b\n"),
        ("a: {b: }\n", [("b", "")]),
        ("a: b:]\n", "b:]"),
        ("a: b:,c\n", "b:,c"),
        ("a: b:X\n", "b:X"),
        ("a: [b:X]\n", ["b:X"]),
        ("a: b X\n", "b X"),
        ("a: [b X]\n", ["b X"]),
        ("a: [b: , c]\n", [[("b", "")], "c"]),
    ],
)
def test_what_the_scanner_reads(text: str, value: object) -> None:
    node, found = read(text)
    assert found == []

    def plain(n: Node) -> object:
        if isinstance(n, MappingNode):
            return [(plain(k), plain(v)) for k, v in n.value]
        if isinstance(n, SequenceNode):
            return [plain(child) for child in n.value]
        return n.value

    assert plain(value_of(node, "a")) == value


def test_a_document_marker_ends_a_plain_scalar() -> None:
    assert diagnostics("a: x\n---\nb: y\n")[0][:3] == ("TC105", 2, 1)
    assert diagnostics("x\n---\ny\n")[0][:3] == ("TC105", 2, 1)  # at the top: indent 0
    assert diagnostics("x\n...\ny\n")[0][:3] == ("TC103", 3, 1)
    assert diagnostics("a: b: c\n")[0][:4] == (
        "TC103",
        1,
        5,
        "YAML syntax error: mapping values are not allowed here",
    )


def test_the_words_of_alias_problems() -> None:
    ((*_, message, _),) = diagnostics("a: &x [*x]\n")
    assert message == "an alias refers to a node that contains it (a recursive structure)"
    ((*_, message, _),) = diagnostics(billion_laughs())
    limit = f"{MAX_ALIAS_NODES:,}"
    assert (
        message == f"aliases expand this file by more than {limit} nodes (a 'billion laughs' file?)"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xff\xfea\x00", ("TC102", 1, 1, "this file is UTF-16, not UTF-8",
                           "UTF-16 is not supported: save it as UTF-8")),
        (b"\xfe\xff\x00a", ("TC102", 1, 1, "this file is UTF-16, not UTF-8",
                           "UTF-16 is not supported: save it as UTF-8")),
        (b"a: b\x00\nc\x00", ("TC102", 1, 5, "this is a binary file, not UTF-8 text", None)),
        (b"a: \xe9\n", ("TC102", 1, 4, "not UTF-8 text (byte 0xe9)", "save the file as UTF-8")),
        (b"", ("TC104", 1, 1, "the file is empty",
               "a file here holds one mapping of keys and values")),
    ],
)  # fmt: skip
def test_the_words_of_files_that_are_not_yaml_text(
    data: bytes, expected: tuple[str, int, int, str, str | None]
) -> None:
    assert diagnostics(data) == [expected]


def test_byte_order_marks_past_the_first() -> None:
    """A second BOM at the start is skipped as YAML allows; one later in a line is text."""
    node, found = read(b"\xef\xbb\xbf\xef\xbb\xbfa: b\n")
    assert found == [] and value_of(node, "a").value == "b"
    node, found = read("a: b\n\ufeffc: d\n")
    assert found == [] and value_of(node, "a").value == "b"


def test_libyaml_composes_unless_told_or_a_bom_is_inside(
    monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    """The pure-Python parser answers what libyaml refuses, files with a U+FEFF inside a
    line (libyaml counts it as two columns), and everything with $TWINCLI_PURE_YAML=1."""
    if not reader.LIBYAML:
        pytest.skip("no libyaml")
    used: list[str] = []
    real_run = reader._run

    def run(loader: Any) -> Any:
        used.append("libyaml" if isinstance(loader, reader._UntypedLoader) else "pure")
        return real_run(loader)

    monkeypatch.setattr(reader, "_run", run)
    read("a: b\n")
    read("a: b \ufeff c\n")
    read("a: [b\n")
    expected = ["libyaml", "pure", "libyaml", "pure"] if parser == "libyaml" else ["pure"] * 3
    assert used == expected
    monkeypatch.setenv(PURE_ENV, "0")
    assert reader.libyaml_used()
