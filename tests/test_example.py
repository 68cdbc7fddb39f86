"""The shipped example programme validates clean as of its snapshot day."""

from __future__ import annotations

from datetime import date

from tests.support.folders import EXAMPLE
from twincli.check.validate import validate_folder

SNAPSHOT = date(2025, 6, 30)


def test_example_programme_validates_clean() -> None:
    result = validate_folder(EXAMPLE, SNAPSHOT)
    assert [d for d in result.diagnostics] == []
    assert result.summary.files == len(list(EXAMPLE.rglob("*.yaml")))


def test_example_has_what_the_issue_asks_for() -> None:
    programme = validate_folder(EXAMPLE, SNAPSHOT).loaded.programme
    assert set(programme.editions) >= {"tlp-20", "tlp-18"}
    assert "replication-plan" in programme.editions["tlp-20"].outputs
    assert {"cohort-1", "cohort-2"} <= set(programme.cohorts)
    assert any(len(p.cities) > 1 for p in programme.pilots.values())
    assert any(c.country == "NO" for p in programme.pilots.values() for c in p.cities)
    assert any(city.status == "withdrawn" for city in programme.cities.values())
    assert {"cologne", "soria"} <= {c.id for c in programme.cities.values() if c.pilot == "urbanew"}
    states = {o.status for city in programme.cities.values() for o in city.outputs.values()}
    assert states == {"not-started", "drafting", "submitted", "needs-revision", "approved"}
    assert any(not city.name.isascii() for city in programme.cities.values())
