"""`make hostile`: each hostile template, under `render --check` in a process of its own, with
its peak memory and time.

A copy of the example programme (55 reports, rendered) gets one hostile template at a time
(`tests/hostile.py`: every way a template once took gigabytes, those that take seconds to
reach a bound, and two that go for the whole command: every document spinning, every document
just under the size limit), then `twincli render --check` runs on it with a time budget of
`--seconds` (`$TWINCLI_RENDER_SECONDS`). The table shows each run's exit code, peak memory
(the process's resident set, from `wait4`), time and first words of the error. It fails when
a run peaks over `--max-mb` (300 MB), takes longer than the budget plus what checking the
untouched example takes (start-up, loading, the reports read), ends other than expected, or
prints a traceback.

    .venv/bin/python -m benchmarks.hostile [--seconds 20] [--max-mb 300]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.hostile import REFUSED_BEFORE_THEY_RUN, SLOW_HOSTILE_TEMPLATES, every_document
from tests.hostile import STOPPED_BY_THE_MEMORY_CEILING as UNSEEN

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "programme"
AS_OF = "2025-06-30"

SPIN_SECONDS = 2
"""About how long each document spins in the case `every-document-spinning`: far under the
budget, 55 of them far over it."""
SPIN = "{% for i in range(SPIN) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
NEAR_THE_LIMIT = "{% set s = 'x' * 100000 %}{% for i in range(52) %}{{ s }}{% endfor %}"
"""5,200,000 characters: just under the 5 MiB a report may have."""


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str]
    """Templates to write, by path in the programme folder."""
    expected_exit: int
    expected_text: str


@dataclass(frozen=True)
class Run:
    case: Case
    exit: int
    peak_mb: float
    seconds: float
    stderr: str


def cases(spin: int) -> list[Case]:
    found = [Case("untouched example", {}, 0, "up to date")]
    for vectors in (REFUSED_BEFORE_THEY_RUN, UNSEEN, SLOW_HOSTILE_TEMPLATES):
        for name, (template, message) in vectors.items():
            path = "templates/learning-roadmap.md.j2"
            found.append(Case(name, {path: template + "\n"}, 2, message))
    spinning = every_document(SPIN.replace("SPIN", str(spin)))
    found.append(Case("every-document-spinning", spinning, 2, "took more than"))
    near = every_document(NEAR_THE_LIMIT)
    found.append(Case("every-document-near-the-limit", near, 2, "characters each on average"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="the render budget")
    parser.add_argument("--max-mb", type=float, default=300.0, help="the highest peak allowed")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args(argv)
    spin = int(SPIN_SECONDS * 20_000)  # about 20,000,000 empty turns a second
    chosen = [c for c in cases(spin) if not args.only or args.only in c.name]
    print(f"render --check on a copy of the example (55 reports), budget {args.seconds:g} s")
    print(f"{'case':32} {'exit':>4} {'peak MB':>8} {'seconds':>8}  error")
    failures = []
    allowance = 0.0
    with tempfile.TemporaryDirectory(prefix="twincli-hostile-") as folder:
        for case in chosen:
            result = measure(case, Path(folder), args.seconds)
            if case.name == "untouched example":
                allowance = result.seconds
            first = next((line for line in result.stderr.splitlines() if line.strip()), "")
            shown = first.split("not allowed in a template: ")[-1][:60]
            print(
                f"{case.name:32} {result.exit:>4} {result.peak_mb:>8.0f} "
                f"{result.seconds:>8.1f}  {shown}",
                flush=True,
            )
            problems = judge(result, args.max_mb, args.seconds + max(allowance, 1.0))
            failures += [f"{case.name}: {p}" for p in problems]
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


def measure(case: Case, folder: Path, seconds: float) -> Run:
    """`render --check` on a copy of the example with the case's templates: its exit code,
    peak resident memory (`wait4`: of the process and any worker it waited for) and time."""
    root = folder / case.name
    shutil.copytree(EXAMPLE, root)
    for rel, text in case.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    env = {**os.environ, "TWINCLI_RENDER_SECONDS": f"{seconds:g}"}
    command = [sys.executable, "-m", "twincli", "--as-of", AS_OF, "render", "--check"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        out.seek(0)
        text = err.read().decode("utf-8", "replace") + out.read().decode("utf-8", "replace")
    shutil.rmtree(root)
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024) / 1e6
    return Run(case, process.returncode, peak, elapsed, text)


def judge(result: Run, max_mb: float, max_seconds: float) -> list[str]:
    problems = []
    if result.peak_mb > max_mb:
        problems.append(f"peaked at {result.peak_mb:.0f} MB, over {max_mb:g} MB")
    if result.seconds > max_seconds:
        problems.append(f"took {result.seconds:.1f} s, over {max_seconds:.1f} s")
    if result.exit != result.case.expected_exit:
        problems.append(f"exit {result.exit}, not {result.case.expected_exit}")
    if result.case.expected_text not in result.stderr:
        problems.append(f"no {result.case.expected_text!r} in: {result.stderr[:300]}")
    if "Traceback" in result.stderr:
        problems.append("a traceback")
    return problems


if __name__ == "__main__":
    sys.exit(main())
