"""User text made safe for Mermaid charts, which GitHub draws from ```mermaid blocks.

A chart that does not parse shows as an error box on GitHub, so text from the data never
reaches a chart as typed. Mermaid has no escapes in these places, so the characters its syntax
reserves are replaced by their full-width forms, which read the same:

- gantt: a task or section name ends at `:` and a `#` or `;` starts a comment or a new
  statement; `%` after the first character starts a comment; a name that begins with a
  keyword (`title`, `section`, `click`, `call`, ...) or a date is read as that keyword or date,
  so it gets an invisible zero-width space in front;
- quadrantChart: a point's name is written in double quotes, so it holds no `"`;
- both: one line, no backquote (three of them would end the Markdown code block), and no
  `<` or `>`, so that no HTML reaches the chart's labels.
"""

from __future__ import annotations

import re

from twincli.terminal import printable

_FULL_WIDTH = str.maketrans(
    {
        ":": "\uff1a",
        "#": "\uff03",
        ";": "\uff1b",
        "%": "\uff05",
        "`": "\uff40",
        '"': "\uff02",
        "<": "\uff1c",
        ">": "\uff1e",
    }
)
_GANTT_KEYWORDS = (
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "title",
    "acctitle",
    "accdescr",
    "accdescription",
    "section",
    "click",
    "href",
    "call",
)
_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}")
ZERO_WIDTH_SPACE = "\u200b"


def one_line(text: object) -> str:
    """The text on one line, runs of white space as one space, control characters shown as
    escapes (`terminal.printable`)."""
    return " ".join(printable(str(text)).split())


def gantt_text(text: object) -> str:
    """A title, section or task name for a gantt chart."""
    out = one_line(text).translate(_FULL_WIDTH) or "(untitled)"
    lower = out.lower()
    if lower.startswith(_GANTT_KEYWORDS) or _DATE_START.match(out):
        out = ZERO_WIDTH_SPACE + out
    return out


def quadrant_text(text: object, width: int = 32) -> str:
    """A point's name for a quadrantChart (to be written in double quotes), shortened to
    `width` characters so labels do not run over each other."""
    out = one_line(text).translate(_FULL_WIDTH) or "(untitled)"
    if len(out) > width:
        out = out[: width - 1].rstrip() + "…"
    return out
