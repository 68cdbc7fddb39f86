"""Running `twincli` in a test: in the test's own process through Click's runner (`invoke`,
`run`), or as a real process (`twincli_process`) for what only a process shows (exit codes
seen by a shell, a terminal, a pipe)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from typer.testing import CliRunner, Result

from tests.support.folders import AS_OF
from twincli.cli import app


def invoke(
    *args: str, env: Mapping[str, str | None] | None = None, stdin: str | None = None
) -> Result:
    """`twincli ARGS...`, with `env` on top of the test's environment and `stdin` as input.
    The command must end by itself: an exception other than its exit is a bug, and fails the
    test whatever it checks."""
    result = CliRunner().invoke(app, list(args), env=env, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def run(
    root: Path | None,
    *args: str,
    as_of: str = AS_OF,
    env: Mapping[str, str | None] | None = None,
    stdin: str | None = None,
) -> Result:
    """`twincli [--data ROOT] --as-of AS_OF ARGS...` (no `--data` when `root` is None)."""
    data = ["--data", str(root)] if root is not None else []
    return invoke(*data, "--as-of", as_of, *args, env=env, stdin=stdin)


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a `python -m twincli` process: the test's, with `extra` on top."""
    return {**os.environ, **extra}


def twincli_process(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m twincli ARGS...` in `cwd`, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "twincli", *args],
        cwd=cwd,
        env=dict(env) if env is not None else process_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
