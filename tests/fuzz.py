"""`make fuzz`: the reader and the loader under hypothesis, for a bounded time.

    FUZZ_SECONDS=120 make fuzz            # or: python -m tests.fuzz [reader|loader ...]

Inputs are the example programme's files, mutated as people and tools break files: bytes
flipped or replaced by YAML's indicators, fragments of YAML syntax inserted, lines deleted,
repeated, swapped, re-indented, spliced in from another file, or the file cut short. Each
target runs for its share of FUZZ_SECONDS and checks, for every input:

- `reader`: `read_yaml` returns (never raises) within HANG_SECONDS, and gives the same tree
  and the same diagnostics with libyaml and with PyYAML's pure-Python parser;
- `loader`: the example programme with that file replaced loads, is checked by every rule, and
  yields progress figures as of its snapshot day (what `validate`, `status`, `deadlines` and
  `show` do, with data in any state), without raising, within HANG_SECONDS.

A failure is shrunk by hypothesis to a small input, saved under `.fuzz/` and printed; the run
then exits 1. Every failure found becomes a regression test (FUZZ_FINDINGS in
tests/test_parsers.py).
Not part of `make test`: it runs for minutes.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, SequenceNode

from tests.support.folders import EXAMPLE, REPO
from twincli.check import rules
from twincli.progress.standing import programme_progress
from twincli.read import reader
from twincli.read.loader import load_programme
from twincli.read.reader import PURE_ENV, read_yaml

AS_OF = date(2025, 6, 30)
HANG_SECONDS = 5.0
"""An input that takes longer than this counts as a hang (the largest example file takes 5 ms)."""
FINDINGS = REPO / ".fuzz"
SEEDS = {
    path.relative_to(EXAMPLE).as_posix(): path.read_bytes()
    for path in sorted(EXAMPLE.rglob("*.yaml"))
    if "reports" not in path.parts
}
TOKENS = [
    b"[", b"]", b"{", b"}", b": ", b":", b", ", b"- ", b"-", b"? ", b"?", b"&a ", b"*a", b"&b ",
    b"*b", b"!", b"!!str ", b"!<x> ", b"|", b"|-\n", b">", b"'", b'"', b"# ", b"#", b"\t",
    b"\n", b"\r\n", b"\r", b"  ", b"    ", b"---\n", b"...\n", b"%YAML 1.1\n", b"%TAG ! x\n",
    b"<<: ", b"~", b"\\", b"\\x1b", b"\\u202e", b"@", b"`", b"%", b"\xef\xbb\xbf", b"\xc2\x85",
    b"\xe2\x80\xa8", b"\x00", b"\x1b[2J", b"\xff", b"\xc3", "é".encode(), "ş".encode(),
    b"null", b"yes", b"NO", b"0x10", b"2024-02-30", b"9999-12-31", b"-1", b"1e400", b"..",
    b"../", b"kick-off", b"approved", b"status: ", b"start: ", b"content:\n  ",
]  # fmt: skip


class Hang(Exception):
    """An input took longer than HANG_SECONDS."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed file and its bytes after one to six mutations."""
    path = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[path])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "swap", "indent",
                                   "splice", "cut"]))  # fmt: skip
        lines = data.split(b"\n")
        if op == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255) | st.sampled_from(list(b"[]{}:,-?&*!|>'\"#\t ")))
        elif op == "insert":
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op in ("delete", "repeat", "indent") and lines:
            at = draw(st.integers(0, len(lines) - 1))
            if op == "delete":
                del lines[at]
            elif op == "repeat":
                lines.insert(at, lines[at])
            else:
                shift = draw(st.integers(-4, 4))
                lines[at] = b" " * shift + lines[at] if shift > 0 else lines[at][-shift:]
            data = bytearray(b"\n".join(lines))
        elif op == "swap" and len(lines) > 1:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        elif op == "splice":
            other = SEEDS[draw(st.sampled_from(sorted(SEEDS)))].split(b"\n")
            start = draw(st.integers(0, len(other) - 1))
            chunk = other[start : start + draw(st.integers(1, 8))]
            at = draw(st.integers(0, len(lines)))
            lines[at:at] = chunk
            data = bytearray(b"\n".join(lines))
        elif op == "cut":
            del data[draw(st.integers(0, len(data))) :]
    return path, bytes(data)


def shape(node: Node | None) -> object:
    """A tree as comparable values: kind, tag, value, style, where it starts (index, line,
    column) and ends (index). libyaml places the end of a block collection that ends the file
    without a line break on a line of its own: nothing reads that line, and the index agrees."""
    if node is None:
        return None
    start = node.start_mark
    marks = (start.index, start.line, start.column, node.end_mark.index)
    if isinstance(node, MappingNode):
        return ("map", node.tag, marks, [(shape(k), shape(v)) for k, v in node.value])
    if isinstance(node, SequenceNode):
        return ("seq", node.tag, marks, [shape(child) for child in node.value])
    return ("str", node.tag, marks, node.value, node.style or "")


def check_reader(path: str, data: bytes) -> None:
    answers = []
    for pure in ("0", "1") if reader.LIBYAML else ("1",):
        os.environ[PURE_ENV] = pure
        with time_limit(HANG_SECONDS):
            node, found = read_yaml(path, data)
        if "*" in data.decode("utf-8", "replace"):
            answers.append((None, found))  # aliases: shared nodes, compared by diagnostics
        else:
            answers.append((shape(node), found))
    os.environ.pop(PURE_ENV, None)
    assert all(answer == answers[0] for answer in answers), answers


def check_loader(path: str, data: bytes) -> None:
    with time_limit(HANG_SECONDS):
        loaded = load_programme(EXAMPLE, {path: data}, cache=False)
        rules.check(loaded.programme, AS_OF, loaded.programme_ok)
        programme_progress(loaded.programme, AS_OF)


TARGETS: dict[str, Callable[[str, bytes], None]] = {
    "reader": check_reader,
    "loader": check_loader,
}


def minimise(target: Callable[[str, bytes], None], path: str, data: bytes) -> bytes:
    """A smaller input that still fails the same way: lines, then bytes, left out while the
    failure stays (hypothesis shrinks the mutations, not the seed file they start from)."""

    def fails(candidate: bytes) -> bool:
        try:
            target(path, candidate)
        except Exception as exc:
            return type(exc) is kind
        return False

    try:
        target(path, data)
        return data
    except Exception as exc:
        kind = type(exc)
    for unit in (b"\n", None):
        parts = data.split(b"\n") if unit else [bytes([b]) for b in data]
        joiner = b"\n" if unit else b""
        chunk = max(1, len(parts) // 2)
        while chunk >= 1:
            i = 0
            while i < len(parts):
                candidate = parts[:i] + parts[i + chunk :]
                if candidate and fails(joiner.join(candidate)):
                    parts = candidate
                else:
                    i += chunk
            chunk //= 2
        data = joiner.join(parts)
    return data


def fuzz(name: str, seconds: float) -> tuple[int, BaseException | None, tuple[str, bytes] | None]:
    """Run one target for `seconds`: (inputs tried, the failure, the shrunk input)."""
    target = TARGETS[name]
    tried = 0
    last: list[tuple[str, bytes]] = []

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(mutated())
    def run(case: tuple[str, bytes]) -> None:
        nonlocal tried
        tried += 1
        last[:] = [case]
        target(*case)

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            run()
        except Exception as exc:  # shrunk already: the last input run is the minimal one
            return tried, exc, last[0] if last else None
    return tried, None, None


def main(argv: list[str]) -> int:
    names = argv or list(TARGETS)
    total = float(os.environ.get("FUZZ_SECONDS", "120"))
    failed = False
    for name in names:
        seconds = total / len(names)
        started = time.monotonic()
        tried, error, case = fuzz(name, seconds)
        took = time.monotonic() - started
        print(
            f"fuzz {name}: {tried:,} inputs in {took:.0f} s from {len(SEEDS)} seed files: ", end=""
        )
        if error is None:
            print("no failure")
            continue
        failed = True
        print(f"FAILED: {type(error).__name__}: {str(error)[:300]}")
        if case is not None:
            small = minimise(TARGETS[name], *case)
            FINDINGS.mkdir(exist_ok=True)
            saved = FINDINGS / f"{name}-{int(time.time())}.yaml"
            saved.write_bytes(small)
            print(f"  input (as {case[0]}), minimised, saved to {saved}:\n  {small!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
