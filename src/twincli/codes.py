"""The catalogue of diagnostic codes: one stable code per kind of problem.

Codes never change meaning once released. `docs/rules.md` is generated from this table
(`python -m twincli.codes > docs/rules.md`) and a test keeps the two in step.

- TC1xx: files and YAML (the folder's layout, decoding, syntax, what YAML may contain)
- TC2xx: schema (keys, types, vocabularies)
- TC3xx: references between files and inside an edition
- TC4xx: dates and the edition's calendar
- TC5xx: site visits and travel money
- TC6xx: status and content
"""

from __future__ import annotations

from dataclasses import dataclass

from twincli.diagnostics import Severity

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Code:
    """One kind of problem: its code, severity, a title, and a small example that triggers it."""

    code: str
    severity: Severity
    title: str
    example: str


CATALOGUE: tuple[Code, ...] = (
    Code(
        "TC101",
        E,
        "a file cannot be read, or a folder listed (permissions, I/O); validate exits 2",
        "cities/soria.yaml without read permission",
    ),
    Code("TC102", E, "a file is not UTF-8 text", "a city file saved as Latin-1 or UTF-16"),
    Code("TC103", E, "YAML syntax error", "name: [Soria"),
    Code("TC104", E, "a file is empty", "an empty cities/soria.yaml, or one holding only comments"),
    Code("TC105", E, "more than one YAML document in a file", "name: Soria\n---\nname: Cologne"),
    Code("TC106", E, "the top of a file is not a mapping of keys and values", "- Soria"),
    Code(
        "TC107",
        E,
        "explicit tags are not allowed and never acted on",
        "name: !!python/object:os.system ls",
    ),
    Code("TC108", E, "merge keys (<<) are not allowed", "<<: *defaults"),
    Code(
        "TC109",
        E,
        "aliases expand to too many nodes, or refer to themselves",
        "a 'billion laughs' file",
    ),
    Code("TC110", E, "a key appears twice in one mapping", "name: Soria\nname: Cologne"),
    Code("TC111", E, "a file name is not <id>.yaml with a slug id", "cities/Soria.yml"),
    Code(
        "TC112",
        E,
        "an unexpected entry in cohorts/, pilots/ or cities/",
        "a folder cities/archive/",
    ),
    Code(
        "TC113",
        E,
        "a symbolic link leads outside the programme folder",
        "cities/soria.yaml -> /etc/passwd",
    ),
    Code(
        "TC114",
        E,
        "a file is larger than the limit ($TWINCLI_MAX_FILE_BYTES, default 5 MiB); not read",
        "a 6 MB cities/soria.yaml",
    ),
    Code(
        "TC115",
        E,
        "values are nested more than 64 levels deep",
        "contacts: [[[[[[ ... ]]]]]] (65 levels)",
    ),
    Code(
        "TC116",
        E,
        "an escape in a quoted key or value names no Unicode character (half a surrogate pair)",
        'name: "Gda\\ud800sk"',
    ),
    Code("TC201", E, "unknown key (with a suggestion when one is close)", "atended: [kick-off]"),
    Code("TC202", E, "a required key is missing", "a city file without 'cohort'"),
    Code("TC203", E, "a value has the wrong shape (text, list or mapping)", "attended: kick-off"),
    Code("TC204", E, "not a whole number", "travellers: two"),
    Code("TC205", E, "not an ISO date (YYYY-MM-DD)", "start: 03/04/2025"),
    Code(
        "TC206",
        E,
        "not an amount of money (non-negative, at most two decimals)",
        "claimed_eur: 12.345",
    ),
    Code("TC207", E, "not one of the allowed words", "status: aproved"),
    Code("TC208", E, "not a valid id (a lower-case slug)", "events: {Kick Off: ...}"),
    Code("TC209", E, "not an ISO 3166-1 alpha-2 country code", "country: UK"),
    Code("TC210", E, "a number is out of range", "scores: {governance: 7}"),
    Code("TC211", E, "a list that needs at least one item is empty", "cities: []"),
    Code(
        "TC212",
        E,
        "content given for an output that has no content format",
        "outputs: {site-report: {status: drafting, content: {...}}}",
    ),
    Code(
        "TC213",
        E,
        "a name or title holds a line break, a tab or another control character",
        'name: "Soria\\nBEGIN:VEVENT"',
    ),
    Code(
        "TC214",
        E,
        "an event's time is not HH:MM or HH:MM-HH:MM (a later end), or the time zone is not "
        "an IANA name",
        "time: 9.30",
    ),
    Code("TC215", E, "a link is not an http or https URL", "link: javascript:alert(1)"),
    Code("TC301", E, "a cohort's edition does not exist", "edition: tlp-81"),
    Code("TC302", E, "a city's cohort does not exist", "cohort: cohort-9"),
    Code("TC303", E, "a city's pilot does not exist", "pilot: urbanev"),
    Code(
        "TC304",
        E,
        "an attended event is not an event of the city's own cohort",
        "attended: [kick-of]",
    ),
    Code("TC305", E, "an output is not one of the edition's outputs", "outputs: {roadmap: ...}"),
    Code("TC306", E, "an edition's output names a milestone that does not exist", "milestone: m3"),
    Code(
        "TC307",
        E,
        "an event's activity is not one of the edition's activities",
        "activity: seminar",
    ),
    Code(
        "TC308",
        E,
        "site visits are recorded per city, never scheduled as cohort events",
        "activity: site-visit",
    ),
    Code(
        "TC309",
        E,
        "a pilot's kind does not match the partner of its Twin Cities' edition",
        "kind: mission-city, paired with a city of a 'partner: pilot' edition",
    ),
    Code("TC310", W, "an event is listed twice in 'attended'", "attended: [kick-off, kick-off]"),
    Code(
        "TC311",
        E,
        "an event that several cities attended is not an event of their cohort: the city "
        "errors (TC304) follow from it",
        "seminar-funding removed from cohort-2 while 8 cities list it in 'attended'",
    ),
    Code("TC401", E, "an end date is before its start", "start: 2024-04-16\nend: 2024-04-15"),
    Code("TC402", E, "a date is outside the cohort's window", "an event dated before the start"),
    Code(
        "TC403",
        E,
        "an output is approved before it was submitted",
        "submitted: 2025-02-01\napproved: 2025-01-20",
    ),
    Code(
        "TC404",
        E,
        "an output's status needs a date that is missing",
        "status: approved (without 'approved:')",
    ),
    Code(
        "TC405",
        E,
        "something marked done, attended, submitted, approved or withdrawn is dated after "
        "the as-of day",
        "a visit with status done that starts next month",
    ),
    Code("TC406", W, "a planned visit's date has passed", "status: planned, end: last month"),
    Code(
        "TC407",
        E,
        "a month of an edition is outside its length, or modules overlap",
        "due_month: 24 in an 18-month edition",
    ),
    Code("TC408", E, "an action starts before its cohort", "start: 2020-01-01"),
    Code(
        "TC409",
        E,
        "a date is set that the output's status contradicts",
        "status: drafting\napproved: 2025-01-20",
    ),
    Code(
        "TC410",
        W,
        "a withdrawn city attended an event, made a visit or submitted an output after it withdrew",
        "an event in 'attended' held after the city's withdrawal date",
    ),
    Code(
        "TC411",
        W,
        "a city's withdrawal is dated before its cohort's selection (or start) or after its end",
        "a withdrawal dated 2023-05-06 in a cohort that starts on 2023-09-25",
    ),
    Code(
        "TC412",
        E,
        "a cohort's start or end (or its edition's length) puts records of several cities "
        "outside the cohort: the errors that follow from it (TC402, TC408) are listed after it",
        "start: 2025-09-30 where it was 2024-09-30, with visits recorded since 2024",
    ),
    Code(
        "TC413",
        W,
        "a cohort's start and end disagree with its edition's length: the end is before start "
        "+ the edition's months, or more than 6 months after it",
        "start: 2025-09-30\nend: 2026-05-31 in an 18-month edition",
    ),
    Code(
        "TC414",
        E,
        "an event dated after the as-of day is marked attended by several cities: the errors "
        "that follow from its date (TC405) are listed after it",
        "date: 2025-07-08 for a session 8 cities list in 'attended' as of 2025-06-30",
    ),
    Code("TC501", E, "a visit's city is not one of its pilot's cities", "city: Vitoria"),
    Code(
        "TC502",
        E,
        "a visit to a multi-city pilot does not say which city",
        "a visit without 'city' for URBANEW",
    ),
    Code(
        "TC503",
        W,
        "more visits in one direction than the edition funds",
        "three to-partner visits where two are funded",
    ),
    Code("TC504", W, "more travellers than the travel rules allow", "travellers: 3"),
    Code(
        "TC505",
        W,
        "the amount reimbursed or claimed is over the cap for the travellers funded",
        "claimed_eur: 2000 for 2 travellers at 900",
    ),
    Code("TC506", E, "more reimbursed than claimed", "claimed_eur: 900\nreimbursed_eur: 950"),
    Code(
        "TC507",
        E,
        "a city that several cities visited is not one of their pilot's cities: the visit "
        "errors (TC501) follow from it",
        "Lund renamed in pilots/copilot-lund.yaml while 3 cities record visits to it",
    ),
    Code("TC601", W, "a withdrawn city has no 'withdrawn:' record", "status: withdrawn"),
    Code(
        "TC602",
        W,
        "an output is submitted or approved without content, so there is nothing to render",
        "status: approved (without 'content:')",
    ),
    Code(
        "TC603",
        W,
        "an active city has a 'withdrawn:' record",
        "status: active\nwithdrawn: {date: 2024-05-01}",
    ),
)

BY_CODE: dict[str, Code] = {c.code: c for c in CATALOGUE}


def severity_of(code: str) -> Severity:
    """The severity a code is reported with."""
    return BY_CODE[code].severity


def rules_markdown() -> str:
    """docs/rules.md: every code with its severity, title and an example."""
    lines = [
        "# Diagnostic codes",
        "",
        "Generated from `src/twincli/codes.py` by `python -m twincli.codes > docs/rules.md`;",
        "do not edit by hand. Codes are stable: a code never changes meaning.",
        "",
        "| code | severity | what it means | example |",
        "| --- | --- | --- | --- |",
    ]
    for c in CATALOGUE:
        title = _escape(c.title)
        lines.append(f"| {c.code} | {c.severity.value} | {title} | {_example(c.example)} |")
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _example(example: str) -> str:
    """YAML examples as code, one span per line; descriptions as text."""
    lines = example.splitlines()
    if not any(": " in line or line.startswith(("- ", "<<")) for line in lines):
        return _escape(example)
    return "<br>".join("`" + line.replace("|", "\\|") + "`" for line in lines)


if __name__ == "__main__":
    print(rules_markdown(), end="")
