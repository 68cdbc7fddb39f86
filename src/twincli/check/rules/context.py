"""What every rule sees: the programme, the as-of day, and lookups built once.

Lookups are dictionaries, so rules stay linear in the number of cities (a test counts their
steps on programmes of 1,000 and 10,000 cities). What depends on all the cohorts or pilots,
such as the closest id to a misspelt one, is computed once per id asked about.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from twincli.diagnostics import suggest
from twincli.model import City, Cohort, Edition, Pilot, Programme, TravelRules
from twincli.schedule import cohort_end

NO_TRAVEL_RULES = TravelRules()


class Context:
    """The loaded programme as rules query it."""

    def __init__(
        self,
        programme: Programme,
        as_of: date,
        programme_ok: bool = True,
        *,
        cities_only: bool = False,
    ) -> None:
        self.programme = programme
        self.as_of = as_of
        self.programme_ok = programme_ok
        """False when programme.yaml could not be read: editions are then unknown, not absent."""
        self.cities_only = cities_only
        """Whether rules look only at the cities (each city's cohort, pilot and edition still
        found): `cohorts()` and `editions()` are then empty."""
        self._known = programme.marks.entries or {}
        self._ends: dict[str, date | None] = {}
        self._closest: dict[tuple[str, str], str | None] = {}
        self._event_cohorts: dict[str, list[str]] | None = None

    def cities(self) -> Iterator[City]:
        return iter(self.programme.cities.values())

    def cohorts(self) -> Iterator[Cohort]:
        return iter(() if self.cities_only else self.programme.cohorts.values())

    def editions(self) -> Iterator[Edition]:
        return iter(() if self.cities_only else self.programme.editions.values())

    def exists(self, kind: str, ident: str) -> bool:
        """Whether a record of `kind` (editions, cohorts, pilots, cities) has this id, even if
        its file or entry could not be read. Unknown editions count as existing when
        programme.yaml itself, or its `editions`, is broken: an edition whose id could not be
        read may be the one asked about. So do the ids of a kind whose folder cannot be
        listed, and the id of a file whose name is not `<id>.yaml` (`cohorts/Cohort-2.yaml`
        is the cohort `cohort-2` misnamed: `loader.unread`)."""
        marks = self.programme.marks
        if kind == "editions" and not (self.programme_ok and marks.intact("editions")):
            return True
        if ident in self._known.get(kind, {}):
            return True
        return bool(marks.broken) and not (marks.intact(kind) and marks.intact(f"{kind}/{ident}"))

    def closest(self, kind: str, ident: str) -> str | None:
        """A 'did you mean' hint for a misspelt id of an edition, cohort or pilot."""
        key = (kind, ident)
        if key not in self._closest:
            choices: Mapping[str, object] = getattr(self.programme, kind)
            self._closest[key] = suggest(ident, choices)
        return self._closest[key]

    def cohorts_with_event(self, event: str) -> list[str]:
        """The ids of the cohorts that have an event with this id."""
        if self._event_cohorts is None:
            self._event_cohorts = {}
            for cohort in self.programme.cohorts.values():
                for ident in cohort.events:
                    self._event_cohorts.setdefault(ident, []).append(cohort.id)
        return self._event_cohorts.get(event, [])

    def edition_of(self, cohort: Cohort) -> Edition | None:
        return self.programme.editions.get(cohort.edition)

    def cohort_of(self, city: City) -> Cohort | None:
        return self.programme.cohorts.get(city.cohort)

    def pilot_of(self, city: City) -> Pilot | None:
        return self.programme.pilots.get(city.pilot)

    def edition_of_city(self, city: City) -> Edition | None:
        cohort = self.cohort_of(city)
        return None if cohort is None else self.edition_of(cohort)

    def travel_of_city(self, city: City) -> TravelRules:
        """The travel rules of the city's edition (no limits when there are none)."""
        edition = self.edition_of_city(city)
        return edition.travel if edition and edition.travel else NO_TRAVEL_RULES

    def window(self, cohort: Cohort) -> tuple[date, date | None]:
        """The cohort's first and last day (inclusive); the end is None when unknown: when
        its `end` cannot be read, that is not start + the edition's months."""
        ends = self._ends
        if cohort.id not in ends:
            known = cohort.marks.intact("end")
            ends[cohort.id] = cohort_end(cohort, self.edition_of(cohort)) if known else None
        return cohort.start, ends[cohort.id]
