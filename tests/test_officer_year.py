"""A year of a cohort run by commands alone: a new programme, a cohort, its pilot and cities,
every session, attendance as the sessions pass, visits and outputs through their life
cycles, a withdrawal. No file is opened by hand, every command lands, and `validate` finds
nothing at the end."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.support.cli import invoke, run
from twincli.read.loader import load_programme

SESSIONS = [
    ("kick-off", "kick-off", "2025-01-21"),
    ("seminar-portal", "info-seminar", "2025-02-11"),
    ("workshop-roadmap", "peer-workshop", "2025-03-04"),
    ("cluster-energy", "thematic-session", "2025-04-08"),
    ("seminar-funding", "info-seminar", "2025-05-13"),
    ("workshop-governance", "peer-workshop", "2025-06-10"),
    ("cluster-renovation", "thematic-session", "2025-07-08"),
    ("cluster-mobility", "thematic-session", "2025-09-09"),
    ("seminar-data", "info-seminar", "2025-10-14"),
    ("cluster-financing", "thematic-session", "2025-11-18"),
]

YEAR: list[tuple[str, list[str]]] = [
    ("2025-01-10", ["new", "cohort", "cohort-3", "--edition", "tlp-18", "--start", "2025-01-06",
                    "--title", "Cohort 3"]),
    ("2025-01-10", ["new", "pilot", "urbanew", "--title", "Urban regeneration", "--acronym",
                    "URBANEW", "--city", "Valladolid:ES", "--city", "Vitoria-Gasteiz:ES"]),
    ("2025-01-10", ["new", "city", "soria", "--name", "Soria", "--country", "ES", "--cohort",
                    "cohort-3", "--pilot", "urbanew"]),
    ("2025-01-10", ["new", "city", "kozani", "--name", "Kozani", "--country", "GR", "--cohort",
                    "cohort-3", "--pilot", "urbanew"]),
    *[("2025-01-10", ["new", "event", "cohort-3", ident, "--activity", activity, "--date", day,
                      "--time", "10:00-12:00", "--place", "online", "--link",
                      f"https://meet.example.org/{ident}"])
      for ident, activity, day in SESSIONS],
    ("2025-01-31", ["record", "attendance", "soria", "kick-off"]),
    ("2025-02-20", ["record", "attendance", "kozani", "kick-off", "seminar-portal"]),
    ("2025-02-21", ["record", "attendance", "kozani", "seminar-portal", "--undo"]),  # a slip
    ("2025-02-01", ["record", "output", "soria", "learning-roadmap", "--status", "drafting",
                    "--date", "2025-02-01"]),
    ("2025-02-20", ["record", "attendance", "soria", "seminar-portal"]),
    ("2025-02-20", ["record", "event", "cohort-3", "workshop-roadmap", "--date", "2025-03-11",
                    "--notes", "Moved a week: the speaker was ill"]),
    ("2025-03-01", ["record", "visit", "soria", "--start", "2025-04-15", "--direction",
                    "to-partner", "--city", "Valladolid", "--end", "2025-04-16",
                    "--travellers", "2"]),
    ("2025-03-15", ["record", "attendance", "soria", "workshop-roadmap"]),
    ("2025-04-01", ["withdraw", "kozani", "--date", "2025-04-01", "--reason",
                    "New council: left the programme"]),
    ("2025-04-20", ["record", "visit", "soria", "--start", "2025-04-15", "--status", "done",
                    "--claimed", "1650"]),
    ("2025-04-28", ["record", "attendance", "soria", "cluster-energy"]),
    ("2025-04-28", ["record", "output", "soria", "learning-roadmap", "--status", "submitted",
                    "--date", "2025-04-28", "--link", "https://example.org/soria/roadmap.pdf"]),
    ("2025-05-05", ["record", "output", "soria", "learning-roadmap", "--status",
                    "needs-revision", "--date", "2025-05-05", "--notes", "Add indicators"]),
    ("2025-05-20", ["record", "output", "soria", "learning-roadmap", "--status", "approved",
                    "--submitted", "2025-05-12", "--approved", "2025-05-20"]),
    ("2025-05-20", ["record", "visit", "soria", "--start", "2025-04-15", "--reimbursed",
                    "1650"]),
    ("2025-05-20", ["record", "visit", "soria", "--start", "2025-09-16", "--direction",
                    "from-partner", "--city", "Valladolid", "--status", "planned"]),
    ("2025-05-20", ["record", "attendance", "soria", "seminar-funding"]),
    ("2025-06-20", ["record", "visit", "soria", "--start", "2025-09-16", "--move-to",
                    "2025-09-23"]),
    ("2025-07-10", ["record", "output", "soria", "stakeholder-engagement-plan", "--status",
                    "approved", "--submitted", "2025-06-30", "--approved", "2025-07-10",
                    "--link", "https://example.org/soria/sep.pdf"]),
    ("2025-07-10", ["record", "attendance", "soria", "workshop-governance",
                    "cluster-renovation"]),
    ("2025-10-01", ["record", "visit", "soria", "--start", "2025-09-23", "--status", "done",
                    "--notes", "Hosted the team from Valladolid"]),
    ("2025-10-01", ["record", "visit", "soria", "--start", "2025-11-10", "--direction",
                    "to-partner", "--city", "vitoria gasteiz", "--status", "planned"]),
    ("2025-10-15", ["record", "visit", "soria", "--start", "2025-11-10", "--status",
                    "cancelled", "--notes", "Rebooked for 2026"]),
    ("2025-12-31", ["record", "attendance", "soria", "cluster-mobility", "seminar-data",
                    "cluster-financing"]),
]  # fmt: skip


def test_a_year_of_a_cohort_by_commands_alone(tmp_path: Path) -> None:
    root = tmp_path / "programme"
    assert invoke("init", str(root)).exit_code == 0
    for as_of, args in YEAR:
        result = run(root, *args, as_of=as_of)
        assert result.exit_code == 0, (args, result.output)
    checked = run(root, "validate", "--strict", as_of="2025-12-31")
    assert checked.exit_code == 0, checked.stdout
    assert checked.stdout.endswith("0 errors, 0 warnings in 5 files\n")
    programme = load_programme(root).programme
    soria, kozani = programme.cities["soria"], programme.cities["kozani"]
    assert len(soria.attended) == len(SESSIONS)
    assert kozani.attended == ("kick-off",)
    assert (kozani.status, kozani.withdrawn and kozani.withdrawn.date) == (
        "withdrawn",
        date(2025, 4, 1),
    )
    visits = [(v.direction, v.start.isoformat(), v.status, v.city) for v in soria.visits]
    assert visits == [
        ("to-partner", "2025-04-15", "done", "Valladolid"),
        ("from-partner", "2025-09-23", "done", "Valladolid"),
        ("to-partner", "2025-11-10", "cancelled", "Vitoria-Gasteiz"),
    ]
    roadmap = soria.outputs["learning-roadmap"]
    assert (roadmap.status, str(roadmap.started), str(roadmap.submitted)) == (
        "approved",
        "2025-02-01",
        "2025-05-12",
    )
    assert str(roadmap.revision_requested) == "2025-05-05"
    assert programme.cohorts["cohort-3"].events["workshop-roadmap"].date == date(2025, 3, 11)
