"""What the editing tests compare: a city file written the way people write them, and the
lines an edit removed and added."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

from tests.support.folders import AS_OF

HAND_WRITTEN_CITY = """\
# A city file written the way people write them: comments, blank lines,
# flow and block styles, quoted strings.
name: "Soria"                   # quoted on purpose
country: 'ES'
cohort: cohort-2
pilot: urbanew

contacts:
  - {name: "Ana Pérez", role: lead}   # the lead

attended:                       # a block list
  - kick-off    # first

visits:

  - direction: to-partner       # the first trip
    city: "Vitoria-Gasteiz"
    start: 2024-10-20
    status: done

  - {direction: from-partner, city: Valladolid, start: 2024-11-20, status: done}   # hosted

outputs:
  learning-roadmap: {status: drafting}     # flow
  action-plan:
    status: "submitted"         # quoted, with an aligned comment
    submitted: 2025-01-10
    # a comment inside the entry
    content:
      actions:
        - title: |
            A literal block
            of two lines
"""


def line_diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added, as a line diff shows them."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines())
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += before.splitlines()[i1:i2]
            added += after.splitlines()[j1:j2]
    return removed, added


def git_repository(root: Path) -> Path:
    """`root` made a git repository with everything in it committed: `git_diff` then shows
    what a command changed."""
    _git(root, "init", "-q")
    commit_all(root)
    return root


def commit_all(root: Path) -> None:
    """Commit everything, so that the next `git_diff` shows only what follows."""
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--allow-empty", "-m", "step")


def git_diff(root: Path) -> list[str]:
    """`git diff -U0` of the work tree: the changed files' names and each hunk's lines."""
    _git(root, "add", "--intent-to-add", ".")  # new files show in the diff too
    out = _git(root, "diff", "-U0", "--no-color", "--no-prefix")
    return [
        line for line in out.splitlines() if not line.startswith(("diff --git", "index ", "--- "))
    ]


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def changed_by(root: Path, *args: str, as_of: str = AS_OF) -> list[str]:
    """`twincli ARGS` (it must succeed) and the `git diff` of what it changed; then the
    change is committed, and the folder must validate without errors."""
    from tests.support.cli import run

    result = run(root, *args, as_of=as_of)
    assert result.exit_code == 0, result.output
    diff = git_diff(root)
    commit_all(root)
    checked = run(root, "validate", as_of=as_of)
    assert checked.exit_code == 0, checked.stdout
    return diff
