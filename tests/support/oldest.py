"""The oldest dependency versions that pyproject.toml allows, as a pip constraints file.

`make test-oldest` installs twincli with each runtime dependency pinned to its floor (the
version after `>=`), so that the floors are tested as the newest versions are by `make test`:

    python -m tests.support.oldest > constraints.txt

Only the runtime dependencies are pinned; the development tools and the packages the
dependencies themselves need come in their newest allowed versions, as a user would get them.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# `name>=floor`, with more specifiers (`,<bound`) after it: the forms pyproject.toml uses.
REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<specifiers>[^;]*)$")
FLOOR = re.compile(r">=\s*(?P<version>[^,\s]+)")
BOUND = re.compile(r"<\s*(?P<version>[^,=\s]+)")


def runtime_requirements(pyproject: Path = PYPROJECT) -> list[str]:
    """The runtime dependencies, as pyproject.toml writes them."""
    with pyproject.open("rb") as file:
        return list(tomllib.load(file)["project"]["dependencies"])


def floor_and_bound(requirement: str) -> tuple[str, str, str]:
    """(name, floor, upper bound) of `name>=floor,<bound`; ValueError when one is missing."""
    match = REQUIREMENT.match(requirement)
    floor = FLOOR.search(match["specifiers"]) if match else None
    bound = BOUND.search(match["specifiers"]) if match else None
    if match is None or floor is None or bound is None:
        raise ValueError(f"{requirement!r}: expected 'name>=floor,<bound'")
    return match["name"], floor["version"], bound["version"]


def constraints(pyproject: Path = PYPROJECT) -> str:
    """A constraints file that pins every runtime dependency to its floor."""
    pins = []
    for requirement in runtime_requirements(pyproject):
        name, floor, _ = floor_and_bound(requirement)
        pins.append(f"{name}=={floor}\n")
    return "".join(pins)


if __name__ == "__main__":
    sys.stdout.write(constraints())
