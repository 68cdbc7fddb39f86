"""One file's loading result as JSON: the format of the cache and of the worker processes.

Reading a file gives its record (or nothing) and its diagnostics. `encode` turns them into one
line of JSON text; `decode` turns that line back into equal objects: the same record, field
for field and mark for mark, and the same diagnostics in the same order. The data was checked
when it was read, so decoding does not check it again: each model class gets a decoder (and an
encoder), generated once from its fields like the dataclasses' own `__init__`, that calls the
class's constructor directly.

The line is `[diagnostics, record, positions]`:

- diagnostics: `[code, message, line, column, hint]` each (the file is the one read);
- record: `null` when the file gave none, else `[marks, items, entries, broken, field...]`
  with the fields in the class's order; records inside it are lists of the same shape, dates
  are ISO text and amounts are decimal text;
- positions: every line and column number of the file's marks (`twincli.marks`), as 32-bit
  little-endian integers in base64 (numbers are most of a file's marks, and this is how they
  decode fastest); `marks` is where a record's own numbers start in it.
"""

from __future__ import annotations

import binascii
import dataclasses
import json
import sys
from array import array
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal, get_args, get_origin, get_type_hints

from twincli import model
from twincli.codes import severity_of
from twincli.diagnostics import Diagnostic, Location
from twincli.marks import Marks
from twincli.read.records import INVALID, record_spec, strip_optional

FORMAT = 1
"""Bump when the encoding changes: entries of another format are not read."""

Encoder = Callable[[Any, list[int]], list[Any]]
Decoder = Callable[[list[Any], str, tuple[int, ...]], Any]

_BIG_ENDIAN = sys.byteorder == "big"


def encode(record: Any, diagnostics: list[Diagnostic], file: str) -> str:
    """One line of JSON for a file's record (or schema.INVALID) and diagnostics."""
    pool: list[int] = []
    found = []
    for d in diagnostics:
        loc = d.location
        if loc.file != file:  # pragma: no cover - every diagnostic of a file names it
            raise ValueError(f"a diagnostic of {file} names {loc.file}")
        found.append([d.code, d.message, loc.line, loc.column, d.hint])
    encoded = None if record is INVALID else _codec(type(record))[0](record, pool)
    numbers = array("I", pool)
    if _BIG_ENDIAN:  # pragma: no cover - the cache of a big-endian machine
        numbers.byteswap()
    packed = binascii.b2a_base64(numbers.tobytes(), newline=False).decode("ascii")
    return json.dumps([found, encoded, packed], ensure_ascii=False, separators=(",", ":"))


def decode(text: str, cls: type[model.Record], file: str) -> tuple[Any, list[Diagnostic]]:
    """The record (or schema.INVALID) and diagnostics of `encode`'s line for `file`, read as
    `cls`. Raises ValueError (or another exception) on a line that is not one."""
    found, encoded, packed = json.loads(text)
    diagnostics = [
        Diagnostic(code, severity_of(code), message, Location(file, line, column), hint)
        for code, message, line, column, hint in found
    ]
    if encoded is None:
        return INVALID, diagnostics
    numbers = array("I")
    numbers.frombytes(binascii.a2b_base64(packed))
    if _BIG_ENDIAN:  # pragma: no cover
        numbers.byteswap()
    return _codec(cls)[1](encoded, file, tuple(numbers)), diagnostics


# --- marks ----------------------------------------------------------------------------------


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


def _marks_decoder(
    layout: Mapping[str, int], width: int
) -> Callable[[list[Any], str, tuple[int, ...]], Marks]:
    def decode_marks(v: list[Any], file: str, pool: tuple[int, ...]) -> Marks:
        return _LazyMarks(file, (v[0], v[1], v[2], v[3], pool, layout, width))

    return decode_marks


class _LazyMarks(Marks):
    """Marks decoded when first read: most records' marks are only read to report a problem
    with them, so most are never decoded (a quarter of the time decoding takes)."""

    __slots__ = ("_snapshot",)
    _snapshot: tuple[Any, ...] | None

    def __init__(self, file: str, snapshot: tuple[Any, ...]) -> None:
        self.file = file
        self._snapshot = snapshot

    def __getattr__(self, name: str) -> Any:
        """Called for a mark not decoded yet: decode them all."""
        if name == "_snapshot":
            raise AttributeError(name)
        found = self._snapshot
        if found is None:
            raise AttributeError(name)
        start, items, entries, broken, pool, layout, width = found
        self._snapshot = None
        self.line = pool[start]
        self.column = pool[start + 1]
        self.layout = layout
        self.positions = pool[start + 2 : start + 2 + width]
        self.items = items and {
            key: tuple(zip(pool[at : at + 2 * n : 2], pool[at + 1 : at + 2 * n : 2], strict=True))
            for key, (at, n) in items.items()
        }
        self.entries = entries and {
            key: {ident: pool[at : at + 2] for ident, at in ids.items()}
            for key, ids in entries.items()
        }
        self.broken = tuple(broken) if broken else ()
        return getattr(self, name)


# --- one encoder and decoder per class, generated from its fields ---------------------------

_CODECS: dict[type[model.Record], tuple[Encoder, Decoder]] = {}


def _codec(cls: type[model.Record]) -> tuple[Encoder, Decoder]:
    codec = _CODECS.get(cls)
    if codec is None:
        codec = _CODECS[cls] = _generate(cls)
    return codec


def _is_record(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, model.Record)


def _scalar_code(tp: Any, value: str) -> tuple[str, str]:
    """Expressions that encode and decode a scalar `value` of type `tp` (never None)."""
    if tp is date:
        return f"{value}.isoformat()", f"_date({value})"
    if tp is Decimal:
        return f"str({value})", f"_Decimal({value})"
    if tp in (str, int) or get_origin(tp) is Literal:
        return value, value
    raise TypeError(f"no snapshot of {tp}")  # pragma: no cover - a new kind of field


def _generate(cls: type[model.Record]) -> tuple[Encoder, Decoder]:
    """Source code for `cls`'s encoder and decoder, compiled once. The classes a record
    holds get theirs first (the model has no recursive types)."""
    spec = record_spec(cls)
    hints = get_type_hints(cls, include_extras=True)
    names: dict[str, Any] = {
        "_cls": cls,
        "_date": date.fromisoformat,
        "_Decimal": Decimal,
        "_encode_marks": _encode_marks,
        "_decode_marks": _marks_decoder(spec.layout, spec.width),
        "_codec": _codec,
        "_content": model.CONTENT_BY_OUTPUT,
    }
    encode_parts = ["_encode_marks(r.marks, pool)"]
    decode_parts = ["marks=_decode_marks(v, f, p)"]
    id_field = spec.id_field
    fields = [
        f for f in dataclasses.fields(cls) if f.name != "marks" and not f.metadata.get("folder")
    ]
    for index, f in enumerate(fields, start=4):
        name = f.name
        tp = strip_optional(hints[name])
        value, item = f"r.{name}", f"v[{index}]"
        origin = get_origin(tp)
        if name == "content" and cls is model.CityOutput:
            # Its class depends on the output's id (model.CONTENT_BY_OUTPUT).
            enc = f"None if {value} is None else _codec(type({value}))[0]({value}, pool)"
            dec = f"None if {item} is None else _codec(_content[r_id])[1]({item}, f, p)"
        elif _is_record(tp):
            names[f"_enc_{name}"], names[f"_dec_{name}"] = _codec(tp)
            enc = f"None if {value} is None else _enc_{name}({value}, pool)"
            dec = f"None if {item} is None else _dec_{name}({item}, f, p)"
        elif origin is tuple and _is_record(strip_optional(get_args(tp)[0])):
            names[f"_enc_{name}"], names[f"_dec_{name}"] = _codec(strip_optional(get_args(tp)[0]))
            enc = f"[_enc_{name}(x, pool) for x in {value}]"
            dec = f"tuple([_dec_{name}(x, f, p) for x in {item}])"
        elif origin in (Mapping, dict):
            names[f"_enc_{name}"], names[f"_dec_{name}"] = _codec(strip_optional(get_args(tp)[1]))
            enc = f"{{k: _enc_{name}(x, pool) for k, x in {value}.items()}}"
            dec = f"{{k: _dec_{name}(x, f, p) for k, x in {item}.items()}}"
        elif origin is tuple:
            # A list of scalars, or a pair: every item has the same type.
            each = strip_optional(get_args(tp)[0])
            enc_x, dec_x = _scalar_code(each, "x")
            enc = f"None if {value} is None else [{enc_x} for x in {value}]"
            dec = f"None if {item} is None else tuple([{dec_x} for x in {item}])"
            if enc_x == "x":
                enc = f"None if {value} is None else list({value})"
                dec = f"None if {item} is None else tuple({item})"
        else:
            enc_v, dec_v = _scalar_code(tp, value)
            _, dec_v = _scalar_code(tp, item)
            enc = enc_v if enc_v == value else f"None if {value} is None else {enc_v}"
            dec = dec_v if dec_v == item else f"None if {item} is None else {dec_v}"
        encode_parts.append(enc)
        decode_parts.append(f"{name}={dec}")
    prelude = f"r_id = v[{4 + [f.name for f in fields].index(id_field)}]\n    " if id_field else ""
    source = (
        "def encode(r, pool):\n"
        f"    m = {encode_parts[0]}\n"
        f"    return [*m, {', '.join(encode_parts[1:])}]\n"
        "def decode(v, f, p):\n"
        f"    {prelude}return _cls({', '.join(decode_parts)})\n"
    )
    exec(compile(source, f"<snapshot of {cls.__name__}>", "exec"), names)
    return names["encode"], names["decode"]
