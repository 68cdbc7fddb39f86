"""JSON indented by two spaces, as `json.dumps(value, indent=2, ensure_ascii=False)` writes it.

The standard library's encoder is written in C only for compact JSON; indented, it runs in
Python, one generator per value, and takes most of the time of an export or a status of a
large programme. This writes the same text (a test compares them) directly: a scalar inside a
mapping or a list is written in the loop over them, one piece of text per entry, and a list of
strings in one join. Values are what `json` takes: dicts with string keys, lists, strings,
whole numbers, floats, booleans, None.
"""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`."""
    parts: list[str] = []
    try:
        _indented(value, parts, "\n")
    except TypeError:  # a key that is not text, or a value json does not take: its answer
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(parts)


def dumps_at(value: Any, newline: str) -> str:
    """`value` as `dumps` writes it, indented for the line `newline` starts (raising TypeError
    where `dumps` falls back to the standard encoder)."""
    parts: list[str] = []
    _indented(value, parts, newline)
    return "".join(parts)


def _indented(value: Any, out: list[str], newline: str) -> None:
    """Append `value` as `json.dumps(value, indent=2, ensure_ascii=False)` writes it at the
    indentation that `newline` ends with."""
    kind = type(value)
    if kind is str:
        out.append(_encode_text(value))
    elif kind is dict or isinstance(value, dict):
        _mapping(value, out, newline)
    elif kind is list or kind is tuple or isinstance(value, list | tuple):
        _sequence(value, out, newline)
    else:
        out.append(scalar(value))


def scalar(value: Any) -> str:
    """A value that is neither a mapping nor a list, as `json.dumps` writes it."""
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    # a float, or a subclass of str or int, as the standard encoder writes it
    return json.dumps(value, ensure_ascii=False)


def _mapping(value: Any, out: list[str], newline: str) -> None:
    if not value:
        out.append("{}")
        return
    inner = newline + "  "
    separator = "{" + inner
    comma = "," + inner
    keys = _KEYS
    for key, item in value.items():
        name = keys.get(key)
        if name is None:
            name = _key(key)
        kind = type(item)
        if kind is str:
            out.append(separator + name + _encode_text(item))
        elif item is None:
            out.append(separator + name + "null")
        elif kind is int:
            out.append(separator + name + int.__repr__(item))
        elif kind is bool:
            out.append(separator + name + ("true" if item else "false"))
        else:
            out.append(separator + name)
            _indented(item, out, inner)
        separator = comma
    out.append(newline + "}")


_KEYS: dict[str, str] = {}
"""`"key": ` of the keys met so far: documents repeat a few keys many times."""


def _key(key: Any) -> str:
    name = _encode_text(key) + ": "  # TypeError when the key is not text
    if type(key) is str and len(_KEYS) < 10_000:
        _KEYS[key] = name
    return name


def _sequence(value: Any, out: list[str], newline: str) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + "  "
    comma = "," + inner
    try:  # most lists are of text: the C encoder of strings takes the whole list
        out.append(f"[{inner}{comma.join(map(_encode_text, value))}{newline}]")
        return
    except TypeError:  # an item that is not text
        pass
    separator = "[" + inner
    for item in value:
        kind = type(item)
        if kind is str:
            out.append(separator + _encode_text(item))
        elif kind is int:
            out.append(separator + int.__repr__(item))
        else:
            out.append(separator)
            _indented(item, out, inner)
        separator = comma
    out.append(newline + "]")


encode_text = _encode_text = json.encoder.encode_basestring
"""A string as JSON with ensure_ascii=False (C-accelerated); TypeError if it is not text."""
