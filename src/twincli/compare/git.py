"""What `twincli diff` asks of git: which revision to compare, what a revision holds under the
programme folder, which files differ from the working tree, and the bytes of a file as a
revision has it. Nothing is checked out: trees and blobs are read from git's objects
(`git ls-tree`, `git cat-file --batch`).

Every path here is relative to the programme folder, which may be anywhere in the
repository. What stops a comparison (no git, no repository, a revision that does not exist)
raises `UsageError` (exit 2).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from twincli.check.gitfiles import FETCH_HINT, run_git
from twincli.errors import UsageError

LINK_MODE = "120000"
"""The mode of a symbolic link in a git tree (its blob is the link's target)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A file of a revision's tree: its mode and the id of its blob."""

    mode: str
    blob: str


@dataclass(frozen=True, slots=True)
class Revision:
    """A commit to compare: the name it was asked by, and its id."""

    name: str
    commit: str

    @property
    def short(self) -> str:
        return self.commit[:10]


def check_repository(root: Path) -> None:
    """Raise UsageError unless `root` is inside a git work tree."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return
    problem = inside.stderr.strip().splitlines()[:1]
    if not problem or "not a git repository" in problem[0]:
        raise UsageError(f"diff needs a git repository, and {root} is not in one")
    raise UsageError(f"diff: git says: {problem[0]}")


def revision(root: Path, ref: str) -> Revision:
    """The commit `ref` names. Raises UsageError when it names none."""
    if not ref or ref.startswith("-"):
        raise UsageError(f"{ref!r}: not a git revision")
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode != 0 and ref == "HEAD":
        raise UsageError("the repository has no commit yet: there is nothing to compare with")
    if found.returncode != 0:
        raise UsageError(f"{ref}: unknown git revision ({FETCH_HINT})")
    return Revision(ref, found.stdout.strip())


def default_base(root: Path, head: Revision | None) -> Revision:
    """What a change is compared against when no BASE is given: where the branch left its
    upstream (`git merge-base @{upstream} HEAD`), else HEAD."""
    upstream = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    if upstream.returncode == 0 and upstream.stdout.strip():
        return merge_base(root, revision(root, upstream.stdout.strip()), head)
    return revision(root, "HEAD")


def merge_base(root: Path, base: Revision, head: Revision | None) -> Revision:
    """Where `base` and `head` (None: HEAD) last met, as a pull request is compared. Raises
    UsageError when they never did."""
    other = head.commit if head is not None else "HEAD"
    found = _git(root, "merge-base", base.commit, other)
    if found.returncode != 0:
        raise UsageError(f"{base.name}: no common ancestor with {other} ({FETCH_HINT})")
    return Revision(base.name, found.stdout.strip())


def tree(root: Path, commit: str) -> dict[str, Entry]:
    """The files under the programme folder at `commit`, by their path in the folder (links
    too; not the commits of submodules)."""
    listed = _checked(root, "ls-tree", "-r", "-z", commit, "--", ".")
    files = {}
    for line in listed.split("\0"):
        if not line:
            continue
        meta, _, path = line.partition("\t")
        mode, kind, blob = meta.split(" ")
        if kind == "blob":
            files[path] = Entry(mode, blob)
    return files


def differing(root: Path, commit: str) -> set[str]:
    """The tracked files under the folder whose contents in the working tree differ from
    `commit`'s (added, changed or deleted on either side). Untracked files are not among
    them: they are in no commit's tree."""
    listed = _checked(root, "diff", "--no-renames", "--name-only", "--relative", "-z", commit)
    return {path for path in listed.split("\0") if path}


def blobs(root: Path, ids: Iterable[str]) -> dict[str, bytes]:
    """The contents of the blobs `ids`, read at once (`git cat-file --batch`)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch"],
            input="".join(f"{blob}\n" for blob in wanted).encode("ascii"),
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("diff needs git, which is not installed") from None
    if done.returncode != 0:
        raise UsageError(f"git failed: {done.stderr.decode(errors='replace').strip()}")
    out = done.stdout
    found: dict[str, bytes] = {}
    at = 0
    for blob in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].decode("ascii").split(" ")
        if len(header) != 3:  # "<id> missing": the object is not in this repository
            raise UsageError(f"git has no object {blob}")
        size = int(header[2])
        found[blob] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return found


def _checked(root: Path, *args: str) -> str:
    done = _git(root, *args)
    if done.returncode != 0:
        raise UsageError(f"git failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_git(root, *args, who="diff")
