"""Generate a large, valid programme folder for benchmarks.

``generate_programme(root, n_cities, seed)`` writes a programme in data format v1
(docs: data-format.md): ``programme.yaml`` with one 18-month edition (``tlp-18``), one cohort per
50 cities, one pilot per 10 cities and one realistic city file (100-150 lines, comments, flow
and block style, names with diacritics, ``country: NO`` unquoted) per Twin City.

The data is meant to validate clean as of :data:`AS_OF`: everything marked done, attended,
submitted or approved is dated on or before it, planned visits come after it, and every event,
visit and output date falls inside its cohort's window. The same ``seed`` gives byte-identical
files.

Run it directly to write a folder by hand::

    python benchmarks/generate.py /tmp/programme --cities 500 --seed 0
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

__all__ = [
    "AS_OF",
    "CITIES_PER_COHORT",
    "CITIES_PER_PILOT",
    "EDITION_MONTHS",
    "GENERATOR_VERSION",
    "add_months",
    "generate_programme",
]

#: The day the generated data is consistent for (pass it as ``--as-of``).
AS_OF = date(2025, 6, 30)
#: Bump when the generated files change, so cached benchmark data is regenerated.
GENERATOR_VERSION = 1

CITIES_PER_COHORT = 50
CITIES_PER_PILOT = 10
EDITION_MONTHS = 18
CAP_PER_TRAVELLER_EUR = 900
MIN_CITY_LINES = 100
MAX_CITY_LINES = 150

PROGRAMME_YAML = """\
# NetZeroCities Twinning Learning Programme: the programme and its editions.
# Generated for benchmarks by benchmarks/generate.py; edit the generator, not this file.
name: NetZeroCities Twinning Learning Programme
editions:                       # keyed by edition id; cohorts point at one
  tlp-18:
    title: Twinning Learning Programme, 18 months
    months: 18                  # cohort end = start + months (dateutil.relativedelta)
    partner: pilot              # pilot | mission-city: what Twin Cities are paired with
    modules:                    # optional phases, in order, by month range (1-based, inclusive)
      getting-started: {title: Getting started, months: [1, 5]}
      co-creating:     {title: Co-creating, months: [6, 13]}
      capitalising:    {title: Capitalising, months: [14, 18]}
    activities:                 # what each Twin City takes part in, and how often
      kick-off:         {title: Kick-off event, count: 1}
      info-seminar:     {title: Expert-led info seminar, count: 3}
      peer-workshop:    {title: Online workshop with peer cities, count: 2}
      thematic-session: {title: Pilot Cities thematic clustered session, count: 4}
      site-visit:       {title: Site visit, count: 3, to-partner: 2, from-partner: 1}
    outputs:                    # what each Twin City delivers; due = start + due_month months
      learning-roadmap:            {title: Twinning Learning Roadmap, due_month: 4, milestone: m1}
      stakeholder-engagement-plan: {title: Stakeholder Engagement Plan, due_month: 6, milestone: m1}
      transferability-assessment:  {title: Transferability Assessment, due_month: 12, milestone: m2}
      action-plan:                 {title: Twin City Action Plan, due_month: 17, milestone: m2}
      info-session:                {title: Internal Info Session, due_month: 18, milestone: m2}
    milestones:                 # reached when all outputs that name it are approved
      m1: {title: Learning journey planned, due_month: 6}
      m2: {title: Action plan delivered, due_month: 18}
    travel:                     # optional reimbursement rules for site visits
      cap_per_traveller_eur: 900
      max_travellers: 2
"""

# Cohort-wide schedule: (event id, activity, months after start, days after that, title).
# Dates are start + months + days (+ a per-cohort jitter of at most 6 days); the offsets keep
# every event inside the 18-month window.
EVENTS: tuple[tuple[str, str, int, int, str], ...] = (
    ("kick-off", "kick-off", 0, 15, "Kick-off in Brussels"),
    ("seminar-portal", "info-seminar", 1, 12, "NetZeroCities Portal"),
    ("workshop-roadmap", "peer-workshop", 2, 3, "Defining your learning roadmap"),
    ("cluster-energy", "thematic-session", 3, 8, "Energy communities"),
    ("seminar-ecosystem", "info-seminar", 4, 2, "Activating your local ecosystem"),
    ("workshop-governance", "peer-workshop", 5, 6, "Governance & stakeholder engagement"),
    ("cluster-mobility", "thematic-session", 6, 9, "Mobility and public space"),
    ("seminar-funding", "info-seminar", 7, 1, "EU Funding & Innovative Financing"),
    ("cluster-buildings", "thematic-session", 10, 14, "Deep renovation of buildings"),
    ("cluster-governance", "thematic-session", 14, 5, "Climate governance and finance"),
)

# Pilot Cities: (name, ISO 3166-1 alpha-2). Norway's NO is in on purpose.
PILOT_CITIES: tuple[tuple[str, str], ...] = (
    ("Vitoria-Gasteiz", "ES"),
    ("Valladolid", "ES"),
    ("Zaragoza", "ES"),
    ("Sevilla", "ES"),
    ("València", "ES"),
    ("Budapest", "HU"),
    ("Pécs", "HU"),
    ("Galway", "IE"),
    ("Lisbon", "PT"),
    ("Guimarães", "PT"),
    ("Klagenfurt", "AT"),
    ("Gozo", "MT"),
    ("Vilnius", "LT"),
    ("Espoo", "FI"),
    ("Tampere", "FI"),
    ("Copenhagen", "DK"),
    ("Sønderborg", "DK"),
    ("Marseille", "FR"),
    ("Lyon", "FR"),
    ("Grenoble", "FR"),
    ("Lund", "SE"),
    ("Malmö", "SE"),
    ("Umeå", "SE"),
    ("Oslo", "NO"),
    ("Trondheim", "NO"),
    ("Drammen", "NO"),
    ("Alba Iulia", "RO"),
    ("Cluj-Napoca", "RO"),
    ("Košice", "SK"),
    ("Kraków", "PL"),
    ("Leuven", "BE"),
    ("Eindhoven", "NL"),
    ("Heidelberg", "DE"),
    ("Münster", "DE"),
    ("Ljubljana", "SI"),
    ("Limassol", "CY"),
    ("Tallinn", "EE"),
    ("Rīga", "LV"),
    ("Parma", "IT"),
    ("Padova", "IT"),
    ("Thessaloniki", "GR"),
    ("Ioannina", "GR"),
)

# Twin Cities: (name, ISO 3166-1 alpha-2).
TWIN_CITIES: tuple[tuple[str, str], ...] = (
    ("Soria", "ES"),
    ("Fuenlabrada", "ES"),
    ("Sant Boi de Llobregat", "ES"),
    ("Móstoles", "ES"),
    ("Logroño", "ES"),
    ("Cologne", "DE"),
    ("Würzburg", "DE"),
    ("Lörrach", "DE"),
    ("Kozani", "GR"),
    ("Chalkida", "GR"),
    ("Trikala", "GR"),
    ("Eskişehir", "TR"),
    ("Gaziantep", "TR"),
    ("Belfast", "GB"),
    ("Milton Keynes", "GB"),
    ("Plymouth", "GB"),
    ("Szombathely", "HU"),
    ("Miskolc", "HU"),
    ("Amersfoort", "NL"),
    ("Zwolle", "NL"),
    ("Courcy", "FR"),
    ("Besançon", "FR"),
    ("Nîmes", "FR"),
    ("Brno", "CZ"),
    ("České Budějovice", "CZ"),
    ("Prešov", "SK"),
    ("Žilina", "SK"),
    ("Łódź", "PL"),
    ("Rzeszów", "PL"),
    ("Gdańsk", "PL"),
    ("Jönköping", "SE"),
    ("Växjö", "SE"),
    ("Bodø", "NO"),
    ("Tromsø", "NO"),
    ("Stavanger", "NO"),
    ("Aalborg", "DK"),
    ("Næstved", "DK"),
    ("Oulu", "FI"),
    ("Jyväskylä", "FI"),
    ("Tartu", "EE"),
    ("Jelgava", "LV"),
    ("Kaunas", "LT"),
    ("Šiauliai", "LT"),
    ("Maribor", "SI"),
    ("Rijeka", "HR"),
    ("Split", "HR"),
    ("Plovdiv", "BG"),
    ("Brașov", "RO"),
    ("Timișoara", "RO"),
    ("Coimbra", "PT"),
    ("Braga", "PT"),
    ("Ravenna", "IT"),
    ("Bergamo", "IT"),
    ("Cáceres", "ES"),
    ("Limerick", "IE"),
    ("Kortrijk", "BE"),
    ("Mechelen", "BE"),
    ("Esch-sur-Alzette", "LU"),
    ("Larnaca", "CY"),
    ("Sliema", "MT"),
    ("Graz", "AT"),
    ("Linz", "AT"),
    ("Podgorica", "ME"),
    ("Sarajevo", "BA"),
)

FIRST_NAMES = (
    "Ana",
    "José",
    "María",
    "Jörg",
    "Søren",
    "Ágnes",
    "Łukasz",
    "Zoë",
    "Eleni",
    "Giorgos",
    "Ingrid",
    "Mikko",
    "Aoife",
    "Luís",
    "Chloé",
    "Tomáš",
    "Ayşe",
    "Mehmet",
    "Katarzyna",
    "Björn",
    "Fionn",
    "Matteo",
    "Ilse",
    "Rūta",
    "Dragan",
    "Niamh",
    "Ève",
    "Pål",
    "Olga",
    "Dimitris",
    "Lena",
    "Rafael",
    "Sanne",
    "Hélène",
    "Ştefan",
    "Ida",
    "Kristjan",
    "Petra",
)
LAST_NAMES = (
    "Pérez",
    "García",
    "Müller",
    "Jensen",
    "Nagy",
    "Kowalski",
    "Papadopoulou",
    "Dubois",
    "Østergaard",
    "Virtanen",
    "O'Brien",
    "Silva",
    "Novák",
    "Yılmaz",
    "Rossi",
    "Schröder",
    "Lindqvist",
    "Horvat",
    "Kazlauskas",
    "Ionescu",
    "Fernández",
    "van der Berg",
    "Kuusk",
    "Marković",
    "Hansen",
    "Lefèvre",
    "Costa",
    "Szabó",
    "Bianchi",
    "Nieminen",
    "Şahin",
)
ROLES = ("lead", "deputy", "technical", "communication", "finance")

ACRONYM_PARTS = (
    "GREEN",
    "NET",
    "CLIMA",
    "URBAN",
    "SOLAR",
    "CIRC",
    "RENO",
    "FLEX",
    "MOB",
    "HEAT",
    "CO2",
    "ZERO",
    "SMART",
    "BLUE",
    "WARM",
    "CITY",
    "GRID",
    "LOOP",
    "SHIFT",
    "LAB",
    "HUB",
    "PULSE",
)
PILOT_THEMES = (
    "Multi-stakeholder solutions for urban regeneration",
    "Climate agency for the renovation of homes",
    "Modelling energy transition pathways",
    "Climate funding for cities",
    "Citizen energy communities at district scale",
    "Zero-emission logistics in the historic centre",
    "Circular construction and material passports",
    "Heat networks fed by waste and river heat",
    "A climate city contract with local business",
    "Nature-based solutions for cooler streets",
    "One-stop shop for household renovation",
    "Participatory climate budgeting",
)
SCORE_AREAS = ("governance", "finance", "technical", "social", "legal")
DOMAINS = ("buildings", "energy", "waste")
LEVERS = ("governance", "finance")

PRACTICES = (
    "One-stop shop for home renovation",
    "District energy community",
    "Climate budget tagging",
    "Low-emission zone with citizen panel",
    "Public building retrofit programme",
    "Green public procurement",
    "Municipal climate agency",
    "Rooftop solar on schools",
    "Waste-heat district heating",
    "Superblocks and tactical urbanism",
    "Citizen climate assembly",
    "Energy advice desk for SMEs",
)
QUESTIONS = (
    "How was the governance set up and who owns the process?",
    "Which funding sources covered the first two years?",
    "How were residents recruited and kept involved?",
    "What legal barriers had to be removed and how?",
    "Which indicators proved useful to steer the work?",
    "How long did procurement take from idea to contract?",
    "What would the pilot team do differently today?",
    "How were utilities and the regional grid operator involved?",
    "Which skills had to be hired and which were trained in-house?",
    "How was the business case presented to the city council?",
)
INDICATORS = (
    "Governance model drafted and endorsed by the deputy mayor",
    "Funding options mapped with at least three credible sources",
    "Two neighbourhoods selected for a first test",
    "Legal review completed by the city's legal service",
    "Baseline of emissions for the target sector agreed",
    "Working group of five departments meets monthly",
)
OBJECTIVE_TITLES = (
    "Understand the pilot's governance model",
    "Learn how the pilot financed its first phase",
    "See how citizens were engaged in design",
    "Assess the technical set-up and its costs",
    "Map the regulatory changes that were needed",
    "Learn how progress is monitored and reported",
)
STAKEHOLDERS: tuple[tuple[str, str], ...] = (
    ("City council climate committee", "public"),
    ("Regional energy agency", "public"),
    ("Urban planning department", "public"),
    ("Local chamber of commerce", "private"),
    ("Municipal utility company", "private"),
    ("Housing associations", "private"),
    ("Neighbourhood associations", "civil-society"),
    ("Environmental NGOs", "civil-society"),
    ("Local university energy lab", "academia"),
    ("Technical college", "academia"),
    ("Residents of the pilot district", "citizens"),
    ("Youth climate council", "citizens"),
)
LEVELS = ("low", "medium", "high")
APPROACHES = ("inform", "consult", "involve", "collaborate", "empower")
BARRIERS = (
    "Limited staff capacity in the energy unit",
    "Co-financing rules of the regional programme",
    "Fragmented ownership of buildings",
    "National procurement law is stricter",
    "Grid connection delays",
    "Low public awareness of the issue",
    "No dedicated budget line yet",
)
ENABLERS = (
    "Strong political support from the mayor",
    "Existing climate action plan",
    "Active local energy cooperative",
    "University partner with modelling skills",
    "Regional funds open for applications",
    "Good data on building stock",
    "Experienced project management office",
)
# (action id, title, the KPIs that fit it)
ACTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "retrofit-schools",
        "Deep retrofit of three public schools",
        ("kWh saved per year", "buildings renovated", "tCO2e avoided per year"),
    ),
    (
        "energy-community",
        "Launch a pilot energy community",
        ("households in the community", "kWh shared per year", "citizens engaged"),
    ),
    (
        "renovation-desk",
        "Open a renovation advice desk",
        ("households advised", "renovations started", "kWh saved per year"),
    ),
    (
        "solar-rooftops",
        "Solar panels on municipal rooftops",
        ("m2 of roof with solar", "kWh produced per year", "tCO2e avoided per year"),
    ),
    (
        "climate-budget",
        "Tag the municipal budget for climate impact",
        ("share of budget lines tagged", "departments trained"),
    ),
    (
        "citizen-panel",
        "Set up a citizen climate panel",
        ("citizens engaged", "recommendations adopted by the council"),
    ),
    (
        "green-procurement",
        "Green criteria in public procurement",
        ("share of tenders with green criteria", "tCO2e avoided per year"),
    ),
    (
        "heat-network",
        "Feasibility study for a heat network",
        ("study delivered", "MWh of waste heat identified"),
    ),
    (
        "cycling-corridor",
        "Protected cycling corridor to the station",
        ("km of protected cycle lanes", "daily cyclists counted", "modal share of cycling"),
    ),
    (
        "data-dashboard",
        "Public climate data dashboard",
        ("indicators published", "monthly visitors"),
    ),
)
DESCRIPTIONS = (
    "Adapt the pilot's approach to our building stock and tender the works in two lots.",
    "Start small in one district with volunteers and scale once the model is proven.",
    "Replicate the pilot's process with a shorter consultation phase.",
    "Combine municipal budget with regional funds and a green loan.",
    "Work with the university to size the investment and monitor results.",
)
LEADS = (
    "Energy department",
    "Urban planning",
    "Mayor's office",
    "Finance department",
    "Municipal utility",
    "Environment unit",
    "Mobility department",
)
FUNDING = (
    "Municipal budget",
    "ERDF",
    "LIFE programme",
    "Horizon Europe",
    "National recovery plan (RRF)",
    "European Investment Bank loan",
    "Regional climate fund",
)

_TRANSLITERATE = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "đ": "d",
        "ı": "i",
        "'": "",
    }
)
# Plain scalars containing any of these (or starting with an indicator) are written quoted.
_UNSAFE_PLAIN = re.compile(r"[,\[\]{}#\"]|: |:$|^[-?:,\[\]{}#&*!|>'\"%@`\s]|\s$")


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's end (as relativedelta)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ascii_slug(text: str) -> str:
    """A lower-case ASCII slug for ids and e-mail addresses (``Eskişehir`` -> ``eskisehir``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that is safe in flow and block context."""
    return json.dumps(text, ensure_ascii=False) if _UNSAFE_PLAIN.search(text) else text


def flow_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(scalar(item) for item in items) + "]"


def money(amount: float) -> str:
    """Euros with at most two decimals, whole amounts without any."""
    cents = round(amount * 100)
    return str(cents // 100) if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"


@dataclass(frozen=True)
class Cohort:
    id: str
    number: int
    start: date
    end: date
    events: tuple[tuple[str, str, date, str], ...]  # (id, activity, date, title)


@dataclass(frozen=True)
class Pilot:
    id: str
    acronym: str
    cities: tuple[tuple[str, str], ...]  # (name, country)


def _make_cohort(number: int, rng: random.Random) -> Cohort:
    # Mondays from 2024-09-30 on, so the as-of day falls around month 8 or 9 of every cohort.
    start = date(2024, 9, 30) + timedelta(weeks=(number - 1) % 5)
    end = add_months(start, EDITION_MONTHS)
    jitter = rng.randint(0, 6)
    events = tuple(
        (event_id, activity, add_months(start, months) + timedelta(days=days + jitter), title)
        for event_id, activity, months, days, title in EVENTS
    )
    return Cohort(f"cohort-{number}", number, start, end, events)


def _cohort_yaml(cohort: Cohort) -> str:
    lines = [
        f"# Cohort {cohort.number} of the 18-month Twinning Learning Programme.",
        "# Events are the cohort-wide schedule; site visits are recorded by each city.",
        f"title: Cohort {cohort.number}",
        "edition: tlp-18",
        f"selected: {cohort.start - timedelta(days=14)}",
        f"start: {cohort.start}",
        "events:                         # keyed by event id",
    ]
    width = max(len(event_id) for event_id, *_ in cohort.events) + 1
    for event_id, activity, day, title in sorted(cohort.events, key=lambda e: e[2]):
        key = f"{event_id}:".ljust(width)
        lines.append(f"  {key} {{activity: {activity}, date: {day}, title: {scalar(title)}}}")
    return "\n".join(lines) + "\n"


def _make_pilot(number: int, rng: random.Random) -> Pilot:
    acronym = rng.choice(ACRONYM_PARTS) + rng.choice((*ACRONYM_PARTS[:-3], "4CITIES", "2030"))
    size = 1 if rng.random() < 0.65 else rng.randint(2, 3)
    cities = tuple(rng.sample(PILOT_CITIES, size))
    return Pilot(f"{ascii_slug(acronym)}-{number:04d}", acronym, cities)


def _pilot_yaml(pilot: Pilot, rng: random.Random) -> str:
    theme = rng.choice(PILOT_THEMES)
    lines = [
        f"# {pilot.acronym}: a NetZeroCities pilot activity Twin Cities learn from.",
        f"acronym: {pilot.acronym}",
        f"title: {scalar(theme)}",
        "kind: pilot-activity",
        "cities:"
        + (
            "  # a multi-city pilot: Twin Cities say which one they visit"
            if len(pilot.cities) > 1
            else ""
        ),
    ]
    lines += [f"  - {{name: {scalar(name)}, country: {country}}}" for name, country in pilot.cities]
    lines.append(f"domains: {flow_list(sorted(rng.sample(DOMAINS, rng.randint(1, 2))))}")
    lines.append(f"levers: {flow_list(sorted(rng.sample(LEVERS, rng.randint(1, 2))))}")
    return "\n".join(lines) + "\n"


def _random_day(rng: random.Random, first: date, last: date) -> date:
    """A day in ``first`` .. ``last`` inclusive (``first`` when the range is empty)."""
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


@dataclass(frozen=True)
class _Sizes:
    """How many items each list in a city file gets; drawn again if the file is too long."""

    contacts: int
    objectives: int
    questions: int
    stakeholders: int
    practices: int
    actions: int


def _draw_sizes(rng: random.Random) -> _Sizes:
    return _Sizes(
        contacts=rng.randint(2, 3),
        objectives=rng.randint(2, 3),
        questions=rng.randint(1, 3),
        stakeholders=rng.randint(3, 5),
        practices=rng.randint(1, 2),
        actions=rng.randint(2, 3),
    )


def _city_yaml(
    name: str,
    country: str,
    cohort: Cohort,
    pilot: Pilot,
    rng: random.Random,
    sizes: _Sizes,
) -> list[str]:
    start = cohort.start
    practice_names = rng.sample(PRACTICES, 3)
    lines = [
        f"# {name} ({country}): Twin City in {cohort.id}, learning from {pilot.acronym}.",
        "# Kept by the city's facilitator; run `twincli validate` before opening a pull request.",
        f"name: {scalar(name)}",
        f"country: {country}                     # ISO 3166-1 alpha-2",
        f"cohort: {cohort.id}",
        f"pilot: {pilot.id}",
        "status: active",
        "contacts:",
    ]
    firsts = rng.sample(FIRST_NAMES, sizes.contacts)
    lasts = rng.sample(LAST_NAMES, sizes.contacts)
    roles = ("lead", *rng.sample(ROLES[1:], sizes.contacts - 1))
    for role, first, last in zip(roles, firsts, lasts, strict=True):
        local = f"{ascii_slug(first).replace('-', '')}.{ascii_slug(last)}"
        email = f"{local}@{ascii_slug(name)}.example.org"
        lines.append(f"  - {{name: {scalar(f'{first} {last}')}, role: {role}, email: {email}}}")

    past_events = [event_id for event_id, _, day, _ in cohort.events if day <= AS_OF]
    skipped = set(rng.sample(past_events[1:], rng.randint(0, 2)))
    attended = [event_id for event_id in past_events if event_id not in skipped]
    lines.append(f"attended: {flow_list(attended)}")

    lines += _visit_lines(cohort, pilot, rng)
    lines.append("outputs:")
    lines += _roadmap_lines(start, pilot, practice_names, rng, sizes)
    lines += _engagement_lines(cohort, rng, sizes)
    lines += _assessment_lines(start, practice_names, rng, sizes)
    lines += _action_plan_lines(cohort, practice_names, rng, sizes)
    lines += ["  info-session:", "    status: not-started         # due in month 18"]
    return lines


def _visit_lines(cohort: Cohort, pilot: Pilot, rng: random.Random) -> list[str]:
    start = cohort.start
    latest_done = AS_OF - timedelta(days=3)
    # First trip to the partner: done, between month 3 and the as-of day.
    first_trip = _random_day(rng, add_months(start, 3), min(add_months(start, 7), latest_done))
    visits: list[tuple[str, date, str]] = [("to-partner", first_trip, "done")]
    # Second trip: planned after the as-of day, before the window closes.
    visits.append(("to-partner", _random_day(rng, date(2025, 9, 1), date(2026, 2, 20)), "planned"))
    if rng.random() < 0.6:
        # Hosting the partner: some already happened, others are planned.
        if rng.random() < 0.5:
            day = _random_day(rng, first_trip + timedelta(days=20), latest_done)
            status = "done" if day < latest_done else "planned"
            if status == "planned":
                day = _random_day(rng, date(2025, 9, 1), date(2026, 2, 20))
        else:
            day, status = _random_day(rng, date(2025, 9, 1), date(2026, 2, 20)), "planned"
        visits.append(("from-partner", day, status))
    visits.sort(key=lambda visit: visit[1])

    lines = ["visits:                         # site visits with the pilot, two there and one here"]
    multi_city = len(pilot.cities) > 1
    for direction, day, status in visits:
        lines.append(f"  - direction: {direction}")
        if multi_city or rng.random() < 0.3:
            partner_city = rng.choice(pilot.cities)[0]
            lines.append(f"    city: {scalar(partner_city)}")
        lines.append(f"    start: {day}")
        lines.append(f"    end: {day + timedelta(days=1)}")
        lines.append(f"    status: {status}")
        travellers = rng.randint(1, 2)
        lines.append(f"    travellers: {travellers}")
        if status == "done":
            claimed = travellers * rng.uniform(480, CAP_PER_TRAVELLER_EUR)
            if rng.random() < 0.5:
                claimed = float(math.floor(claimed / 10) * 10)
            lines.append(f"    claimed_eur: {money(claimed)}")
            if rng.random() < 0.8:
                reimbursed = claimed if rng.random() < 0.7 else claimed * rng.uniform(0.8, 1.0)
                lines.append(f"    reimbursed_eur: {money(math.floor(reimbursed * 100) / 100)}")
            else:
                lines.append("    # reimbursement pending: receipts sent to the programme office")
    return lines


def _status_lines(
    output_id: str, status: str, submitted: date | None, approved: date | None, note: str = ""
) -> list[str]:
    lines = [f"  {output_id}:", f"    status: {status}" + (f"  # {note}" if note else "")]
    if submitted is not None:
        lines.append(f"    submitted: {submitted}")
    if approved is not None:
        lines.append(f"    approved: {approved}")
    return lines


def _roadmap_lines(
    start: date, pilot: Pilot, practices: list[str], rng: random.Random, sizes: _Sizes
) -> list[str]:
    submitted = _random_day(rng, add_months(start, 3) - timedelta(days=10), add_months(start, 4))
    if rng.random() < 0.85:
        approved: date | None = submitted + timedelta(days=rng.randint(7, 25))
        lines = _status_lines("learning-roadmap", "approved", submitted, approved)
    else:
        lines = _status_lines("learning-roadmap", "submitted", submitted, None, "awaiting review")
    lines += ["    content:", "      objectives:"]
    for title, practice in zip(
        rng.sample(OBJECTIVE_TITLES, sizes.objectives), practices[: sizes.objectives], strict=True
    ):
        lines.append(f"        - title: {scalar(title)}")
        lines.append(f"          practice: {scalar(practice)}")
        lines.append("          questions:")
        lines += [f"            - {scalar(q)}" for q in rng.sample(QUESTIONS, sizes.questions)]
        activities = [
            "site-visit",
            rng.choice(("thematic-session", "peer-workshop", "info-seminar")),
        ]
        lines.append(f"          activities: {flow_list(activities)}")
        lines.append(f"          indicator: {scalar(rng.choice(INDICATORS))}")
    if len(pilot.cities) > 1:
        lines.insert(-1, f"          # {pilot.acronym} runs this practice in several cities")
    return lines


def _engagement_lines(cohort: Cohort, rng: random.Random, sizes: _Sizes) -> list[str]:
    start = cohort.start
    submitted = _random_day(rng, add_months(start, 5), add_months(start, 6))
    roll = rng.random()
    if roll < 0.6:
        approved = submitted + timedelta(days=rng.randint(7, 30))
        lines = _status_lines("stakeholder-engagement-plan", "approved", submitted, approved)
    elif roll < 0.8:
        lines = _status_lines("stakeholder-engagement-plan", "submitted", submitted, None)
    else:
        lines = _status_lines(
            "stakeholder-engagement-plan", "needs-revision", submitted, None, "more detail asked"
        )
    lines += ["    content:", "      stakeholders:"]
    for index, (stakeholder, group) in enumerate(rng.sample(STAKEHOLDERS, sizes.stakeholders)):
        when = _random_day(rng, add_months(start, 6), add_months(start, 16))
        fields = (
            f"name: {scalar(stakeholder)}",
            f"group: {group}",
            f"influence: {rng.choice(LEVELS)}",
            f"interest: {rng.choice(LEVELS)}",
            f"approach: {rng.choice(APPROACHES)}",
            f"when: {when}",
        )
        if index % 2 == 0:  # a mix of flow and block mappings, as people write them
            lines.append("        - {" + ", ".join(fields) + "}")
        else:
            lines.append(f"        - {fields[0]}")
            lines += [f"          {field}" for field in fields[1:]]
    return lines


def _assessment_lines(
    start: date, practices: list[str], rng: random.Random, sizes: _Sizes
) -> list[str]:
    if rng.random() < 0.25:
        submitted = min(_random_day(rng, add_months(start, 7), add_months(start, 8)), AS_OF)
        lines = _status_lines("transferability-assessment", "submitted", submitted, None, "early")
    else:
        lines = _status_lines("transferability-assessment", "drafting", None, None)
    lines += ["    content:", "      practices:"]
    for practice in practices[: sizes.practices]:
        scores = ", ".join(f"{area}: {rng.randint(1, 5)}" for area in SCORE_AREAS)
        lines.append(f"        - practice: {scalar(practice)}")
        lines.append(f"          scores: {{{scores}}}")
        lines.append("          barriers:")
        lines += [f"            - {scalar(b)}" for b in rng.sample(BARRIERS, rng.randint(1, 2))]
        lines.append(f"          enablers: {flow_list(rng.sample(ENABLERS, rng.randint(1, 3)))}")
        lines.append(f"          verdict: {rng.choice(('transfer', 'adapt', 'adapt', 'not-now'))}")
    return lines


def _action_plan_lines(
    cohort: Cohort, practices: list[str], rng: random.Random, sizes: _Sizes
) -> list[str]:
    lines = _status_lines("action-plan", "drafting", None, None, "draft shared with the pilot")
    lines += ["    content:", "      actions:"]
    for action_id, title, kpis in rng.sample(ACTIONS, sizes.actions):
        begin = _random_day(rng, add_months(cohort.start, 4), add_months(cohort.start, 15))
        finish = add_months(begin, rng.randint(3, 18))
        if finish <= AS_OF:
            status = "done"
        elif begin <= AS_OF:
            status = "in-progress"
        else:
            status = "dropped" if rng.random() < 0.1 else "planned"
        lines += [
            f"        - id: {action_id}",
            f"          title: {scalar(title)}",
            f"          description: {scalar(rng.choice(DESCRIPTIONS))}",
            f"          lead: {scalar(rng.choice(LEADS))}",
            f"          start: {begin}",
            f"          end: {finish}",
            f"          budget_eur: {rng.randint(2, 400) * 2500}",
            f"          funding: {scalar(rng.choice(FUNDING))}",
            f"          kpis: {flow_list(rng.sample(kpis, rng.randint(1, len(kpis))))}",
            f"          status: {status}",
            f"          practice: {scalar(rng.choice(practices))}",
        ]
    return lines


def generate_programme(root: Path, n_cities: int, seed: int = 0) -> None:
    """Write a valid programme folder with ``n_cities`` Twin Cities under ``root``.

    One cohort per 50 cities, one pilot per 10; the same ``seed`` gives the same bytes.
    ``root`` is created if needed; existing files with the same names are overwritten.
    """
    if n_cities < 1:
        raise ValueError("n_cities must be at least 1")
    rng = random.Random(seed)
    root = Path(root)
    for folder in ("cohorts", "pilots", "cities"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "programme.yaml").write_text(PROGRAMME_YAML, encoding="utf-8")

    cohorts = [_make_cohort(n, rng) for n in range(1, math.ceil(n_cities / CITIES_PER_COHORT) + 1)]
    for cohort in cohorts:
        (root / "cohorts" / f"{cohort.id}.yaml").write_text(_cohort_yaml(cohort), encoding="utf-8")

    pilots = [_make_pilot(n, rng) for n in range(1, math.ceil(n_cities / CITIES_PER_PILOT) + 1)]
    for pilot in pilots:
        (root / "pilots" / f"{pilot.id}.yaml").write_text(_pilot_yaml(pilot, rng), encoding="utf-8")

    width = max(5, len(str(n_cities)))
    for index in range(n_cities):
        city_id = f"city-{index + 1:0{width}d}"
        name, country = rng.choice(TWIN_CITIES)
        cohort = cohorts[index // CITIES_PER_COHORT]
        pilot = pilots[index // CITIES_PER_PILOT]
        # Each city gets its own generator so that redrawing list sizes stays deterministic.
        city_rng = random.Random(rng.getrandbits(64))
        for _ in range(50):
            sizes = _draw_sizes(city_rng)
            draw = random.Random(city_rng.getrandbits(64))
            lines = _city_yaml(name, country, cohort, pilot, draw, sizes)
            if MIN_CITY_LINES <= len(lines) <= MAX_CITY_LINES:
                break
        else:  # pragma: no cover - the size ranges make this unreachable in practice
            raise RuntimeError(f"{city_id}: no fit in {MIN_CITY_LINES}-{MAX_CITY_LINES} lines")
        (root / "cities" / f"{city_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", type=Path, help="folder to write (created if needed)")
    parser.add_argument("--cities", type=int, default=100, help="Twin Cities (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    generate_programme(args.root, args.cities, args.seed)
    print(f"wrote {args.cities} cities to {args.root} (valid as of {AS_OF})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
