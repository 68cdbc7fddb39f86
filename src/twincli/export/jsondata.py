"""The model as JSON for scripts (`twincli export json`): every record under its kind and id,
keys as the YAML spells them, in the model's field order; absent values as null; dates as ISO
strings; amounts as numbers (exact: they have at most two decimals). The same data always
gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from twincli.model import Programme, Record


def model_json(programme: Programme) -> str:
    """The whole model: `{"programme": {...}, "cohorts": {id: {...}}, "pilots": {...},
    "cities": {...}}`, each record shaped like its YAML file (`record_data`), as
    `json.dumps(..., indent=2, ensure_ascii=False)` writes it."""
    return "".join(model_json_parts(programme))


def model_json_parts(programme: Programme) -> list[str]:
    """The text of `model_json` in pieces, a record each: the records are written one at a
    time, and the whole document is never built as dicts (tens of megabytes for a large
    programme)."""
    parts = ['{\n  "programme": ', _record_json(programme, "\n  ")]
    for kind, records in (
        ("cohorts", programme.cohorts),
        ("pilots", programme.pilots),
        ("cities", programme.cities),
    ):
        parts.append(f',\n  "{kind}": ')
        separator = "{\n    "
        for key, record in sorted(records.items()):
            parts.append(f"{separator}{json.dumps(key, ensure_ascii=False)}: ")
            parts.append(_record_json(record, "\n    "))
            separator = ",\n    "
        parts.append("{}" if not records else "\n  }")
    parts.append("\n}\n")
    return parts


def _record_json(record: Record, newline: str) -> str:
    """A record as `json.dumps` writes it inside the whole document, at the indentation
    that `newline` ends with: JSON text has no line break inside a string, so each of its
    lines is indented."""
    return json.dumps(record_data(record), indent=2, ensure_ascii=False).replace("\n", newline)


def record_data(record: Record) -> dict[str, Any]:
    """A record as JSON-ready data: its keys as the YAML spells them, in field order (the id
    a record takes from its key or file name is that key, not repeated inside)."""
    return {key: _json_value(getattr(record, name)) for key, name in _json_fields(type(record))}


def _json_fields(cls: type[Record]) -> tuple[tuple[str, str], ...]:
    """(key, attribute) of each field `record_data` writes."""
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(
            (f.metadata.get("key", f.name), f.name)
            for f in dataclasses.fields(cls)
            if not (f.name == "marks" or f.metadata.get("from_key") or f.metadata.get("folder"))
        )
    return fields


_FIELDS: dict[type[Record], tuple[tuple[str, str], ...]] = {}


def _json_value(value: Any) -> Any:
    kind = type(value)
    if kind is str or value is None or kind is int:
        return value
    if isinstance(value, Record):
        return record_data(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value
