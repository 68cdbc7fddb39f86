"""The environment every test runs in, whatever the machine's: what twincli, rich, Typer and
Click read from it is set here, the same for every test, so that no test depends on the
terminal it was started from, on CI, or on the user's cache.

`tests/conftest.py` applies it once for the whole run (an autouse fixture of the session, so
that it holds for the fixtures a module shares too), and gives each test a cache folder of its
own; a test that needs another value sets it on top with `monkeypatch.setenv`, or passes `env=`
to the runner.
"""

from __future__ import annotations

import os

import pytest

SET = {
    # rich lays out at $COLUMNS x $LINES; unset, it asks the terminal the tests run in.
    "COLUMNS": "80",
    "LINES": "25",
}

CLEARED_PREFIXES = (
    "TWINCLI_",  # twincli's own settings: the folder, the cache, workers, the YAML parser, limits
    "GITHUB_",  # `validate --format auto` and the job summary follow GitHub Actions' variables
    "TYPER_",  # Typer's help and traceback styles
    "_TYPER_",
    "JUPYTER_",  # rich's size in a notebook
)

CLEARED = (
    # Colour, and whether the output is a terminal: rich, Typer and Click read these.
    "NO_COLOR",
    "FORCE_COLOR",
    "PY_COLORS",
    "TERM",  # "dumb" turns colour off, "xterm-256color" gives 256 colours
    "COLORTERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERMINAL_WIDTH",
    "UNICODE_VERSION",  # rich's cell widths
    "PYTHONIOENCODING",  # what a `python -m twincli` subprocess writes in
)


def clean_environment(monkeypatch: pytest.MonkeyPatch, cache_folder: str) -> None:
    """Give the test the environment above, with `$XDG_CACHE_HOME` at `cache_folder` (the
    cache is on, as for users, but never the user's)."""
    for name in list(os.environ):
        if name in CLEARED or name.startswith(CLEARED_PREFIXES):
            monkeypatch.delenv(name)
    for name, value in SET.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XDG_CACHE_HOME", cache_folder)
