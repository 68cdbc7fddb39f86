"""Diagnostics as text for people, JSON for scripts, and workflow commands for GitHub Actions.

Pure functions from diagnostics to strings; `display` maps a folder-relative path to the path
shown (relative to the current folder for people and CI, folder-relative in JSON).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from twincli.diagnostics import Diagnostic, Summary

Display = Callable[[str], str]


def message_with_hint(d: Diagnostic) -> str:
    """The message, with the hint in parentheses when there is one."""
    return f"{d.message} ({d.hint})" if d.hint else d.message


def text_line(d: Diagnostic, display: Display) -> str:
    """`cities/soria.yaml:12:1: error TC201 unknown key 'atended' (did you mean ...?)`"""
    loc = d.location
    return (
        f"{display(loc.file)}:{loc.line}:{loc.column}: {d.severity.value} {d.code} "
        f"{message_with_hint(d)}"
    )


def to_json(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """`{"diagnostics": [...], "summary": {...}}` with folder-relative paths."""
    payload = {
        "diagnostics": [
            {
                "file": d.location.file,
                "line": d.location.line,
                "column": d.location.column,
                "code": d.code,
                "severity": d.severity.value,
                "message": d.message,
                "hint": d.hint,
            }
            for d in diagnostics
        ],
        "summary": {
            "errors": summary.errors,
            "warnings": summary.warnings,
            "files": summary.files,
        },
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(d: Diagnostic, display: Display) -> str:
    """A GitHub Actions workflow command that annotates the line."""
    loc = d.location
    props = ",".join(
        f"{name}={_escape_property(value)}"
        for name, value in (
            ("file", display(loc.file)),
            ("line", str(loc.line)),
            ("col", str(loc.column)),
            ("title", d.code),
        )
    )
    return f"::{d.severity.value} {props}::{_escape_data(message_with_hint(d))}"
