"""Which diagnostics a change introduces and which it fixes.

Two diagnostics are the same finding when they have the same code, file and message: a line
that moved because of an edit elsewhere in the file is not a new problem. When a file has
the same finding more often on one side, the extra ones count (in the order found).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from twincli.diagnostics import Diagnostic, sort_diagnostics


@dataclass(frozen=True, slots=True)
class Findings:
    """Diagnostics on the later side only (`introduced`) and on the earlier side only
    (`fixed`), each sorted as `validate` sorts them."""

    introduced: tuple[Diagnostic, ...]
    fixed: tuple[Diagnostic, ...]


def compare_findings(before: Iterable[Diagnostic], after: Iterable[Diagnostic]) -> Findings:
    old = _by_finding(before)
    new = _by_finding(after)
    introduced = [d for key, found in new.items() for d in found[len(old.get(key, ())) :]]
    fixed = [d for key, found in old.items() for d in found[len(new.get(key, ())) :]]
    return Findings(tuple(sort_diagnostics(introduced)), tuple(sort_diagnostics(fixed)))


def _by_finding(diagnostics: Iterable[Diagnostic]) -> dict[tuple[str, str, str], list[Diagnostic]]:
    found: dict[tuple[str, str, str], list[Diagnostic]] = {}
    # Whether a finding follows from a cause is known only of the whole folder
    # (`check.causes`), which a diff may not check: each finding is shown on its own.
    for d in sort_diagnostics(replace(d, cause=None) for d in diagnostics):
        found.setdefault((d.code, d.location.file, d.message), []).append(d)
    return found
