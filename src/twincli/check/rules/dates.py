"""Rules about dates: order, cohort windows, the as-of day, and an edition's calendar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import chain

from twincli.check.rules.context import Context
from twincli.check.rules.registry import Finding, rule
from twincli.diagnostics import Cause
from twincli.marks import Marks
from twincli.model import City, CityOutput, Cohort, Edition, MilestoneSpec, OutputSpec
from twincli.schedule import add_months

SUBMITTED_STATES = ("submitted", "needs-revision", "approved")


def _outside(day: date, window: tuple[date, date | None]) -> bool:
    start, end = window
    return day < start or (end is not None and day > end)


def _window_text(cohort: Cohort, window: tuple[date, date | None]) -> str:
    start, end = window
    return f"{cohort.id} runs {start} to {end}" if end else f"{cohort.id} starts {start}"


WINDOW_CAUSE = "TC412"


def _window_cause(
    ctx: Context, cohort: Cohort, day: date, counts: str, record: str
) -> Cause | None:
    """The value that puts `day` outside the cohort, should it do so for several cities:
    its start, for a day before it; for a day after the end, its `end`, or else its
    edition's `months` (the end is then start + months)."""
    start, end = ctx.window(cohort)
    if day < start:
        where, words = cohort.marks.value("start"), f"start {start} moves"
    elif cohort.end is not None:
        where, words = cohort.marks.value("end"), f"end {end} moves"
    else:
        edition = ctx.edition_of(cohort)
        if edition is None:
            return None
        where = edition.marks.value("months")
        words = f"months {edition.months} of {edition.id} end {cohort.id} on {end}, which moves"
    return Cause(where, WINDOW_CAUSE, words, f"outside {cohort.id}", counts, record)


def _outputs(ctx: Context) -> Iterator[CityOutput]:
    """Every output of every city, city by city."""
    return chain.from_iterable(city.outputs.values() for city in ctx.cities())


def _withdrew(city: City) -> date | None:
    """The day a withdrawn city withdrew, when its file says so. An active city's record is
    contradicted by its status (TC603), and an unreadable status is not known to be
    withdrawn: neither is checked against it."""
    if city.status != "withdrawn" or not city.marks.intact("status"):
        return None
    return None if city.withdrawn is None else city.withdrawn.date


@rule("TC401")
def check_end_after_start(ctx: Context) -> Iterator[Finding]:
    def finding(marks: Marks, start: date, end: date) -> Finding:
        return Finding(marks.value("end"), f"end {end} is before start {start}")

    for cohort in ctx.cohorts():
        if cohort.end is not None and cohort.end < cohort.start:
            yield finding(cohort.marks, cohort.start, cohort.end)
    for city in ctx.cities():
        for visit in city.visits:
            if visit.end is not None and visit.end < visit.start:
                yield finding(visit.marks, visit.start, visit.end)
        for output in city.outputs.values():
            for action in getattr(output.content, "actions", ()):
                if action.start and action.end and action.end < action.start:
                    yield finding(action.marks, action.start, action.end)


LONGER_BY_AT_MOST = 6
"""Months a cohort may run past start + its edition's months (an extension, as the example's
cohort 2 runs 2 months longer) before its dates are taken to disagree with its edition."""


@rule("TC413")
def check_cohort_length(ctx: Context) -> Iterator[Finding]:
    """A cohort's `end` against start + its edition's months: before it, the edition's last
    months (and what is due in them) fall after the cohort ends; long after it, the start
    or the end is likely mistyped. An end before the start is TC401's."""
    for cohort in ctx.cohorts():
        edition = ctx.edition_of(cohort)
        end = cohort.end
        if edition is None or end is None or end < cohort.start:
            continue
        if not (cohort.marks.intact("start") and edition.marks.intact("months")):
            continue
        expected = add_months(cohort.start, edition.months)
        months = f"start + {edition.months} months ({expected})"
        if end < expected:
            problem = f"end {end} is before {months}"
        elif end > add_months(expected, LONGER_BY_AT_MOST):
            problem = f"end {end} is more than {LONGER_BY_AT_MOST} months after {months}"
        else:
            continue
        yield Finding(
            cohort.marks.value("end"),
            f"{problem}, and edition {edition.id} lasts {edition.months} months",
            "check the cohort's start and end",
        )


@rule("TC402")
def check_dates_in_window(ctx: Context) -> Iterator[Finding]:
    for each in ctx.cohorts():
        window = ctx.window(each)
        for event in each.events.values():
            if _outside(event.date, window):
                yield Finding(
                    event.marks.value("date"),
                    f"event '{event.id}' on {event.date} is outside the cohort: "
                    + _window_text(each, window),
                    cause=_window_cause(ctx, each, event.date, "event", event.id),
                )
    for city in ctx.cities():
        cohort = ctx.cohort_of(city)
        if cohort is None:
            continue
        window = ctx.window(cohort)
        for visit in city.visits:
            for name, day in (("start", visit.start), ("end", visit.end)):
                if day is not None and _outside(day, window):
                    yield Finding(
                        visit.marks.value(name),
                        f"visit {name} {day} is outside the cohort: "
                        + _window_text(cohort, window),
                        cause=_window_cause(ctx, cohort, day, "visit", str(visit.marks.line)),
                    )
        for output in city.outputs.values():
            for name, day in _output_dates(output):
                if _outside(day, window):
                    yield Finding(
                        output.marks.value(name),
                        f"'{output.id}' {name} {day} is outside the cohort: "
                        + _window_text(cohort, window),
                        cause=_window_cause(ctx, cohort, day, "output", output.id),
                    )


@rule("TC403")
def check_approved_after_submitted(ctx: Context) -> Iterator[Finding]:
    for output in _outputs(ctx):
        if output.submitted and output.approved and output.approved < output.submitted:
            yield Finding(
                output.marks.value("approved"),
                f"'{output.id}' approved {output.approved} before it was submitted "
                f"{output.submitted}",
            )


@rule("TC404")
def check_status_dates(ctx: Context) -> Iterator[Finding]:
    for output in _outputs(ctx):
        marks = output.marks
        if output.status in SUBMITTED_STATES and not marks.given("submitted"):
            yield Finding(
                output.marks.here(),
                f"'{output.id}' is {output.status} but has no 'submitted' date",
                "add 'submitted: YYYY-MM-DD'",
            )
        if output.status == "approved" and not marks.given("approved"):
            yield Finding(
                output.marks.here(),
                f"'{output.id}' is approved but has no 'approved' date",
                "add 'approved: YYYY-MM-DD'",
            )


@rule("TC405")
def check_not_after_as_of(ctx: Context) -> Iterator[Finding]:
    as_of = ctx.as_of
    hint = "check the date and the status; dates are compared with --as-of, default today"
    for city in ctx.cities():
        for visit in city.visits:
            if not visit.marks.intact("end"):
                continue  # its last day is unknown, not its start
            last = visit.end or visit.start
            if visit.status == "done" and last > as_of:
                yield Finding(
                    visit.marks.value("end" if visit.end else "start"),
                    f"visit marked done ends {last}, after {as_of}",
                    hint,
                )
        for output in city.outputs.values():
            for name, day in _output_dates(output):
                if day > as_of:
                    yield Finding(
                        output.marks.value(name), f"'{output.id}' {name} {day}, after {as_of}", hint
                    )
        withdrew = _withdrew(city)
        if withdrew is not None and withdrew > as_of and city.withdrawn is not None:
            yield Finding(
                city.withdrawn.marks.value("date"),
                f"the city is marked withdrawn on {withdrew}, after {as_of}",
                hint,
            )
        if not city.attended:
            continue
        cohort = ctx.cohort_of(city)
        if cohort is None:
            continue
        for index, event_id in enumerate(city.attended):
            event = cohort.events.get(event_id)
            if event is not None and event.date > as_of:
                yield Finding(
                    city.marks.item("attended", index),
                    f"'{event_id}' is marked attended but takes place on {event.date},"
                    f" after {as_of}",
                    hint,
                    Cause(
                        event.marks.value("date"),
                        "TC414",
                        f"'{event_id}' takes place on {event.date}, after {as_of}, but",
                        "mark it attended",
                        "city",
                    ),
                )


@rule("TC406")
def check_planned_visits_passed(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        if city.status != "active" or not city.marks.intact("status"):
            continue  # an unreadable status is not the default, active
        for visit in city.visits:
            if not visit.marks.intact("end"):
                continue  # its last day is unknown, not its start
            last = visit.end or visit.start
            if visit.status == "planned" and last < ctx.as_of:
                yield Finding(
                    visit.marks.value("status"),
                    f"visit planned for {last} has passed as of {ctx.as_of}",
                    "set 'status: done' or 'cancelled', or move its dates",
                )


@rule("TC410")
def check_nothing_after_withdrawal(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        withdrew = _withdrew(city)
        if withdrew is None:
            continue
        after = f"after the city withdrew on {withdrew}"
        cohort = ctx.cohort_of(city)
        events = cohort.events if cohort is not None else {}
        for index, event_id in enumerate(city.attended):
            event = events.get(event_id)
            if event is not None and event.date > withdrew:
                yield Finding(
                    city.marks.item("attended", index),
                    f"'{event_id}' is marked attended but takes place on {event.date}, {after}",
                    "remove it from 'attended', or check the withdrawal date",
                )
        for visit in city.visits:
            if visit.status == "done" and visit.start > withdrew:
                yield Finding(
                    visit.marks.value("start"),
                    f"visit marked done starts {visit.start}, {after}",
                    "set 'status: cancelled', or check the withdrawal date",
                )
        for output in city.outputs.values():
            if output.submitted is not None and output.submitted > withdrew:
                yield Finding(
                    output.marks.value("submitted"),
                    f"'{output.id}' submitted {output.submitted}, {after}",
                    "check the submission date, or the withdrawal date",
                )


@rule("TC411")
def check_withdrawal_in_cohort(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        withdrew = _withdrew(city)
        cohort = ctx.cohort_of(city)
        if withdrew is None or cohort is None or city.withdrawn is None:
            continue
        start, end = ctx.window(cohort)
        selected = cohort.selected
        if not cohort.marks.intact("selected"):
            first: date | None = None  # the cities may have been selected before the start
        elif selected is not None and selected < start:
            first = selected
        else:
            first = start
        if first is not None and withdrew < first:
            what = (
                f"{cohort.id}'s Twin Cities were selected"
                if first != start
                else f"{cohort.id} started"
            )
            problem = f"before {what} ({first})"
        elif end is not None and end < withdrew <= ctx.as_of:  # later: TC405
            problem = f"after {cohort.id} ended ({end})"
        else:
            continue
        yield Finding(
            city.withdrawn.marks.value("date"),
            f"the city withdrew on {withdrew}, {problem}",
            "check the date: a city withdraws between its selection and the end of its cohort",
        )


def _edition_months(edition: Edition) -> Iterator[Finding]:
    months = edition.months
    dated: list[OutputSpec | MilestoneSpec] = [
        *edition.outputs.values(),
        *edition.milestones.values(),
    ]
    for item in dated:
        if item.due_month is not None and item.due_month > months:
            yield Finding(
                item.marks.value("due_month"),
                f"'{item.id}' is due in month {item.due_month}, "
                f"but the edition lasts {months} months",
            )
    previous_last = 0
    for module in edition.modules.values():
        first, last = module.months
        if first > last:
            yield Finding(
                module.marks.value("months"),
                f"module '{module.id}' runs from month {first} to month {last}",
                "write [first, last]",
            )
        elif last > months:
            yield Finding(
                module.marks.value("months"),
                f"module '{module.id}' ends in month {last}, but the edition lasts {months} months",
            )
        elif first <= previous_last:
            yield Finding(
                module.marks.value("months"),
                f"module '{module.id}' starts in month {first}, before the previous "
                f"module ends (month {previous_last})",
                "list modules in order, without overlaps",
            )
        previous_last = max(previous_last, last)


@rule("TC407")
def check_edition_calendar(ctx: Context) -> Iterator[Finding]:
    for edition in ctx.editions():
        yield from _edition_months(edition)


@rule("TC408")
def check_actions_after_start(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        cohort = ctx.cohort_of(city)
        if cohort is None:
            continue
        for output in city.outputs.values():
            for action in getattr(output.content, "actions", ()):
                if action.start is not None and action.start < cohort.start:
                    yield Finding(
                        action.marks.value("start"),
                        f"action starts {action.start}, before {cohort.id} starts ({cohort.start})",
                        cause=_window_cause(
                            ctx, cohort, action.start, "action", str(action.marks.line)
                        ),
                    )


@rule("TC409")
def check_dates_match_status(ctx: Context) -> Iterator[Finding]:
    for output in _outputs(ctx):
        if output.approved is not None and output.status != "approved":
            yield Finding(
                output.marks.value("approved"),
                f"'{output.id}' has an approved date but its status is {output.status}",
                "set 'status: approved', or remove the date",
            )
        if output.status == "not-started":
            for name, _ in _output_dates(output):
                if name == "approved":
                    continue
                yield Finding(
                    output.marks.value(name),
                    f"'{output.id}' has a {name.replace('_', ' ')} date but its status is "
                    "not-started",
                    "set its status, or remove the date",
                )


OUTPUT_DATES = ("started", "submitted", "revision_requested", "approved")
"""An output's dates, one for each state after `not-started`, in the order of its life."""


def _output_dates(output: CityOutput) -> Iterator[tuple[str, date]]:
    """The dates the output has, by name."""
    for name in OUTPUT_DATES:
        day = getattr(output, name)
        if day is not None:
            yield name, day
