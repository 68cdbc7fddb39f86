"""The short cuts that make rendering fast give exactly what the long way gives: the sandbox's
attribute look-up, the Markdown escape of plain text, the clean-up of blank lines, the check
for left-over reports, the templates kept once loaded, and the sharing out of documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from twincli.report import render
from twincli.report.markdown import escape_cell, escape_text
from twincli.report.render import generated_files, marker_line, normalise
from twincli.report.templating import make_environment


@dataclass(frozen=True, slots=True)
class Record:
    name: str
    when: date
    amount: Decimal
    parts: tuple[str, ...]
    method: Any
    """A bound method held as data: the sandbox must still see it as one."""


RECORD = Record("Soria", date(2025, 6, 30), Decimal("12.5"), ("a", "b"), "{0.__class__}".format)
PLAIN = Record("Soria", date(2025, 6, 30), Decimal("12.5"), ("a", "b"), "plain text")
LOOK_UPS = [
    (PLAIN, "method"),  # learnt safe for Record as plain data: then a method there must not pass
    (RECORD, "name"),
    (RECORD, "when"),
    (RECORD, "amount"),
    (RECORD, "parts"),
    (RECORD, "method"),
    (RECORD, "missing"),
    (RECORD, "__class__"),
    (RECORD, "__slots__"),
    (date(2025, 6, 30), "year"),
    (date(2025, 6, 30), "today"),
    (date(2025, 6, 30), "isoformat"),
    (date, "today"),
    (date, "mro"),
    ({"overview": "README.md", "_hidden": 1}, "overview"),
    ({"overview": "README.md", "_hidden": 1}, "_hidden"),
    ({"overview": "README.md"}, "absent"),
    ({"overview": "README.md"}, "items"),
    ({"overview": "README.md"}, "get"),
    ({"overview": "README.md"}, "update"),
    ({"overview": "README.md"}, "__class__"),
    (["a"], "append"),
    (["a"], "index"),
    ("text", "format"),
    ("text", "format_map"),
    ("text", "upper"),
    ("text", "__class__"),
    (Decimal("1.5"), "quantize"),
]


def _same(fast: Any, slow: Any) -> bool:
    if isinstance(slow, jinja2.Undefined):
        return (
            type(fast) is type(slow)
            and all(
                getattr(fast, a) == getattr(slow, a)
                for a in ("_undefined_hint", "_undefined_name", "_undefined_exception")
            )
            and fast._undefined_obj is slow._undefined_obj
        )
    if getattr(slow, "__name__", None) in ("format", "format_map") and callable(slow):
        return type(fast) is type(slow) and fast.__name__ == slow.__name__  # both wrapped
    return fast is slow or bool(fast == slow)


def test_the_quick_attribute_look_up_answers_as_the_sandbox_does() -> None:
    env = make_environment(None)
    for _ in range(3):  # the first look-ups learn about the types; the later ones use that
        for obj, attr in LOOK_UPS:
            fast = env.getattr(obj, attr)
            slow = SandboxedEnvironment.getattr(env, obj, attr)
            assert _same(fast, slow), (obj, attr, fast, slow)


def test_a_method_held_as_data_is_still_sandboxed_in_a_template() -> None:
    env = make_environment(None)
    template = env.from_string("{{ r.method(r) }}")
    assert env.from_string("{{ r.method }}").render(r=PLAIN) == "plain text"
    for _ in range(2):
        with pytest.raises(jinja2.exceptions.SecurityError):
            template.render(r=RECORD)


def test_a_template_is_loaded_once_and_a_missing_one_is_not_remembered(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "mine.md.j2").write_text("{{ 1 }}", encoding="utf-8")
    env = make_environment(tmp_path)
    assert env.get_template("mine.md.j2") is env.get_template("mine.md.j2")
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("later.md.j2")
    (folder / "later.md.j2").write_text("{{ 2 }}", encoding="utf-8")
    assert env.get_template("later.md.j2").render() == "2"


SAME_AS_JINJA = [
    "{% macro item(x) %}<{{ x }}>{% endmacro %}"
    "{% for i in [1, 2] %}{{ item(i) }}{% endfor %}{% block b %}{{ item(3) }}{% endblock %}",
    "{% macro wrap() %}[{{ caller() }}]{% endmacro %}"
    "{% for i in [1, 2] %}{% call wrap() %}{{ i }}{% endcall %}{% endfor %}",
    "{% macro k(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}"
    "{{ k(1) }} {{ k(1, 3) }} {{ k(1, b=4) }} {{ k(1, 2, 5, z=6) }}",
    "{{ d.key }} {{ d.items()|list }} {{ d.get('key') }} {{ d.missing is defined }}",
    "{{ r.name }} {{ r.when.year }} {{ r.parts|join('-') }} {{ r.missing is defined }}",
    "{{ '{}!'.format(r.name) }} {{ r.amount }}",
]


@pytest.mark.parametrize("source", SAME_AS_JINJA)
def test_templates_render_as_in_jinjas_own_sandbox(source: str) -> None:
    context = {"d": {"key": "value"}, "r": RECORD}
    ours = make_environment(None).from_string(source)
    jinjas = ImmutableSandboxedEnvironment().from_string(source)
    for _ in range(2):
        assert ours.render(context) == jinjas.render(context)


def test_a_macro_can_still_raise_an_error_that_names_the_line() -> None:
    env = make_environment(None)
    source = "{% macro m(x) %}\n{{ x.nothing.deeper }}{% endmacro %}\n{{ m(1) }}"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string(source).render()


# --- escaping and blank lines ---------------------------------------------------------------


def _escape_cell_the_long_way(text: str) -> str:
    lines = [line.strip() for line in str(text).splitlines()]
    return "<br>".join(escape_text(line) for line in lines if line)


SPECIAL = [
    *"ab1 #>+-.)\\`*_[]|~$<&;\n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\xa0\u2000\u3000",
    *"\u200b\u202e\u2066\x00\x7f\x9bé9",
    *("&amp;", "&#1;", "1.", "- "),
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(SPECIAL), max_size=10).map("".join) | st.text(max_size=20))
def test_plain_text_in_a_cell_is_escaped_as_the_long_way_escapes_it(text: str) -> None:
    assert escape_cell(text) == _escape_cell_the_long_way(text)


def _normalise_with_a_regular_expression(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["\n", " ", "a", "\t", "\u3000", "\r"]), max_size=30).map("".join))
def test_blank_lines_are_collapsed_as_the_regular_expression_did(text: str) -> None:
    assert normalise(text) == _normalise_with_a_regular_expression(text)


# --- files ----------------------------------------------------------------------------------


def test_skipped_reports_are_neither_read_nor_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = marker_line(date(2025, 6, 30))
    files = {
        "README.md": f"{marker}\nx\n",
        "cohorts/c.md": f"{marker}\nx\n",
        "cities/a/one.md": f"{marker}\nx\n",
        "cities/a/hand.md": "written by hand\n",
        "cities/b/two.md": f"{marker}\nx\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    everything = list(generated_files(tmp_path))
    assert everything == ["README.md", "cities/a/one.md", "cities/b/two.md", "cohorts/c.md"]
    skip = {"cities/a/one.md", "README.md"}
    read = render.read_report

    def reading(path: Path, within: Path | None = None) -> render.ReportFile | None:
        assert path.relative_to(tmp_path).as_posix() not in skip
        return read(path, within)

    monkeypatch.setattr(render, "read_report", reading)
    assert list(generated_files(tmp_path, skip=skip)) == ["cities/b/two.md", "cohorts/c.md"]
