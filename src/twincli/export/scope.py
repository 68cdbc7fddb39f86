"""What an export covers, and in which order: the programme narrowed to a cohort or a city,
its cohorts and cities in report order, and the names a row or an event gives a partner."""

from __future__ import annotations

import dataclasses

from twincli.model import City, Cohort, Pilot, Programme, Visit


def narrow(programme: Programme, cohort: str | None = None, city: str | None = None) -> Programme:
    """The programme with only one cohort and/or one city (and the pilots its cities are
    paired with). Raises LookupError naming what does not exist."""
    if cohort is None and city is None:
        return programme
    cohorts = dict(programme.cohorts)
    if cohort is not None:
        if cohort not in cohorts:
            known = ", ".join(sorted(cohorts))
            raise LookupError(f"no cohort '{cohort}' (cohorts: {known})")
        cohorts = {cohort: cohorts[cohort]}
    cities = {k: c for k, c in programme.cities.items() if c.cohort in cohorts}
    if city is not None:
        if city not in cities:
            where = f" in {cohort}" if cohort else ""
            raise LookupError(f"no city '{city}'{where}")
        cities = {city: cities[city]}
        cohorts = {k: c for k, c in cohorts.items() if k == cities[city].cohort}
    paired = {c.pilot for c in cities.values()}
    pilots = {k: p for k, p in programme.pilots.items() if k in paired}
    return dataclasses.replace(programme, cohorts=cohorts, cities=cities, pilots=pilots)


def pilot_name(pilot: Pilot | None, fallback: str) -> str:
    """A pilot's acronym, else its title; `fallback` (its id) when it is not known."""
    if pilot is None:
        return fallback
    return pilot.acronym or pilot.title


def cohorts_in_order(programme: Programme) -> list[Cohort]:
    """Cohorts by start date, then id."""
    return sorted(programme.cohorts.values(), key=lambda c: (c.start, c.id))


def cities_in_order(programme: Programme) -> list[City]:
    """Cities by cohort (in start order), then id; cities of an unknown cohort last."""
    rank = {c.id: i for i, c in enumerate(cohorts_in_order(programme))}
    return sorted(
        programme.cities.values(), key=lambda c: (rank.get(c.cohort, len(rank)), c.cohort, c.id)
    )


def partner_city(visit: Visit, pilot: Pilot | None) -> str | None:
    """Where the partner is: the visit's city, or the pilot's only city."""
    if visit.city is not None:
        return visit.city
    if pilot is not None and len(pilot.cities) == 1:
        return pilot.cities[0].name
    return None
