"""The verdict cache (`twincli.check.incremental`): a re-run re-checks only the cities that
changed, and always reports exactly what checking everything from scratch reports."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.support.bad_input import CASES
from tests.support.folders import AS_OF, build_tree
from twincli.check import incremental, rules
from twincli.check.causes import with_causes
from twincli.check.validate import check_folder, validate_folder
from twincli.diagnostics import Diagnostic, sort_diagnostics
from twincli.model import Programme
from twincli.read import cache as caching
from twincli.read import loader

DAY = date.fromisoformat(AS_OF)


# --- the property the cache rests on: rules about a city look at no other city ---------------


def by_parts(programme: Programme, ok: bool) -> list[Diagnostic]:
    """The rules' findings, checking the programme without its cities, then each city alone
    (with every cohort, pilot and edition, and the ids of everything)."""
    found = rules.check(dataclasses.replace(programme, cities={}), DAY, ok)
    assert all(not d.location.file.startswith("cities/") for d in found)
    for ident, city in programme.cities.items():
        alone = dataclasses.replace(programme, cities={ident: city})
        everything = rules.check(alone, DAY, ok)
        about_the_city = rules.check(alone, DAY, ok, cities_only=True)
        # What a city's check finds is all in the city's file, and is what checking the
        # programme with that city alone finds there.
        assert {d.location.file for d in about_the_city} <= {f"cities/{ident}.yaml"}
        mine = [d for d in everything if d.location.file == f"cities/{ident}.yaml"]
        assert sorted(about_the_city, key=Diagnostic.sort_key) == sorted(
            mine, key=Diagnostic.sort_key
        )
        found += about_the_city
        # What the check with the city finds elsewhere is what the check without found.
        assert {d for d in everything if d not in mine} <= set(found)
    return sorted(found, key=Diagnostic.sort_key)


@pytest.mark.parametrize("case", [pytest.param(p.values[0], id=p.id) for p in CASES])
def test_every_rule_about_a_city_looks_at_that_city_alone(tmp_path: Path, case: Any) -> None:
    root = build_tree(tmp_path / "programme", case.files)
    if case.setup is not None:
        case.setup(root, tmp_path)
    loaded = loader.load_programme(root, cache=False)
    whole = rules.check(loaded.programme, DAY, loaded.programme_ok)
    assert by_parts(loaded.programme, loaded.programme_ok) == sorted(whole, key=Diagnostic.sort_key)


def test_the_example_checked_city_by_city_finds_what_it_finds_whole(example_copy: Path) -> None:
    loaded = loader.load_programme(example_copy, cache=False)
    for day in (DAY, date(2024, 1, 1), date(2027, 1, 1)):
        whole = sorted(rules.check(loaded.programme, day, True), key=Diagnostic.sort_key)
        found = rules.check(dataclasses.replace(loaded.programme, cities={}), day, True)
        for ident, city in loaded.programme.cities.items():
            alone = dataclasses.replace(loaded.programme, cities={ident: city})
            found += [
                d for d in rules.check(alone, day, True) if d.location.file.startswith("cities/")
            ]
        assert sorted(found, key=Diagnostic.sort_key) == whole


# --- re-runs -----------------------------------------------------------------------------------


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled: their `stat` identifies them (a file
    changed less than two seconds before it is read is always read again, which would leave
    the cached answers unused)."""
    monkeypatch.setattr(caching, "now_ns", lambda: time.time_ns() + 10 * caching.RACY_NS)


class Spy:
    """What the cached check read: how often it read the shared files (programme.yaml,
    cohorts, pilots), and which cities (the runs from scratch of `same_as_from_scratch` are
    not counted)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shared = 0
        self.cities: list[str] = []
        self.active = True
        read_sources, parse_source = loader.read_sources, loader.parse_source

        def counting_sources(root: Path, sources: Any, *args: Any, **kwargs: Any) -> Any:
            self.shared += self.active
            return read_sources(root, sources, *args, **kwargs)

        def counting_source(source: Any, data: bytes) -> Any:
            if self.active and source.kind == "cities":
                self.cities.append(source.path)
            return parse_source(source, data)

        monkeypatch.setattr(loader, "read_sources", counting_sources)
        monkeypatch.setattr(loader, "parse_source", counting_source)

    def reset(self) -> None:
        self.shared, self.cities = 0, []


SPIES: list[Spy] = []
"""The spies of the running test: paused while the answer from scratch is worked out."""


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    watching = Spy(monkeypatch)
    SPIES.append(watching)
    yield watching
    SPIES.remove(watching)


def same_as_from_scratch(root: Path, day: date = DAY) -> tuple[Diagnostic, ...]:
    """What the cached check reports (asserted to be what checking from scratch reports)."""
    cached = check_folder(root, day, cache=True)
    for spy in SPIES:
        spy.active = False
    try:
        cold = validate_folder(root, day, cache=False)
    finally:
        for spy in SPIES:
            spy.active = True
    assert cached.diagnostics == cold.diagnostics
    assert cached.files == cold.files
    return cached.diagnostics


def edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


@pytest.mark.usefixtures("settled")
def test_a_rerun_reads_only_the_city_that_changed(example_copy: Path, spy: Spy) -> None:
    same_as_from_scratch(example_copy)
    spy.reset()
    same_as_from_scratch(example_copy)
    assert spy.shared == 0
    assert spy.cities == []

    spy.reset()
    city = example_copy / "cities" / "belfast.yaml"
    edit(city, lambda t: t.replace("status: active", "status: withdrawn", 1))
    found = same_as_from_scratch(example_copy)
    assert any(d.code == "TC601" and d.location.file == "cities/belfast.yaml" for d in found)
    assert spy.shared == 0
    assert spy.cities == ["cities/belfast.yaml"]

    spy.reset()
    edit(city, lambda t: t.replace("status: withdrawn", "status: active", 1))
    assert not any(
        d.location.file == "cities/belfast.yaml" for d in same_as_from_scratch(example_copy)
    )
    assert spy.cities == ["cities/belfast.yaml"]


@pytest.mark.usefixtures("settled")
def test_files_with_new_times_but_the_same_bytes_are_not_checked_again(
    example_copy: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after a fresh checkout, or a cache restored by CI into another clone."""
    same_as_from_scratch(example_copy)
    earlier = time.time() - 3600
    for path in example_copy.rglob("*.yaml"):
        os.utime(path, (earlier, earlier))
    spy.reset()
    same_as_from_scratch(example_copy)
    assert (spy.shared, spy.cities) == (0, [])
    hashed: list[bytes] = []
    monkeypatch.setattr(caching, "file_hash", lambda data: hashed.append(data) or "")
    check_folder(example_copy, DAY, cache=True)  # the new times were recorded
    assert hashed == []


@pytest.mark.usefixtures("settled")
def test_a_changed_cohort_or_pilot_checks_everything_again(example_copy: Path, spy: Spy) -> None:
    same_as_from_scratch(example_copy)
    spy.reset()
    cohort = next((example_copy / "cohorts").glob("*.yaml"))
    # Every event of the cohort moves a year later: cities that attended them now attended
    # events after the as-of day.
    edit(cohort, lambda t: t.replace("date: 2024-", "date: 2026-"))
    found = same_as_from_scratch(example_copy)
    assert spy.shared == 1
    assert len(spy.cities) == len(list((example_copy / "cities").glob("*.yaml")))
    assert any(d.code == "TC405" and d.location.file.startswith("cities/") for d in found)
    pilot = next((example_copy / "pilots").glob("*.yaml"))
    edit(pilot, lambda t: t + "\n# a comment\n")
    spy.reset()
    same_as_from_scratch(example_copy)
    assert spy.shared == 1


def city_file(root: Path, city: str) -> Path:
    return root / "cities" / f"{city}.yaml"


BREAKAGES: dict[str, Callable[[Path, str], object]] = {
    "a city that is not YAML": lambda r, c: city_file(r, c).write_text(
        "name: [oops\n", encoding="utf-8"
    ),
    "a new city with an unknown cohort": lambda r, c: city_file(r, c + "-2").write_text(
        "name: New\ncountry: ES\ncohort: cohort-9\npilot: urbanew\n", encoding="utf-8"
    ),
    "a city removed": lambda r, c: city_file(r, c).unlink(),
    "a city emptied": lambda r, c: city_file(r, c).write_bytes(b""),
    "a city made a folder": lambda r, c: (city_file(r, c).unlink(), city_file(r, c).mkdir()),
    "a city too large": lambda r, c: city_file(r, c).write_bytes(b"#" * 2_000_000 + b"\n"),
    "programme.yaml broken": lambda r, c: (r / "programme.yaml").write_text(
        "editions: [\n", encoding="utf-8"
    ),
    "a pilot removed": lambda r, c: next((r / "pilots").glob("*.yaml")).unlink(),
    "a cohort added": lambda r, c: shutil.copy(
        next((r / "cohorts").glob("*.yaml")), r / "cohorts" / "cohort-99.yaml"
    ),
    "a stray file": lambda r, c: (r / "cities" / "notes.txt").write_text("x", encoding="utf-8"),
}


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("breakage", list(BREAKAGES), ids=list(BREAKAGES))
def test_a_rerun_after_a_change_reports_what_a_cold_run_reports(
    example_copy: Path, breakage: str
) -> None:
    before = same_as_from_scratch(example_copy), check_folder(example_copy, DAY).files
    BREAKAGES[breakage](example_copy, "belfast")
    after = same_as_from_scratch(example_copy), check_folder(example_copy, DAY).files
    assert after != before
    assert same_as_from_scratch(example_copy) == after[0]  # and again, from the cache


@pytest.mark.usefixtures("settled")
def test_several_changes_in_a_row_are_each_reported_as_from_scratch(example_copy: Path) -> None:
    same_as_from_scratch(example_copy)
    cities = sorted(path.stem for path in (example_copy / "cities").glob("*.yaml"))
    for name, city in zip(BREAKAGES, cities, strict=False):
        BREAKAGES[name](example_copy, city)
        same_as_from_scratch(example_copy)


@pytest.mark.usefixtures("settled")
def test_another_as_of_day_is_checked_again(example_copy: Path) -> None:
    first = same_as_from_scratch(example_copy, DAY)
    later = same_as_from_scratch(example_copy, date(2030, 1, 1))
    assert first != later
    assert same_as_from_scratch(example_copy, DAY) == first


def verdict_file(root: Path) -> Path:
    return caching.cache_path(root, "verdicts")


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json\n",
        b'{"verdicts": 1}\n',
        None,  # the right header, then garbage
        None,  # the right header, a city line cut short
    ],
    ids=["empty", "garbage", "other header", "garbage lines", "cut short"],
)
def test_a_damaged_verdict_file_is_ignored(example_copy: Path, damage: bytes | None) -> None:
    expected = same_as_from_scratch(example_copy)
    path = verdict_file(example_copy)
    lines = path.read_bytes().splitlines(keepends=True)
    if damage is None:
        damage = lines[0] + (b"[[1, 2]]\n" if len(path.read_bytes()) % 2 else b"{]\n")
    path.write_bytes(damage)
    assert same_as_from_scratch(example_copy) == expected
    path.write_bytes(b"".join(lines[:-1]) + lines[-1].split(b"\t")[0])
    assert same_as_from_scratch(example_copy) == expected


@pytest.mark.usefixtures("settled")
def test_a_city_whose_verdict_was_tampered_with_is_not_trusted_blindly(
    example_copy: Path,
) -> None:
    """The verdict file is the user's own cache: what it says is reported as it is, but a
    line that cannot be decoded makes the whole file ignored."""
    same_as_from_scratch(example_copy)
    path = verdict_file(example_copy)
    text = path.read_text(encoding="utf-8").replace("\t[]", "\t[[", 1)
    path.write_text(text, encoding="utf-8")
    same_as_from_scratch(example_copy)


def test_no_cache_writes_no_verdicts(example_copy: Path) -> None:
    check_folder(example_copy, DAY, cache=False)
    assert not verdict_file(example_copy).exists()
    check_folder(example_copy, DAY, cache=True)
    assert verdict_file(example_copy).exists()
    header = json.loads(verdict_file(example_copy).read_text(encoding="utf-8").splitlines()[0])
    assert header["as_of"] == AS_OF


# --- many cities, in worker processes ------------------------------------------------------


def test_worker_processes_find_exactly_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks.generate import generate_programme
    from tests.support.bad_input import add_broken_files
    from twincli import parallel

    root = tmp_path / "programme"
    generate_programme(root, 300, seed=7)
    add_broken_files(root)
    cold = validate_folder(root, DAY, cache=False)
    used: list[int] = []

    def two(count: int, env: Any = None) -> int:
        used.append(count)
        return 2

    monkeypatch.setattr(parallel, "jobs", two)
    shared = check_folder(root, DAY, cache=False)
    assert used[-1] == len([f for f in cold.files if f.startswith("cities/")])
    assert shared.diagnostics == cold.diagnostics
    assert shared.files == cold.files
    assert {d.code for d in cold.diagnostics} >= {"TC102", "TC104", "TC201", "TC302"}


# --- an edit's check: the folder as it would be with new contents ------------------------------


def _replaced(path: str, old: str, new: str) -> Callable[[Path], dict[str, bytes]]:
    def overlay(root: Path) -> dict[str, bytes]:
        text = (root / path).read_text(encoding="utf-8")
        assert old in text
        return {path: text.replace(old, new, 1).encode()}

    return overlay


OVERLAYS: dict[str, Callable[[Path], dict[str, bytes]]] = {
    "a city withdrawn": _replaced("cities/belfast.yaml", "status: active", "status: withdrawn"),
    "a city that is not YAML": lambda r: {"cities/belfast.yaml": b"name: [oops\n"},
    "a city emptied": lambda r: {"cities/belfast.yaml": b""},
    "a city as it is": lambda r: {"cities/belfast.yaml": (r / "cities/belfast.yaml").read_bytes()},
    "a new city with an unknown cohort": lambda r: {
        "cities/new-town.yaml": b"name: New\ncountry: ES\ncohort: cohort-9\npilot: urbanew\n"
    },
    "a cohort a year later": _replaced("cohorts/cohort-1.yaml", "date: 2024-", "date: 2026-"),
    "a new pilot": lambda r: {"pilots/new-pilot.yaml": (r / "pilots/urbanew.yaml").read_bytes()},
    "programme.yaml broken": lambda r: {"programme.yaml": b"editions: [\n"},
    "two cities at once": lambda r: {
        **_replaced("cities/belfast.yaml", "status: active", "status: withdrawn")(r),
        "cities/soria.yaml": b"name: [oops\n",
    },
}


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
@pytest.mark.parametrize("name", list(OVERLAYS), ids=list(OVERLAYS))
def test_an_overlay_is_checked_as_loading_it_whole_checks_it(
    example_copy: Path, name: str, cache: bool
) -> None:
    same_as_from_scratch(example_copy)  # the verdicts of the folder as it is are recorded
    recorded = verdict_file(example_copy).read_bytes()
    overlay = OVERLAYS[name](example_copy)
    whole = validate_folder(example_copy, DAY, overlay=overlay, cache=False)
    found, files = incremental.validate(example_copy, DAY, cache=cache, overlay=overlay)
    assert tuple(sort_diagnostics(with_causes(found))) == whole.diagnostics
    assert tuple(s.path for s in files) == whole.files
    as_it_is = check_folder(example_copy, DAY, cache=False)
    if name != "a city as it is":  # the overlay makes a difference
        assert (whole.diagnostics, whole.files) != (as_it_is.diagnostics, as_it_is.files)
    # Nothing of what is not on disk is recorded, and the folder as it is still checks the same.
    assert verdict_file(example_copy).read_bytes() == recorded
    same_as_from_scratch(example_copy)


@pytest.mark.usefixtures("settled")
def test_an_edit_of_one_city_reads_that_city_alone(example_copy: Path, spy: Spy) -> None:
    from twincli.edit.transaction import Change, Plan, commit

    (example_copy / "cities" / "soria.yaml").write_text("name: [oops\n", encoding="utf-8")
    same_as_from_scratch(example_copy)
    spy.reset()
    path = "cities/belfast.yaml"
    before = (example_copy / path).read_bytes()
    seen: list[loader.Loaded] = []

    def plan(loaded: loader.Loaded) -> Plan:
        seen.append(loaded)
        return Plan((Change(path, before, before + b"# checked\n"),))

    outcome = commit(example_copy, DAY, plan, cache=True, cities=["belfast"])
    assert outcome.written
    assert outcome.errors_before == 1  # soria's, found in the verdicts, not by reading it
    assert (example_copy / path).read_bytes() == before + b"# checked\n"
    # The plan saw belfast alone among the cities (and the ids of all of them); loading for
    # it read the shared files and belfast, and the checks before and after the change read
    # belfast's new contents only.
    (loaded,) = seen
    assert list(loaded.programme.cities) == ["belfast"]
    assert "soria" in loaded.programme.marks.ids("cities")
    assert not any(d.location.file == "cities/soria.yaml" for d in loaded.diagnostics)
    assert spy.shared == 1
    assert set(spy.cities) == {path}
    same_as_from_scratch(example_copy)


def test_the_code_fingerprint_covers_every_module_of_every_subpackage(tmp_path: Path) -> None:
    """A cached answer may depend on any module (a rule in check/rules/, the records in read/):
    editing any of them makes every cache stale."""
    import twincli

    package = Path(twincli.__file__).resolve().parent
    expected = {p.relative_to(package).as_posix() for p in package.rglob("*.py")}
    covered = {p.relative_to(package).as_posix() for p in caching.code_files()}
    assert covered == expected
    assert {"check/rules/dates.py", "read/records.py", "progress/standing.py"} <= covered
