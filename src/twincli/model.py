"""The programme as frozen, typed dataclasses: the single source of truth for the data format.

Each class is one mapping of a YAML file; each field is one key (named in `field_key` where the
YAML spelling differs, `to-partner`), typed the way the loader reads it, and documented in its
metadata (`doc`), from which the format's docs and JSON Schemas derive. Field types are read by
`twincli.read.records`, which turns YAML nodes into these objects:

- `str`: text, exactly as typed (`NO` stays `NO`, `01234` keeps its zero);
- `Slug`, `Country`: text that must be an id or an ISO 3166-1 alpha-2 code;
- `int` (optionally `Annotated` with a `Range`), `Money` (a `Decimal`), `date` (ISO only);
- `Literal[...]`: one of the listed words; `tuple[T, ...]`: a list; `Mapping[str, T]`: a
  mapping keyed by id, whose key fills `T.id`; `T | None`: optional.

Every record keeps the `Marks` of where it was read, for diagnostics; they take no part in
equality.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal
from typing import Annotated, Any, Literal

from twincli.marks import NO_MARKS, Marks


@dataclass(frozen=True, slots=True)
class Range:
    """Bounds (inclusive) for a number field."""

    low: int | None = None
    high: int | None = None


class SlugText:
    """Marker: the text must be an id (`^[a-z0-9]+(-[a-z0-9]+)*$`, at most 64 characters)."""


class NonEmpty:
    """Marker: the list needs at least one item."""


class CountryText:
    """Marker: the text must be an upper-case ISO 3166-1 alpha-2 code."""


Slug = Annotated[str, SlugText]
Country = Annotated[str, CountryText]
Money = Decimal
Score = Annotated[int, Range(1, 5)]
Count = Annotated[int, Range(0, None)]
Positive = Annotated[int, Range(1, None)]
Months = Annotated[int, Range(1, 240)]
"""A length or month of an edition: at most 20 years."""

OutputStatus = Literal["not-started", "drafting", "submitted", "needs-revision", "approved"]
VisitStatus = Literal["planned", "done", "cancelled"]
Direction = Literal["to-partner", "from-partner"]
Level = Literal["low", "medium", "high"]

OUTPUT_STATUSES: tuple[OutputStatus, ...] = (
    "not-started",
    "drafting",
    "submitted",
    "needs-revision",
    "approved",
)


def doc(text: str, default: Any = ..., *, key: str | None = None, from_key: bool = False) -> Any:
    """A documented dataclass field. `key` is the YAML spelling when it differs from the name;
    `from_key` fields are filled from the mapping key (or file name) that holds the record."""
    metadata: dict[str, Any] = {"doc": text}
    if key is not None:
        metadata["key"] = key
    if from_key:
        metadata["from_key"] = True
    if default is ...:
        return field(metadata=metadata)
    if isinstance(default, (dict, list, set)):
        raise TypeError("use an immutable default")
    return field(default=default, metadata=metadata)


def _no_mapping() -> Mapping[str, Any]:
    return {}


def keyed(text: str) -> Any:
    """An optional mapping keyed by id, empty by default."""
    return field(default_factory=_no_mapping, metadata={"doc": text})


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """A mapping read from a file; `marks` remembers where its keys and values were."""

    marks: Marks = field(default=NO_MARKS, compare=False, repr=False)


# --- programme.yaml -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Module(Record):
    """A phase of an edition, by month range (1-based, inclusive)."""

    id: Slug = doc("The module's id: its key under `modules`.", from_key=True)
    title: str = doc("The module's name, e.g. 'Getting started'.")
    months: tuple[Months, Months] = doc("First and last month of the module, e.g. [1, 5].")


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity(Record):
    """Something each Twin City takes part in, and how often."""

    id: Slug = doc("The activity's id: its key under `activities`.", from_key=True)
    title: str | None = doc("The activity's name.", None)
    count: Count = doc("How many times each Twin City takes part.")
    to_partner: Count | None = doc(
        "For site visits: how many the Twin City makes to its partner.", None, key="to-partner"
    )
    from_partner: Count | None = doc(
        "For site visits: how many times the Twin City hosts its partner.",
        None,
        key="from-partner",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputSpec(Record):
    """A document each Twin City delivers."""

    id: Slug = doc("The output's id: its key under `outputs`.", from_key=True)
    title: str | None = doc("The output's name, e.g. 'Twinning Learning Roadmap'.", None)
    due_month: Months | None = doc("Due at cohort start + this many months.", None)
    milestone: Slug | None = doc("The milestone this output counts towards.", None)
    template: str | None = doc("The report template, default `<output-id>.md.j2`.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class MilestoneSpec(Record):
    """A point of the journey, reached when every output naming it is approved."""

    id: Slug = doc("The milestone's id: its key under `milestones`.", from_key=True)
    title: str | None = doc("The milestone's name.", None)
    due_month: Months | None = doc("Due at cohort start + this many months.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class TravelRules(Record):
    """Reimbursement rules for site visits."""

    cap_per_traveller_eur: Money | None = doc("Most that is reimbursed per traveller.", None)
    max_travellers: Positive | None = doc("Most travellers funded per visit.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Edition(Record):
    """One version of the programme's structure; each cohort follows one edition."""

    id: Slug = doc("The edition's id: its key under `editions`.", from_key=True)
    title: str = doc("The edition's name.")
    months: Months = doc("How long a cohort runs: its end is start + months.")
    partner: Literal["pilot", "mission-city"] = doc(
        "What Twin Cities are paired with: Pilot City activities or Mission Cities.", "pilot"
    )
    modules: Mapping[str, Module] = keyed("Phases of the edition, in order.")
    activities: Mapping[str, Activity] = doc("What each Twin City takes part in.")
    outputs: Mapping[str, OutputSpec] = doc("What each Twin City delivers.")
    milestones: Mapping[str, MilestoneSpec] = keyed("Milestones, reached by approved outputs.")
    travel: TravelRules | None = doc("Reimbursement rules for site visits.", None)


# --- cohorts/<cohort>.yaml ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(Record):
    """A cohort-wide session: kick-off, seminar, workshop, thematic session."""

    id: Slug = doc("The event's id: its key under `events`.", from_key=True)
    activity: Slug = doc("Which of the edition's activities this event is.")
    date: Date = doc("The day it takes place.")
    title: str | None = doc("What it is called.", None)
    time: str | None = doc(
        "When it starts, or starts and ends, that day: `HH:MM` or `HH:MM-HH:MM`, in the "
        "programme's `timezone` (without it, the event takes the whole day).",
        None,
    )
    place: str | None = doc("Where it takes place: a venue, a city, or 'online'.", None)
    link: str | None = doc("The meeting link (an http or https URL).", None)
    notes: str | None = doc("Free text for the programme team, several lines if need be.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Cohort(Record):
    """A group of Twin Cities that start together and follow one edition."""

    id: Slug = doc("The cohort's id: its file name.", from_key=True)
    title: str | None = doc("The cohort's name, e.g. 'Cohort 2'.", None)
    edition: Slug = doc("The edition it follows (an id under `editions` in programme.yaml).")
    selected: Date | None = doc("When its cities were selected.", None)
    start: Date = doc("The first day of the programme for this cohort.")
    end: Date | None = doc("The last day, when not start + the edition's months.", None)
    events: Mapping[str, Event] = keyed("The cohort-wide schedule, keyed by event id.")


# --- pilots/<pilot>.yaml --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PilotCity(Record):
    """A city that runs (part of) a pilot activity."""

    name: str = doc("The city's name, spelt as the city spells it.")
    country: Country = doc("ISO 3166-1 alpha-2 code, e.g. ES, NO, GR.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Pilot(Record):
    """A partner a Twin City learns from: a pilot activity (one or more cities) or a Mission
    City."""

    id: Slug = doc("The pilot's id: its file name.", from_key=True)
    acronym: str | None = doc("The activity's short name, e.g. URBANEW.", None)
    title: str = doc("The activity's full name.")
    kind: Literal["pilot-activity", "mission-city"] = doc(
        "A Pilot City activity or a Mission City.", "pilot-activity"
    )
    cities: Annotated[tuple[PilotCity, ...], NonEmpty] = doc("The cities that run it: one or more.")
    domains: tuple[Slug, ...] = doc("Emission domains, for matching.", ())
    levers: tuple[Slug, ...] = doc("Levers of change, for matching.", ())


# --- output content -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Objective(Record):
    """What a city wants to learn from a pilot practice, and how it will find out."""

    title: str = doc("The learning objective.")
    practice: str | None = doc("The pilot practice it learns from.", None)
    questions: tuple[str, ...] = doc("Questions to answer.", ())
    activities: tuple[str, ...] = doc("How the city will find out.", ())
    indicator: str | None = doc("How the city will know it has learnt it.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class LearningRoadmap(Record):
    """Content of a Twinning Learning Roadmap."""

    objectives: tuple[Objective, ...] = doc("The learning objectives.", ())


@dataclass(frozen=True, slots=True, kw_only=True)
class Stakeholder(Record):
    """A party the city engages, placed on the influence/interest grid."""

    name: str = doc("Who it is.")
    group: Literal["public", "private", "civil-society", "academia", "citizens"] | None = doc(
        "Which part of the local ecosystem.", None
    )
    influence: Level | None = doc("How much it can shape the outcome.", None)
    interest: Level | None = doc("How much it cares about the outcome.", None)
    approach: Literal["inform", "consult", "involve", "collaborate", "empower"] | None = doc(
        "How the city engages it.", None
    )
    when: str | None = doc("When it is engaged.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class StakeholderPlan(Record):
    """Content of a Stakeholder Engagement Plan."""

    stakeholders: tuple[Stakeholder, ...] = doc("The stakeholders.", ())


@dataclass(frozen=True, slots=True, kw_only=True)
class Scores(Record):
    """How well a practice would transfer, 1 (poorly) to 5 (well), per dimension."""

    governance: Score | None = doc("Governance and policy fit.", None)
    finance: Score | None = doc("Finance and funding fit.", None)
    technical: Score | None = doc("Technical fit.", None)
    social: Score | None = doc("Social fit.", None)
    legal: Score | None = doc("Legal fit.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class PracticeAssessment(Record):
    """One pilot practice assessed for transfer to the Twin City."""

    practice: str = doc("The practice assessed.")
    scores: Scores | None = doc("Scores per dimension, 1–5.", None)
    barriers: tuple[str, ...] = doc("What stands in the way.", ())
    enablers: tuple[str, ...] = doc("What helps.", ())
    verdict: Literal["transfer", "adapt", "not-now"] | None = doc("The conclusion.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferabilityAssessment(Record):
    """Content of a Transferability Assessment."""

    practices: tuple[PracticeAssessment, ...] = doc("The practices assessed.", ())


@dataclass(frozen=True, slots=True, kw_only=True)
class Action(Record):
    """One action of an action (or replication) plan."""

    id: Slug | None = doc("A short id, e.g. a1.", None)
    title: str = doc("What will be done.")
    description: str | None = doc("In more words.", None)
    lead: str | None = doc("Who leads it.", None)
    start: Date | None = doc("When it starts.", None)
    end: Date | None = doc("When it ends (may be after the programme).", None)
    budget_eur: Money | None = doc("Its budget in euros.", None)
    funding: str | None = doc("Where the money comes from.", None)
    kpis: tuple[str, ...] = doc("How progress is measured.", ())
    status: Literal["planned", "in-progress", "done", "dropped"] | None = doc(
        "Where it stands.", None
    )
    practice: str | None = doc("The pilot practice it replicates.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionPlan(Record):
    """Content of a Twin City Action Plan or a Replication Plan."""

    actions: tuple[Action, ...] = doc("The actions.", ())


@dataclass(frozen=True, slots=True, kw_only=True)
class InfoSession(Record):
    """Content of an internal Info Session."""

    date: Date | None = doc("When it took place.", None)
    audience: tuple[str, ...] = doc("Who it was for.", ())
    attendees: Count | None = doc("How many came.", None)
    topics: tuple[str, ...] = doc("What was presented.", ())
    feedback: str | None = doc("What the audience said.", None)


Content = LearningRoadmap | StakeholderPlan | TransferabilityAssessment | ActionPlan | InfoSession

CONTENT_BY_OUTPUT: Mapping[str, type[Record]] = {
    "learning-roadmap": LearningRoadmap,
    "stakeholder-engagement-plan": StakeholderPlan,
    "transferability-assessment": TransferabilityAssessment,
    "action-plan": ActionPlan,
    "replication-plan": ActionPlan,
    "info-session": InfoSession,
}
"""The shape of `content:` by output id; outputs with other ids have no content."""


# --- cities/<city>.yaml ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact(Record):
    """A person to talk to in the city."""

    name: str = doc("Their name.")
    role: str | None = doc("Their role, e.g. lead.", None)
    email: str | None = doc("Their e-mail address.", None)
    phone: str | None = doc("Their telephone number, as they write it.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Withdrawal(Record):
    """When and why a city left the programme."""

    date: Date | None = doc("When it withdrew.", None)
    reason: str | None = doc("Why.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Visit(Record):
    """An in-person site visit between a Twin City and its partner."""

    direction: Direction = doc("to-partner: the Twin City travels; from-partner: it hosts.")
    city: str | None = doc("Which of the pilot's cities; required for a multi-city pilot.", None)
    start: Date = doc("First day.")
    end: Date | None = doc("Last day, when it lasts more than one.", None)
    status: VisitStatus = doc("planned, done or cancelled.")
    travellers: Positive | None = doc("How many travelled (default 1).", None)
    claimed_eur: Money | None = doc("Travel costs claimed, in euros.", None)
    reimbursed_eur: Money | None = doc("Travel costs reimbursed, in euros.", None)
    notes: str | None = doc("Free text: who went, what was seen, what is pending.", None)


@dataclass(frozen=True, slots=True, kw_only=True)
class CityOutput(Record):
    """Where a city stands with one of its edition's outputs."""

    id: Slug = doc("The output's id: its key under `outputs`.", from_key=True)
    status: OutputStatus = doc("not-started, drafting, submitted, needs-revision or approved.")
    started: Date | None = doc("When drafting began.", None)
    submitted: Date | None = doc("When it was (last) submitted.", None)
    revision_requested: Date | None = doc(
        "When feedback asking for a revision was (last) sent.", None
    )
    approved: Date | None = doc("When it was approved.", None)
    link: str | None = doc(
        "The document itself, wherever it is kept (an http or https URL); an output with a "
        "link has its document, with or without `content`.",
        None,
    )
    notes: str | None = doc("Free text: feedback given, what is pending.", None)
    content: Content | None = doc(
        "The document's structured content; its shape depends on the output.", None
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class City(Record):
    """A Twin City: its pairing, participation and outputs."""

    id: Slug = doc("The city's id: its file name.", from_key=True)
    name: str = doc("The city's name, with its own spelling (Eskişehir).")
    country: Country = doc("ISO 3166-1 alpha-2 code, e.g. ES, GB, GR.")
    cohort: Slug = doc("Its cohort (a file in cohorts/).")
    pilot: Slug = doc("The partner it is paired with (a file in pilots/).")
    status: Literal["active", "withdrawn"] = doc("active or withdrawn.", "active")
    withdrawn: Withdrawal | None = doc("When and why, for a withdrawn city.", None)
    contacts: tuple[Contact, ...] = doc("People to talk to.", ())
    notes: str | None = doc("Free text for the programme team: calls, agreements, concerns.", None)
    attended: tuple[Slug, ...] = doc("Events of its cohort it took part in.", ())
    visits: tuple[Visit, ...] = doc("Site visits, planned or made.", ())
    outputs: Mapping[str, CityOutput] = keyed("Outputs by the edition's output ids.")


# --- health in programme.yaml -------------------------------------------------------------

Percent = Annotated[int, Range(0, 100)]


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthRules(Record):
    """When a city is *behind* or *at risk*: the thresholds of `health` in programme.yaml.
    A city is behind when an output or milestone is overdue, when it attended less than
    `attendance_percent` of the sessions held (once `sessions_held` are), or when the site
    visits it has left cannot fit before its cohort ends at its pace so far; at risk when an
    output not yet submitted is due within `due_soon_days`, when it missed the last
    `missed_in_a_row` sessions held, or when it has made or planned no visit by the middle
    of the programme."""

    due_soon_days: Count = doc(
        "An output not yet submitted and due within this many days puts a city at risk.", 30
    )
    attendance_percent: Percent = doc(
        "A city that attended less than this share (%) of the sessions held is behind.", 50
    )
    sessions_held: Count = doc("The attendance share counts once this many sessions are held.", 3)
    missed_in_a_row: Positive = doc(
        "A city that missed this many of the latest sessions held in a row is at risk.", 2
    )


DEFAULT_HEALTH = HealthRules()
"""The thresholds when programme.yaml sets none."""


# --- the whole folder -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Programme(Record):
    """programme.yaml, and with it everything in the folder."""

    name: str = doc("The programme's name.")
    timezone: str = doc(
        "The IANA time zone of event times (`Europe/Brussels`, `Europe/Lisbon`).",
        "Europe/Brussels",
    )
    contact: str | None = doc(
        "The programme team's e-mail address: the sender of `twincli remind`'s messages.", None
    )
    editions: Mapping[str, Edition] = doc("The editions, keyed by id; cohorts name one.")
    health: HealthRules | None = doc("When a city is behind or at risk (defaults below).", None)
    cohorts: Mapping[str, Cohort] = field(default_factory=_no_mapping, metadata={"folder": True})
    pilots: Mapping[str, Pilot] = field(default_factory=_no_mapping, metadata={"folder": True})
    cities: Mapping[str, City] = field(default_factory=_no_mapping, metadata={"folder": True})
