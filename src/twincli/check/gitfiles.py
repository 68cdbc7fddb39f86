"""Which files of the programme folder changed since a git revision (`validate --changed-since`).

"Changed since REF" means what a pull request would show against REF: every file that differs
between the merge base of REF and HEAD and the working tree (committed, staged or not), plus
untracked files that are not ignored. Deleted files are left out: there is nothing to report
on. Paths come back relative to the programme folder, which may be anywhere in the repository.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from twincli.errors import UsageError

FETCH_HINT = (
    "a branch of a remote must be fetched first: git fetch origin main; "
    "in GitHub Actions, actions/checkout with fetch-depth: 0"
)


def changed_files(root: Path, ref: str) -> list[str]:
    """Files under `root` changed since `ref`, relative to `root`, sorted. Raises UsageError
    when `root` is not in a git work tree or `ref` is not a revision there."""
    if not ref or ref.startswith("-"):
        raise UsageError(f"--changed-since {ref!r}: not a git revision")
    inside = run_git(root, "rev-parse", "--is-inside-work-tree")
    if inside.stdout.strip() != "true":
        problem = inside.stderr.strip().splitlines()[:1]
        if not problem or "not a git repository" in problem[0]:
            raise UsageError(f"--changed-since needs a git repository, and {root} is not in one")
        raise UsageError(f"--changed-since: git says: {problem[0]}")
    if run_git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise UsageError(f"--changed-since {ref}: unknown git revision ({FETCH_HINT})")
    base = run_git(root, "merge-base", ref, "HEAD")
    if base.returncode != 0:
        raise UsageError(f"--changed-since {ref}: no common ancestor with HEAD ({FETCH_HINT})")
    since = base.stdout.strip()
    diff = run_git(
        root, "diff", "--name-only", "--relative", "--diff-filter=d", "-z", since, "--", "."
    )
    untracked = run_git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    for done in (diff, untracked):
        if done.returncode != 0:
            raise UsageError(f"git failed: {done.stderr.strip() or done.returncode}")
    return sorted({name for done in (diff, untracked) for name in done.stdout.split("\0") if name})


def run_git(
    root: Path, *args: str, who: str = "--changed-since"
) -> subprocess.CompletedProcess[str]:
    """`git -C ROOT ARGS...`, its output as text; UsageError when git is not installed
    (`who` needs it)."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError:
        raise UsageError(f"{who} needs git, which is not installed") from None
