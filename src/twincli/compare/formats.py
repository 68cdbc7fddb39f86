"""A `Comparison` written out: text lines for a terminal, Markdown for a pull request's
comment or a GitHub Actions job summary, a JSON-ready dictionary for scripts (its shape is in
docs/diff.md; keys are never removed or renamed, new keys may be added).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from twincli.check.formats import diagnostic_payload, message_with_hint, text_line
from twincli.compare.changes import RecordChanges
from twincli.compare.diff import Comparison
from twincli.compare.effects import HealthChange, OverdueChange, TotalsChange, totals_figures
from twincli.diagnostics import Diagnostic
from twincli.progress.payloads import totals_payload
from twincli.report.markdown import escape_cell, escape_text, table

FIRST_FEW = 5
"""Diagnostics introduced or fixed shown in full; the others are counted."""

Display = Callable[[str], str]
"""A folder file's path as shown to the reader."""


def _same(path: str) -> str:
    return path


# --- text ------------------------------------------------------------------------------------


def text_lines(comparison: Comparison, display: Display = _same) -> list[str]:
    """`twincli diff`: the records changed, then what follows as of the day, then what
    validation finds introduced and fixed."""
    c = comparison
    if c.empty:
        return [_sentence(f"{c.head} against {c.base}: no change to the programme")]
    lines = [_sentence(f"{c.head} against {c.base}, as of {c.as_of}: {_differ(len(c.files))}")]
    for record in c.records:
        lines += ["", _record_title(record, display(record.file))]
        lines += [f"  {change.text}" for change in record.changes]
    for broken in c.unreadable:
        lines += ["", f"{display(broken.file)}: not read in {' or '.join(broken.sides)}; "
                  "its changes are not shown"]  # fmt: skip
    follows = list(_effect_lines(c))
    if follows:
        lines += ["", f"As of {c.as_of}:", *follows]
    lines += ["", _findings_title(c)]
    for label, found in (("introduced", c.findings.introduced), ("fixed", c.findings.fixed)):
        for d in found[:FIRST_FEW]:
            lines.append(f"  {label}: {text_line(d, display)}")
        if len(found) > FIRST_FEW:
            lines.append(f"  ... and {len(found) - FIRST_FEW} more {label}")
    return lines


def _differ(count: int) -> str:
    return "1 file differs" if count == 1 else f"{count} files differ"


def _record_title(record: RecordChanges, shown: str) -> str:
    what = f"{record.kind} {record.name}" if record.kind != "programme" else "the programme"
    if record.state != "changed":
        return f"{what} ({shown}): {record.state}"
    return f"{what} ({shown})"


def _effect_lines(c: Comparison) -> Iterator[str]:
    for change in c.effects.overdue:
        yield f"  {_overdue_text(change)}"
    for health in c.effects.health:
        yield f"  {health.city_name}: {_health_text(health)}"
    for totals in c.effects.totals:
        yield f"  {totals.title} totals: {_totals_text(totals)}"


def _overdue_text(change: OverdueChange) -> str:
    state = "now overdue" if change.overdue else "no longer overdue"
    kind = "milestone " if change.kind == "milestone" else ""
    return f"{change.city_name}: {kind}{change.title} (due {change.due}) {state}"


def _said(health: str) -> str:
    """`on track`: a state as `status` writes it."""
    return health.replace("-", " ")


def _health_text(change: HealthChange) -> str:
    """`behind (Roadmap 30 days overdue) → on track`."""
    before = _said(change.before) + _in_brackets(change.reasons_before)
    return f"{before} → {_said(change.after)}{_in_brackets(change.reasons_after)}"


def _in_brackets(reasons: Sequence[str]) -> str:
    return f" ({'; '.join(reasons)})" if reasons else ""


def _totals_text(change: TotalsChange) -> str:
    if change.before is None:
        return "new cohort"
    if change.after is None:
        return "cohort removed"
    was, now = totals_figures(change.before), totals_figures(change.after)
    return ", ".join(
        f"{label} {was[label]} → {now[label]}" for label in now if was[label] != now[label]
    )


def _findings_title(c: Comparison) -> str:
    return f"Validation: {_counts(c)}"


def _counts(c: Comparison) -> str:
    found = c.findings
    return f"introduced {_counted(found.introduced)}; fixed {_counted(found.fixed)}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _counted(found: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in found if d.is_error)
    warnings = len(found) - errors
    if not found:
        return "none"
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("s" if count != 1 else "")


# --- Markdown --------------------------------------------------------------------------------


def markdown(comparison: Comparison, display: Display = _same) -> str:
    """The comparison as a Markdown section: what changed per record, what follows as of
    the day, and validation, each a table."""
    c = comparison
    sides = f"{escape_text(_sentence(c.head))} against {escape_text(c.base)}"
    if c.empty:
        return f"## What this change does\n\n{sides}: no change to the programme.\n"
    lines = [
        "## What this change does",
        "",
        f"{sides}, as of {c.as_of}: {_differ(len(c.files))}.",
        "",
    ]
    if c.records:
        rows = [
            [escape_cell(_record_cell(record, display)), escape_cell(text)]
            for record in c.records
            for text in [change.text for change in record.changes] or [record.state]
        ]
        lines += ["### Records", "", table(["Record", "Change"], rows)]
    if c.unreadable:
        lines += ["### Files not read", ""]
        lines += [
            f"- `{escape_text(display(b.file))}`: not read in {escape_text(' or '.join(b.sides))}; "
            "its changes are not shown"
            for b in c.unreadable
        ]
        lines.append("")
    e = c.effects
    if e.overdue or e.health or e.totals:
        lines += [f"### As of {c.as_of}", ""]
    if e.overdue:
        rows = [
            [escape_cell(o.city_name), o.kind, escape_cell(o.title), str(o.due),
             "now overdue" if o.overdue else "no longer overdue"]
            for o in e.overdue
        ]  # fmt: skip
        lines += [table(["City", "Kind", "Item", "Due", "Change"], rows)]
    if e.health:
        rows = [
            [escape_cell(h.city_name), escape_cell(_reasoned(h.before, h.reasons_before)),
             escape_cell(_reasoned(h.after, h.reasons_after))]
            for h in e.health
        ]  # fmt: skip
        lines += [table(["City", "Health before", "Health after"], rows)]
    if e.totals:
        rows = [[escape_cell(t.title), escape_cell(_totals_text(t))] for t in e.totals]
        lines += [table(["Cohort", "Totals"], rows)]
    lines += ["### Validation", "", _sentence(_counts(c)) + ".", ""]
    found = [("introduced", d) for d in c.findings.introduced[:FIRST_FEW]]
    found += [("fixed", d) for d in c.findings.fixed[:FIRST_FEW]]
    if found:
        rows = [
            [label, d.severity.value, f"`{d.code}`",
             escape_cell(f"{display(d.location.file)}:{d.location.line}"),
             escape_cell(message_with_hint(d))]
            for label, d in found
        ]  # fmt: skip
        lines += [table(["", "Severity", "Code", "Where", "Message"], rows)]
    return "\n".join(lines)


def _record_cell(record: RecordChanges, display: Display) -> str:
    return (
        f"{record.kind} {record.name} ({display(record.file)})"
        if record.kind != "programme"
        else f"programme ({record.file})"
    )


def _reasoned(health: str, reasons: Sequence[str]) -> str:
    return _said(health) + (f": {'; '.join(reasons)}" if reasons else "")


# --- JSON ------------------------------------------------------------------------------------


def payload(comparison: Comparison) -> dict[str, Any]:
    """The comparison as a JSON-ready dictionary (its shape is in docs/diff.md)."""
    c = comparison
    return {
        "base": c.base,
        "head": c.head,
        "as_of": c.as_of.isoformat(),
        "files": list(c.files),
        "records": [
            {
                "kind": r.kind,
                "id": r.id,
                "name": r.name,
                "file": r.file,
                "state": r.state,
                "changes": [{"kind": ch.kind, "text": ch.text} for ch in r.changes],
            }
            for r in c.records
        ],
        "unreadable": [{"file": b.file, "sides": list(b.sides)} for b in c.unreadable],
        "overdue": [
            {
                "cohort": o.cohort,
                "city": o.city,
                "kind": o.kind,
                "item": o.item,
                "title": o.title,
                "due": o.due.isoformat() if o.due else None,
                "overdue": o.overdue,
            }
            for o in c.effects.overdue
        ],
        "health": [
            {
                "cohort": h.cohort,
                "city": h.city,
                "before": {"state": h.before, "reasons": list(h.reasons_before)},
                "after": {"state": h.after, "reasons": list(h.reasons_after)},
            }
            for h in c.effects.health
        ],
        "totals": [
            {
                "cohort": t.cohort,
                "title": t.title,
                "before": totals_payload(t.before) if t.before else None,
                "after": totals_payload(t.after) if t.after else None,
            }
            for t in c.effects.totals
        ],
        "validation": {
            "introduced": [diagnostic_payload(d) for d in c.findings.introduced],
            "fixed": [diagnostic_payload(d) for d in c.findings.fixed],
        },
    }
