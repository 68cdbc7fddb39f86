"""Property: any sequence of `record` commands on the example programme either lands, leaving
the folder valid and the city reading back as the commands describe, or is refused, leaving
every file byte for byte as it was.

Each example copies the example programme into its own temporary folder, draws a few commands
(mostly sensible, some with dates outside the cohort or after the as-of day, unknown ids,
approvals before submissions), runs each through the command line, and checks the outcome
against a model of what the command means.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.cli import run
from tests.support.folders import EXAMPLE, snapshot
from twincli.check.validate import validate_folder
from twincli.model import City, CityOutput, Visit
from twincli.read.loader import load_programme
from twincli.schedule import cohort_end

AS_OF = date(2025, 6, 30)
PROGRAMME = load_programme(EXAMPLE).programme
CITIES = sorted(PROGRAMME.cities)


@dataclass(frozen=True)
class Attend:
    city: str
    events: tuple[str, ...]

    def args(self) -> list[str]:
        return ["attendance", self.city, *self.events]

    def expect(self, before: City) -> City:
        new = [e for e in dict.fromkeys(self.events) if e not in before.attended]
        return dataclasses.replace(before, attended=(*before.attended, *new))


@dataclass(frozen=True)
class AddVisit:
    city: str
    visit: Visit

    def args(self) -> list[str]:
        v = self.visit
        args = ["visit", self.city, "--direction", v.direction, "--start", v.start.isoformat()]
        options = {
            "--end": v.end,
            "--city": v.city,
            "--status": v.status,
            "--travellers": v.travellers,
            "--claimed": v.claimed_eur,
            "--reimbursed": v.reimbursed_eur,
        }
        for option, value in options.items():
            if value is not None:
                args += [option, str(value)]
        return args

    def expect(self, before: City) -> City:
        """The visit with the same start and direction changed, else a new one."""
        v = self.visit
        for i, old in enumerate(before.visits):
            if (old.start, old.direction) == (v.start, v.direction):
                given = {
                    name: getattr(v, name)
                    for name in ("city", "end", "travellers", "claimed_eur", "reimbursed_eur")
                    if getattr(v, name) is not None
                }
                if self.status_given():
                    given["status"] = v.status
                changed = dataclasses.replace(old, **given)
                return dataclasses.replace(
                    before, visits=(*before.visits[:i], changed, *before.visits[i + 1 :])
                )
        return dataclasses.replace(before, visits=(*before.visits, v))

    def status_given(self) -> bool:
        return True


@dataclass(frozen=True)
class MoveOutput:
    city: str
    output: str
    status: str
    day: date | None

    def args(self) -> list[str]:
        args = ["output", self.city, self.output, "--status", self.status]
        return args + (["--date", self.day.isoformat()] if self.day else [])

    def expect(self, before: City) -> City:
        prior = before.outputs.get(self.output)
        dates = {
            name: getattr(prior, name) if prior else None
            for name in ("started", "submitted", "revision_requested", "approved")
        }
        if self.status == "submitted":
            dates.update(submitted=self.day or AS_OF, approved=None)
        elif self.status == "approved":
            dates["approved"] = self.day or AS_OF
        elif self.status == "not-started":
            dates = dict.fromkeys(dates)
        else:  # drafting or needs-revision: dated when a date is given; no longer approved
            dates["approved"] = None
            if self.day is not None:
                dates["started" if self.status == "drafting" else "revision_requested"] = self.day
        new = CityOutput(
            id=self.output,
            status=self.status,  # type: ignore[arg-type]
            content=prior.content if prior else None,
            link=prior.link if prior else None,
            notes=prior.notes if prior else None,
            **dates,
        )
        return dataclasses.replace(before, outputs={**before.outputs, self.output: new})


Command = Attend | AddVisit | MoveOutput


def _window(city: str) -> tuple[date, date]:
    cohort = PROGRAMME.cohorts[PROGRAMME.cities[city].cohort]
    end = cohort_end(cohort, PROGRAMME.editions[cohort.edition])
    assert end is not None
    return cohort.start, end


def _day(draw: st.DrawFn, city: str) -> date:
    start, end = _window(city)
    return draw(
        st.one_of(
            st.dates(start, min(end, AS_OF)),  # mostly inside the window, up to the as-of day
            st.dates(start - timedelta(days=40), end + timedelta(days=40)),
        )
    )


@st.composite
def attendance(draw: st.DrawFn, city: str) -> Command:
    events = list(PROGRAMME.cohorts[PROGRAMME.cities[city].cohort].events)
    chosen = draw(st.lists(st.sampled_from([*events, "no-such-event"]), min_size=1, max_size=3))
    return Attend(city, tuple(chosen))


@st.composite
def visit(draw: st.DrawFn, city: str) -> Command:
    names = [c.name for c in PROGRAMME.pilots[PROGRAMME.cities[city].pilot].cities]
    start = _day(draw, city)
    days = draw(st.one_of(st.none(), st.integers(0, 2)))
    end = None if days is None else start + timedelta(days=days)
    status = draw(st.one_of(st.none(), st.sampled_from(["planned", "done", "cancelled"])))
    money = st.one_of(st.none(), st.sampled_from([Decimal("450"), Decimal("900.50")]))
    new = Visit(
        direction=draw(st.sampled_from(["to-partner", "from-partner"])),
        city=draw(st.one_of(st.none(), st.sampled_from(names), st.just("Atlantis"))),
        start=start,
        end=end,
        status=status or ("planned" if (end or start) > AS_OF else "done"),
        travellers=draw(st.one_of(st.none(), st.integers(1, 3))),
        claimed_eur=draw(money),
        reimbursed_eur=draw(money),
    )
    if status is None:  # let the command choose: AddVisit.args leaves --status out
        return _DefaultStatus(city, new)
    return AddVisit(city, new)


@dataclass(frozen=True)
class _DefaultStatus(AddVisit):
    def status_given(self) -> bool:
        return False

    def args(self) -> list[str]:
        args = super().args()
        at = args.index("--status")
        return args[:at] + args[at + 2 :]


@st.composite
def output(draw: st.DrawFn, city: str) -> Command:
    cohort = PROGRAMME.cohorts[PROGRAMME.cities[city].cohort]
    outputs = list(PROGRAMME.editions[cohort.edition].outputs)
    output_id = draw(st.sampled_from([*outputs, "no-such-output"]))
    status = draw(
        st.sampled_from(["not-started", "drafting", "submitted", "needs-revision", "approved"])
    )
    day = _day(draw, city) if draw(st.integers(0, 2)) else None  # --date with any status
    return MoveOutput(city, output_id, status, day)


@st.composite
def command(draw: st.DrawFn) -> Command | None:
    """A command, or None for one on a city that does not exist."""
    if draw(st.integers(0, 19)) == 0:
        return None
    city = draw(st.sampled_from(CITIES))
    make = draw(st.sampled_from([attendance, visit, output]))
    made: Command = draw(make(city))
    return made


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(command(), min_size=1, max_size=4))
def test_record_commands_keep_the_folder_valid_or_are_refused(
    commands: list[Command | None],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "programme"
        shutil.copytree(EXAMPLE, root)
        for cmd in commands:
            args = ["attendance", "atlantis", "kick-off"] if cmd is None else cmd.args()
            before_files = snapshot(root)
            before = load_programme(root).programme
            result = run(root, "record", *args, as_of=AS_OF.isoformat())
            assert result.exit_code in (0, 1, 2), result.output
            OUTCOMES[result.exit_code] += 1
            if result.exit_code != 0:
                assert snapshot(root) == before_files, args
                assert cmd is not None or result.exit_code == 2
                continue
            assert cmd is not None
            errors = [d for d in validate_folder(root, AS_OF).diagnostics if d.is_error]
            assert errors == [], (args, errors)
            after = load_programme(root).programme
            assert after.cities[cmd.city] == cmd.expect(before.cities[cmd.city]), args
            changed = {p for p, data in snapshot(root).items() if before_files.get(p) != data}
            assert changed <= {f"cities/{cmd.city}.yaml"}


OUTCOMES = {0: 0, 1: 0, 2: 0}
"""How many commands landed (0), were refused (1) or were bad usage (2), across examples."""


def test_the_property_saw_every_outcome() -> None:
    """Runs after the property (file order): the commands drawn were not all refused, nor all
    accepted."""
    if sum(OUTCOMES.values()):
        assert all(OUTCOMES.values()), OUTCOMES
