"""The JSON Schemas for editors: derived from the model, valid draft-07, accepting the example
programme, and agreeing with the loader on good and bad files (`twincli schema`)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

import jsonschema
import pytest

from tests import yaml12
from tests.support.cli import invoke
from tests.support.folders import (
    EXAMPLE,
    MINIMAL_CITY,
    MINIMAL_COHORT,
    MINIMAL_PILOT,
    MINIMAL_PROGRAMME,
    build_tree,
)
from twincli import model
from twincli.export import schemas
from twincli.read import records
from twincli.read.reader import read_yaml

FOLDER_KIND = {"cohorts": "cohort", "pilots": "pilot", "cities": "city"}


def validator(kind: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        schemas.file_schema(kind), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def schema_errors(kind: str, text: str) -> list[str]:
    return [e.message for e in validator(kind).iter_errors(yaml12.load(text))]


def loader_errors(kind: str, text: str) -> list[str]:
    """What twincli's loader finds in one file on its own (no cross-file rules)."""
    node, found = read_yaml("file.yaml", text.encode())
    if node is not None:
        cls = schemas.KINDS[kind]
        _, built = records.build(cls, node, "file.yaml", None if kind == "programme" else "x")
        found = found + built
    return [f"{d.code} {d.message}" for d in found]


@pytest.mark.parametrize("kind", list(schemas.KINDS))
def test_each_schema_is_valid_draft_07(kind: str) -> None:
    generated = schemas.file_schema(kind)
    assert generated["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(generated)
    assert json.loads(schemas.schema_json(kind)) == generated


def walk(node: Any, path: str = "#") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


@pytest.mark.parametrize("kind", list(schemas.KINDS))
def test_every_property_and_object_is_described(kind: str) -> None:
    generated = schemas.file_schema(kind)
    for path, node in walk(generated):
        if isinstance(node, dict) and path.endswith("/properties"):
            for key, prop in node.items():
                assert prop.get("description"), f"{path}/{key}"
        if isinstance(node, dict) and node.get("type") == "object" and "properties" in node:
            assert node.get("description"), path
            assert node["additionalProperties"] is False, path


def model_classes() -> Iterator[type[model.Record]]:
    seen: set[type[model.Record]] = set()
    todo: list[type[model.Record]] = [*schemas.KINDS.values(), *model.CONTENT_BY_OUTPUT.values()]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        for hint in get_type_hints(cls, include_extras=True).values():
            for found in _types_in(hint):
                if isinstance(found, type) and issubclass(found, model.Record):
                    todo.append(found)


def _types_in(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in get_args(tp):
        yield from _types_in(arg)


def test_every_closed_vocabulary_is_an_enum() -> None:
    """Each Literal field of each class becomes an `enum` of exactly its words, and the keys
    of every schema object are the YAML spellings of the class's fields."""
    definitions = {
        name: d
        for kind in schemas.KINDS
        for name, d in schemas.file_schema(kind).get("definitions", {}).items()
    }
    for kind, cls in schemas.KINDS.items():
        definitions[cls.__name__] = schemas.file_schema(kind)
    checked = 0
    for cls in model_classes():
        names = [n for n in definitions if n == cls.__name__ or n.startswith(cls.__name__ + "-")]
        assert names, cls
        hints = get_type_hints(cls, include_extras=True)
        for name in names:
            props = definitions[name]["properties"]
            keys = [
                f.metadata.get("key", f.name)
                for f in dataclasses.fields(cls)
                if f.name != "marks" and not f.metadata.get("folder")
                if not f.metadata.get("from_key")
            ]
            assert list(props) == keys
            for f in dataclasses.fields(cls):
                words = _literal_words(hints[f.name])
                if words:
                    enum = props[f.metadata.get("key", f.name)]["enum"]
                    assert [w for w in enum if w is not None] == list(words)
                    checked += 1
    assert checked >= 10


def _literal_words(tp: Any) -> tuple[str, ...]:
    for found in _types_in(tp):
        if get_origin(found) is Literal:
            return get_args(found)
    return ()


def example_files() -> list[tuple[str, Path]]:
    files = [("programme", EXAMPLE / "programme.yaml")]
    for folder, kind in FOLDER_KIND.items():
        files += [(kind, p) for p in sorted((EXAMPLE / folder).glob("*.yaml"))]
    return files


@pytest.mark.parametrize(
    ("kind", "path"), example_files(), ids=[p.name for _, p in example_files()]
)
def test_the_example_programme_matches_its_schemas(kind: str, path: Path) -> None:
    assert schema_errors(kind, path.read_text(encoding="utf-8")) == []


CITY = MINIMAL_CITY
MODULES = "    months: 18\n    modules:\n      one: "


def edit(old: str, new: str) -> str:
    """The minimal programme.yaml with one change."""
    assert old in MINIMAL_PROGRAMME
    return MINIMAL_PROGRAMME.replace(old, new)


VISIT = """\
visits:
  - direction: to-partner
    city: Vitoria-Gasteiz
    start: 2024-11-05
    status: done
"""
ROADMAP = """\
outputs:
  learning-roadmap:
    status: drafting
    content:
      objectives:
        - {title: One-stop shop, questions: [How?], indicator: 3 buildings}
"""
ASSESSMENT = """\
outputs:
  transferability-assessment:
    status: drafting
    content:
      practices:
        - practice: One-stop shop
          scores: {governance: 4, finance: 2}
          verdict: adapt
"""

# (kind, file text, whether it is valid on its own): the schema and the loader must agree.
CASES: list[tuple[str, str, bool]] = [
    ("programme", MINIMAL_PROGRAMME, True),
    ("programme", edit("months: 18", 'months: "18"'), True),
    ("programme", edit("months: 18", "months: 0"), False),
    ("programme", edit("months: 18", "months: 241"), False),
    ("programme", edit("months: 18", "months: eighteen"), False),
    ("programme", edit("months: 18", "months: 18\n    partner: city"), False),
    ("programme", edit("count: 3,", "count: -1,"), False),
    ("programme", edit("count: 3,", "count: true,"), False),
    ("programme", edit("traveller_eur: 900", "traveller_eur: 899.5"), True),
    ("programme", edit("traveller_eur: 900", "traveller_eur: '899.50'"), True),
    ("programme", edit("traveller_eur: 900", "traveller_eur: -1"), False),
    ("programme", edit("max_travellers: 2", "max_travellers: 0"), False),
    ("programme", edit("  tlp-18:", "  TLP 18:"), False),
    ("programme", edit("    months: 18\n", MODULES + "{title: One, months: [1, 5]}\n"), True),
    ("programme", edit("    months: 18\n", MODULES + "{title: One, months: [1]}\n"), False),
    ("programme", edit("    months: 18\n", MODULES + "\n"), False),
    ("programme", edit("name: Test programme\n", ""), False),
    ("programme", edit("name: Test programme", "name:"), False),
    ("programme", edit("name: Test programme", "name: 2026"), True),
    ("programme", MINIMAL_PROGRAMME + "nmae: x\n", False),
    ("cohort", MINIMAL_COHORT, True),
    ("cohort", MINIMAL_COHORT + "title: 2024\nselected: ~\n", True),
    ("cohort", MINIMAL_COHORT.replace("start: 2024-09-30", "start: 30/09/2024"), False),
    ("cohort", MINIMAL_COHORT.replace("start: 2024-09-30", "start: 2024-9-30"), False),
    ("cohort", MINIMAL_COHORT.replace("start: 2024-09-30", "start: 2024-02-30"), False),
    ("cohort", MINIMAL_COHORT.replace("start: 2024-09-30", 'start: "2024-09-30"'), True),
    ("cohort", MINIMAL_COHORT.replace("  kick-off:", "  Kick Off:"), False),
    ("cohort", MINIMAL_COHORT.replace("{activity: kick-off, ", "{"), False),
    ("cohort", MINIMAL_COHORT + "  seminar-2:\n", False),
    ("cohort", MINIMAL_COHORT.replace("edition: tlp-18", "edition: 2024"), True),
    ("cohort", MINIMAL_COHORT.replace("edition: tlp-18", "edition: tlp_18"), False),
    ("pilot", MINIMAL_PILOT, True),
    ("pilot", MINIMAL_PILOT + "kind: mission-city\ndomains: [energy, buildings]\n", True),
    ("pilot", MINIMAL_PILOT + "kind: city\n", False),
    ("pilot", MINIMAL_PILOT + "domains: energy\n", False),
    ("pilot", "title: X\ncities: []\n", False),
    ("pilot", "title: X\ncities:\n  - {name: Trondheim, country: NO}\n", True),
    ("pilot", "title: X\ncities:\n  - {name: Trondheim, country: no}\n", False),
    ("pilot", "title: X\ncities:\n  - {name: Belfast, country: UK}\n", False),
    ("pilot", "title: X\ncities:\n  - {name: Trondheim}\n", False),
    ("pilot", "title: X\ncities:\n  -\n", False),
    ("city", CITY, True),
    ("city", CITY.replace("name: Soria", "name: 1234"), True),
    ("city", CITY.replace("name: Soria", "name: true"), True),
    ("city", CITY.replace("name: Soria", 'name: ""'), True),
    ("city", CITY + "status:\nwithdrawn: ~\ncontacts: []\n", True),
    ("city", CITY + "status: withdrawn\nwithdrawn: {date: 2025-01-31, reason: budget}\n", True),
    ("city", CITY + "status: gone\n", False),
    ("city", CITY.replace("attended:", "atended:"), False),
    ("city", CITY.replace("pilot: urbanew\n", ""), False),
    ("city", CITY.replace("pilot: urbanew", "pilot:"), False),
    ("city", CITY.replace("pilot: urbanew", "pilot: ~"), False),
    ("city", CITY.replace("country: ES", "country: UK"), False),
    ("city", CITY.replace("country: ES", "country: es"), False),
    ("city", CITY.replace("[kick-off]", "kick-off"), False),
    ("city", CITY.replace("[kick-off]", "[Kick Off]"), False),
    ("city", CITY.replace("[kick-off]", "[2024, seminar-1]"), True),
    ("city", CITY.replace("[kick-off]", "[1.5]"), False),
    ("city", CITY.replace("[kick-off]", "[[kick-off]]"), False),
    ("city", CITY.replace("attended: [kick-off]", "attended:\n  - kick-off\n  -"), False),
    ("city", CITY + "contacts:\n  - {role: lead}\n", False),
    ("city", CITY + "contacts:\n  - {name: Ana Pérez, role: lead, email: ana@example.org}\n", True),
    ("city", CITY + VISIT, True),
    ("city", CITY + VISIT + "    travellers: 2\n    claimed_eur: 899.50\n", True),
    ("city", CITY + VISIT + '    travellers: "2"\n    claimed_eur: "1650"\n', True),
    ("city", CITY + VISIT + "    travellers: 0\n", False),
    ("city", CITY + VISIT + "    travellers: two\n", False),
    ("city", CITY + VISIT + "    claimed_eur: -5\n", False),
    ("city", CITY + VISIT + "    claimed_eur: 12,50\n", False),
    ("city", CITY + VISIT.replace("2024-11-05", "2024-11-5"), False),
    ("city", CITY + VISIT.replace("2024-11-05", "2024-11-31"), False),
    ("city", CITY + VISIT.replace("to-partner", "sideways"), False),
    ("city", CITY + VISIT.replace("    start: 2024-11-05\n", ""), False),
    ("city", CITY + VISIT.replace("status: done", "status: doen"), False),
    ("city", CITY + ROADMAP, True),
    ("city", CITY + ROADMAP.replace("status: drafting", "status: aproved"), False),
    ("city", CITY + ROADMAP.replace("title: One-stop", "titel: One-stop"), False),
    ("city", CITY + ROADMAP.replace("objectives:", "actions:"), False),
    ("city", CITY + ROADMAP.replace("learning-roadmap", "site-report"), False),
    ("city", CITY + ROADMAP.replace("learning-roadmap", "Learning Roadmap"), False),
    ("city", CITY + ROADMAP.replace("learning-roadmap", "action-plan"), False),
    ("city", CITY + "outputs:\n  site-report: {status: drafting, content: ~}\n", True),
    ("city", CITY + "outputs:\n  site-report: {status: approved, approved: 2025-01-02}\n", True),
    ("city", CITY + "outputs:\n  learning-roadmap:\n", False),
    ("city", CITY + "outputs:\n  learning-roadmap: {status: drafting, content: [a]}\n", False),
    ("city", CITY + ASSESSMENT, True),
    ("city", CITY + ASSESSMENT.replace("finance: 2", "finance: 7"), False),
    ("city", CITY + ASSESSMENT.replace("finance: 2", "finance: '5'"), True),
    ("city", CITY + ASSESSMENT.replace("verdict: adapt", "verdict: maybe"), False),
    (
        "city",
        CITY + "outputs:\n  action-plan:\n    status: drafting\n    content:\n"
        "      actions:\n        - {id: a1, title: Shop, budget_eur: 120000, start: 2025-01-01}\n",
        True,
    ),
    (
        "city",
        CITY + "outputs:\n  info-session:\n    status: drafting\n    content:\n"
        "      {date: 2025-01-01, attendees: 40, audience: [council], topics: [heat]}\n",
        True,
    ),
    ("city", "- Soria\n", False),
    ("city", "# nothing yet\n", False),
    ("city", "Soria\n", False),
]


@pytest.mark.parametrize(("kind", "text", "valid"), CASES)
def test_schema_and_loader_agree(kind: str, text: str, valid: bool) -> None:
    from_loader = loader_errors(kind, text)
    from_schema = schema_errors(kind, text)
    assert (not from_loader) is valid, from_loader
    assert (not from_schema) is valid, from_schema


def test_a_file_starting_with_its_schema_comment_loads_and_points_at_the_schema(
    tmp_path: Path,
) -> None:
    root = build_tree(
        tmp_path,
        {
            "programme.yaml": schemas.schema_comment("programme") + "\n" + MINIMAL_PROGRAMME,
            "cities/soria.yaml": schemas.schema_comment("city") + "\n" + MINIMAL_CITY,
        },
    )
    written = schemas.write_schemas(root / schemas.SCHEMA_FOLDER)
    assert [p.name for p in written] == [f"{k}.schema.json" for k in schemas.KINDS]
    for kind, file in (("programme", "programme.yaml"), ("city", "cities/soria.yaml")):
        first = (root / file).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        target = (root / file).parent / first.split("$schema=")[1]
        assert target.resolve() == (root / ".schemas" / f"{kind}.schema.json").resolve()
    from twincli.check.validate import validate_folder

    assert validate_folder(root, __import__("datetime").date(2025, 6, 30)).diagnostics == ()


def test_schema_comment_knows_the_kinds() -> None:
    assert schemas.schema_comment("pilot") == (
        "# yaml-language-server: $schema=../.schemas/pilot.schema.json"
    )
    with pytest.raises(ValueError, match="unknown kind"):
        schemas.schema_comment("cities")


# --- twincli schema ---------------------------------------------------------------------------


def test_cli_prints_one_kind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("schema", "--kind", "city")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == schemas.schema_json("city")
    assert result.stderr == ""


def test_cli_writes_into_the_programme_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = build_tree(tmp_path / "prog", {})
    monkeypatch.chdir(root / "cities")
    result = invoke("schema")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    for kind in schemas.KINDS:
        written = root / ".schemas" / f"{kind}.schema.json"
        assert written.read_text(encoding="utf-8") == schemas.schema_json(kind)
        assert f"wrote {written}\n" in result.stderr  # outside the current folder: absolute


def test_cli_writes_to_out(tmp_path: Path) -> None:
    result = invoke("schema", "--out", str(tmp_path / "s"))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "city.schema.json",
        "cohort.schema.json",
        "pilot.schema.json",
        "programme.schema.json",
    ]
    one = invoke("schema", "--kind", "pilot", "--out", str(tmp_path / "t"))
    assert one.exit_code == 0
    assert [p.name for p in (tmp_path / "t").iterdir()] == ["pilot.schema.json"]


def test_cli_without_a_folder_or_with_a_bad_kind_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("schema")
    assert result.exit_code == 2
    assert "--out DIR" in result.stderr
    bad = invoke("schema", "--kind", "cities")
    assert bad.exit_code == 2
    (tmp_path / "file").write_text("x")
    blocked = invoke("schema", "--out", str(tmp_path / "file"))
    assert blocked.exit_code == 2
    assert "not a folder" in blocked.stderr
