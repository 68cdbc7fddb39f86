"""Rules about site visits: the pilot's cities, funded counts, travellers and money."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial

from twincli.check.rules.context import Context
from twincli.check.rules.registry import Finding, rule
from twincli.diagnostics import Cause, suggest_or_list

SITE_VISIT = "site-visit"


@rule("TC501")
def check_visit_city(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        pilot = ctx.pilot_of(city)
        if pilot is None or not pilot.marks.intact("cities"):
            continue  # a city of the pilot could not be read: the visit may name it
        names = [c.name for c in pilot.cities]
        for visit in city.visits:
            if visit.city is not None and visit.city not in names:
                yield Finding(
                    visit.marks.value("city"),
                    f"'{visit.city}' is not one of {pilot.id}'s cities",
                    partial(suggest_or_list, visit.city, names, "its cities are: "),
                    Cause(
                        pilot.marks.key("cities"),
                        "TC507",
                        f"'{visit.city}' is visited by",
                        f"but is not one of {pilot.id}'s cities: was it removed or renamed?",
                        "city",
                    ),
                )


@rule("TC502")
def check_visit_city_given(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        pilot = ctx.pilot_of(city)
        if pilot is None or len(pilot.cities) < 2:
            continue
        for visit in city.visits:
            if not visit.marks.given("city"):
                yield Finding(
                    visit.marks.here(),
                    f"{pilot.id} runs in {len(pilot.cities)} cities: say which one "
                    "this visit is with",
                    "add 'city:' with one of: " + ", ".join(c.name for c in pilot.cities),
                )


@rule("TC503")
def check_funded_visits(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        edition = ctx.edition_of_city(city)
        activity = edition.activities.get(SITE_VISIT) if edition else None
        if activity is None:
            continue
        funded = {"to-partner": activity.to_partner, "from-partner": activity.from_partner}
        counted = {"to-partner": 0, "from-partner": 0}
        for visit in city.visits:
            if visit.status == "cancelled":
                continue
            counted[visit.direction] += 1
            limit = funded[visit.direction]
            if limit is not None and counted[visit.direction] == limit + 1:
                yield Finding(
                    visit.marks.value("direction"),
                    f"visit {counted[visit.direction]} {visit.direction}: the "
                    f"edition funds {limit}",
                )


@rule("TC504")
def check_travellers(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        limit = ctx.travel_of_city(city).max_travellers
        if limit is None:
            continue
        for visit in city.visits:
            if visit.travellers is not None and visit.travellers > limit:
                yield Finding(
                    visit.marks.value("travellers"),
                    f"{visit.travellers} travellers; the travel rules fund {limit}",
                )


@rule("TC505")
def check_claim_cap(ctx: Context) -> Iterator[Finding]:
    """The cap is the amount per traveller times the travellers the rules fund (those who
    travelled, at most `max_travellers`). The money paid is checked first, else the claim:
    paid over the claim is TC506's, and an unreadable claim says nothing of either."""
    for city in ctx.cities():
        rules = ctx.travel_of_city(city)
        cap = rules.cap_per_traveller_eur
        if cap is None:
            continue
        for visit in city.visits:
            if not (visit.marks.intact("travellers") and visit.marks.intact("claimed_eur")):
                continue  # an unreadable count is not 1 traveller, nor a claim €0
            went = visit.travellers or 1
            funded = went if rules.max_travellers is None else min(went, rules.max_travellers)
            limit = cap * funded
            arithmetic = f"{funded} × €{cap}"
            if funded < went:
                arithmetic += f": {went} travelled, the travel rules fund {funded}"
            claimed, paid = visit.claimed_eur, visit.reimbursed_eur
            if claimed is None or (paid is not None and paid > claimed):
                paid = None  # more paid than claimed: TC506
            for key, amount, what in (
                ("reimbursed_eur", paid, "reimbursed"),
                ("claimed_eur", claimed, "claimed"),
            ):
                if amount is not None and amount > limit:
                    yield Finding(
                        visit.marks.value(key),
                        f"€{amount} {what} is over the cap of €{limit} ({arithmetic})",
                        None if visit.travellers else "travellers default to 1",
                    )
                    break  # what was paid over the cap says what its claim would


@rule("TC506")
def check_reimbursed(ctx: Context) -> Iterator[Finding]:
    for city in ctx.cities():
        for visit in city.visits:
            if not visit.marks.intact("claimed_eur"):
                continue  # an unreadable amount is not €0 claimed
            claimed = visit.claimed_eur
            if visit.reimbursed_eur is not None and visit.reimbursed_eur > (claimed or Decimal(0)):
                yield Finding(
                    visit.marks.value("reimbursed_eur"),
                    f"€{visit.reimbursed_eur} reimbursed is more than the €{claimed or 0} claimed",
                )
