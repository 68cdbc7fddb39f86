"""Programme folders to test on: the example programme, and a minimal valid programme that
`build_tree` lays out with a test's own files on top."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "programme"

AS_OF = "2025-06-30"
"""The day the tests look at the programmes on: both the example and the minimal one are
halfway through then."""

MINIMAL_PROGRAMME = """\
name: Test programme
editions:
  tlp-18:
    title: Eighteen months
    months: 18
    activities:
      kick-off: {title: Kick-off, count: 1}
      info-seminar: {title: Info seminar, count: 3}
      site-visit: {title: Site visit, count: 3, to-partner: 2, from-partner: 1}
    outputs:
      learning-roadmap: {title: Roadmap, due_month: 4, milestone: m1}
      action-plan: {title: Action plan, due_month: 17, milestone: m2}
    milestones:
      m1: {title: Planned, due_month: 6}
      m2: {title: Delivered, due_month: 18}
    travel: {cap_per_traveller_eur: 900, max_travellers: 2}
"""

MINIMAL_COHORT = """\
edition: tlp-18
start: 2024-09-30
events:
  kick-off: {activity: kick-off, date: 2024-10-15}
  seminar-1: {activity: info-seminar, date: 2024-11-12}
"""

MINIMAL_PILOT = """\
title: Multi-city pilot
cities:
  - {name: Vitoria-Gasteiz, country: ES}
  - {name: Valladolid, country: ES}
"""

MINIMAL_CITY = """\
name: Soria
country: ES
cohort: cohort-2
pilot: urbanew
attended: [kick-off]
"""

MINIMAL_FILES = {
    "programme.yaml": MINIMAL_PROGRAMME,
    "cohorts/cohort-2.yaml": MINIMAL_COHORT,
    "pilots/urbanew.yaml": MINIMAL_PILOT,
    "cities/soria.yaml": MINIMAL_CITY,
}


def build_tree(root: Path, files: Mapping[str, str | bytes | None]) -> Path:
    """Write `files` (path -> text or bytes) under `root`, on top of a minimal valid programme.
    A value of None removes that file from the minimal programme."""
    merged: dict[str, str | bytes | None] = {**MINIMAL_FILES, **files}
    for rel, content in merged.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (its path relative to `root`, with `/`) and its bytes: equal
    snapshots mean nothing was written, removed or left behind (a lock, a temporary file)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
