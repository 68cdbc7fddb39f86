"""YAML as an editor sees it: the YAML 1.2 core schema, which the VS Code YAML extension
(yaml-language-server) uses to check a file against its JSON Schema.

twincli itself never types scalars this way (the model decides); the tests use this view to
check that the generated JSON Schemas accept and refuse what the loader does.
"""

from __future__ import annotations

import math
import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from twincli.read.reader import read_yaml

_NULL = re.compile(r"(?:null|Null|NULL|~|)\Z")
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?(?:\.inf|\.Inf|\.INF)\Z")
_NAN = re.compile(r"(?:\.nan|\.NaN|\.NAN)\Z")


def scalar(text: str) -> Any:
    """A plain (unquoted) scalar as YAML 1.2's core schema types it."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def to_data(node: Node) -> Any:
    if isinstance(node, ScalarNode):
        return node.value if node.style else scalar(node.value)
    if isinstance(node, MappingNode):
        return {str(k.value): to_data(v) for k, v in node.value}
    return [to_data(item) for item in node.value]


def load(text: str) -> Any:
    """The file's data in the YAML 1.2 core view (None for a file with no data)."""
    node, problems = read_yaml("file.yaml", text.encode())
    if node is None:
        if problems and problems[0].code != "TC104":
            raise ValueError(problems)
        return None
    return to_data(node)
