"""Scale: worker processes and the cache give exactly what reading every file here gives, and
the rules do work in proportion to the programme, not to its square.

The programmes are made by the benchmarks' generator (`benchmarks/generate.py`), with the
broken files of the bad-input corpus (`tests/support/bad_input.py`) added among them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from benchmarks.generate import AS_OF, generate_programme
from tests.support.bad_input import add_broken_files
from tests.support.console import make_console
from twincli import parallel
from twincli.check.validate import validate_folder
from twincli.cli import app
from twincli.marks import Marks
from twincli.model import Record
from twincli.read import cache as caching
from twincli.read import snapshot
from twincli.read.loader import Loaded, load_programme
from twincli.read.records import INVALID


def differences(a: Any, b: Any, where: str = "programme") -> Iterator[str]:
    """Where two loaded models differ: every field of every record, and every mark (`Marks`
    has no equality of its own), down to the type of each value."""
    if type(a) is Marks and type(b) is Marks:
        for name in Marks.__slots__:
            if getattr(a, name) != getattr(b, name):
                yield f"{where}.{name}: {getattr(a, name)!r} != {getattr(b, name)!r}"
    elif type(a) is not type(b):
        yield f"{where}: {type(a).__name__} != {type(b).__name__}"
    elif isinstance(a, Record):
        for f in dataclasses.fields(a):
            yield from differences(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, tuple | list):
        if len(a) != len(b):
            yield f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            yield from differences(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        if list(a) != list(b):
            yield f"{where}: keys {list(a)} != {list(b)}"
        for key in a.keys() & b.keys():
            yield from differences(a[key], b[key], f"{where}[{key!r}]")
    elif a != b:
        yield f"{where}: {a!r} != {b!r}"


def assert_same(a: Loaded, b: Loaded) -> None:
    assert a.diagnostics == b.diagnostics
    assert a.files == b.files
    assert a.programme_ok == b.programme_ok
    found = list(differences(a.programme, b.programme))
    assert not found, "\n".join(found[:20])


def broken_programme(root: Path, cities: int) -> Path:
    """A generated programme, plus every broken file of the bad-input corpus that is a file
    of a kind folder, under a name of its own."""
    generate_programme(root, cities, seed=7)
    return add_broken_files(root)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return broken_programme(tmp_path_factory.mktemp("scale") / "programme", 240)


def test_the_broken_programme_has_many_kinds_of_problems(big: Path) -> None:
    loaded = load_programme(big, cache=False)
    codes = {d.code for d in loaded.diagnostics}
    assert len(loaded.files) > parallel.MIN_FILES
    assert {"TC102", "TC103", "TC104", "TC107", "TC110", "TC201", "TC205"} <= codes


def test_worker_processes_read_exactly_what_one_process_reads(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(parallel.JOBS_ENV, "1")
    alone = load_programme(big, cache=False)
    used: list[int] = []

    def two_workers(count: int, env: Any = None) -> int:
        used.append(count)
        return 2

    monkeypatch.setattr(parallel, "jobs", two_workers)
    shared = load_programme(big, cache=False)
    assert used and used[0] > parallel.MIN_FILES
    assert_same(alone, shared)


def test_jobs_are_one_below_the_threshold_or_when_asked() -> None:
    assert parallel.jobs(parallel.MIN_FILES - 1, {}) == 1
    assert parallel.jobs(10_000, {parallel.JOBS_ENV: "1"}) == 1
    assert parallel.jobs(10_000, {parallel.JOBS_ENV: "3"}) <= 3
    assert parallel._split([5] * 10, 3) == [range(0, 4), range(4, 7), range(7, 10)]
    assert parallel._split([1], 4) == [range(0, 1)]


def test_a_snapshot_decodes_to_the_same_record_and_diagnostics(big: Path) -> None:
    from twincli.read.loader import list_sources, read_source, record_class

    sources, _ = list_sources(big)
    for source in sources:
        record, found = read_source(big, source)
        line = snapshot.encode(record, found, source.path)
        json.loads(line)  # plain JSON
        again, found_again = snapshot.decode(line, record_class(source), source.path)
        assert found_again == found
        assert not list(differences(record, again, source.path))


# --- the cache ------------------------------------------------------------------------------


def cache_files(folder: Path) -> list[Path]:
    return sorted((folder / "twincli").glob("programmes/*.jsonl"))


def test_a_cached_run_reports_exactly_what_a_cold_run_reports(
    big: Path, _private_cache: Path
) -> None:
    cold = load_programme(big, cache=False)
    assert not cache_files(_private_cache)
    first = load_programme(big)  # writes the cache
    assert len(cache_files(_private_cache)) == 1
    warm = load_programme(big)  # reads it
    for loaded in (first, warm):
        assert_same(cold, loaded)
    as_of = date(2025, 6, 30)
    assert (
        validate_folder(big, as_of, cache=False).diagnostics
        == validate_folder(big, as_of).diagnostics
    )


def test_the_cache_sees_a_changed_file_even_with_the_same_size_and_time(
    tmp_path: Path, _private_cache: Path
) -> None:
    root = broken_programme(tmp_path / "programme", 30)
    city = root / "cities" / "city-00001.yaml"
    before = city.stat()
    load_programme(root)
    text = city.read_text(encoding="utf-8")
    changed = text.replace("status: active", "status: actiev", 1)
    assert len(changed) == len(text) and changed != text
    city.write_text(changed, encoding="utf-8")
    os.utime(city, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert_same(load_programme(root, cache=False), load_programme(root))
    assert "TC207" in {d.code for d in load_programme(root).diagnostics}


def test_unchanged_files_are_not_read_again(
    tmp_path: Path, _private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = broken_programme(tmp_path / "programme", 30)
    # Files written just now could change again without their stat changing: pretend they
    # were written long ago.
    monkeypatch.setattr(caching, "now_ns", lambda: 2**62)
    cold = load_programme(root)
    read: list[str] = []
    import twincli.read.loader as loader

    original = loader.source_bytes

    def counting(root: Path, path: str, overlay: Any, limit: int) -> Any:
        read.append(path)
        return original(root, path, overlay, limit)

    monkeypatch.setattr(loader, "source_bytes", counting)
    assert_same(cold, load_programme(root))
    # Unreadable and too-large files are read again every time (their problem is reported
    # afresh); every other file came from the cache.
    assert all(d.code in ("TC101", "TC114") for d in cold.diagnostics if d.location.file in read), (
        read
    )
    city = root / "cities" / "city-00002.yaml"
    city.write_text(city.read_text(encoding="utf-8") + "\nextra: 1\n", encoding="utf-8")
    read.clear()
    warm = load_programme(root)
    assert "cities/city-00002.yaml" in read
    assert ("TC201", "cities/city-00002.yaml") in {
        (d.code, d.location.file) for d in warm.diagnostics
    }
    assert_same(load_programme(root, cache=False), warm)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: text.replace('"code"', '"kode"', 1),  # another version's header
        lambda text: text.replace("\t", "\t\t", 7),  # columns shifted
        lambda text: text.replace("[[", "[{", 3),  # not a snapshot any more
        lambda text: "\0" * 100,
    ],
)
def test_a_damaged_cache_is_ignored(tmp_path: Path, _private_cache: Path, damage: Any) -> None:
    root = tmp_path / "programme"
    generate_programme(root, 20, seed=2)
    cold = load_programme(root, cache=False)
    load_programme(root)
    (path,) = cache_files(_private_cache)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert_same(cold, load_programme(root))
    assert_same(cold, load_programme(root))  # and it was written anew


def test_an_overlay_is_cached_by_its_content(tmp_path: Path, _private_cache: Path) -> None:
    root = tmp_path / "programme"
    generate_programme(root, 10, seed=2)
    city = "cities/city-00003.yaml"
    after = (root / city).read_bytes().replace(b"status: active", b"status: withdrawn")
    with_overlay = load_programme(root, {city: after})
    assert "TC601" not in {d.code for d in with_overlay.diagnostics}  # TC601 is a rule's
    (root / city).write_bytes(after)
    assert_same(with_overlay, load_programme(root))
    assert_same(with_overlay, load_programme(root, cache=False))


def test_reading_some_cities_keeps_the_cache_of_the_others(
    tmp_path: Path, _private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`show city` and the editing commands read one city: the next whole read still finds
    every other city in the cache (however few the files the partial read knew of)."""
    from twincli.read import loader

    root = tmp_path / "programme"
    generate_programme(root, 120, seed=4)
    whole = load_programme(root)  # writes the cache
    city = "cities/city-00007.yaml"
    (root / city).write_bytes((root / city).read_bytes() + b"# changed\n")
    some = load_programme(root, cities=["city-00007", "city-00011"])
    assert sorted(some.programme.cities) == ["city-00007", "city-00011"]
    assert set(some.programme.marks.ids("cities")) == set(whole.programme.cities)
    parsed: list[str] = []
    real = loader.parse_source
    monkeypatch.setattr(
        loader,
        "parse_source",
        lambda source, data: parsed.append(source.path) or real(source, data),
    )
    again = load_programme(root)
    assert parsed == []  # the changed city too: the partial read recorded it
    assert_same(again, load_programme(root, cache=False))


def test_no_cache_neither_reads_nor_writes_it(
    tmp_path: Path, _private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "programme"
    generate_programme(root, 5, seed=2)
    (root / "cities" / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    runner = CliRunner()
    args = ["--data", str(root), "--as-of", AS_OF.isoformat(), "validate", "--format", "json"]
    result = runner.invoke(app, ["--no-cache", *args])
    assert not cache_files(_private_cache)
    monkeypatch.setenv(caching.DISABLE_ENV, "1")
    assert runner.invoke(app, args).stdout == result.stdout
    assert not cache_files(_private_cache)
    monkeypatch.setenv(caching.DISABLE_ENV, "0")
    cached = runner.invoke(app, args)
    assert cache_files(_private_cache)
    assert (cached.stdout, cached.exit_code) == (result.stdout, result.exit_code)
    assert runner.invoke(app, args).stdout == result.stdout


def test_the_cache_lives_in_the_user_cache_folder() -> None:
    assert caching.cache_folder({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache/twincli")
    assert caching.cache_folder({"XDG_CACHE_HOME": "relative"}) == (
        Path.home() / ".cache" / "twincli"
    )
    assert caching.cache_folder({}) == Path.home() / ".cache" / "twincli"
    assert caching.enabled({}) and caching.enabled({caching.DISABLE_ENV: "0"})
    assert not caching.enabled({caching.DISABLE_ENV: "1"})


def test_the_cache_file_is_private_and_json(tmp_path: Path, _private_cache: Path) -> None:
    root = tmp_path / "programme"
    generate_programme(root, 3, seed=2)
    load_programme(root)
    (path,) = cache_files(_private_cache)
    assert path.stat().st_mode & 0o077 == 0
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(header)["root"] == str(root)
    for line in lines:
        json.loads(line.split("\t")[3])


# --- the rules' work grows with the programme, not with its square --------------------------


@pytest.fixture(scope="module")
def base_programme(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("base") / "programme"
    generate_programme(root, 50, seed=3)
    return load_programme(root, cache=False).programme


def scaled(base: Any, copies: int) -> Any:
    """`copies` copies of a generated programme of 50 cities (one cohort, five pilots), each
    with cohorts and pilots of its own, plus the same few misspelt references in every size:
    a model of 50 × `copies` cities, made without reading YAML."""
    cohorts, pilots, cities = {}, {}, {}
    for k in range(copies):
        for c in base.cohorts.values():
            cohorts[f"{c.id}-{k}"] = dataclasses.replace(c, id=f"{c.id}-{k}")
        for p in base.pilots.values():
            pilots[f"{p.id}-{k}"] = dataclasses.replace(p, id=f"{p.id}-{k}")
        for c in base.cities.values():
            cities[f"{c.id}-{k}"] = dataclasses.replace(
                c, id=f"{c.id}-{k}", cohort=f"{c.cohort}-{k}", pilot=f"{c.pilot}-{k}"
            )
    for n, (ident, city) in enumerate(list(cities.items())[:12]):
        typo = {
            0: {"cohort": city.cohort + "x"},
            1: {"pilot": city.pilot[:-1]},
            2: {"attended": (*city.attended, "kick-of")},
        }[n % 3]
        cities[ident] = dataclasses.replace(city, **typo)
    known = dict(base.marks.entries)
    known.update(
        cohorts=dict.fromkeys(cohorts, (1, 1)),
        pilots=dict.fromkeys(pilots, (1, 1)),
        cities=dict.fromkeys(cities, (1, 1)),
    )
    return dataclasses.replace(
        base, cohorts=cohorts, pilots=pilots, cities=cities, marks=base.marks.with_entries(known)
    )


def steps_of_the_rules(programme: Any) -> tuple[int, int]:
    """How many lines of Python the rules run (theirs and what they call, the standard
    library included), and how many findings they make."""
    from twincli.check import rules

    steps = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal steps
        steps += 1
        return tracer

    sys.settrace(tracer)
    try:
        found = rules.check(programme, AS_OF)
    finally:
        sys.settrace(None)
    return steps, len(found)


def test_the_rules_are_linear_in_the_number_of_cities(base_programme: Any) -> None:
    small = scaled(base_programme, 20)
    large = scaled(base_programme, 200)
    assert (len(small.cities), len(large.cities)) == (1_000, 10_000)
    small_steps, small_found = steps_of_the_rules(small)
    large_steps, large_found = steps_of_the_rules(large)
    assert small_found == large_found == 12, (small_found, large_found)  # the typos
    # Ten times the cities: ten times the work (a quadratic rule would make it a hundred).
    assert 9 < large_steps / small_steps < 11, (small_steps, large_steps, large_steps / small_steps)


# --- long tables, many reports ----------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 52, 30])
def test_a_long_table_on_a_pipe_is_what_rich_shows(big: Path, width: int) -> None:
    """Thousands of deadlines are written as plain text in rich's columns; at 30 columns the
    names would have to wrap, and rich lays the table out."""
    from twincli.cli import fitted, tables
    from twincli.progress.standing import deadlines, programme_progress

    programme = load_programme(big).programme
    programme = dataclasses.replace(
        programme,
        cities={
            **programme.cities,
            "wide": dataclasses.replace(
                next(iter(programme.cities.values())),
                id="wide",
                name="東京都 Tōkyō-to with a very long name \x1b[2J and more",
            ),
        },
    )
    progress = programme_progress(programme, AS_OF)
    found = deadlines(progress)
    assert len(found) > fitted.LONG
    view = tables.deadlines_view(found, progress.as_of)
    printed = []
    for plain in (False, True):
        out = make_console(width=width, no_color=True, soft_wrap=False)
        if plain:
            fitted.print_view(out, view)
        else:
            out.print(view)
        printed.append(out.file.getvalue())  # type: ignore[attr-defined]
    assert printed[1].splitlines() == [line.rstrip() for line in printed[0].splitlines()]
    assert "東京都" in printed[1] or width < 52  # narrower, it wraps
    assert "\x1b" not in printed[1]


def test_reports_rendered_in_workers_are_the_same(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from twincli.report.plan import Selection
    from twincli.report.render import Renderer
    from twincli.report.templating import make_environment

    root = tmp_path / "programme"
    generate_programme(root, 60, seed=5)
    programme = load_programme(root).programme
    renderer = Renderer(programme, root, tmp_path / "reports", make_environment(root), Selection())
    documents = renderer.plan(AS_OF)
    assert len(documents) > parallel.MIN_FILES
    monkeypatch.setenv(parallel.JOBS_ENV, "1")
    alone = renderer.render(documents)
    monkeypatch.setattr(parallel, "jobs", lambda count, env=None: 2)
    steps: list[int] = []
    shared = renderer.render(documents, lambda: steps.append(1))
    assert list(shared.items()) == list(alone.items())
    assert len(steps) == len(documents)


@pytest.mark.parametrize("last", [False, True], ids=["before forking", "in a worker"])
def test_a_template_error_in_workers_is_the_one_found_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: bool
) -> None:
    """The first documents are rendered before the workers start (`render._warm_up`): an
    error there, or in a worker's document, is the first in order, as without workers."""
    from twincli.errors import TemplateError
    from twincli.report.plan import Selection
    from twincli.report.render import Renderer, _warm_up
    from twincli.report.templating import make_environment

    root = tmp_path / "programme"
    generate_programme(root, 60, seed=5)
    programme = load_programme(root).programme
    failing = sorted(programme.cities)[-1] if last else sorted(programme.cities)[0]
    (root / "templates").mkdir()
    (root / "templates" / "action-plan.md.j2").write_text(
        '{% extends "builtin/action-plan.md.j2" %}{% block content %}'
        f'{{% if city.id == "{failing}" %}}{{{{ city.nowhere }}}}{{% endif %}}'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    renderer = Renderer(programme, root, tmp_path / "reports", make_environment(root), Selection())
    documents = renderer.plan(AS_OF)
    index = documents.index(
        next(d for d in documents if d.path == f"cities/{failing}/action-plan.md")
    )
    assert (index < _warm_up(documents)) == (not last)
    errors = []
    for jobs in (1, 2):
        monkeypatch.setattr(parallel, "jobs", lambda count, env=None, jobs=jobs: jobs)
        with pytest.raises(TemplateError) as caught:
            renderer.render(documents)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert f"(rendering cities/{failing}/action-plan.md)" in errors[0]


def test_the_first_document_of_each_template_is_rendered_before_forking() -> None:
    from twincli.report.plan import Document
    from twincli.report.render import _warm_up

    def plan(*templates: str) -> list[Document]:
        return [Document(f"{n}.md", t, {}) for n, t in enumerate(templates)]

    assert _warm_up([]) == 0
    assert _warm_up(plan("overview", "cohort", "a", "b", "a", "b", "cohort")) == 4
    # a template first used far into the plan is left to whoever renders that part
    late = plan("overview", *["a"] * 200, "late", "a")
    assert _warm_up(late) == 2


def test_only_the_caches_of_the_folders_used_last_are_kept(
    tmp_path: Path, _private_cache: Path
) -> None:
    folder = _private_cache / "twincli" / "programmes"
    folder.mkdir(parents=True)
    for n in range(caching.KEEP + 5):
        old = folder / f"{n:032x}.jsonl"
        old.write_text("{}\n", encoding="utf-8")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    (folder / ".left-over.tmp").write_text("", encoding="utf-8")
    os.utime(folder / ".left-over.tmp", (1_000_000, 1_000_000))
    root = tmp_path / "programme"
    generate_programme(root, 2, seed=2)
    load_programme(root)
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == caching.KEEP
    assert f"{4:032x}.jsonl" not in kept and f"{5 + caching.KEEP - 1:032x}.jsonl" in kept
    assert ".left-over.tmp" not in kept
    assert cache_files(_private_cache)


def test_progress_is_linear_in_the_number_of_cities(base_programme: Any) -> None:
    """What status, deadlines and the reports compute: every call counted, for 500 and 5,000
    cities (a cohort per 50 cities, so a lookup per cohort over all cities is quadratic)."""
    from twincli.progress.standing import deadlines, programme_progress
    from twincli.schedule import add_months

    def calls(copies: int) -> int:
        programme = scaled(base_programme, copies)
        add_months.cache_clear()
        count = 0

        def profiler(frame: Any, event: str, arg: Any) -> None:
            nonlocal count
            count += event in ("call", "c_call")

        sys.setprofile(profiler)
        try:
            deadlines(programme_progress(programme, AS_OF))
        finally:
            sys.setprofile(None)
        return count

    small, large = calls(10), calls(100)
    assert 9 < large / small < 11, (small, large, large / small)


# --- the depth check the loader leaves to files with problems --------------------------------


def model_depth(tp: Any) -> int:
    """The most levels of YAML nodes a value of type `tp` can take, as read by the schema (the
    mapping of a record is one level, its values the next)."""
    from typing import get_args, get_origin, get_type_hints

    from twincli.model import CONTENT_BY_OUTPUT, CityOutput, Record
    from twincli.read.records import strip_optional

    tp = strip_optional(tp)
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, Record):
        hints = get_type_hints(tp, include_extras=True)
        deepest = 1
        for f in dataclasses.fields(tp):
            if f.name == "marks" or f.metadata.get("folder"):
                continue
            if tp is CityOutput and f.name == "content":
                inner = max(model_depth(c) for c in set(CONTENT_BY_OUTPUT.values()))
            else:
                inner = model_depth(hints[f.name])
            deepest = max(deepest, 1 + inner)
        return deepest
    if origin in (tuple, list, Mapping, dict) or str(origin).endswith("Mapping"):
        args = [a for a in get_args(tp) if a is not Ellipsis]
        return 1 + max(model_depth(a) for a in args[-1:])
    if get_args(tp) and origin is not None and str(origin) != "typing.Literal":
        return max(model_depth(a) for a in get_args(tp))
    return 1


def test_a_record_read_without_problems_is_far_shallower_than_the_depth_limit() -> None:
    """The loader checks the nesting depth only of files with problems (`reader.read_yaml_
    unchecked`): sound because the schema reads every node of a file it finds no problem in,
    and no record of the model is nearly MAX_DEPTH levels deep."""
    from twincli.model import City, Cohort, Pilot, Programme
    from twincli.read.reader import MAX_DEPTH

    depths = {cls.__name__: model_depth(cls) for cls in (Programme, Cohort, Pilot, City)}
    assert 3 <= max(depths.values()) <= MAX_DEPTH // 4, depths


DEEP = "[" * 70 + "]" * 70


@pytest.mark.parametrize(
    "line",
    [
        f"name: {DEEP}",
        f"contacts: {DEEP}",
        f"unknown: {DEEP}",
        f"attended: [a, {DEEP}]",
        "visits:\n  - {direction: to-partner, start: 2025-01-01, city: " + DEEP + "}",
        "outputs:\n  action-plan: {status: approved, content: {actions: [" + DEEP + "]}}",
        "contacts:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, 70)) + "  " * 70 + "- x",
    ],
)
def test_a_deep_file_reports_only_that_it_is_too_deep(tmp_path: Path, line: str) -> None:
    from twincli.read.loader import SourceFile, parse_source
    from twincli.read.reader import read_yaml

    text = "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n" + line + "\n"
    text = text.replace("name: Soria\n", "", 1) if line.startswith("name:") else text
    record, found = parse_source(SourceFile("cities/soria.yaml", "cities", "soria"), text.encode())
    assert record is INVALID
    assert [d.code for d in found] == ["TC115"]
    _, checked = read_yaml("cities/soria.yaml", text.encode())
    assert found == checked


MANY = 1_000
"""Mistakes of one kind in one file: ten times what is listed."""

FLOODS = {
    # what a file repeats: its code, what the closing diagnostic calls the rest, the lines
    "unknown keys": ("TC201", "unknown keys", "".join(f"note{i:04d}: x\n" for i in range(MANY))),
    "duplicate keys": ("TC110", "duplicate keys", "country: ES\n" * MANY),
    "events not of the cohort": (
        "TC304",
        "TC304 errors",
        "attended:\n" + "".join(f"  - event-{i:04d}\n" for i in range(MANY)),
    ),
    "tags": ("TC107", "explicit tags", "contacts:\n" + "  - !x {name: Ana}\n" * MANY),
    "escapes that name no character": (
        "TC116",
        "escapes that name no character",
        "contacts:\n" + '  - {name: "\\ud800"}\n' * MANY,
    ),
}


@pytest.mark.parametrize("flood", FLOODS)
@pytest.mark.parametrize("pure", ["0", "1"], ids=["libyaml", "pure"])
def test_a_file_of_many_mistakes_lists_a_hundred_of_each_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flood: str, pure: str
) -> None:
    """A 5 MiB file of distinct unknown keys cost 24 s and 0.8 GB, nearly all of it "did you
    mean" hints, one near-name search per key: the diagnostics of one code in one file, and
    their hints, stop at MAX_LISTED, and one more counts the rest, where they start."""
    import difflib

    from tests.support.folders import build_tree
    from twincli.read.limits import MAX_LISTED
    from twincli.read.reader import PURE_ENV

    monkeypatch.setenv(PURE_ENV, pure)
    code, what, lines = FLOODS[flood]
    head = "name: Soria\ncountry: ES\ncohort: cohort-2\npilot: urbanew\n"
    root = build_tree(tmp_path / "programme", {"cities/soria.yaml": head + lines})
    searches = []  # a near-name search sets the word it looks for once, then tries each name
    real = difflib.SequenceMatcher.set_seq2

    def counted(matcher: difflib.SequenceMatcher[str], word: str) -> None:
        if word:  # not the empty one a new matcher starts with
            searches.append(word)
        real(matcher, word)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq2", counted)
    found = validate_folder(root, AS_OF).diagnostics
    assert {d.code for d in found} == {code}
    assert len(found) == MAX_LISTED + 1
    assert len(searches) <= MAX_LISTED
    first_line = head.count("\n") + 1 + lines.startswith(("attended", "contacts"))
    listed, closing = found[:-1], found[-1]
    assert [d.location.line for d in listed] == list(range(first_line, first_line + MAX_LISTED))
    assert len({d.message for d in listed}) == (MAX_LISTED if code in ("TC201", "TC304") else 1)
    assert closing.location.line == first_line + MAX_LISTED
    assert closing.message == f"and {MANY - MAX_LISTED:,} more {what} in this file, not listed"
    assert closing.severity == listed[0].severity


def _interrupt_handler_here(item: int) -> str:
    import signal

    return f"{item} {signal.getsignal(signal.SIGINT) == signal.SIG_IGN}"


def test_workers_leave_ctrl_c_to_the_command() -> None:
    """A worker interrupted itself printed its own traceback, and could leave the queue it
    shares with the command locked (a hang): workers ignore Ctrl-C; the command stops them."""
    import signal

    if parallel.jobs(parallel.MIN_FILES) < 2:
        pytest.skip("one CPU, or no fork: no workers")
    items = list(range(12))
    with parallel.in_workers(_interrupt_handler_here, items, 2, [1] * len(items)) as done:
        results = list(done)
    assert results == [f"{n} True" for n in items]
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # this process still hears it
