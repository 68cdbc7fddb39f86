"""Shared test helpers: build a programme folder from a dict of file texts."""

from __future__ import annotations

import difflib
import io
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# `make test` is deterministic: every property test draws the same examples on every run, so
# CI never fails at random (a failure found once is kept as an explicit `@example`). Open-ended
# exploration is `make fuzz`, which loads the "explore" profile (HYPOTHESIS_PROFILE=explore).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", max_examples=2_000, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "programme"

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


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate --format auto` follows $GITHUB_ACTIONS: every test runs as on a laptop, even
    when the suite itself runs in GitHub Actions (tests of the github format set it)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture(autouse=True)
def _private_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Every test has a cache folder of its own (the cache is on, as for users), never the
    user's: `$XDG_CACHE_HOME` points into the test's temporary folders."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("TWINCLI_NO_CACHE", raising=False)
    monkeypatch.delenv("TWINCLI_JOBS", raising=False)
    return folder


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example programme."""
    target = tmp_path / "programme"
    shutil.copytree(EXAMPLE, target)
    return target


# A city file written the way people write them, for the editing tests.
HAND_WRITTEN_CITY = """\
# A city file written the way people write them: comments, blank lines,
# flow and block styles, quoted strings.
name: "Soria"                   # quoted on purpose
country: 'ES'
cohort: cohort-2
pilot: urbanew

contacts:
  - {name: "Ana Pérez", role: lead}   # the lead

attended:                       # a block list
  - kick-off    # first

visits:

  - direction: to-partner       # the first trip
    city: "Vitoria-Gasteiz"
    start: 2024-10-20
    status: done

  - {direction: from-partner, city: Valladolid, start: 2024-11-20, status: done}   # hosted

outputs:
  learning-roadmap: {status: drafting}     # flow
  action-plan:
    status: "submitted"         # quoted, with an aligned comment
    submitted: 2025-01-10
    # a comment inside the entry
    content:
      actions:
        - title: |
            A literal block
            of two lines
"""


def line_diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added, as a line diff shows them."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines())
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += before.splitlines()[i1:i2]
            added += after.splitlines()[j1:j2]
    return removed, added


def make_console(**options: Any) -> Any:
    """A console as `cli.common.console` makes one (twincli's escaping, no highlighting, emoji
    or markup, lines not wrapped) writing to a StringIO, with `options` on top (a width, a
    colour system, `force_terminal`, ...)."""
    from twincli.terminal import safe_console_class

    settings = {"file": io.StringIO(), "highlight": False, "soft_wrap": True, "emoji": False}
    return safe_console_class()(**{**settings, "markup": False, **options})
