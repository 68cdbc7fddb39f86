"""Rich renderables for progress: the status table, deadlines, and one city, cohort or pilot.

User text goes in as `Text` objects (never as markup), so `[red]` in a city name prints as
typed. Everything reads in plain text too: letters and words carry the meaning, colour helps.

A table is as wide as its cells need, up to the terminal's width (`fitted.FittedTable`):
figures, states and ids keep their width; names and titles give way first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from rich.console import Group, JustifyMethod, RenderableType
from rich.text import Text

from twincli.cli.fitted import FittedTable
from twincli.model import Pilot, Programme
from twincli.progress.standing import (
    AT_RISK_DAYS,
    CityProgress,
    CohortProgress,
    Deadline,
    Health,
    OutputProgress,
)
from twincli.schedule import add_months

STATE_GLYPHS = {
    "approved": ("A", "green"),
    "submitted": ("S", "cyan"),
    "needs-revision": ("R", "yellow"),
    "drafting": ("D", "blue"),
    "not-started": ("·", "dim"),
}
HEALTH_STYLES: dict[Health, str] = {
    "on-track": "green",
    "at-risk": "yellow",
    "behind": "bold red",
    "withdrawn": "dim",
    "not-started": "dim",
}
LEGEND = (
    "Outputs: A approved, S submitted, R needs revision, D drafting, · not started; "
    "underlined: overdue."
)
COLUMNS_LEGEND = (
    "Events: attended/expected. Visits: done/funded +planned. Miles: milestones reached. "
    "Late: overdue outputs."
)
HEALTH_LEGEND = (
    "Health looks at outputs only: behind when one is overdue, at risk when one not yet "
    f"submitted is due within {AT_RISK_DAYS} days, else on track (a milestone awaiting "
    "approval does not make a city behind)."
)
"""How `progress._health` judges a city, for the legend under the Health column."""

FLEXIBLE = frozenset(
    {"City", "Output", "Milestone", "Twin City", "What", "Event", "With", "Module"}
)
"""Columns of names and titles: they give way first when the terminal is narrow."""


def new_table(*headers: str, footer: bool = False) -> FittedTable:
    """A compact table (a rule under the header, two spaces between columns) of `headers`."""
    table = FittedTable(footer=footer)
    for header in headers:
        add_column(table, header)
    return table


def add_column(
    table: FittedTable,
    header: str,
    *,
    flexible: bool = False,
    justify: JustifyMethod = "left",
    footer: str | Text = "",
) -> None:
    """A column of figures, states or ids, which keeps its width, or a `flexible` one (names,
    titles: the headers of `FLEXIBLE`), which gives way when the terminal is narrow."""
    flexible = flexible or header in FLEXIBLE
    table.add_column(header, flexible=flexible, justify=justify, footer=footer)


def cell(text: str, style: str = "") -> Text:
    """User text (a name, a title), in `style`: printed as typed, never read as markup."""
    return Text(text, style=style)


def output_strip(outputs: Sequence[OutputProgress]) -> Text:
    """One letter per output, in the edition's order; overdue ones underlined."""
    strip = Text()
    for output in outputs:
        glyph, style = STATE_GLYPHS[output.status]
        strip.append(glyph, style=f"{style} underline" if output.overdue else style)
    return strip


def health_text(health: Health) -> Text:
    return Text(health.replace("-", " "), style=HEALTH_STYLES[health])


def cohort_heading(cohort: CohortProgress) -> Text:
    """`Cohort 2 (cohort-2) · tlp-18 · 2024-09-30 → 2026-05-31 · month 10 of 18 · Co-creating`"""
    parts = [cohort.cohort.edition, f"{cohort.start} → {cohort.end or '?'}"]
    if cohort.phase == "running":
        months = f" of {cohort.edition.months}" if cohort.edition else ""
        parts.append(f"month {cohort.month}{months}")
        if cohort.module is not None:
            parts.append(cohort.module.title)
    else:
        parts.append(cohort.phase)
    heading = Text(cohort.cohort.title or cohort.cohort.id, style="bold")
    heading.append(f" ({cohort.cohort.id}) · " + " · ".join(parts))
    return heading


def status_table(cohort: CohortProgress) -> FittedTable:
    """One row per city: events, visits, outputs, milestones, overdue and health."""
    totals = cohort.totals
    table = new_table(footer=True)
    add_column(table, "City", footer=Text(_cities_text(cohort), style="bold"))
    columns = (
        ("Events", f"{totals.activities.done}/{totals.activities.expected}"),
        ("Visits", f"{totals.visits.done}/{totals.visits.funded}"),
        ("Outputs", ""),
        ("Miles", f"{totals.milestones.done}/{totals.milestones.expected}"),
        ("Late", str(totals.overdue)),
    )
    for header, footer in columns:
        add_column(table, header, footer=footer, justify="left" if header == "Outputs" else "right")
    add_column(table, "Health")
    for city in cohort.cities:
        style = "" if city.active else "dim"
        reached = sum(m.reached for m in city.milestones.values())
        visits = f"{city.visits.done}/{city.visits.funded}"
        if city.visits.planned:
            visits += f" +{city.visits.planned}"
        table.add_row(
            cell(city.city.name, style),
            f"{city.activities.done}/{city.activities.expected}",
            visits,
            output_strip(list(city.outputs.values())),
            f"{reached}/{len(city.milestones)}",
            Text(str(city.overdue), style="bold red" if city.overdue and city.active else style),
            health_text(city.health),
        )
    return table


def _cities_text(cohort: CohortProgress) -> str:
    totals = cohort.totals
    text = f"{totals.cities} active"
    if totals.withdrawn:
        text += f", {totals.withdrawn} withdrawn"
    return text


def status_view(cohorts: Sequence[CohortProgress]) -> RenderableType:
    """`twincli status`: a heading and a table per cohort, then the legend."""
    parts: list[RenderableType] = []
    for cohort in cohorts:
        parts += [cohort_heading(cohort), status_table(cohort)]
    legends = (LEGEND, COLUMNS_LEGEND, HEALTH_LEGEND)
    parts += [Text(legend, style="dim") for legend in legends]
    return Group(*parts)


def city_view(programme: Programme, cohort: CohortProgress, city: CityProgress) -> RenderableType:
    """One city in detail: who, events, visits, outputs, milestones."""
    c = city.city
    pilot = programme.pilots.get(c.pilot)
    pilot_name = (pilot.acronym or pilot.title) if pilot else c.pilot
    head = Text(c.name, style="bold")
    head.append(f" ({c.id}) · {c.country} · {cohort.cohort.title or cohort.cohort.id}")
    head.append(f" · paired with {pilot_name} · ")
    head.append_text(health_text(city.health))
    parts: list[RenderableType] = [head]
    if c.withdrawn is not None:
        when, why = c.withdrawn.date, c.withdrawn.reason
        said = "Withdrawn" + (f" on {when}" if when else "") + (f": {why}" if why else "")
        parts.append(Text(said))
    for person in c.contacts:
        parts.append(
            Text(
                "Contact: "
                + ", ".join(x for x in (person.name, person.role, person.email, person.phone) if x)
            )
        )

    events = new_table("Activity", "Attended")
    for activity_id, tally in city.activities_by_id.items():
        events.add_row(activity_id, f"{tally.done}/{tally.expected}")
    events.add_row(Text("site visits", style="italic"), f"{city.visits.done}/{city.visits.funded}")
    parts.append(events)

    if c.visits:
        visits = new_table("Visit", "With", "Dates", "Status", "People", "€ claimed/paid")
        for v in sorted(c.visits, key=lambda v: v.start):
            dates = str(v.start) + (f" +{(v.end - v.start).days} d" if v.end else "")
            money = ""
            if v.claimed_eur is not None or v.reimbursed_eur is not None:
                money = f"{_money(v.claimed_eur)} / {_money(v.reimbursed_eur)}"
            visits.add_row(
                "travels" if v.direction == "to-partner" else "hosts",
                cell(v.city or pilot_name),
                dates,
                v.status,
                str(v.travellers or 1),
                money,
            )
        parts.append(visits)

    outputs = new_table()
    add_column(outputs, "Output", flexible=True)
    for header in ("Status", "Due", "Submitted", "Approved", "Late"):
        add_column(outputs, header)
    for o in city.outputs.values():
        late = f"{o.days_late} d" if o.days_late else ""
        outputs.add_row(
            cell(o.title),
            Text(o.status, style=STATE_GLYPHS[o.status][1]),
            _day(o.due),
            _day(o.submitted),
            _day(o.approved),
            Text(late, style="bold red" if o.overdue else "yellow"),
        )
    parts.append(outputs)

    milestones = new_table("Milestone", "Due", "Reached")
    for m in city.milestones.values():
        if m.reached:
            reached = Text(str(m.reached_on), style="green")
        else:
            reached = Text(
                "overdue" if m.overdue else "not yet", style="bold red" if m.overdue else "dim"
            )
        milestones.add_row(cell(m.title), _day(m.due), reached)
    parts.append(milestones)
    return Group(*parts)


def cohort_view(cohort: CohortProgress) -> RenderableType:
    """A cohort in full: window, modules (the current one marked), schedule, cities."""
    c = cohort.cohort
    facts = f"Starts {cohort.start}, ends {cohort.end or '?'}"
    if c.end is None and cohort.edition is not None:
        facts += f" (start + {cohort.edition.months} months)"
    if c.selected:
        facts += f"; cities selected {c.selected}"
    parts: list[RenderableType] = [cohort_heading(cohort), Text(facts)]
    if cohort.edition is not None and cohort.edition.modules:
        modules = new_table("", "Module", "Months", "From", "To")
        for module in cohort.edition.modules.values():
            first, last = module.months
            current = cohort.module is not None and module.id == cohort.module.id
            modules.add_row(
                Text("▶" if current else "", style="bold green"),
                Text(module.title, style="bold" if current else ""),
                f"{first}–{last}",
                str(add_months(cohort.start, first - 1)),
                str(add_months(cohort.start, last) - timedelta(days=1)),
            )
        parts.append(modules)
    if c.events:
        events = new_table("Date")
        add_column(events, "Event", flexible=True)
        add_column(events, "Activity")
        add_column(events, "")
        for event in sorted(c.events.values(), key=lambda e: (e.date, e.id)):
            past = event.date <= cohort.as_of
            events.add_row(
                str(event.date),
                cell(event.title or event.id),
                event.activity,
                Text("done" if past else "upcoming", style="dim" if past else "cyan"),
            )
        parts.append(events)
    parts += [status_table(cohort), Text(LEGEND, style="dim"), Text(HEALTH_LEGEND, style="dim")]
    return Group(*parts)


def pilot_view(
    pilot: Pilot, twins: Sequence[tuple[CohortProgress, CityProgress]]
) -> RenderableType:
    """A pilot activity: what it is, its cities, and the Twin Cities learning from it."""
    head = Text(pilot.acronym or pilot.title, style="bold")
    head.append(f" ({pilot.id}) · {pilot.kind}")
    parts: list[RenderableType] = [head]
    if pilot.acronym:
        parts.append(Text(pilot.title))
    parts.append(Text("Cities: " + ", ".join(f"{c.name} ({c.country})" for c in pilot.cities)))
    if pilot.domains:
        parts.append(Text("Domains: " + ", ".join(pilot.domains)))
    if pilot.levers:
        parts.append(Text("Levers: " + ", ".join(pilot.levers)))
    if not twins:
        parts.append(Text("No Twin City is paired with it yet.", style="dim"))
        return Group(*parts)
    table = new_table("Twin City", "Cohort", "Visits", "Outputs", "Health")
    for cohort, city in twins:
        table.add_row(
            cell(city.city.name),
            cohort.cohort.id,
            f"{city.visits.done}/{city.visits.funded}",
            output_strip(list(city.outputs.values())),
            health_text(city.health),
        )
    parts.append(table)
    return Group(*parts)


def deadlines_view(deadlines: Sequence[Deadline], as_of: date) -> RenderableType:
    """Soonest first, with days to go (negative: late)."""
    heading = deadlines_heading(deadlines, as_of)
    if not deadlines:
        return heading
    return Group(heading, deadlines_table(deadlines))


def deadlines_heading(deadlines: Sequence[Deadline], as_of: date) -> Text:
    """`As of 2025-06-30: 9 overdue, 0 coming up`"""
    overdue = sum(1 for d in deadlines if d.days < 0)
    heading = Text(f"As of {as_of}: ", style="bold")
    heading.append(f"{overdue} overdue", style="bold red" if overdue else "")
    heading.append(f", {len(deadlines) - overdue} coming up")
    return heading


def deadlines_table(deadlines: Sequence[Deadline]) -> FittedTable:
    """The table of `deadlines_view`: a row per deadline, the days left coloured by urgency."""
    table = new_table("Due")
    add_column(table, "Days", justify="right")
    add_column(table, "City", flexible=True)
    add_column(table, "Kind")
    add_column(table, "What", flexible=True)
    for d in deadlines:
        style = "bold red" if d.days < 0 else ("yellow" if d.days <= 14 else "")
        table.add_row(str(d.due), Text(f"{d.days:+d}", style=style), d.city_name, d.kind, d.title)
    return table


def _day(day: date | None) -> str:
    return str(day) if day else ""


def _money(amount: Decimal | None) -> str:
    return "-" if amount is None else f"{amount:,.2f}"
