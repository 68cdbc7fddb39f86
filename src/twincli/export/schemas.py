"""JSON Schemas (draft-07) of the programme's files, derived from the model's dataclasses.

Never written by hand: each field's schema comes from its type hint (as `twincli.read.records` reads
it), its description from its `doc()`, each object's from its class docstring, the YAML spelling
of a key from its `key` metadata; the shape of an output's `content:` from `CONTENT_BY_OUTPUT`.

A schema describes a file as an editor sees it. The VS Code YAML extension (yaml-language-server)
reads YAML 1.2's core schema, where `country: NO` and `start: 2025-06-30` are text, `count: 3`
is a number and `true` a boolean. Each field accepts what twincli's loader accepts in that view:

- text accepts numbers and booleans too (`when: 2025` is the text '2025' to twincli);
- an id is a slug, or a whole number (`2024` is a valid id);
- a whole number or an amount may be quoted (`"3"`);
- dates are text shaped YYYY-MM-DD (`format: date` also checks the calendar);
- an optional key may be empty or null (absent); a required one may not;
- unknown keys are refused at every level (`additionalProperties: false`);
- `errorMessage` and `patternErrorMessage` (keywords of VS Code's JSON service, which other
  validators ignore) say what is expected in twincli's words.

The loader stays the authority, and checks a few things no schema here expresses: duplicate
keys, tags, merge keys and aliases; an amount with more than two decimals (`12.345`); numbers
the 1.2 core schema reads differently from plain digits (`+3`, `0x10`, `3.0` as a count); the
range of a quoted number; and everything across files (references, dates against the cohort).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import types
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from twincli import model
from twincli.countries import COUNTRY_CODES
from twincli.read.records import SLUG_MAX
from twincli.writing import write_atomic

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

SCHEMA_FOLDER = ".schemas"
"""Where `twincli schema` writes the schemas in a programme folder, and `init` puts them."""

KINDS: Mapping[str, type[model.Record]] = {
    "programme": model.Programme,
    "cohort": model.Cohort,
    "pilot": model.Pilot,
    "city": model.City,
}
"""Each kind of file, by the name `twincli schema --kind` takes."""

FILES: Mapping[str, str] = {
    "programme": "programme.yaml",
    "cohort": "cohorts/<id>.yaml",
    "pilot": "pilots/<id>.yaml",
    "city": "cities/<id>.yaml",
}

SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
DIGITS_PATTERN = "^[0-9]{1,12}$"
MONEY_PATTERN = "^[0-9]{1,12}([.][0-9]{1,2})?$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TEXT_TYPES = ["string", "number", "boolean"]


def schema_filename(kind: str) -> str:
    """`city.schema.json`."""
    return f"{kind}.schema.json"


def schema_comment(kind: str) -> str:
    """The first line of a new file of this kind: points yaml-language-server at its schema in
    the programme folder's `.schemas/` (relative to the file, which sits one folder down unless
    it is programme.yaml)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    up = "" if kind == "programme" else "../"
    return f"# yaml-language-server: $schema={up}{SCHEMA_FOLDER}/{schema_filename(kind)}"


def file_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file, as a JSON-ready dictionary."""
    cls = KINDS[kind]
    builder = _Builder()
    top = builder.record(cls)
    schema: dict[str, Any] = {
        "$schema": DRAFT_07,
        "title": f"twincli {kind} file ({FILES[kind]})",
        **top,
    }
    if builder.definitions:
        schema["definitions"] = dict(sorted(builder.definitions.items()))
    return schema


def schema_json(kind: str) -> str:
    """The schema as the text of a `.schema.json` file (stable, ends with a newline)."""
    return _dump(file_schema(kind)) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every kind's schema into `folder` (created if needed); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / schema_filename(kind)
        text = schema_json(kind)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"), durable=False)
        written.append(path)
    return written


def _dump(value: Any, indent: str = "") -> str:
    """JSON indented by two spaces, with lists of plain values on one line (the 249 country
    codes take one line, not 249)."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {_dump(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        items = [inner + _dump(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


# --- derivation -----------------------------------------------------------------------------


def _text(doc: str | None) -> str:
    """A docstring as one paragraph."""
    return " ".join(inspect.cleandoc(doc or "").split())


class _Builder:
    """Collects the definitions of the records a file's schema refers to."""

    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}

    def record(self, cls: type[model.Record], content: str | None = None) -> dict[str, Any]:
        """The object schema of a record class. For `CityOutput`, `content` is the output id
        whose content shape applies ('' for an output without content)."""
        hints = get_type_hints(cls, include_extras=True)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for f in dataclasses.fields(cls):
            if f.name == "marks" or f.metadata.get("folder") or f.metadata.get("from_key"):
                continue
            key = f.metadata.get("key", f.name)
            optional = f.default is not dataclasses.MISSING or (
                f.default_factory is not dataclasses.MISSING
            )
            if not optional:
                required.append(key)
            doc = f.metadata["doc"]
            if cls is model.CityOutput and f.name == "content":
                properties[key] = self._content(doc, content or "")
                continue
            prop = {"description": doc, **self.value(hints[f.name], nullable=optional)}
            if f.default not in (dataclasses.MISSING, None) and isinstance(f.default, str | int):
                prop["default"] = f.default
            properties[key] = prop
        schema: dict[str, Any] = {
            "description": _text(cls.__doc__),
            "type": "object",
            "properties": properties,
        }
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    def ref(self, cls: type[model.Record], content: str | None = None) -> dict[str, Any]:
        """A `$ref` to the definition of `cls` (added on first use)."""
        name = cls.__name__ if content is None else f"{cls.__name__}-{content or 'other'}"
        if name not in self.definitions:
            self.definitions[name] = {}  # reserved first: records may refer to each other
            self.definitions[name] = self.record(cls, content)
        return {"$ref": f"#/definitions/{name}"}

    def value(self, tp: Any, *, nullable: bool) -> dict[str, Any]:
        """The schema of a field's value (null allowed when the key is optional)."""
        if get_origin(tp) in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"unsupported union {tp}")
            tp = args[0]
        extras: tuple[Any, ...] = ()
        if get_origin(tp) is Annotated:
            tp, *rest = get_args(tp)
            extras = (*rest,)
        schema = self._plain(tp, extras)
        if not nullable:
            return schema
        if "$ref" in schema:
            return {"anyOf": [schema, {"type": "null"}]}
        if "enum" in schema:
            return {**schema, "enum": [*schema["enum"], None]}
        kinds = schema["type"]
        return {**schema, "type": [*(kinds if isinstance(kinds, list) else [kinds]), "null"]}

    def _plain(self, tp: Any, extras: tuple[Any, ...]) -> dict[str, Any]:
        origin = get_origin(tp)
        if model.SlugText in extras:
            return _slug()
        if model.CountryText in extras:
            return {
                "enum": sorted(COUNTRY_CODES),
                "errorMessage": "not an ISO 3166-1 alpha-2 country code: use the two-letter "
                "code in capitals, e.g. ES, GB, GR, NO",
            }
        if tp is str:
            return {"type": list(TEXT_TYPES)}
        if tp is int:
            bounds = next((e for e in extras if isinstance(e, model.Range)), model.Range())
            return _whole_number(bounds)
        if tp is Decimal:
            return {
                "type": ["number", "string"],
                "minimum": 0,
                "maximum": 999_999_999_999.99,
                "pattern": MONEY_PATTERN,
                "patternErrorMessage": "an amount in euros, e.g. 1650 or 899.50",
            }
        if tp is date:
            return {
                "type": "string",
                "format": "date",
                "pattern": DATE_PATTERN,
                "patternErrorMessage": "a date as YYYY-MM-DD, e.g. 2025-03-04",
            }
        if origin is Literal:
            return {"enum": list(get_args(tp))}
        if origin is tuple:
            item, rest = get_args(tp)
            if rest is Ellipsis:
                schema: dict[str, Any] = {
                    "type": "array",
                    "items": self.value(item, nullable=False),
                }
                if model.NonEmpty in extras:
                    schema["minItems"] = 1
                return schema
            pair = self.value(item, nullable=False)
            return {"type": "array", "items": pair, "minItems": 2, "maxItems": 2}
        if origin in (Mapping, dict):
            return self._keyed(get_args(tp)[1])
        if isinstance(tp, type) and issubclass(tp, model.Record):
            return self.ref(tp)
        raise TypeError(f"unsupported field type {tp}")

    def _keyed(self, cls: type[model.Record]) -> dict[str, Any]:
        """A mapping keyed by id. A city's outputs take the content shape of their id."""
        schema: dict[str, Any] = {
            "type": "object",
            "propertyNames": {"pattern": SLUG_PATTERN, "maxLength": SLUG_MAX},
        }
        if cls is model.CityOutput:
            schema["properties"] = {
                output: {
                    "description": f"Where the city stands with its {output}, and the "
                    f"document's content: {_text(shape.__doc__).removeprefix('Content of ')}",
                    "allOf": [self.ref(cls, output)],
                }
                for output, shape in model.CONTENT_BY_OUTPUT.items()
            }
            schema["additionalProperties"] = self.ref(cls, "")
        else:
            schema["additionalProperties"] = self.ref(cls)
        return schema

    def _content(self, doc: str, output: str) -> dict[str, Any]:
        shape = model.CONTENT_BY_OUTPUT.get(output)
        if shape is None:
            ids = ", ".join(model.CONTENT_BY_OUTPUT)
            return {
                "description": f"{doc} Only these outputs have content: {ids}; leave it out here.",
                "type": "null",
            }
        return {"description": doc, "anyOf": [self.ref(shape), {"type": "null"}]}


def _slug() -> dict[str, Any]:
    # `pattern` and `maxLength` constrain text only, `minimum` numbers only: `2024` is an id.
    return {
        "type": ["string", "integer"],
        "pattern": SLUG_PATTERN,
        "maxLength": SLUG_MAX,
        "minimum": 0,
        "patternErrorMessage": "an id: lower-case letters, digits and single hyphens",
    }


def _whole_number(bounds: model.Range) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": ["integer", "string"],
        "pattern": DIGITS_PATTERN,
        "patternErrorMessage": "a whole number, e.g. 2",
    }
    schema["minimum"] = bounds.low if bounds.low is not None else 0
    schema["maximum"] = bounds.high if bounds.high is not None else 999_999_999_999
    return schema
