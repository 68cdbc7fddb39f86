"""Markdown that GitHub and GitLab show well: escaping user text, and the status tables.

User text is escaped for where it goes: in a table cell `|` and newlines would break the
table, HTML would be interpreted, and a leading `#` would become a heading.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date

from twincli.progress.history import CohortHistory
from twincli.progress.standing import Deadline, ProgrammeProgress
from twincli.terminal import printable

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
_HTML = re.compile(r"<|&(?=#?\w+;)")
_LEADING_MARK = re.compile(r"^(\s*)([#>+-])", flags=re.MULTILINE)
_LEADING_NUMBER = re.compile(r"^(\s*\d+)([.)])", flags=re.MULTILINE)
_ANYTHING = re.compile(r"[\\`*_\[\]|~$<&]|^\s*(?:[#>+-]|\d+[.)])", flags=re.MULTILINE)
"""Whatever any of the above would change: most text has none of it (reports escape
hundreds of thousands of names and titles)."""


def escape_text(text: str) -> str:
    """User text as literal Markdown inline text: HTML tags and entities made literal
    (`<` and an `&` that starts an entity; a lone `&` stays as typed), emphasis, link,
    code, strikethrough and math characters and pipes backslashed, a leading `#`, `>`,
    `-`, `+`, `1.` or `1)` neutralised, newlines kept as line breaks, control characters
    and bidirectional overrides shown as `\\uXXXX` (`terminal.printable`)."""
    out = printable(text)
    if _ANYTHING.search(out) is None:
        return out
    out = _HTML.sub(lambda m: html.escape(m.group(0)), out)
    out = _MD_SPECIAL.sub(r"\\\1", out)
    out = _LEADING_MARK.sub(r"\1\\\2", out)
    out = _LEADING_NUMBER.sub(r"\1\\\2", out)
    return out


def escape_cell(text: str) -> str:
    """User text for a table cell: everything `escape_text` does, on one line."""
    text = str(text)
    if (
        text.isprintable()  # no line break, control character or white space but ' '
        and text[:1] != " "
        and text[-1:] != " "
        and _ANYTHING.search(text) is None
    ):
        return text  # most text: what the lines below would give back
    lines = [line.strip() for line in text.splitlines()]
    return "<br>".join(escape_text(line) for line in lines if line)


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A pipe table; cells must already be escaped. `align` is one of l, r, c per column."""
    aligns = align or "l" * len(header)
    rule = {"l": "---", "r": "---:", "c": ":---:"}
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(rule[a] for a in aligns) + " |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


STATE_WORDS = {
    "approved": "✅",
    "submitted": "📤",
    "needs-revision": "✏️",
    "drafting": "📝",
    "not-started": "⬜",
}


def status_markdown(progress: ProgrammeProgress) -> str:
    """`twincli status --format markdown`: a heading and a table per cohort."""
    out = [f"# Programme status as of {progress.as_of}\n"]
    for cohort in progress.cohorts:
        title = escape_text(cohort.cohort.title or cohort.cohort.id)
        window = f"{cohort.start} → {cohort.end or '?'}"
        where = f"month {cohort.month}" if cohort.phase == "running" else cohort.phase
        if cohort.phase == "running" and cohort.module is not None:
            where += f", {escape_text(cohort.module.title)}"
        if cohort.sessions_expected:
            where += f" · {cohort.sessions_held} of {cohort.sessions_expected} sessions held"
        out.append(f"\n## {title}\n\n`{cohort.cohort.edition}` · {window} · {where}\n\n")
        outputs = list(cohort.edition.outputs.values()) if cohort.edition else []
        header = [
            "City",
            "Events",
            "Visits",
            *[escape_cell(o.title or o.id) for o in outputs],
            "Milestones",
            "Overdue",
            "Health",
        ]
        rows = []
        for city in cohort.cities:
            reached = sum(m.reached for m in city.milestones.values())
            rows.append(
                [
                    escape_cell(city.city.name),
                    f"{city.activities.done}/{city.activities.held}",
                    f"{city.visits.done}/{city.visits.funded}",
                    *[
                        STATE_WORDS[o.status] + (" ⏰" if o.overdue else "")
                        for o in city.outputs.values()
                    ],
                    f"{reached}/{len(city.milestones)}",
                    str(city.overdue),
                    city.health.replace("-", " "),
                ]
            )
        out.append(table(header, rows, "lrr" + "c" * len(outputs) + "rrl"))
    legend = " · ".join(
        f"{glyph} {state.replace('-', ' ')}" for state, glyph in STATE_WORDS.items()
    )
    out.append(f"\n{legend} · ⏰ overdue · Events: attended/held so far\n")
    return "".join(out)


def deadlines_markdown(deadlines: Sequence[Deadline], as_of: date) -> str:
    """`twincli deadlines --format markdown`: a heading and a table, for an e-mail or an
    issue; ⏰ marks what is overdue, in words as well as in the sign of the days."""
    overdue = sum(1 for d in deadlines if d.days < 0)
    out = [f"# Deadlines as of {as_of}: {overdue} overdue, {len(deadlines) - overdue} coming up\n"]
    if deadlines:
        rows = [
            [
                str(d.due),
                f"⏰ {-d.days} days late" if d.days < 0 else f"in {d.days} days",
                escape_cell(d.city_name),
                d.kind,
                escape_cell(d.title),
            ]
            for d in deadlines
        ]
        out.append("\n" + table(["Due", "When", "City", "Kind", "What"], rows))
    return "".join(out)


def history_markdown(cohorts: Sequence[CohortHistory], legend: str) -> str:
    """`twincli history --format markdown`: a heading and a table per cohort, then `legend`."""
    from twincli.progress.history import HEADER, rows

    out = []
    for c in cohorts:
        out.append(f"## {escape_text(c.cohort.title or c.cohort.id)} (`{c.cohort.id}`)\n\n")
        if c.steps:
            out.append(table(list(HEADER), rows(c.steps), "lr" + "r" * (len(HEADER) - 2)) + "\n")
        else:
            out.append(f"Starts on {c.cohort.start}.\n\n")
    out.append(legend + "\n")
    return "".join(out)
