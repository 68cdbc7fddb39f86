"""One file's loading result as JSON: the format of the cache and of the worker processes.

Reading a file gives its record (or nothing) and its diagnostics. `encode` turns them into one
line of JSON text; `decode` turns that line back into equal objects: the same record, field
for field and mark for mark, and the same diagnostics in the same order. Both walk the model's
fields (`records.typed_fields`). The data was checked when it was read, so decoding does not
check it again; but a line is taken only when it has exactly the shape the model gives it
(every value of its field's type, every position within the line's numbers), so that a
damaged line is never half believed: `decode` raises ValueError, and the file is read again.

The line is `[diagnostics, record, positions]`:

- diagnostics: `[code, message, line, column, hint]` each (the file is the one read), and
  `cause` when it has one: `[file, line, column, code, before, after, counts, record]`;
- record: `null` when the file gave none, else `[marks, items, entries, broken, field...]`
  with the fields in the class's order; records inside it are lists of the same shape, dates
  are ISO text and amounts are decimal text;
- positions: every line and column number of the file's marks (`twincli.marks`), as 32-bit
  little-endian integers in base64 (numbers are most of a file's marks: so they decode fast,
  and are integers by construction); `marks` is where a record's own numbers start in it.
"""

from __future__ import annotations

import binascii
import json
import sys
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, get_args, get_origin

from twincli import model
from twincli.codes import BY_CODE, severity_of
from twincli.diagnostics import Cause, Diagnostic, Location
from twincli.marks import Marks
from twincli.read.records import (
    INVALID,
    once_per_class,
    record_spec,
    strip_optional,
    typed_fields,
)

FORMAT = 3
"""Bump when the encoding changes: entries of another format are not read."""

_BIG_ENDIAN = sys.byteorder == "big"


def encode(record: Any, diagnostics: list[Diagnostic], file: str) -> str:
    """One line of JSON for a file's record (or records.INVALID) and diagnostics."""
    pool: list[int] = []
    found = []
    for d in diagnostics:
        loc = d.location
        if loc.file != file:  # pragma: no cover - every diagnostic of a file names it
            raise ValueError(f"a diagnostic of {file} names {loc.file}")
        row: list[Any] = [d.code, d.message, loc.line, loc.column, d.hint]
        if d.cause is not None:
            c = d.cause
            at = c.location
            row.append([at.file, at.line, at.column, c.code, c.before, c.after, c.counts, c.record])
        found.append(row)
    encoded = None if record is INVALID else _encode_record(record, pool)
    numbers = array("I", pool)
    if _BIG_ENDIAN:  # pragma: no cover - the cache of a big-endian machine
        numbers.byteswap()
    packed = binascii.b2a_base64(numbers.tobytes(), newline=False).decode("ascii")
    return json.dumps([found, encoded, packed], ensure_ascii=False, separators=(",", ":"))


def decode(text: str, cls: type[model.Record], file: str) -> tuple[Any, list[Diagnostic]]:
    """The record (or records.INVALID) and diagnostics of `encode`'s line for `file`, read as
    `cls`. Raises ValueError on a line that is not exactly one."""
    try:
        line = json.loads(text)
        _expect(type(line) is list and len(line) == 3)
        found, encoded, packed = line
        _expect(type(found) is list and type(packed) is str)
        diagnostics = [_diagnostic(row, file) for row in found]
        if encoded is None:
            return INVALID, diagnostics
        numbers = array("I")
        numbers.frombytes(binascii.a2b_base64(packed, strict_mode=True))
        if _BIG_ENDIAN:  # pragma: no cover
            numbers.byteswap()
        return _decode_record(encoded, cls, _Reading(file, tuple(numbers))), diagnostics
    except (ValueError, TypeError, KeyError, InvalidOperation, binascii.Error) as exc:
        raise ValueError(f"not a snapshot of {file}: {exc}") from None


def _expect(condition: bool) -> None:
    if not condition:
        raise ValueError("not of the model's shape")


def _diagnostic(row: Any, file: str) -> Diagnostic:
    _expect(type(row) is list and len(row) in (5, 6))
    code, message, line, column, hint = row[:5]
    _expect(code in BY_CODE and type(message) is str and type(line) is type(column) is int)
    _expect(hint is None or type(hint) is str)
    cause = _cause(row[5]) if len(row) == 6 else None
    return Diagnostic(code, severity_of(code), message, Location(file, line, column), hint, cause)


def _cause(row: Any) -> Cause:
    _expect(type(row) is list and len(row) == 8)
    file, line, column, code, *words = row
    _expect(type(file) is str and type(line) is type(column) is int and code in BY_CODE)
    _expect(all(type(word) is str for word in words))
    before, after, counts, record = words
    return Cause(Location(file, line, column), code, before, after, counts, record)


# --- how each field is written: its kind, read once per class from its type ------------------

SCALAR, DATE, AMOUNT, RECORD, CONTENT, LIST, PAIR, MAPPING = range(8)


@dataclass(frozen=True, slots=True)
class _Shape:
    """How a value is written: its kind; `of` (a class for RECORD, a shape for LIST, PAIR and
    MAPPING; for SCALAR the type, or the words of a Literal); whether it may be None."""

    kind: int
    of: Any
    optional: bool = False


@dataclass(frozen=True, slots=True)
class _Plan:
    """A model class's fields, each with its shape, and what its marks need."""

    fields: tuple[tuple[str, _Shape], ...]
    layout: Mapping[str, int]
    width: int


@once_per_class
def _plan(cls: type[model.Record]) -> _Plan:
    spec = record_spec(cls)
    fields = []
    for f, hint in typed_fields(cls):
        if f.name == "content" and cls is model.CityOutput:
            # Its class depends on the output's id (model.CONTENT_BY_OUTPUT).
            fields.append((f.name, _Shape(CONTENT, model.CONTENT_BY_OUTPUT, optional=True)))
        else:
            fields.append((f.name, _shape(hint)))
    return _Plan(tuple(fields), spec.layout, spec.width)


def _shape(hint: Any) -> _Shape:
    tp = strip_optional(hint)
    optional = tp is not hint and type(None) in get_args(hint)
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, model.Record):
        return _Shape(RECORD, tp, optional)
    if origin is tuple:
        first, rest = get_args(tp)
        return _Shape(LIST if rest is Ellipsis else PAIR, _shape(first), optional)
    if origin is Mapping or origin is dict:
        return _Shape(MAPPING, _shape(get_args(tp)[1]), optional)
    if tp is date:
        return _Shape(DATE, date, optional)
    if tp is Decimal:
        return _Shape(AMOUNT, Decimal, optional)
    if origin is Literal:
        return _Shape(SCALAR, frozenset(get_args(tp)), optional)
    if tp in (str, int):
        return _Shape(SCALAR, tp, optional)
    raise TypeError(f"no snapshot of {hint}")  # pragma: no cover - a new kind of field


# --- writing ---------------------------------------------------------------------------------


def _encode_record(record: Any, pool: list[int]) -> list[Any]:
    encoded = _encode_marks(record.marks, pool)
    for name, shape in _plan(type(record)).fields:
        encoded.append(_encode_value(getattr(record, name), shape, pool))
    return encoded


def _encode_value(value: Any, shape: _Shape, pool: list[int]) -> Any:
    kind = shape.kind
    if value is None or kind == SCALAR:
        return value
    if kind == DATE:
        return value.isoformat()
    if kind == AMOUNT:
        return str(value)
    if kind in (RECORD, CONTENT):
        return _encode_record(value, pool)
    if kind == MAPPING:
        return {key: _encode_value(item, shape.of, pool) for key, item in value.items()}
    return [_encode_value(item, shape.of, pool) for item in value]  # LIST, PAIR


def _encode_marks(marks: Marks, pool: list[int]) -> list[Any]:
    start = len(pool)
    pool.append(marks.line)
    pool.append(marks.column)
    pool.extend(marks.positions)
    items: dict[str, list[int]] | None = None
    if marks.items is not None:
        items = {}
        for name, pairs in marks.items.items():
            items[name] = [len(pool), len(pairs)]
            for line, column in pairs:
                pool.append(line)
                pool.append(column)
    entries: dict[str, dict[str, int]] | None = None
    if marks.entries is not None:
        entries = {}
        for name, ids in marks.entries.items():
            entries[name] = at = {}
            for ident, (line, column) in ids.items():
                at[ident] = len(pool)
                pool.append(line)
                pool.append(column)
    return [start, items, entries, list(marks.broken) if marks.broken else None]


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reading:
    """The file a line is read for, and its numbers."""

    file: str
    pool: tuple[int, ...]


def _decode_record(encoded: Any, cls: type[model.Record], reading: _Reading) -> Any:
    plan = _plan(cls)
    _expect(type(encoded) is list and len(encoded) == 4 + len(plan.fields))
    values: dict[str, Any] = {}
    for (name, shape), item in zip(plan.fields, encoded[4:], strict=True):
        if shape.kind == CONTENT and item is not None:
            values[name] = _decode_record(item, shape.of[values["id"]], reading)
        else:
            values[name] = _decode_value(item, shape, reading)
    return cls(marks=_decode_marks(encoded, plan, reading), **values)


def _decode_value(item: Any, shape: _Shape, reading: _Reading) -> Any:
    if item is None:
        _expect(shape.optional)
        return None
    kind, of = shape.kind, shape.of
    if kind == SCALAR:
        _expect(item in of if type(of) is frozenset else type(item) is of)
        return item
    if kind in (DATE, AMOUNT):
        _expect(type(item) is str)
        return date.fromisoformat(item) if kind == DATE else _amount(item)
    if kind == RECORD:
        return _decode_record(item, of, reading)
    if kind == MAPPING:
        _expect(type(item) is dict)
        return {key: _decode_value(value, of, reading) for key, value in item.items()}
    _expect(type(item) is list and (kind == LIST or len(item) == 2))  # LIST, PAIR
    return tuple([_decode_value(value, of, reading) for value in item])


def _amount(text: str) -> Decimal:
    amount = Decimal(text)
    _expect(amount.is_finite())
    return amount


def _decode_marks(encoded: list[Any], plan: _Plan, reading: _Reading) -> Marks:
    start, items, entries, broken = encoded[:4]
    pool = reading.pool
    _expect(type(start) is int and start >= 0 and start + 2 + plan.width <= len(pool))
    marks = Marks(
        reading.file,
        pool[start],
        pool[start + 1],
        plan.layout,
        pool[start + 2 : start + 2 + plan.width],
    )
    if items is not None:
        _expect(type(items) is dict)
        marks.items = {name: _pairs(where, pool) for name, where in items.items()}
    if entries is not None:
        _expect(type(entries) is dict)
        marks.entries = {name: _entries(ids, pool) for name, ids in entries.items()}
    if broken is not None:
        _expect(type(broken) is list and all(type(name) is str for name in broken))
        marks.broken = tuple(broken)
    return marks


def _pairs(where: Any, pool: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    _expect(type(where) is list and len(where) == 2)
    at, count = where
    _expect(type(at) is int and type(count) is int and at >= 0 and count >= 0)
    _expect(at + 2 * count <= len(pool))
    return tuple(zip(pool[at : at + 2 * count : 2], pool[at + 1 : at + 2 * count : 2], strict=True))


def _entries(ids: Any, pool: tuple[int, ...]) -> dict[str, tuple[int, int]]:
    _expect(type(ids) is dict)
    found = {}
    for ident, at in ids.items():
        _expect(type(at) is int and at >= 0 and at + 2 <= len(pool))
        found[ident] = (pool[at], pool[at + 1])
    return found
