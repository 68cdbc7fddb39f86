"""Checks of the Markdown twincli writes (reports, `diff --format markdown`): tables that keep
their columns whatever the text in their cells."""

from __future__ import annotations

import re


def pipes(line: str) -> int:
    """The unescaped pipes of a table row: its column separators."""
    return len(re.findall(r"(?<!\\)\|", line))


def table_problems(text: str) -> list[str]:
    """The tables of `text` (outside fenced code) with a row whose columns are not the
    header's."""
    text = re.sub(r"^```.*?^```$", "", text, flags=re.M | re.S)
    problems = []
    for table in re.findall(r"(?:^\|.*\n)+", text, flags=re.M):
        rows = table.splitlines()
        if {pipes(row) for row in rows} != {pipes(rows[0])}:
            problems.append(table)
    return problems
