"""An id the folder does not have gets one message everywhere (`errors.unknown_id`): the
closest id, else the ids when few, those equally close, or where the ids are written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.cli import invoke
from tests.support.folders import MINIMAL_COHORT, build_tree
from twincli.errors import IDS_LISTED, unknown_id

MANY = [f"town-{n:03d}" for n in range(40)]


FILES = "their ids are the names of the files in cities/"
EVENTS = "the keys under `events` in the cohort's file"
OUTPUTS = "the keys under `outputs` of the editions in programme.yaml"


@pytest.mark.parametrize(
    ("kind", "ident", "known", "where", "message"),
    [
        ("city", "sorai", ["soria", "belfast"], "", "no city 'sorai' (did you mean 'soria'?)"),
        ("city", "x", [], "", "no city 'x' (there is no city yet)"),
        ("cohort", "c9", ["cohort-1", "cohort-2"], "", "(cohorts: cohort-1, cohort-2)"),
        ("event", "kick", ["a", "b"], "cohort-1", "no event 'kick' in cohort-1 (events: a, b)"),
        ("city", "zzz", MANY, "", f"no city 'zzz' (40 cities: {FILES})"),
        ("event", "zzz", MANY, "cohort-1", f"no event 'zzz' in cohort-1 (40 events: {EVENTS})"),
        ("output", "zzz", MANY, "", f"no output 'zzz' (40 outputs: {OUTPUTS})"),
        ("city", "town-0x", MANY, "", "(did you mean 'town-000', 'town-001', 'town-002', "
         "'town-003' or 'town-004'?)"),
    ],
)  # fmt: skip
def test_the_message_for_an_unknown_id(
    kind: str, ident: str, known: list[str], where: str, message: str
) -> None:
    text = str(unknown_id(kind, ident, known, where))
    assert text.startswith(f"no {kind} '{ident}'") and text.endswith(message), text


def test_a_record_of_an_unknown_city_among_many_does_not_list_them_all(
    example_copy: Path,
) -> None:
    source = example_copy / "cities" / "soria.yaml"
    for n in range(IDS_LISTED + 5):
        shutil.copy(source, example_copy / "cities" / f"qqq-{n}.yaml")
    count = len(list((example_copy / "cities").glob("*.yaml")))
    args = ["--as-of", "2025-06-30", "record", "attendance", "wxyz", "kick-off"]
    result = invoke("--data", str(example_copy), *args)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"twincli: error: no city 'wxyz' ({count} cities: {FILES})\n"


def test_a_misspelt_reference_gets_every_id_as_close_as_the_closest(tmp_path: Path) -> None:
    """The hint of a diagnostic finds near ids as the message of an unknown id does
    (`diagnostics.closest`): of two ids equally close, it names both, not one at random."""
    city = "name: Soria\ncountry: ES\ncohort: cohort-3\npilot: urbanew\n"
    root = build_tree(
        tmp_path, {"cohorts/cohort-1.yaml": MINIMAL_COHORT, "cities/soria.yaml": city}
    )
    result = invoke("--data", str(root), "validate", "--format", "text")
    assert result.exit_code == 1, result.output
    assert "(did you mean 'cohort-1' or 'cohort-2'?)" in result.stdout, result.stdout
