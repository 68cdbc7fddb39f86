"""What the options take, read and refused in twincli's words.

Typer converts a value by its type, and its refusals speak for the library it converts with
(`Value error, 'xml' is not one of ...`, `Input should be greater than or equal to 0`); its help
shows the bounds of a number as `[x>=0]`. So a value with a rule of its own is read by a
`parser` from here, which says what it should be (`'xml' is not one of auto, text, json`,
`-3 is below 0: give a number of days, 0 or more`), and its option shows a metavar (`DAYS`,
`table | json`). Typer still prints the refusal: its usage lines, its panel, exit code 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import typer

from twincli.errors import closest_meant

E = TypeVar("E", bound=Enum)


def choice(*names: str, choices: type[Enum], close: bool = False, **options: Any) -> Any:
    """An option whose value is one of `choices`: shown as `table | json` in help, refused
    in twincli's words (`one_of`). `options` are the rest of `typer.Option`'s."""
    return typer.Option(
        *names, parser=one_of(choices, close=close), metavar=listed(choices), **options
    )


def one_of(choices: type[E], *, close: bool = False) -> Callable[[str | E], E]:
    """A parser of one of the values of `choices`, as typed (`JSON` is not `json`: a script's
    typo fails), or with `close` (the words of editing commands, typed by a person), in any
    case or a close spelling with one match (`Approved`, `aproved`: `errors.closest_meant`)."""
    by_value = {str(choice.value): choice for choice in choices}

    def parse(value: str | E) -> E:
        if isinstance(value, choices):
            return value  # the default
        found = by_value.get(str(value))
        if found is None and close:
            found = by_value.get(closest_meant(str(value), list(by_value)) or "")
        if found is None:
            raise typer.BadParameter(f"{str(value)!r} is not one of {listed(choices, ', ')}")
        return found

    return parse


def listed(choices: type[Enum], between: str = " | ") -> str:
    """The values of `choices` as help shows them (`table | json`; spaces, so that a long
    list wraps between words) or as a refusal names them: `json`, `to-partner`, `','`."""
    return between.join(_word(str(choice.value)) for choice in choices)


def _word(text: str) -> str:
    return text if text.replace("-", "").isalnum() else repr(text)


def whole_number(noun: str, least: int) -> Callable[[str], int]:
    """A parser of a whole number of `noun`s (`days`), `least` or more, written in digits
    (with a sign or spaces around it, if need be)."""
    wanted = f"give a number of {noun}, {least} or more"

    def parse(value: str) -> int:
        if re.fullmatch(r"[+-]?[0-9]+", value.strip()) is None:
            raise typer.BadParameter(f"{value!r} is not a whole number: {wanted}")
        number = int(value)
        if number < least:
            raise typer.BadParameter(f"{number} is below {least}: {wanted}")
        return number

    return parse


def parse_date(value: str) -> date:
    """A date option's value, YYYY-MM-DD; refused saying whether the form or the day is
    wrong (as `validate` tells them apart in the data)."""
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        pass
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is not None:
        raise typer.BadParameter(
            f"{value!r} is written as YYYY-MM-DD but is not a date in the calendar"
        )
    loose = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", value)
    hint = ""
    if loose is not None:
        y, m, d = loose.groups()
        hint = f" (zero-pad month and day: {y}-{int(m):02d}-{int(d):02d})"
    raise typer.BadParameter(f"{value!r} is not a date as YYYY-MM-DD{hint}")
