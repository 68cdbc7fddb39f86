"""A small checker for the Mermaid charts the reports draw, written from Mermaid's grammar
(gantt.jison, quadrant.jison, xychart.jison), so a chart that GitHub would show as an error
box fails a test instead. It knows only what the reports use: `gantt`, `quadrantChart` and
`xychart-beta` (a title, a band x-axis, a y-axis range, bars and lines).
"""

from __future__ import annotations

import re
from datetime import date

BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)
GANTT_KEYWORDS = (
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
    "section",
    "click",
    "href",
    "call",
)
TAGS = {"active", "done", "crit", "milestone"}
TASK_ID = re.compile(r"[A-Za-z][\w-]*")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DURATION = re.compile(r"\d+d")
AXIS_TEXT = re.compile(r"[A-Za-z][A-Za-z ]*")
COORDINATE = re.compile(r"1|0(\.\d+)?")
POINT = re.compile(r'"(?P<name>[^"]*)": \[(?P<x>[^,\]]*), (?P<y>[^\]]*)\]')


def mermaid_blocks(markdown: str) -> list[str]:
    return BLOCK.findall(markdown)


def check_block(block: str) -> list[str]:
    """What is wrong with one ```mermaid block (nothing when it is valid)."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if "`" in block:
        return ["a backquote in a chart (three would end the code block)"]
    if not lines:
        return ["an empty chart"]
    if lines[0] == "gantt":
        return check_gantt(lines[1:])
    if lines[0] == "quadrantChart":
        return check_quadrant(lines[1:])
    if lines[0] == "xychart-beta":
        return check_xychart(lines[1:])
    return [f"unknown chart type {lines[0]!r}"]


def check_gantt(lines: list[str]) -> list[str]:
    problems: list[str] = []
    ids: set[str] = set()
    in_section = False
    tasks = 0
    for line in lines:
        if line.startswith("title "):
            if re.search(r"[#;]", line):
                problems.append(f"title with '#' or ';': {line!r}")
        elif line == "dateFormat YYYY-MM-DD" or line in ("inclusiveEndDates", "todayMarker off"):
            pass
        elif line.startswith("axisFormat "):
            if re.search(r"[#;]", line):
                problems.append(f"axisFormat with '#' or ';': {line!r}")
        elif line.startswith("section "):
            if re.search(r"[#:;%]", line[8:]):
                problems.append(f"section name with '#', ':', ';' or '%': {line!r}")
            in_section = True
        else:
            tasks += 1
            if not in_section:
                problems.append(f"a task before any section: {line!r}")
            problems += _check_task(line, ids)
    if not any(line == "dateFormat YYYY-MM-DD" for line in lines):
        problems.append("no 'dateFormat YYYY-MM-DD'")
    if tasks == 0:
        problems.append("a gantt chart without tasks")
    return problems


def _check_task(line: str, ids: set[str]) -> list[str]:
    name, colon, data = line.partition(" :")
    if not colon:
        return [f"not a task line (name :data): {line!r}"]
    problems = []
    if not name.strip() or re.search(r"[#:;%]", name):
        problems.append(f"task name empty or with '#', ':', ';' or '%': {name!r}")
    lower = name.lower()
    if lower.startswith(GANTT_KEYWORDS) or ISO_DATE.match(name):
        problems.append(f"task name read as a keyword or a date: {name!r}")
    if re.search(r"[#;]", data):
        problems.append(f"task data with '#' or ';': {data!r}")
    fields = [f.strip() for f in data.split(",")]
    tags = []
    while fields and fields[0] in TAGS:
        tags.append(fields.pop(0))
    if len(fields) != 3:
        return [*problems, f"task data is not 'tags, id, start, end': {data!r}"]
    task_id, start, end = fields
    if not TASK_ID.fullmatch(task_id) or task_id in ids:
        problems.append(f"task id missing, malformed or repeated: {task_id!r}")
    ids.add(task_id)
    first = _iso(start)
    if first is None:
        problems.append(f"start is not an ISO date: {start!r}")
    if DURATION.fullmatch(end):
        if end == "0d" and "milestone" not in tags:
            problems.append(f"a zero-length task that is not a milestone: {line!r}")
    else:
        last = _iso(end)
        if last is None:
            problems.append(f"end is neither an ISO date nor a duration: {end!r}")
        elif first is not None and last < first:
            problems.append(f"end before start: {line!r}")
    return problems


def _iso(text: str) -> date | None:
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def check_quadrant(lines: list[str]) -> list[str]:
    problems = []
    points = 0
    for line in lines:
        if line.startswith("title "):
            continue
        axis = re.fullmatch(r"[xy]-axis (.*?) --> (.*)", line)
        if axis:
            problems += [
                f"axis text Mermaid cannot read unquoted: {t!r}"
                for t in axis.groups()
                if not AXIS_TEXT.fullmatch(t)
            ]
            continue
        quadrant = re.fullmatch(r"quadrant-[1-4] (.*)", line)
        if quadrant:
            if not AXIS_TEXT.fullmatch(quadrant.group(1)):
                problems.append(f"quadrant text Mermaid cannot read unquoted: {line!r}")
            continue
        point = POINT.fullmatch(line)
        if point is None:
            problems.append(f"not a quadrantChart statement: {line!r}")
            continue
        points += 1
        if not point["name"].strip():
            problems.append(f"a point without a name: {line!r}")
        for axis_value in (point["x"], point["y"]):
            if not COORDINATE.fullmatch(axis_value):
                problems.append(f"coordinate not 0, 1 or 0.x: {axis_value!r} in {line!r}")
    if points == 0:
        problems.append("a quadrantChart without points")
    return problems


QUOTED = r'"[^"\n]*"'
NUMBER = r"-?\d+(?:\.\d+)?"
XY_TITLE = re.compile(rf"title {QUOTED}")
X_BAND = re.compile(rf"x-axis (?:{QUOTED} )?\[(?P<bands>.*)\]")
Y_RANGE = re.compile(rf"y-axis (?:{QUOTED} )?(?P<low>{NUMBER}) --> (?P<high>{NUMBER})")
SERIES = re.compile(r"(?:bar|line) \[(?P<values>.*)\]")


def check_xychart(lines: list[str]) -> list[str]:
    """Bands are quoted text (a `"` cannot be in one), values are numbers, every series has
    a value per band, and the y-axis's range holds them all."""
    problems: list[str] = []
    bands: list[str] | None = None
    y_range: tuple[float, float] | None = None
    series: list[list[float]] = []
    for line in lines:
        if XY_TITLE.fullmatch(line):
            continue
        if found := X_BAND.fullmatch(line):
            bands = [b.strip() for b in found["bands"].split(",")]
            problems += [
                f"a band that is not quoted text: {b!r}"
                for b in bands
                if not re.fullmatch(QUOTED, b)
            ]
        elif found := Y_RANGE.fullmatch(line):
            y_range = (float(found["low"]), float(found["high"]))
            if y_range[0] >= y_range[1]:
                problems.append(f"an empty y-axis range: {line!r}")
        elif found := SERIES.fullmatch(line):
            values = [v.strip() for v in found["values"].split(",")]
            bad = [v for v in values if not re.fullmatch(NUMBER, v)]
            if bad:
                problems.append(f"a value that is not a number: {bad[0]!r} in {line!r}")
            else:
                series.append([float(v) for v in values])
        else:
            problems.append(f"not an xychart statement: {line!r}")
    if bands is None:
        problems.append("an xychart without an x-axis of bands")
    if not series:
        problems.append("an xychart without a bar or a line")
    for values in series:
        if bands is not None and len(values) != len(bands):
            problems.append(f"{len(values)} values for {len(bands)} bands")
        if y_range is not None and not all(y_range[0] <= v <= y_range[1] for v in values):
            problems.append(f"a value outside the y-axis's range {y_range}: {values}")
    return problems
