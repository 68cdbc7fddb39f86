"""The editing layer: each operation changes only the lines it means to, in the file's style.

Every test compares the text before and after line by line (as `git diff` would) and reads the
result back: comments, blank lines, quotes and flow or block style elsewhere stay as they were.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.editing import HAND_WRITTEN_CITY, line_diff
from twincli.edit.yamltext import Document, EditError, scalar
from twincli.read.reader import read_yaml


def edited(doc: Document) -> str:
    return doc.bom + doc.text


CITY = HAND_WRITTEN_CITY


def test_replace_keeps_the_quotes_and_the_comment_column() -> None:
    doc = Document(CITY).replace_scalar(["outputs", "action-plan", "status"], "approved")
    assert line_diff(CITY, edited(doc)) == (
        ['    status: "submitted"         # quoted, with an aligned comment'],
        ['    status: "approved"          # quoted, with an aligned comment'],
    )


def test_replace_in_single_quotes_and_plain() -> None:
    doc = Document(CITY).replace_scalar(["country"], "NO").replace_scalar(["cohort"], "a: b")
    assert line_diff(CITY, edited(doc)) == (
        ["country: 'ES'", "cohort: cohort-2"],
        ["country: 'NO'", 'cohort: "a: b"'],
    )
    assert doc.node(["country"]).value == "NO"  # type: ignore[union-attr]


def test_append_to_a_block_list_keeps_its_indentation() -> None:
    doc = Document(CITY).append([], "attended", "seminar-1", flow=True)
    assert line_diff(CITY, edited(doc)) == ([], ["  - seminar-1"])
    assert edited(doc).count("  - kick-off    # first\n  - seminar-1\n") == 1


def test_append_a_mapping_in_the_style_of_its_last_sibling() -> None:
    visit = {"direction": "to-partner", "city": "Valladolid", "start": "2025-01-15"}
    doc = Document(CITY).append([], "visits", visit)
    # the last visit is a flow mapping set apart by a blank line: so is the new one
    new = "  - {direction: to-partner, city: Valladolid, start: 2025-01-15}"
    assert line_diff(CITY, edited(doc)) == ([], [new, ""])
    assert "status: done}   # hosted\n\n" + new + "\n\noutputs:" in edited(doc)


def test_append_a_block_mapping_after_block_siblings() -> None:
    text = "visits:\n- direction: to-partner   # trip\n  start: 2024-10-20\nz: 1\n"
    doc = Document(text).append([], "visits", {"direction": "from-partner", "start": "2025-01-02"})
    assert edited(doc) == (
        "visits:\n- direction: to-partner   # trip\n  start: 2024-10-20\n"
        "- direction: from-partner\n  start: 2025-01-02\nz: 1\n"
    )


def test_add_a_key_to_a_flow_mapping() -> None:
    doc = Document(CITY).set_key(
        ["outputs", "learning-roadmap"], "submitted", "2025-01-20", after=["status"]
    )
    assert line_diff(CITY, edited(doc)) == (
        ["  learning-roadmap: {status: drafting}     # flow"],
        ["  learning-roadmap: {status: drafting, submitted: 2025-01-20}     # flow"],
    )


def test_add_a_key_after_the_keys_that_come_before_it() -> None:
    doc = Document(CITY).set_key(
        ["outputs", "action-plan"], "approved", "2025-02-01", after=["status", "submitted"]
    )
    removed, added = line_diff(CITY, edited(doc))
    assert (removed, added) == ([], ["    approved: 2025-02-01"])
    assert "    submitted: 2025-01-10\n    approved: 2025-02-01\n    # a comment" in edited(doc)


def test_remove_a_key_from_block_and_flow_mappings() -> None:
    doc = Document(CITY).remove_key(["outputs", "action-plan"], "submitted")
    assert line_diff(CITY, edited(doc)) == (["    submitted: 2025-01-10"], [])
    flow = "a: {status: approved, submitted: 2024-01-01, approved: 2024-02-02}  # c\n"
    for key, left in [
        ("approved", "a: {status: approved, submitted: 2024-01-01}  # c\n"),
        ("submitted", "a: {status: approved, approved: 2024-02-02}  # c\n"),
        ("status", "a: {submitted: 2024-01-01, approved: 2024-02-02}  # c\n"),
    ]:
        assert edited(Document(flow).remove_key(["a"], key)) == left
    assert Document(flow).remove_key(["a"], "absent").text == flow


def test_a_new_entry_among_block_entries_is_a_block() -> None:
    entry = {"status": "submitted", "submitted": "2025-01-20"}
    doc = Document(CITY).set_key(["outputs"], "info-session", entry, after=["action-plan"])
    assert line_diff(CITY, edited(doc)) == (
        [],
        ["  info-session:", "    status: submitted", "    submitted: 2025-01-20"],
    )
    assert edited(doc).endswith(
        "            of two lines\n" + "\n".join(line_diff(CITY, edited(doc))[1]) + "\n"
    )


def test_a_new_entry_among_flow_entries_is_flow() -> None:
    text = "outputs:\n  a: {status: drafting}\n  b: {status: submitted, submitted: 2025-01-01}\n"
    doc = Document(text).set_key(["outputs"], "c", {"status": "drafting"}, after=["a", "b"])
    assert line_diff(text, edited(doc)) == ([], ["  c: {status: drafting}"])


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("name: x\nattended:\nz: 1\n", ("attended:", "attended: [k]")),
        (
            "name: x\nattended: ~   # none yet\n",
            ("attended: ~   # none yet", "attended: [k]   # none yet"),
        ),
        ("name: x\nattended: []\n", ("attended: []", "attended: [k]")),
    ],
)
def test_an_empty_list_gets_its_first_item(text: str, changed: tuple[str, str]) -> None:
    doc = Document(text).append([], "attended", "k", flow=True)
    assert line_diff(text, edited(doc)) == ([changed[0]], [changed[1]])


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("a:\n  status: x\n  submitted:   # later\n", "  submitted: 2025-01-01   # later"),
        ("a:\n  status: x\n  submitted: ~\n", "  submitted: 2025-01-01"),
        ("a: {status: x, submitted: null}\n", "a: {status: x, submitted: 2025-01-01}"),
    ],
)
def test_an_empty_value_gets_a_value(text: str, changed: str) -> None:
    doc = Document(text).set_key(["a"], "submitted", "2025-01-01", after=["status"])
    assert line_diff(text, edited(doc))[1] == [changed]


def test_an_empty_flow_list_of_mappings_becomes_a_block_list() -> None:
    text = "name: x\nvisits: []   # none yet\noutputs: {}\n"
    doc = Document(text).append([], "visits", {"direction": "to-partner", "start": "2025-01-01"})
    assert line_diff(text, edited(doc)) == (
        ["visits: []   # none yet"],
        ["visits:   # none yet", "  - direction: to-partner", "    start: 2025-01-01"],
    )


def test_a_missing_section_is_added_apart_when_sections_are_apart() -> None:
    text = "name: x\n\ncontacts:\n  - {name: a}\n\noutputs:\n  a: {status: drafting}\n"
    doc = Document(text).append(
        [], "visits", {"direction": "to-partner", "start": "2025-01-01"}, after=["name", "contacts"]
    )
    assert edited(doc) == (
        "name: x\n\ncontacts:\n  - {name: a}\n\n"
        "visits:\n  - direction: to-partner\n    start: 2025-01-01\n\n"
        "outputs:\n  a: {status: drafting}\n"
    )


def test_a_wrapped_flow_list_wraps_again_at_its_width() -> None:
    text = (
        "attended: [kick-off, seminar-portal, workshop-roadmap, seminar-ecosystem,\n"
        "           cluster-energy, cluster-renovation, cluster-mobility, cluster-financing]\n"
    )
    short = Document(text).append([], "attended", "x", flow=True)
    assert line_diff(text, edited(short))[1] == [
        "           cluster-energy, cluster-renovation, cluster-mobility, cluster-financing, x]"
    ]
    long = Document(edited(short)).append([], "attended", "a-long-event-name-here", flow=True)
    assert line_diff(edited(short), edited(long))[1] == [
        "           cluster-energy, cluster-renovation, cluster-mobility, cluster-financing, x,",
        "           a-long-event-name-here]",
    ]


def test_a_one_line_flow_list_is_wrapped_when_it_outgrows_the_width() -> None:
    text = "attended: [" + ", ".join(f"event-{n}" for n in range(10)) + "]\n"
    doc = Document(text).append([], "attended", "event-10", flow=True)
    assert line_diff(text, edited(doc))[1] == [
        "attended: [" + ", ".join(f"event-{n}" for n in range(10)) + ",",
        "           event-10]",
    ]


def test_line_endings_bom_and_a_missing_last_line_break_are_kept() -> None:
    text = "\ufeffname: x\r\nattended:\r\n  - a\r\n  - b"
    doc = Document(text).append([], "attended", "c", flow=True)
    assert edited(doc) == "\ufeffname: x\r\nattended:\r\n  - a\r\n  - b\r\n  - c"
    assert doc.to_bytes().startswith(b"\xef\xbb\xbf")


def test_a_layout_it_cannot_follow_is_refused_not_damaged() -> None:
    text = "base: &b\n  status: drafting\noutputs:\n  a: *b\n"
    with pytest.raises(EditError, match="make it by hand"):
        Document(text).set_key(["outputs", "a"], "submitted", "2025-01-01", after=["status"])
    with pytest.raises(EditError):
        Document("- a\n- b\n")
    with pytest.raises(EditError, match="twice"):
        Document("a: 1\na: 2\n").replace_scalar(["a"], "3")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Soria", "Soria"),
        ("Eskişehir", "Eskişehir"),
        ("NO", "NO"),
        ("2025-06-30", "2025-06-30"),
        ("null", '"null"'),
        ("", '""'),
        ("a: b", '"a: b"'),
        ("x # y", '"x # y"'),
        ("[a]", '"[a]"'),
        ("a, b", '"a, b"'),
        ("*alias", '"*alias"'),
        ("!tag", '"!tag"'),
        (" padded", '" padded"'),
        ('say "hi"', 'say "hi"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("bell\x07", '"bell\\u0007"'),
    ],
)
def test_scalars_are_plain_when_they_can_be(value: str, written: str) -> None:
    assert scalar(value) == written


def read_back(text: str) -> Any:
    root, problems = read_yaml("", text.encode("utf-8"))
    assert root is not None and not problems, text
    return root


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(max_size=30), st.sampled_from([None, "'", '"']))
def test_every_text_reads_back_as_itself(value: str, style: str | None) -> None:
    written = scalar(value, style=style)
    for text, get in (
        (f"k: {written}\n", lambda r: r.value[0][1]),
        (f"[{written}]\n", lambda r: r.value[0]),
        (f"{{k: {written}}}\n", lambda r: r.value[0][1]),
    ):
        node = get(read_back(text))
        assert node.value == value, (value, written)
        assert node.style or value not in ("", "~", "null", "Null", "NULL")
