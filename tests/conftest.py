"""pytest's settings for every test: the Hypothesis profile, the environment each test runs in,
and the fixtures several files use. What tests import lives in `tests/support/`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.support.environment import clean_environment
from tests.support.folders import EXAMPLE

# `make test` is deterministic: every property test draws the same examples on every run, so
# CI never fails at random (a failure found once is kept as an explicit `@example`). Open-ended
# exploration is `make fuzz`, which loads the "explore" profile (HYPOTHESIS_PROFILE=explore).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", max_examples=2_000, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def _same_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test, and every fixture a module shares, runs in the same environment, whatever
    the machine's or CI's (`tests/support/environment.py`)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        clean_environment(monkeypatch, str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(autouse=True)
def _private_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Each test has a cache folder of its own, `$XDG_CACHE_HOME`: the cache is on, as for
    users, but never the user's nor another test's."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example programme."""
    target = tmp_path / "programme"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def repo(example_copy: Path) -> Path:
    """A copy of the example programme in a git repository of its own, all committed."""
    from tests.support.editing import git_repository

    return git_repository(example_copy)
