"""A cohort with dated facts from October 2024 to March 2025, as the data is now and edited
back by hand to 1 December 2024 (`DAY`): the same figures on that day, from either."""

from __future__ import annotations

from pathlib import Path

from tests.support.folders import MINIMAL_COHORT, build_tree

COHORT = MINIMAL_COHORT + "  seminar-2: {activity: info-seminar, date: 2025-02-11}\n"

SORIA_NOW = """\
name: Soria
country: ES
cohort: cohort-2
pilot: urbanew
attended: [kick-off, seminar-1, seminar-2]
visits:
  - {direction: to-partner, city: Valladolid, start: 2024-11-20, end: 2024-11-22, status: done,
     travellers: 2, claimed_eur: 1500, reimbursed_eur: 1400}
  - {direction: from-partner, city: Valladolid, start: 2025-03-03, end: 2025-03-04,
     status: done, claimed_eur: 300, reimbursed_eur: 300}
outputs:
  learning-roadmap:
    status: approved
    started: 2024-10-20
    revision_requested: 2025-01-20
    submitted: 2025-02-10
    approved: 2025-03-01
  action-plan: {status: drafting}
"""

SORIA_THEN = """\
name: Soria
country: ES
cohort: cohort-2
pilot: urbanew
attended: [kick-off, seminar-1]
visits:
  - {direction: to-partner, city: Valladolid, start: 2024-11-20, end: 2024-11-22, status: done,
     travellers: 2, claimed_eur: 1500, reimbursed_eur: 1400}
  - {direction: from-partner, city: Valladolid, start: 2025-03-03, end: 2025-03-04,
     status: planned}
outputs:
  learning-roadmap:
    status: drafting
    started: 2024-10-20
  action-plan: {status: drafting}
"""

UMEA_NOW = """\
name: Umeå
country: SE
cohort: cohort-2
pilot: urbanew
status: withdrawn
withdrawn: {date: 2025-02-01, reason: elections}
attended: [kick-off]
"""

UMEA_THEN = """\
name: Umeå
country: SE
cohort: cohort-2
pilot: urbanew
attended: [kick-off]
"""

DAY = "2024-12-01"


def folder(root: Path, soria: str, umea: str) -> Path:
    files = {"cohorts/cohort-2.yaml": COHORT, "cities/soria.yaml": soria, "cities/umea.yaml": umea}
    return build_tree(root, files)


def now(tmp_path: Path) -> Path:
    """The data as it is: facts through March 2025."""
    return folder(tmp_path / "now", SORIA_NOW, UMEA_NOW)


def then(tmp_path: Path) -> Path:
    """The same data edited back by hand to `DAY`."""
    return folder(tmp_path / "then", SORIA_THEN, UMEA_THEN)
