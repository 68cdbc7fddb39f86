"""Diagnostics as text for people, JSON for scripts, workflow commands and a job summary for
GitHub Actions, SARIF for code scanning, and JUnit XML for CI test reports.

Pure functions from diagnostics to strings; `display` maps a folder-relative path to the path
shown (relative to the current folder for people and CI, folder-relative in JSON), as the
operating system names it: each format turns it into text with `terminal.path_text` (a file
name may hold bytes that are not UTF-8), and escapes it for itself.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from twincli.diagnostics import Cause, Diagnostic, Location, Summary
from twincli.terminal import path_text, printable

Display = Callable[[str], str]


def message_with_hint(d: Diagnostic, display: Display = str) -> str:
    """The message, with the hint in parentheses when there is one, and the cause it follows
    from when it has one: `(follows from cohorts/cohort-2.yaml:7)`."""
    text = f"{d.message} ({d.hint})" if d.hint else d.message
    return text + f" ({follows(d, display)})" if d.cause else text


def follows(d: Diagnostic, display: Display) -> str:
    """`follows from cohorts/cohort-2.yaml:7`, for a diagnostic that has a cause."""
    return f"follows from {cause_place(d, display)}"


def cause_place(d: Diagnostic, display: Display) -> str:
    """Where the cause of `d` is, as `cohorts/cohort-2.yaml:7`."""
    assert d.cause is not None
    at = d.cause.location
    return f"{path_text(display(at.file))}:{at.line}"


def text_line(d: Diagnostic, display: Display) -> str:
    """`cities/soria.yaml:12:1: error TC201 unknown key 'atended' (did you mean ...?)`, on
    one line and safe for a terminal (a file name or a quoted value may hold anything); a
    consequence ends with the cause it follows from."""
    where, severity, code, message, hint = text_parts(d, display)
    line = f"{where} {severity} {code} {message}" + (f" ({hint})" if hint else "")
    return line + f" ({printable(follows(d, display), one_line=True)})" if d.cause else line


def text_parts(d: Diagnostic, display: Display) -> tuple[str, str, str, str, str | None]:
    """The parts of `text_line` but the cause, each safe for a terminal on one line: where
    (ending with ':'), severity, code, message and hint (`validate` colours them on a
    terminal)."""
    loc = d.location
    where = printable(f"{path_text(display(loc.file))}:{loc.line}:{loc.column}:", one_line=True)
    hint = printable(d.hint, one_line=True) if d.hint else None
    return where, d.severity.value, d.code, printable(d.message, one_line=True), hint


SHOWN_AFTER_CAUSE = 4
"""The consequences of a cause that text output lists after it; `--verbose` lists them all."""


def text_order(
    diagnostics: Sequence[Diagnostic], *, verbose: bool = False
) -> list[Diagnostic | Folded]:
    """The diagnostics (sorted) in the order text output shows them: each cause first, with
    its consequences after it (the first SHOWN_AFTER_CAUSE, or all of them when `verbose`),
    then the others in order. The consequences left out are counted in a `Folded`."""
    groups: dict[Cause, list[Diagnostic]] = {}  # keyed on the first consequence's cause
    keys: dict[tuple[object, ...], Cause] = {}
    for d in diagnostics:
        if d.cause is not None:
            groups.setdefault(keys.setdefault(d.cause.key, d.cause), []).append(d)
    first: list[Diagnostic | Folded] = []
    rest: list[Diagnostic] = []
    for d in diagnostics:
        if d.cause is not None:
            continue
        cause = next((c for c in groups if c.reported_by(d)), None)
        if cause is None:
            rest.append(d)
            continue
        following = groups.pop(cause)
        shown = following if verbose else following[:SHOWN_AFTER_CAUSE]
        first += [d, *shown]
        if len(shown) < len(following):
            first.append(Folded(len(following) - len(shown), d.location))
    for left in groups.values():  # their cause is not reported on (file arguments)
        rest += left
    return first + sorted(rest, key=Diagnostic.sort_key)


@dataclass(frozen=True, slots=True)
class Folded:
    """Consequences of the cause at `cause` that text output does not list."""

    count: int
    cause: Location

    def text(self, display: Display) -> str:
        """`... and 66 more from cohorts/cohort-2.yaml:7`."""
        where = printable(f"{path_text(display(self.cause.file))}:{self.cause.line}", one_line=True)
        return f"... and {self.count:,} more from {where}"


def to_json(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """`{"diagnostics": [...], "summary": {...}}` with folder-relative paths."""
    payload = {
        "diagnostics": [diagnostic_payload(d) for d in diagnostics],
        "summary": {
            "errors": summary.errors,
            "warnings": summary.warnings,
            "files": summary.files,
        },
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def diagnostic_payload(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as `to_json` gives it (`twincli diff --format json` too): `cause` is
    where the value it follows from is (`check.causes`), or None."""
    return {
        "file": path_text(d.location.file),
        "line": d.location.line,
        "column": d.location.column,
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "cause": None if d.cause is None else _json_place(d.cause.location),
    }


def _json_place(at: Location) -> dict[str, str | int]:
    return {"file": path_text(at.file), "line": at.line, "column": at.column}


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
            ("file", path_text(display(loc.file))),
            ("line", str(loc.line)),
            ("col", str(loc.column)),
            ("title", d.code),
        )
    )
    return f"::{d.severity.value} {props}::{_escape_data(message_with_hint(d, display))}"


# --- GitHub Actions job summary -----------------------------------------------------------

SUMMARY_ROWS = 100
"""Most diagnostics listed in a job summary (GitHub shows only 10 annotations per step)."""


def github_summary(diagnostics: Sequence[Diagnostic], summary: Summary, display: Display) -> str:
    """A Markdown report for `$GITHUB_STEP_SUMMARY`: the counts, then a table of the first
    SUMMARY_ROWS diagnostics, each cause first with what follows from it (as text shows
    them, `text_order`)."""
    from twincli.report.markdown import escape_cell, table

    lines = ["## twincli validate", "", f"**{summary}**"]
    if not diagnostics:
        return "\n".join(lines) + "\n"
    lines.append("")
    diagnostics = [d for d in text_order(diagnostics, verbose=True) if isinstance(d, Diagnostic)]
    rows = [
        [
            "**error**" if d.is_error else "warning",
            escape_cell(path_text(display(d.location.file))),  # `|`, `#`, line breaks...
            f"{d.location.line}:{d.location.column}",
            d.code,
            escape_cell(message_with_hint(d, display)),
        ]
        for d in diagnostics[:SUMMARY_ROWS]
    ]
    lines.append(table(["Severity", "File", "Line", "Code", "Problem"], rows, "llrll").rstrip())
    rest = len(diagnostics) - SUMMARY_ROWS
    if rest > 0:
        lines += ["", f"… and {rest} more: run `twincli validate` to see them all."]
    return "\n".join(lines) + "\n"


# --- SARIF 2.1.0 ----------------------------------------------------------------------------

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"


def sarif_rules() -> list[dict[str, Any]]:
    """Every code of the catalogue as a SARIF reporting descriptor."""
    from twincli.codes import CATALOGUE

    rules = []
    for c in CATALOGUE:
        title = c.title[0].upper() + c.title[1:]
        example = c.example.replace("\n", "; ")
        lines = c.example.splitlines()
        if any(": " in line or line.startswith(("- ", "<<")) for line in lines):
            shown = f"```yaml\n{c.example}\n```"  # a YAML example, not a description
        else:
            shown = _sentence(c.example) + "."
        rules.append(
            {
                "id": c.code,
                "shortDescription": {"text": title},
                "fullDescription": {"text": f"{title} ({c.severity.value})."},
                "help": {
                    "text": f"{title}. For example: {example}. Every code twincli reports is "
                    "a rule of this log.",
                    "markdown": f"{title}.\n\nFor example:\n\n{shown}\n\n"
                    "Every code twincli reports is a rule of this log.",
                },
                "defaultConfiguration": {"level": c.severity.value},
            }
        )
    return rules


def _sentence(text: str) -> str:
    """`text` to start a sentence: capitalised, unless it starts with a path, which is kept as
    it is written (`cities/soria.yaml`, never `Cities/soria.yaml`) and shown as code."""
    first, space, rest = text.partition(" ")
    if "/" in first:
        return f"`{first}`{space}{rest}"
    return text[0].upper() + text[1:]


_SARIF_SPECIAL = re.compile(r"[\\\[\]{}]")


def sarif_text(text: str) -> str:
    """Text as a SARIF plain text message says it: `\\`, `[` and `]` backslashed, so that
    no text reads as an embedded link (SARIF 2.1.0, 3.11.6), and `{` and `}` doubled, so that
    none reads as a placeholder (3.11.5)."""
    return _SARIF_SPECIAL.sub(lambda m: m[0] * 2 if m[0] in "{}" else "\\" + m[0], text)


def sarif_location(shown: str) -> dict[str, str]:
    """A shown path as a SARIF artifact location: relative to %SRCROOT% (the current folder),
    or an absolute file URI; either names the file's bytes, each percent-encoded if need be,
    whether or not they are UTF-8."""
    if PurePosixPath(shown).is_absolute() or PureWindowsPath(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(os.fsencode(shown)), "uriBaseId": SRCROOT}


def to_sarif(
    diagnostics: Sequence[Diagnostic],
    display: Display,
    *,
    version: str,
    srcroot: Path | None = None,
    complete: bool = True,
) -> str:
    """A SARIF 2.1.0 log of one run. Paths are as `display` shows them: relative to the
    current folder (`srcroot`, the repository root in CI), so code scanning maps them."""
    rules = sarif_rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}

    def physical(at: Location) -> dict[str, Any]:
        return {
            "artifactLocation": sarif_location(display(at.file)),
            "region": {"startLine": at.line, "startColumn": at.column},
        }

    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": d.severity.value,
            "message": {"text": sarif_text(message_with_hint(d, display))},
            "locations": [{"physicalLocation": physical(d.location)}],
        }
        if d.cause is not None:  # the value it follows from, which code scanning links to
            result["relatedLocations"] = [
                {
                    "id": 0,
                    "physicalLocation": physical(d.cause.location),
                    "message": {"text": "the cause"},
                }
            ]
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "twincli",
                "version": version,
                "semanticVersion": version,
                "rules": rules,
            }
        },
        "invocations": [{"executionSuccessful": complete}],
        "columnKind": "unicodeCodePoints",
    }
    if srcroot is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": srcroot.as_uri().rstrip("/") + "/"}}
    run["results"] = results
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False)


# --- JUnit XML ------------------------------------------------------------------------------


@functools.cache
def _not_xml() -> re.Pattern[str]:
    # Compiled when first needed: its ranges take 4 ms to compile, on every validate else.
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can carry: other control characters become U+FFFD."""
    return _not_xml().sub("\ufffd", text)


def to_junit(
    diagnostics: Sequence[Diagnostic],
    files: Sequence[str],
    display: Display,
    *,
    strict: bool = False,
) -> str:
    """JUnit XML: one test case per file read (and per other path with a problem, such as a
    misnamed file). A file fails with its errors (with `strict`, its warnings too); a file
    that could not be read (TC101) is an `<error>`; warnings that do not fail are listed in
    the case's `<system-out>`."""
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Diagnostic]] = {f: [] for f in files}
    for d in sorted(diagnostics, key=lambda d: d.location.file not in by_file):
        by_file.setdefault(d.location.file, []).append(d)
    suites = ET.Element("testsuites", name="twincli validate")
    suite = ET.SubElement(suites, "testsuite", name="twincli validate")
    failures = errors = 0
    for file in by_file:  # the files in the order read, then other paths with problems
        found = by_file[file]
        # Names on one line, as `text_line` shows them: a file name may hold anything.
        shown = printable(path_text(display(file)), one_line=True)
        folder = printable(path_text(file.rpartition("/")[0]), one_line=True)
        case = ET.SubElement(
            suite, "testcase", classname=folder or "programme", name=shown, file=shown
        )
        failing = [d for d in found if d.is_error or strict]
        report = "\n".join(_xml_text(text_line(d, display)) for d in found)
        counts = str(Summary.of(found, 1)).rsplit(" in ", 1)[0]
        if any(d.code == "TC101" for d in found):
            errors += 1
            element = ET.SubElement(case, "error", message=counts, type="TC101")
            element.text = report
        elif failing:
            failures += 1
            element = ET.SubElement(case, "failure", message=counts, type=failing[0].code)
            element.text = report
        elif found:
            ET.SubElement(case, "system-out").text = report
    for element in (suites, suite):
        element.set("tests", str(len(by_file)))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
    suite.set("skipped", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
