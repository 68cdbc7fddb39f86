"""What the reports show: which documents there are, where each goes, and what it receives.

`plan_documents` lists the documents of a programme as of a day: an overview (`README.md`), a
report per cohort (`cohorts/<cohort>.md`) and a document per city output with content
(`cities/<city>/<output>.md`), each with its template and the context the template lays out.
Figures come from `twincli.progress.standing` and `twincli.report.figures`, so that templates
only format.
Links between documents are relative, so they work on GitHub and in any copy of the folder.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from twincli.errors import UsageError, unknown_id
from twincli.model import (
    ActionPlan,
    Content,
    OutputSpec,
    Programme,
    StakeholderPlan,
    TransferabilityAssessment,
)
from twincli.progress.history import Step, history
from twincli.progress.standing import (
    CityProgress,
    CohortProgress,
    Deadline,
    OutputProgress,
    ProgrammeProgress,
    deadlines,
)
from twincli.report.figures import (
    DIMENSIONS,
    Travel,
    action_plan_figures,
    burnup,
    cohort_events,
    cohort_schedule,
    practice_scores,
    stakeholder_grid,
    travel,
)
from twincli.schedule import due_date

OVERVIEW = "README.md"
DEADLINE_DAYS = 60
"""A cohort report lists what is overdue and what falls due within this many days."""


def cohort_path(cohort: str) -> str:
    return f"cohorts/{cohort}.md"


def output_path(city: str, output: str) -> str:
    return f"cities/{city}/{output}.md"


def relative_link(source: str, target: str) -> str:
    """The link from the document at `source` to `target` (both relative to the reports
    folder, with '/', as `posixpath.relpath` gives it: this runs for every link of every
    report, and relpath asks the system for the current folder each time)."""
    here = posixpath.dirname(source)
    start = here.split("/") if here else []
    parts = target.split("/")
    common = 0
    while common < min(len(start), len(parts)) and start[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:]) or "."


# --- what a template receives ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutputEntry:
    """One output of one city, with the link to its document when it has one."""

    progress: OutputProgress
    href: str | None


@dataclass(frozen=True, slots=True)
class CityEntry:
    """A city as a cohort report or the overview lists it."""

    progress: CityProgress
    pilot_name: str
    outputs: tuple[OutputEntry, ...]
    travel: Travel

    @property
    def documents(self) -> tuple[OutputEntry, ...]:
        """The outputs that have a document."""
        return tuple(o for o in self.outputs if o.href is not None)


@dataclass(frozen=True, slots=True)
class CohortEntry:
    """A cohort as the overview lists it."""

    progress: CohortProgress
    href: str
    cities: tuple[CityEntry, ...]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which documents to render: everything, or narrowed by cohort, city and output.
    A cohort selects its report and its cities' documents; a city or an output selects
    city documents only; the overview is rendered only when nothing is narrowed."""

    cohort: str | None = None
    city: str | None = None
    output: str | None = None

    @property
    def everything(self) -> bool:
        return self.cohort is None and self.city is None and self.output is None


@dataclass(frozen=True, slots=True)
class Document:
    """A report to render: where it goes (relative to the reports folder), from which
    template, with what context."""

    path: str
    template: str
    context: Mapping[str, Any]


# --- the plan -------------------------------------------------------------------------------


def plan_documents(
    programme: Programme,
    progress: ProgrammeProgress,
    selection: Selection = Selection(),
    root_from_out: str | None = None,
    undated: Sequence[tuple[str, str]] = (),
) -> list[Document]:
    """Every document to render, in a stable order. `progress` must cover the whole
    programme; `root_from_out` is the programme folder relative to the reports folder
    (with '/'), for links to the data files, or None for no such links; `undated`, what
    the data does not date on a day before some of its facts (`Past.undated`), which the
    overview and the cohort reports name. Raises
    `UnknownIdError` for a cohort, city or output that does not exist."""
    _check_selection(programme, progress, selection)
    with_content = {
        (cp.city.id, output.id)
        for _, cp in _cities(progress)
        for output in cp.city.outputs.values()
        if output.content is not None
    }

    # A city's entry is listed by the overview, its cohort's report and each of its own
    # documents; what it holds depends only on the folder of the document listing it (links
    # are relative), so each is made once per folder and shared (they are immutable).
    entries: dict[tuple[str, str], CityEntry] = {}
    facts: dict[str, tuple[str, Travel]] = {}

    def city_entry(source: str, cp: CityProgress) -> CityEntry:
        folder = posixpath.dirname(source)
        key = (folder, cp.city.id)
        entry = entries.get(key)
        if entry is not None:
            return entry
        city = cp.city.id
        if city not in facts:
            pilot = programme.pilots.get(cp.city.pilot)
            name = (pilot.acronym or pilot.title) if pilot else cp.city.pilot
            facts[city] = (name, travel([cp.city]))
        name, claimed = facts[city]
        outputs = tuple(
            OutputEntry(
                o,
                relative_link(source, output_path(city, o.id))
                if (city, o.id) in with_content
                else None,
            )
            for o in cp.outputs.values()
        )
        entry = entries[key] = CityEntry(cp, name, outputs, claimed)
        return entry

    def source_link(source: str, data_file: str) -> str | None:
        if root_from_out is None:
            return None
        return relative_link(source, posixpath.normpath(f"{root_from_out}/{data_file}"))

    base = {"programme": programme, "as_of": progress.as_of}
    documents = []
    histories: dict[str, tuple[Step, ...]] = {}
    if selection.city is None and selection.output is None:  # cohort reports: a burn-up
        # monthly, to the last month's end: the chart changes only when a month ends
        found = history(programme, progress.as_of, cohort=selection.cohort, to_the_day=False)
        histories = {h.cohort.id: h.steps for h in found}
    if selection.everything:
        documents.append(
            Document(
                OVERVIEW,
                "overview.md.j2",
                {
                    **base,
                    "progress": progress,
                    "cohorts": tuple(
                        CohortEntry(
                            c,
                            relative_link(OVERVIEW, cohort_path(c.cohort.id)),
                            tuple(city_entry(OVERVIEW, cp) for cp in c.cities),
                        )
                        for c in progress.cohorts
                    ),
                    "links": {"source": source_link(OVERVIEW, "programme.yaml")},
                    "undated": tuple(undated),
                },
            )
        )
    for cohort in progress.cohorts:
        if selection.cohort not in (None, cohort.cohort.id):
            continue
        path = cohort_path(cohort.cohort.id)
        if selection.city is None and selection.output is None:
            links = {
                "overview": relative_link(path, OVERVIEW),
                "source": source_link(path, f"cohorts/{cohort.cohort.id}.yaml"),
            }
            cities = tuple(city_entry(path, cp) for cp in cohort.cities)
            members = {cp.city.id for cp in cohort.cities}
            own = {
                "undated": tuple(u for u in undated if u[0] in members),
                "burnup": burnup(histories[cohort.cohort.id])
                if cohort.cohort.id in histories
                else (),
            }
            documents.append(
                _cohort_document({**base, **own}, programme, cohort, path, cities, links)
            )
        for cp in cohort.cities:
            if selection.city not in (None, cp.city.id):
                continue
            for output in cp.outputs.values():
                if selection.output not in (None, output.id):
                    continue
                if (cp.city.id, output.id) not in with_content:
                    continue
                doc_path = output_path(cp.city.id, output.id)
                documents.append(
                    _output_document(
                        base,
                        programme,
                        cohort,
                        cp,
                        output,
                        doc_path,
                        tuple(city_entry(doc_path, cp).outputs),
                        {
                            "overview": relative_link(doc_path, OVERVIEW),
                            "cohort": relative_link(doc_path, path),
                            "source": source_link(doc_path, f"cities/{cp.city.id}.yaml"),
                        },
                    )
                )
    return documents


def _cities(progress: ProgrammeProgress) -> Iterable[tuple[CohortProgress, CityProgress]]:
    for cohort in progress.cohorts:
        for cp in cohort.cities:
            yield cohort, cp


def _check_selection(
    programme: Programme, progress: ProgrammeProgress, selection: Selection
) -> None:
    """Check that the cohort, city and output of `selection` are in the programme's
    progress, with the message every command gives for an unknown id (`unknown_id`)."""
    cohort, city, output = selection.cohort, selection.city, selection.output
    if cohort is not None and cohort not in {c.cohort.id for c in progress.cohorts}:
        raise unknown_id("cohort", cohort, programme.cohorts)
    if city is not None:
        found = [c.cohort.id for c, cp in _cities(progress) if cp.city.id == city]
        if not found:
            raise unknown_id("city", city, programme.cities)
        if cohort is not None and found[0] != cohort:
            raise UsageError(f"no city '{city}' in {cohort} (it is in {found[0]})")
    if output is not None:
        outputs = {o for edition in programme.editions.values() for o in edition.outputs}
        if output not in outputs:
            raise unknown_id("output", output, outputs)


def _cohort_document(
    base: Mapping[str, Any],
    programme: Programme,
    cohort: CohortProgress,
    path: str,
    cities: tuple[CityEntry, ...],
    links: Mapping[str, str | None],
) -> Document:
    selected = ProgrammeProgress(cohort.as_of, (cohort,), cohort.totals)
    due: list[Deadline] = deadlines(selected, within=DEADLINE_DAYS)
    outputs: tuple[OutputSpec, ...] = (
        tuple(cohort.edition.outputs.values()) if cohort.edition else ()
    )
    return Document(
        path,
        "cohort.md.j2",
        {
            **base,
            "cohort": cohort,
            "cities": cities,
            "events": cohort_events(cohort, cohort.edition),
            "schedule": cohort_schedule(cohort, programme.pilots),
            "deadlines": tuple(due),
            "outputs": outputs,
            # By output id: the cohort's, so a cohort without cities has them too.
            "due": {o.id: due_date(cohort.cohort, o.due_month) for o in outputs},
            "travel": travel(cp.city for cp in cohort.cities if cp.active),
            "links": dict(links),
        },
    )


def _output_document(
    base: Mapping[str, Any],
    programme: Programme,
    cohort: CohortProgress,
    cp: CityProgress,
    output: OutputProgress,
    path: str,
    siblings: tuple[OutputEntry, ...],
    links: Mapping[str, str | None],
) -> Document:
    edition = cohort.edition
    spec = edition.outputs[output.id] if edition and output.id in edition.outputs else None
    listed = cp.city.outputs[output.id]
    content: Content | None = listed.content
    context: dict[str, Any] = {
        **base,
        "city": cp.city,
        "progress": cp,
        "cohort": cohort,
        "pilot": programme.pilots.get(cp.city.pilot),
        "output": output,
        "spec": spec,
        "content": content,
        "outputs": siblings,
        "links": dict(links),
    }
    if isinstance(content, StakeholderPlan):
        context["grid"] = stakeholder_grid(content)
    elif isinstance(content, TransferabilityAssessment):
        context["scores"] = practice_scores(content)
        context["dimensions"] = DIMENSIONS
    elif isinstance(content, ActionPlan):
        title = f"{cp.city.name} · {output.title}"
        context["plan"] = action_plan_figures(content, title, cohort.as_of)
    template = (spec.template if spec and spec.template else None) or f"{output.id}.md.j2"
    return Document(path, template, context)
