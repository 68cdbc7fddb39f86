"""The registry of rules: same-shaped functions, one per diagnostic code.

A rule is `def check_something(ctx: Context) -> Iterable[Finding]`, registered with
`@rule("TC3xx")`. The code fixes its severity (see `twincli.codes`). Adding a rule is one
function here-abouts, one line in `twincli.codes`, and one test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from twincli.check.rules.context import Context
from twincli.codes import BY_CODE
from twincli.diagnostics import Diagnostic, Location, Severity


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: where, what, and how to fix it."""

    location: Location
    message: str
    hint: str | None = None


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
    """Every rule's findings, as diagnostics."""
    return [
        Diagnostic(r.code, r.severity, f.message, f.location, f.hint)
        for r in RULES
        for f in r.check(ctx)
    ]
