"""Benchmark ``twincli validate`` against the floor: composing the same YAML files with libyaml.

For each size (number of Twin Cities) a programme is generated with ``generate.py`` (cached under
``benchmarks/.data/``, or in a temporary folder with ``--no-cache``), then three things are timed,
each ``--repeat`` times, and their medians compared:

- the floor: ``yaml.compose(f.read(), Loader=yaml.CSafeLoader)`` over every ``.yaml`` file of
  the programme, with the garbage collector off during the loop. No loader that builds node
  trees with line numbers from the same bytes can be much faster than this;
- ``python -m twincli --data ROOT --as-of 2025-06-30 validate --format json``, end to end, in a
  subprocess (its exit code must be 0 and its summary must report 0 errors);
- ``python -m twincli --version``: the start-up cost, so the table can show validate net of it.

The target is validate within 1.5x the floor. Figures are printed; nothing is asserted on time.

    python benchmarks/validate.py                        # sizes 1000 and 10000, 3 repetitions
    python benchmarks/validate.py --sizes 1000 --repeat 1
    python benchmarks/validate.py --no-cache             # generate into a temporary folder

Run it with the interpreter twincli is installed in (``make bench`` uses ``.venv``). When
``python -m twincli`` does not run, the floor is still measured and a note says why.
"""

from __future__ import annotations

import argparse
import gc
import importlib
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

# generate.py sits beside this file; run as a script, its folder is on sys.path already.
sys.path.append(str(Path(__file__).resolve().parent))
from generate import AS_OF, GENERATOR_VERSION, generate_programme

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".data"  # git-ignored
TARGET_RATIO = 1.5
KIND_FOLDERS = ("cohorts", "pilots", "cities")
SHOWN_DIAGNOSTICS = 10


@dataclass
class Twincli:
    """How to run ``python -m twincli``: the environment that worked and what it printed."""

    env: dict[str, str]
    version: str


@dataclass
class SizeResult:
    """The measurements for one programme size; times are in seconds."""

    size: int
    files: int
    floor: list[float] = field(default_factory=list)
    validate: list[float] = field(default_factory=list)
    errors: int | None = None
    warnings: int | None = None
    reported_files: int | None = None
    failure: str | None = None  # why a validate run did not come out clean
    diagnostics_shown: bool = False


def yaml_files(root: Path) -> list[Path]:
    """Every ``.yaml`` file twincli reads: programme.yaml and the kind folders, sorted."""
    files = [root / "programme.yaml"]
    for kind in KIND_FOLDERS:
        files += sorted((root / kind).glob("*.yaml"))
    return files


def prepare_programme(size: int, seed: int, scratch: Path | None) -> Path:
    """A generated programme with ``size`` cities: cached, or written under ``scratch``."""
    name = f"cities-{size}-seed-{seed}-v{GENERATOR_VERSION}"
    if scratch is not None:
        root = scratch / name
        generate_programme(root, size, seed)
        return root
    root = CACHE_DIR / name
    complete = CACHE_DIR / f"{name}.complete"  # outside the programme, so twincli never sees it
    if not complete.exists():
        if root.exists():  # left over from an interrupted run
            shutil.rmtree(root)
        print(f"generating {size} cities into {root} ...", file=sys.stderr)
        generate_programme(root, size, seed)
        complete.touch()
    return root


def compose_floor(paths: Sequence[Path], loader: type[Any]) -> float:
    """Seconds to read and compose every file, with the garbage collector off during the loop."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        for path in paths:
            with open(path, encoding="utf-8") as stream:
                yaml.compose(stream.read(), Loader=loader)
        return time.perf_counter() - started
    finally:
        if gc_was_enabled:
            gc.enable()


def timed_run(
    command: Sequence[str], env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, env=env, cwd=REPO_ROOT, check=False)
    return time.perf_counter() - started, completed


def twincli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "twincli", *args]


def find_twincli() -> tuple[Twincli | None, str]:
    """Run ``python -m twincli --version`` as installed, else with src/ on the path.

    Returns the way that worked, or None and the reason it did not run.
    """
    environments = [dict(os.environ)]
    src = REPO_ROOT / "src"
    if (src / "twincli").is_dir():
        with_src = dict(os.environ)
        with_src["PYTHONPATH"] = os.pathsep.join(
            part for part in (str(src), os.environ.get("PYTHONPATH", "")) if part
        )
        environments.append(with_src)
    reason = "not run"
    for env in environments:
        _, completed = timed_run(twincli_command("--version"), env)
        if completed.returncode == 0:
            return Twincli(env, completed.stdout.decode(errors="replace").strip()), ""
        lines = completed.stderr.decode(errors="replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit code {completed.returncode}"
    return None, reason


def check_validate_output(
    completed: subprocess.CompletedProcess[bytes], result: SizeResult
) -> None:
    """Record the summary of one validate run; say once, on stderr, what was not clean."""
    stdout = completed.stdout.decode(errors="replace")
    try:
        report: dict[str, Any] = json.loads(stdout)
        summary = report["summary"]
        result.errors = int(summary["errors"])
        result.warnings = int(summary["warnings"])
        result.reported_files = int(summary["files"])
        diagnostics: list[dict[str, Any]] = list(report.get("diagnostics", []))
    except (ValueError, KeyError, TypeError) as error:
        if result.failure is None:
            result.failure = f"exit code {completed.returncode}, no JSON summary ({error})"
            stderr = completed.stderr.decode(errors="replace").strip()
            print(f"  twincli stdout: {stdout[:500]!r}", file=sys.stderr)
            print(f"  twincli stderr: {stderr[-2000:]}", file=sys.stderr)
        return
    if result.failure is None and (completed.returncode != 0 or result.errors):
        result.failure = f"exit code {completed.returncode}, {result.errors} errors"
    if diagnostics and not result.diagnostics_shown:
        result.diagnostics_shown = True
        print(
            f"  {result.size} cities: {result.errors} errors, {result.warnings} warnings; "
            f"the first {min(len(diagnostics), SHOWN_DIAGNOSTICS)}:",
            file=sys.stderr,
        )
        for item in diagnostics[:SHOWN_DIAGNOSTICS]:
            print(
                f"    {item.get('file')}:{item.get('line')}:{item.get('column')}: "
                f"{item.get('severity')} {item.get('code')} {item.get('message')}",
                file=sys.stderr,
            )


def measure_size(
    size: int, seed: int, repeat: int, scratch: Path | None, twincli: Twincli | None
) -> SizeResult:
    root = prepare_programme(size, seed, scratch)
    paths = yaml_files(root)
    result = SizeResult(size, len(paths))
    loader = floor_loader()
    compose_floor(paths, loader)  # warm-up: file cache, imports
    for _ in range(repeat):
        result.floor.append(compose_floor(paths, loader))
    if twincli is not None:
        command = twincli_command(
            "--data", str(root), "--as-of", AS_OF.isoformat(), "validate", "--format", "json"
        )
        for _ in range(repeat):
            seconds, completed = timed_run(command, twincli.env)
            result.validate.append(seconds)
            check_validate_output(completed, result)
    return result


def measure_startup(repeat: int, twincli: Twincli) -> list[float]:
    return [timed_run(twincli_command("--version"), twincli.env)[0] for _ in range(repeat)]


def floor_loader() -> type[Any]:
    loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def libyaml_description() -> str:
    if not getattr(yaml, "__with_libyaml__", False) or not hasattr(yaml, "CSafeLoader"):
        return "no (pure-Python SafeLoader: the floor is much slower than with libyaml)"
    try:
        version = str(importlib.import_module("yaml._yaml").get_version_string())
    except (ImportError, AttributeError):
        version = "unknown version"
    return f"yes (libyaml {version}, CSafeLoader)"


def cpu_description() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def describe_machine(twincli: Twincli | None) -> list[str]:
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return [
        f"platform:  {platform.platform()} ({platform.machine()})",
        f"cpu:       {cpu_description()}, {os.cpu_count()} logical CPUs",
        f"python:    {python} ({sys.executable})",
        f"PyYAML:    {yaml.__version__}, libyaml: {libyaml_description()}",
        f"twincli:   {twincli.version if twincli else 'not available'}",
        f"as-of:     {AS_OF.isoformat()}",
    ]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}x"


def format_table(results: Sequence[SizeResult], startup: float | None) -> list[str]:
    headers = (
        "cities",
        "files",
        "floor (s)",
        "validate (s)",
        "net of start-up (s)",
        "validate/floor",
        "net/floor",
        "target",
        "validate result",
    )
    rows: list[tuple[str, ...]] = []
    for result in results:
        floor = median(result.floor)
        validate = median(result.validate)
        net = None if validate is None or startup is None else validate - startup
        if not result.validate:
            outcome = "not run"
        elif result.failure:
            outcome = f"FAILED: {result.failure}"
        else:
            outcome = f"clean, {result.warnings} warnings"
            if result.reported_files not in (None, result.files):
                outcome += f" ({result.reported_files} files read)"
        rows.append(
            (
                f"{result.size:,}",
                f"{result.files:,}",
                seconds(floor),
                seconds(validate),
                seconds(net),
                ratio(validate, floor),
                ratio(net, floor),
                f"{TARGET_RATIO}x",
                outcome,
            )
        )
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == len(row) - 1 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in (headers, *rows)
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 1000,10000, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `twincli validate` against composing the same YAML with libyaml."
    )
    parser.add_argument(
        "--sizes", type=parse_sizes, default=[1000, 10000], help="cities per programme (1000,10000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measure (3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="generate into a temporary folder instead of benchmarks/.data/",
    )
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    twincli, reason = find_twincli()
    if twincli is None:
        print(
            f"note: `{sys.executable} -m twincli` does not run ({reason}); "
            "measuring the floor only. Install the package (make bench uses .venv) to time it.",
            file=sys.stderr,
        )

    results: list[SizeResult] = []
    with tempfile.TemporaryDirectory(prefix="twincli-bench-") as temporary:
        scratch = Path(temporary) if args.no_cache else None
        for size in args.sizes:
            print(f"measuring {size:,} cities, {repeat} repetitions ...", file=sys.stderr)
            results.append(measure_size(size, args.seed, repeat, scratch, twincli))

    startup = median(measure_startup(repeat, twincli)) if twincli else None

    print("\n".join(describe_machine(twincli)))
    print(f"repeats:   {repeat} (medians shown)")
    if startup is not None:
        print(f"start-up:  {startup:.3f} s (`python -m twincli --version`)")
    print()
    print("\n".join(format_table(results, startup)))
    if twincli is None:
        print(f"\nnote: twincli was not measured: {reason}")
    return 1 if any(result.failure for result in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
