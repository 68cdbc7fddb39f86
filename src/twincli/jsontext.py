"""JSON indented by two spaces, as `json.dumps(value, indent=2, ensure_ascii=False)` writes it.

The standard library's encoder is written in C only for compact JSON; indented, it runs in
Python, one generator per value, and takes most of the time of an export or a status of a
large programme. This writes the same text (a test compares them) directly. Values are what
`json` takes: dicts with string keys, lists, strings, whole numbers, floats, booleans, None.
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


def _indented(value: Any, out: list[str], newline: str) -> None:
    """Append `value` as `json.dumps(value, indent=2, ensure_ascii=False)` writes it at the
    indentation that `newline` ends with."""
    kind = type(value)
    if kind is str:
        out.append(_encode_text(value))
    elif kind is dict or isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{"
        for key, item in value.items():
            out.append(separator)
            out.append(inner)
            out.append(_encode_text(key))
            out.append(": ")
            _indented(item, out, inner)
            separator = ","
        out.append(newline)
        out.append("}")
    elif kind is list or kind is tuple or isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "["
        for item in value:
            out.append(separator)
            out.append(inner)
            _indented(item, out, inner)
            separator = ","
        out.append(newline)
        out.append("]")
    elif value is None:
        out.append("null")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    else:  # a float, or a subclass of str or int, as the standard encoder writes it
        out.append(json.dumps(value, ensure_ascii=False))


_encode_text = json.encoder.encode_basestring
"""A string as JSON with ensure_ascii=False (C-accelerated)."""
