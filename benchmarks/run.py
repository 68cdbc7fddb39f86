"""Benchmark twincli against the cost of parsing YAML: every command, start-up and memory.

For each size (number of Twin Cities: 100, 1,000 and 10,000 by default) a realistic programme
is generated with ``generate.py`` (cached under ``benchmarks/.data/``), then measured in the
same run, each measure ``--repeat`` times (medians shown):

- the floor: ``yaml.compose(text, Loader=yaml.CSafeLoader)`` of every file, with the garbage
  collector off, in this process. No reader that builds node trees with line numbers from the
  same bytes can be much faster: every other figure is a ratio to it;
- ``twincli validate --format json`` in one process (``$TWINCLI_JOBS=1``, ``--no-cache``),
  with every CPU (``--no-cache``), cold with the cache (an empty cache folder: it is written),
  warm (nothing changed) and warm after one city file changed;
- ``record output`` of one city with the cache warm (an edit: the folder checked before and
  after it);
- ``status --format json`` as a whole process against the floor, and ``deadlines`` and
  ``export json`` by what each adds on top of loading and checking, i.e. minus ``validate``
  run the same way in the same round; each in one process with ``--no-cache``;
- ``diff`` of a copy of the programme in a git repository, one city changed in the working
  tree, against ``status`` run the same way (both with the cache warm; issue 17 asks that it
  take no longer);
- ``history --format json`` against ``status --format json`` on a day after every cohort
  ended (every month of each), each in one process with ``--no-cache``;
- ``render`` of every report into an empty ``--out`` (up to ``--render-up-to`` cities), and
  the cost of its files alone: the same bytes written here as bare Python writes files safely
  (each to a temporary file, ``os.sync()``, each renamed into place, ``os.sync()``);
- peak memory (the largest resident size of the command's processes, from
  ``getrusage(RUSAGE_CHILDREN)`` in a wrapper process) of ``validate`` against that of the
  bare load: ``yaml.load(text, Loader=yaml.CSafeLoader)`` of every file, all kept in a list;
- start-up: ``twincli --version`` against ``python -c "import typer"``, and ``twincli --help``
  against the ``--help`` of a bare Typer app of two commands.

Each figure is printed next to its target (from issue 14, "Lean core"), at the sizes the
issue sets it for.
Nothing is asserted: this is not a test, and the machine may be busy (the load average is
printed before and after).

    python benchmarks/run.py                      # 100, 1,000 and 10,000 cities, 3 repetitions
    python benchmarks/run.py --quick              # 100 and 1,000 cities, 1 repetition
    python benchmarks/run.py --sizes 1000 --repeat 5

Run it with the interpreter twincli is installed in (``make bench`` uses ``.venv``). The
commands run with a temporary cache folder (``$XDG_CACHE_HOME``), never the user's.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # imported as `benchmarks.run` (by the tests), or run as `python -m benchmarks.run`
    from benchmarks.generate import AS_OF, GENERATOR_VERSION, generate_programme
except ModuleNotFoundError:  # run as a script, `python benchmarks/run.py`: its folder is first
    from generate import AS_OF, GENERATOR_VERSION, generate_programme  # type: ignore[no-redef,import-not-found]

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / ".data"  # git-ignored
KIND_FOLDERS = ("cohorts", "pilots", "cities")
DEFAULT_SIZES = (100, 1_000, 10_000)

BARE_TYPER_APP = """\
import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    \"\"\"Say hello.\"\"\"


@app.command()
def bye() -> None:
    \"\"\"Say goodbye.\"\"\"


app()
"""

PEAK_WRAPPER = """\
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(peak * (1 if sys.platform == "darwin" else 1024), done.returncode)
"""
"""Runs a command and prints the peak resident size, in bytes, of its processes."""

BARE_LOAD = """\
import sys, yaml
kept = []
for path in sys.argv[1:]:
    with open(path, "rb") as stream:
        kept.append(yaml.load(stream.read(), Loader=yaml.CSafeLoader))
"""


@dataclass(frozen=True)
class Measure:
    """One line of the table: what is timed, and its targets."""

    key: str
    label: str
    targets: dict[int, float] = field(default_factory=dict)
    """Size (cities) -> the most the figure may be, as a ratio to the floor (issue 14: "Lean
    core"). At other sizes the figure is shown alone: at 100 cities the interpreter's start-up
    is most of every figure."""


MEASURES = (
    Measure("validate_1", "validate, one process (--no-cache)", {1_000: 1.5, 10_000: 1.3}),
    Measure("validate_n", "validate, every CPU (--no-cache)", {1_000: 1.3}),
    Measure("validate_cold", "validate, cold, writing the cache"),
    Measure("validate_warm", "validate, warm, nothing changed", {1_000: 0.7}),
    Measure("validate_one", "validate, warm, one file changed", {1_000: 0.7, 10_000: 0.2}),
    Measure("record", "record output (one city), warm"),
    Measure("status", "status --format json", {1_000: 1.5}),
    Measure("status_warm", "status --format json, warm"),
    Measure("diff", "diff, one city changed, warm"),
    Measure("deadlines", "deadlines, added"),
    Measure("export", "export json, added"),
    Measure("history_status", "status --format json, at the cohorts' end"),
    Measure("history", "history --format json, at the cohorts' end"),
    Measure("render", "render (every report, empty --out)"),
    Measure("render_files", "the same files written bare, no templates"),
)
HISTORY_AS_OF = "2026-12-31"
"""A day after every generated cohort has ended: `history` then has every month of each."""
HISTORY_TARGET = 2.0
"""`history` in at most this many times the time of `status` (issue 16)."""
AGAINST = (
    ("history", "history_status", "history, against status on the same day", HISTORY_TARGET),
    ("diff", "status_warm", "diff of one city changed, against status, both warm", 1.0),
)
"""Measures with a target as a ratio to another: (measure, yardstick, label, target): history
in at most twice the time of status (issue 16), diff in at most that of status (issue 17)."""
MEMORY_TARGET_SIZES = (10_000,)
"""The sizes issue 7 sets the memory target for."""
ADDED = ("deadlines", "export")
"""Measures shown as what they add to `validate` in one process without the cache (loading
and checking): each repetition times `validate` and then each of them, and the median of
the differences is shown (the machine's drift from one round to the next cancels out)."""


@dataclass
class SizeResult:
    size: int
    files: int
    floor: list[float] = field(default_factory=list)
    times: dict[str, list[float]] = field(default_factory=dict)
    added: dict[str, list[float]] = field(default_factory=dict)
    """What each of ADDED took beyond the `validate` of its round."""
    peaks: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


# --- running things -------------------------------------------------------------------------


class Runner:
    """Runs twincli in subprocesses, with a temporary cache folder and bytecode allowed."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.env = dict(os.environ)
        # The module cache is what users have; an interpreter told not to write it would
        # compile twincli on every start.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env.pop("TWINCLI_NO_CACHE", None)
        self.env.pop("TWINCLI_JOBS", None)
        self.env["XDG_CACHE_HOME"] = str(scratch / "cache")
        src = REPO_ROOT / "src"
        if not _importable("twincli") and (src / "twincli").is_dir():
            self.env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p
            )

    def twincli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "twincli", *args]

    def run(
        self, command: Sequence[str], env: dict[str, str] | None = None
    ) -> tuple[float, subprocess.CompletedProcess[bytes]]:
        started = time.perf_counter()
        done = subprocess.run(
            command, capture_output=True, env=env or self.env, cwd=REPO_ROOT, check=False
        )
        return time.perf_counter() - started, done

    def peak(self, command: Sequence[str], env: dict[str, str] | None = None) -> int:
        """The peak resident size (bytes) of `command` and its subprocesses."""
        _, done = self.run([sys.executable, "-c", PEAK_WRAPPER, *command], env)
        peak, _ = done.stdout.decode().split()
        return int(peak)

    def clear_cache(self) -> None:
        shutil.rmtree(self.scratch / "cache", ignore_errors=True)


def _importable(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


# --- the programme --------------------------------------------------------------------------


def prepare_programme(size: int, seed: int) -> Path:
    """A generated programme with `size` cities, cached under benchmarks/.data/."""
    name = f"cities-{size}-seed-{seed}-v{GENERATOR_VERSION}"
    root = DATA_DIR / name
    complete = DATA_DIR / f"{name}.complete"  # outside the programme, so twincli never sees it
    if not complete.exists():
        if root.exists():  # left over from an interrupted run
            shutil.rmtree(root)
        print(f"generating {size:,} cities into {root} ...", file=sys.stderr)
        generate_programme(root, size, seed)
        complete.touch()
    return root


def yaml_files(root: Path) -> list[Path]:
    """Every file twincli reads: programme.yaml and the kind folders' .yaml files, sorted."""
    files = [root / "programme.yaml"]
    for kind in KIND_FOLDERS:
        files += sorted((root / kind).glob("*.yaml"))
    return files


def compose_floor(paths: Sequence[Path]) -> float:
    """Seconds to read and compose every file with libyaml, the garbage collector off."""
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        for path in paths:
            with open(path, encoding="utf-8") as stream:
                yaml.compose(stream.read(), Loader=loader)
        return time.perf_counter() - started
    finally:
        if was_enabled:
            gc.enable()


# --- one size -------------------------------------------------------------------------------


def measure_size(size: int, seed: int, repeat: int, runner: Runner, render: bool) -> SizeResult:
    root = prepare_programme(size, seed)
    paths = yaml_files(root)
    result = SizeResult(size, len(paths))
    as_of = AS_OF.isoformat()
    base = ["--data", str(root), "--as-of", as_of]
    validate = runner.twincli(*base, "validate", "--format", "json")
    no_cache = runner.twincli("--no-cache", *base, "validate", "--format", "json")
    one_process = dict(runner.env, TWINCLI_JOBS="1")

    compose_floor(paths)  # warm-up: the file cache, the imports
    result.floor = [compose_floor(paths) for _ in range(repeat)]

    def timed(key: str, command: Sequence[str], *, env: Any = None, before: Any = None) -> None:
        for _ in range(repeat):
            if before is not None:
                before()
            seconds, done = runner.run(command, env)
            result.times.setdefault(key, []).append(seconds)
            check(key, done, result)

    runner.run(validate)  # warm-up: module caches
    timed("validate_1", no_cache, env=one_process)
    timed("validate_n", no_cache)
    timed("validate_cold", validate, before=runner.clear_cache)
    timed("validate_warm", validate)
    city = paths[-1]
    original = city.read_bytes()
    edits = iter(range(1_000_000))
    try:
        timed(
            "validate_one",
            validate,
            before=lambda: city.write_bytes(original + f"# edit {next(edits)}\n".encode()),
        )
    finally:
        city.write_bytes(original)
    runner.run(validate)  # the cache as the files are
    # An edit of one city, the cache warm: each run moves the city's first output to the
    # other status (the file is put back as it was afterwards).
    record = runner.twincli(*base, "record", "output", city.stem, "learning-roadmap", "--status")
    statuses = itertools.cycle(("drafting", "not-started"))
    try:
        for _ in range(repeat):
            seconds, done = runner.run([*record, next(statuses)])
            result.times.setdefault("record", []).append(seconds)
            check("record", done, result)
    finally:
        city.write_bytes(original)
    runner.run(validate)
    measure_diff(root, repeat, runner, result)
    reports = {
        "status": ("status", "--format", "json"),
        "deadlines": ("deadlines",),
        "export": ("export", "json"),
    }
    for _ in range(repeat):  # in rounds, each with its own `validate` to subtract
        loading, done = runner.run(no_cache, one_process)
        check("validate_1", done, result)
        for key, command in reports.items():
            seconds, done = runner.run(runner.twincli("--no-cache", *base, *command), one_process)
            result.times.setdefault(key, []).append(seconds)
            result.added.setdefault(key, []).append(seconds - loading)
            check(key, done, result)
    # issue 16: history, monthly over the whole of the cohorts (a year and a half after the
    # generated day, when they have ended), in at most twice the time of `status` that day
    ended = runner.twincli("--no-cache", "--data", str(root), "--as-of", HISTORY_AS_OF)
    for _ in range(repeat):
        for key, name in (("history_status", "status"), ("history", "history")):
            seconds, done = runner.run([*ended, name, "--format", "json"], one_process)
            result.times.setdefault(key, []).append(seconds)
            check(key, done, result)
    if render:
        # Each run writes into a folder that never existed, and all are removed only once
        # every figure is measured: on a file system without a journal (ext4 as some VMs
        # set it up), files created just after thousands were deleted take many times longer
        # to create, which would be timed as twincli's.
        outs = iter(range(1_000_000))
        timed_render = runner.twincli(*base, "render", "--out")
        rendered = []
        for _ in range(repeat):
            out = runner.scratch / f"reports-{size}-{next(outs)}"
            seconds, done = runner.run([*timed_render, str(out)])
            result.times.setdefault("render", []).append(seconds)
            check("render", done, result)
            rendered.append(out)
        if not result.problems:  # the files render wrote, written again without twincli
            for _ in range(repeat):
                out = runner.scratch / f"reports-{size}-{next(outs)}"
                seconds = write_bare(rendered[0], out)
                result.times.setdefault("render_files", []).append(seconds)

    bare = [sys.executable, "-c", BARE_LOAD, *map(str, paths)]
    result.peaks["bare load"] = runner.peak(bare)
    result.peaks["validate, one process"] = runner.peak(no_cache, one_process)
    result.peaks["validate, every CPU"] = runner.peak(no_cache)
    runner.clear_cache()
    result.peaks["validate, cold (cache)"] = runner.peak(validate)
    result.peaks["validate, warm"] = runner.peak(validate)
    return result


def measure_diff(root: Path, repeat: int, runner: Runner, result: SizeResult) -> None:
    """`diff` of one changed city against `status`, both warm, in rounds: a copy of the
    programme committed to a new git repository, then one city's output moved on."""
    repo = runner.scratch / f"repository-{result.size}"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(root, repo / "programme")
    for step in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c",
                 "user.email=bench@example.org", "commit", "-qm", "base"]):  # fmt: skip
        subprocess.run(["git", "-C", str(repo), *step], check=True, capture_output=True)
    programme = repo / "programme"
    city = sorted((programme / "cities").glob("*.yaml"))[-1]
    text = city.read_text(encoding="utf-8")
    changed = text.replace("status: not-started", "status: drafting", 1)
    city.write_text(changed if changed != text else text + "# edited\n", encoding="utf-8")
    base = ["--data", str(programme), "--as-of", AS_OF.isoformat()]
    commands = {
        "status_warm": runner.twincli(*base, "status", "--format", "json"),
        "diff": runner.twincli(*base, "diff", "--format", "json"),
    }
    for command in commands.values():
        runner.run(command)  # warm-up: the cache
    for _ in range(repeat):
        for key, command in commands.items():
            seconds, done = runner.run(command)
            result.times.setdefault(key, []).append(seconds)
            check(key, done, result)
    shutil.rmtree(repo, ignore_errors=True)


def check(key: str, done: subprocess.CompletedProcess[bytes], result: SizeResult) -> None:
    """Note a command that failed, or a validate that found errors."""
    problem = None
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        problem = f"{key}: exit {done.returncode}: {lines[-1] if lines else ''}"
    elif key.startswith("validate"):
        try:
            errors = json.loads(done.stdout)["summary"]["errors"]
        except (ValueError, KeyError) as exc:
            problem = f"{key}: no JSON summary ({exc})"
        else:
            if errors:
                problem = f"{key}: {errors} errors"
    if problem and problem not in result.problems:
        result.problems.append(problem)


def write_bare(reports: Path, out: Path) -> float:
    """Seconds to write the Markdown files under `reports` again into `out` (a folder that
    never existed, as `render` into an empty --out), as bare Python writes files safely: each
    to a temporary file beside it, `os.sync()`, each renamed into place, `os.sync()`. What
    creating and flushing `render`'s files costs this file system, without twincli."""
    files = [(p.relative_to(reports), p.read_bytes()) for p in sorted(reports.rglob("*.md"))]
    started = time.perf_counter()
    staged = []
    for rel, data in files:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        with open(temporary, "wb") as stream:
            stream.write(data)
        staged.append((temporary, target))
    os.sync()
    for temporary, target in staged:
        os.replace(temporary, target)
    os.sync()
    return time.perf_counter() - started


# --- start-up -------------------------------------------------------------------------------


STARTUP = "twincli validate, no cities"


def measure_startup(repeat: int, runner: Runner) -> dict[str, float]:
    app = runner.scratch / "bare_typer_app.py"
    app.write_text(BARE_TYPER_APP, encoding="utf-8")
    # A programme of no cohort, pilot or city: what `validate` costs before any file of a
    # programme is read (the interpreter, Typer, the model, YAML), with the cache warm.
    empty = runner.scratch / "no-cities"
    empty.mkdir(exist_ok=True)
    shutil.copy(REPO_ROOT / "examples" / "programme" / "programme.yaml", empty)
    commands = {
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "twincli --version": runner.twincli("--version"),
        "bare Typer app --help": [sys.executable, str(app), "--help"],
        "twincli --help": runner.twincli("--help"),
        STARTUP: runner.twincli("--data", str(empty), "validate", "--format", "json"),
    }
    for command in commands.values():  # warm-up
        runner.run(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(max(repeat, 10)):  # interleaved, for fairness on a busy machine
        for name, command in commands.items():
            times[name].append(runner.run(command)[0])
    return {name: statistics.median(values) for name, values in times.items()}


# --- the report -----------------------------------------------------------------------------


def describe_machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = meminfo.read_text().split()[1]
        memory = f", {int(total) / 1024 / 1024:.0f} GiB of memory"
    libyaml = "yes" if getattr(yaml, "__with_libyaml__", False) else "no"
    try:
        version = subprocess.run(
            [sys.executable, "-m", "twincli", "--version"], capture_output=True, check=False
        ).stdout.decode()
    except OSError:
        version = "?"
    return [
        f"machine:   {platform.platform()}; {cpu}, {usable} CPUs{memory}",
        f"python:    {platform.python_implementation()} {platform.python_version()}",
        f"PyYAML:    {yaml.__version__}, libyaml: {libyaml}",
        f"twincli:   {version.strip() or '?'}",
    ]


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
    lines = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        for row in (headers, *rows)
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def verdict(value: float | None, limit: float | None) -> str:
    if value is None or limit is None:
        return ""
    return "met" if value <= limit else "not met"


def size_rows(result: SizeResult) -> list[list[str]]:
    floor = median(result.floor)
    assert floor
    rows = [["floor (compose with libyaml)", f"{floor:.3f}", "1.00x", "", ""]]
    for measure in MEASURES:
        seconds = median(result.times.get(measure.key, []))
        if seconds is None:
            continue
        shown = seconds
        if measure.key in ADDED:
            shown = median(result.added[measure.key]) or 0.0
        ratio = shown / floor
        limit = measure.targets.get(result.size)
        rows.append(
            [
                measure.label,
                f"{seconds:.3f}" + (f" ({shown:+.3f})" if shown != seconds else ""),
                f"{ratio:.2f}x",
                f"<= {limit}x floor" if limit is not None else "-",
                verdict(ratio, limit) if limit is not None else "",
            ]
        )
    for key, against, label, target in AGAINST:
        seconds = median(result.times.get(key, []))
        yardstick = median(result.times.get(against, []))
        if seconds is not None and yardstick:
            ratio = seconds / yardstick
            rows.append(
                [label, "", f"{ratio:.2f}x status", f"<= {target}x status", verdict(ratio, target)]
            )
    return rows


def memory_rows(result: SizeResult) -> list[list[str]]:
    bare = result.peaks.get("bare load")
    rows = []
    for name, peak in result.peaks.items():
        ratio = peak / bare if bare else None
        judged = name != "bare load" and result.size in MEMORY_TARGET_SIZES
        target = "<= 1.5x bare load" if judged else ""
        rows.append(
            [
                name,
                f"{peak / 2**20:.0f} MiB",
                f"{ratio:.2f}x" if ratio else "-",
                target,
                verdict(ratio, 1.5) if target else "",
            ]
        )
    return rows


def report(results: Sequence[SizeResult], startup: dict[str, float], repeat: int) -> list[str]:
    lines = [*describe_machine(), f"repeats:   {repeat} (medians)", ""]
    for result in results:
        lines.append(f"{result.size:,} cities ({result.files:,} files)")
        lines.append("")
        lines += table(("measure", "seconds", "ratio to floor", "target", ""), size_rows(result))
        lines.append("")
        lines += table(
            ("peak memory", "resident", "ratio to bare load", "target", ""), memory_rows(result)
        )
        for problem in result.problems:
            lines.append(f"problem: {problem}")
        lines.append("")
    typer_import = startup["python -c 'import typer'"]
    bare_help = startup["bare Typer app --help"]
    rows = [
        ["python -c 'import typer'", f"{typer_import:.3f}", "", "", ""],
        [
            "twincli --version",
            f"{startup['twincli --version']:.3f}",
            f"{startup['twincli --version'] / typer_import:.2f}x import typer",
            "<= 1.2x",
            verdict(startup["twincli --version"] / typer_import, 1.2),
        ],
        ["bare Typer app --help", f"{bare_help:.3f}", "", "", ""],
        [
            "twincli --help",
            f"{startup['twincli --help']:.3f}",
            f"{startup['twincli --help'] / bare_help:.2f}x bare app",
            "",
            "",
        ],
        [
            STARTUP,
            f"{startup[STARTUP]:.3f}",
            f"{startup[STARTUP] / typer_import:.2f}x import typer",
            "",
            "",
        ],
    ]
    lines += table(("start-up", "seconds", "ratio", "target", ""), rows)
    return lines


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 1000,10000, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive whole numbers")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES))
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measure (3)")
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 cities, 1 repetition")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument(
        "--render-up-to", type=int, default=1_000, help="render only up to this size (1000)"
    )
    args = parser.parse_args(argv)
    sizes, repeat = args.sizes, max(1, args.repeat)
    if args.quick:
        sizes, repeat = [s for s in sizes if s <= 1_000] or [100], 1
    results = []
    before = load_average()
    with tempfile.TemporaryDirectory(prefix="twincli-bench-") as scratch:
        runner = Runner(Path(scratch))
        for size in sizes:
            print(f"measuring {size:,} cities, {repeat} repetitions ...", file=sys.stderr)
            results.append(measure_size(size, args.seed, repeat, runner, size <= args.render_up_to))
        print("measuring start-up ...", file=sys.stderr)
        startup = measure_startup(repeat, runner)
    lines = report(results, startup, repeat)
    lines.insert(4, f"load:      {before} before, {load_average()} after (1, 5, 15 min)")
    print("\n".join(lines))
    return 1 if any(result.problems for result in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
