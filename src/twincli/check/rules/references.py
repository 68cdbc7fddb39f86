"""Rules about references: between files (a city's cohort and pilot, the events it attended,
its outputs) and inside an edition (milestones, activities)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from twincli.check.rules.context import Context
from twincli.check.rules.registry import Finding, rule
from twincli.diagnostics import Cause, did_you_mean, misspelt, suggest, suggest_or_list
from twincli.model import Cohort

PARTNER_KIND = {"pilot": "pilot-activity", "mission-city": "mission-city"}


@rule("TC301")
def check_cohort_edition(ctx: Context) -> Iterator[Finding]:
    for cohort in ctx.cohorts():
        if not ctx.exists("editions", cohort.edition):
            yield Finding(
                cohort.marks.value("edition"),
                f"edition '{cohort.edition}' does not exist in programme.yaml",
                ctx.closest("editions", cohort.edition),
            )


@rule("TC302")
def check_city_cohort(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        if not ctx.exists("cohorts", city.cohort):
            yield Finding(
                city.marks.value("cohort"),
                f"cohort '{city.cohort}' does not exist: there is no cohorts/{city.cohort}.yaml",
                ctx.closest("cohorts", city.cohort),
            )


@rule("TC303")
def check_city_pilot(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        if not ctx.exists("pilots", city.pilot):
            yield Finding(
                city.marks.value("pilot"),
                f"pilot '{city.pilot}' does not exist: there is no pilots/{city.pilot}.yaml",
                ctx.closest("pilots", city.pilot),
            )


@rule("TC304")
def check_attended_events(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        cohort = ctx.cohort_of(city)
        if cohort is None:
            continue
        for index, event in enumerate(city.attended):
            if cohort.marks.has_entry("events", event) or not cohort.marks.intact("events"):
                continue  # or it is one of the events whose id could not be read
            yield Finding(
                city.marks.item("attended", index),
                f"'{event}' is not an event of {cohort.id}",
                partial(_event_hint, ctx, cohort, event, city.attended),
                Cause(
                    cohort.marks.key("events"),
                    "TC311",
                    f"'{event}' is attended by",
                    f"but is not an event of {cohort.id}: was it removed or renamed?",
                    "city",
                ),
            )


def _event_hint(ctx: Context, cohort: Cohort, event: str, attended: tuple[str, ...]) -> str | None:
    """A close spelling of an event of the cohort that the city has not listed already, else
    the cohort that has the event. Never another session: following the hint would record
    the city at a session it may not have attended."""
    hint = did_you_mean(misspelt(event, (e for e in cohort.events if e not in attended)))
    others = ctx.cohorts_with_event(event)
    if others and hint is None:
        hint = f"'{event}' is an event of {others[0]}, not of {cohort.id}"
    return hint


@rule("TC305")
def check_output_ids(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        edition = ctx.edition_of_city(city)
        if edition is None:
            continue
        if not edition.marks.intact("outputs"):
            continue  # an output whose id could not be read may be the one named
        for output in city.marks.ids("outputs"):
            if not edition.marks.has_entry("outputs", output):
                yield Finding(
                    city.marks.entry("outputs", output),
                    f"'{output}' is not an output of edition {edition.id}",
                    partial(suggest_or_list, output, edition.outputs, "its outputs are: "),
                )


@rule("TC306")
def check_output_milestones(ctx: Context) -> Iterator[Finding]:
    for edition in ctx.editions():
        if not edition.marks.intact("milestones"):
            continue  # a milestone whose id could not be read may be the one named
        for output in edition.outputs.values():
            milestone = output.milestone
            if milestone is not None and not edition.marks.has_entry("milestones", milestone):
                yield Finding(
                    output.marks.value("milestone"),
                    f"milestone '{milestone}' is not one of edition {edition.id}'s milestones",
                    partial(suggest, milestone, edition.milestones),
                )


@rule("TC307")
def check_event_activities(ctx: Context) -> Iterator[Finding]:
    for cohort in ctx.cohorts():
        edition = ctx.edition_of(cohort)
        if edition is None or not edition.marks.intact("activities"):
            continue  # an activity whose id could not be read may be the one named
        for event in cohort.events.values():
            if not edition.marks.has_entry("activities", event.activity):
                yield Finding(
                    event.marks.value("activity"),
                    f"'{event.activity}' is not an activity of edition {edition.id}",
                    partial(
                        suggest_or_list, event.activity, edition.activities, "its activities are: "
                    ),
                )


@rule("TC308")
def check_no_site_visit_events(ctx: Context) -> Iterator[Finding]:
    for cohort in ctx.cohorts():
        for event in cohort.events.values():
            if event.activity == "site-visit":
                yield Finding(
                    event.marks.value("activity"),
                    "site visits are not cohort events",
                    "record each city's visits under 'visits:' in its own file",
                )


@rule("TC309")
def check_partner_kind(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        pilot, edition = ctx.pilot_of(city), ctx.edition_of_city(city)
        if pilot is None or edition is None:
            continue
        if not (pilot.marks.intact("kind") and edition.marks.intact("partner")):
            continue  # an unreadable kind or partner is not the default
        expected = PARTNER_KIND[edition.partner]
        if pilot.kind != expected:
            yield Finding(
                city.marks.value("pilot"),
                f"'{pilot.id}' is a {pilot.kind}, but edition {edition.id} pairs Twin Cities "
                f"with a {expected}",
                f"pair the city with a {expected}, or set 'kind:' in pilots/{pilot.id}.yaml",
            )


@rule("TC310")
def check_attended_twice(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        seen: set[str] = set()
        for index, event in enumerate(city.attended):
            if event in seen:
                yield Finding(
                    city.marks.item("attended", index),
                    f"'{event}' is listed twice in 'attended'",
                    "remove the second one",
                )
            seen.add(event)
