"""Reading many files in worker processes, one per CPU.

Parsing YAML holds the interpreter's lock, so threads would not help: files are shared out
among processes forked from this one (they start at once, with the code already loaded).
Each worker reads its files to `twincli.read.snapshot` lines, which it sends back; this process
decodes them, in order. The result is exactly what reading the files here would give (a test
checks it). `validate` shares out batches of cities the same way, whose workers send back only
what they found (`twincli.check.incremental`), and `render` its reports
(`render.Renderer.render`).

Used above `MIN_FILES` files to read, when there is more than one CPU and processes can be
forked (Linux and other POSIX systems but macOS, where forking is unsafe); `$TWINCLI_JOBS`
sets the most processes (1: read everything in this process). This process reads its share of
the files itself (one part in as many as there are processes), then decodes the others'.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

JOBS_ENV = "TWINCLI_JOBS"
MIN_FILES = 200
"""Fewer files than this are read in this process: starting workers would cost more."""
MAX_JOBS = 8
"""This process decodes what the others read: more than this many would wait for it."""
CHUNKS_PER_WORKER = 6
"""Work is handed out in this many pieces per worker, so that they finish together and this
process decodes the first pieces while the workers read the last."""

Item = TypeVar("Item")

_TASK: tuple[Callable[[Any], str], Sequence[Any], Sequence[range]] | None = None
"""What the forked workers find in their copy of this process's memory."""


def jobs(count: int, env: Mapping[str, str] | None = None) -> int:
    """How many processes read `count` files: 1 below MIN_FILES, on one CPU, where forking
    is unavailable or unsafe, or with $TWINCLI_JOBS=1; else the CPUs this process may use
    (at most $TWINCLI_JOBS, or MAX_JOBS)."""
    env = os.environ if env is None else env
    wanted = env.get(JOBS_ENV, "").strip()
    limit = int(wanted) if wanted.isdigit() and int(wanted) > 0 else None
    if count < MIN_FILES or limit == 1 or not _can_fork():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, limit or MAX_JOBS))


def _can_fork() -> bool:
    import multiprocessing

    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


def split_at(weights: Sequence[int], share: float) -> int:
    """How many of the first items make up `share` of the total weight."""
    bound, running = share * sum(weights), 0
    for index, weight in enumerate(weights):
        if running + weight / 2 > bound:
            return index
        running += weight
    return len(weights)


@contextmanager
def in_workers(
    work: Callable[[Item], str], items: Sequence[Item], workers: int, weights: Sequence[int]
) -> Iterator[Iterator[str]]:
    """`work(item)` for each item, in order, computed by `workers` forked processes (`weights`,
    the files' sizes, balance the pieces). The processes start at once; this process may do
    other work before it reads the results."""
    global _TASK
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    pieces = _split(weights, workers * CHUNKS_PER_WORKER)
    # Anything buffered would be written again by each worker as it exits.
    sys.stdout.flush()
    sys.stderr.flush()
    _TASK = (work, items, pieces)
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_worker_start)
    try:
        done = pool.map(_work, range(len(pieces)))
        yield (result for piece in done for result in piece)
    except BaseException:
        pool.shutdown(cancel_futures=True)  # what is not started yet is not needed
        raise
    finally:
        pool.shutdown()
        _TASK = None


def _worker_start() -> None:
    """A worker leaves Ctrl-C to this process, which stops the work (`in_workers`): a worker
    interrupted itself would print its own traceback, and could leave the queue it shares
    with this process locked, so that the command hangs."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(piece: int) -> list[str]:
    assert _TASK is not None
    work, items, pieces = _TASK
    return [work(items[i]) for i in pieces[piece]]


def _split(weights: Sequence[int], count: int) -> list[range]:
    """Consecutive ranges of about equal total weight, at most `count` of them."""
    total = sum(weights) or 1
    pieces = []
    start, running, bound = 0, 0, total / count
    for index, weight in enumerate(weights):
        running += weight
        if running >= bound and index + 1 < len(weights):
            pieces.append(range(start, index + 1))
            start = index + 1
            bound = total * (len(pieces) + 1) / count
    pieces.append(range(start, len(weights)))
    return [piece for piece in pieces if len(piece)]
