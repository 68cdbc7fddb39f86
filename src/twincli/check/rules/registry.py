"""The registry of rules: same-shaped functions, one per diagnostic code.

A rule is `def check_something(ctx: Context) -> Iterable[Finding]`, registered with
`@rule("TC3xx")`. The code fixes its severity (see `twincli.codes`). Adding a rule is one
function here-abouts, one line in `twincli.codes`, and one test.

A file holds at most MAX_LISTED findings of one rule (`read.limits.Listing`); a hint that takes
work, a near-name search, is given as a function, so that it is worked out only for those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from twincli.check.rules.context import Context
from twincli.codes import BY_CODE
from twincli.diagnostics import Cause, Diagnostic, Location, Severity
from twincli.read.limits import Hint, Listing


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: where, what, how to fix it, and the value in a shared file it
    follows from, when it may follow from one (`twincli.diagnostics.Cause`)."""

    location: Location
    message: str
    hint: Hint = None
    cause: Cause | None = None


Check = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its code, severity and check."""

    code: str
    severity: Severity
    check: Check

    @property
    def name(self) -> str:
        return self.check.__name__


RULES: list[Rule] = []


def rule(code: str) -> Callable[[Check], Check]:
    """Register a check under a code of the catalogue."""
    if code not in BY_CODE:
        raise ValueError(f"{code} is not in twincli.codes")
    if any(r.code == code for r in RULES):
        raise ValueError(f"{code} is registered twice")

    def register(check: Check) -> Check:
        RULES.append(Rule(code, BY_CODE[code].severity, check))
        return check

    return register


def run_rules(ctx: Context) -> list[Diagnostic]:
    """Every rule's findings, as diagnostics (at most MAX_LISTED of a rule in a file, and
    one counting the rest)."""
    listing = Listing()
    for r in RULES:
        for f in r.check(ctx):
            listing.add(r.code, f.location, f.message, f.hint, f.cause)
    return listing.diagnostics()
