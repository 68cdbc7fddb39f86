"""The validator's rules, beyond what reading the files already checks.

`check(programme, as_of)` runs every registered rule. The rules live in modules named for what
they look at; importing them here registers them.
"""

from __future__ import annotations

from datetime import date

from twincli.check.rules import dates, references, status, text, visits
from twincli.check.rules.context import Context
from twincli.check.rules.registry import RULES, Finding, Rule, rule, run_rules
from twincli.diagnostics import Diagnostic
from twincli.model import Programme

__all__ = ["RULES", "Context", "Finding", "Rule", "check", "rule"]
_MODULES = (dates, references, status, text, visits)


def check(
    programme: Programme, as_of: date, programme_ok: bool = True, *, cities_only: bool = False
) -> list[Diagnostic]:
    """Every rule's diagnostics for a loaded programme (`cities_only`: only those about its
    cities, as `twincli.check.incremental` checks them a batch at a time)."""
    return run_rules(Context(programme, as_of, programme_ok, cities_only=cities_only))
