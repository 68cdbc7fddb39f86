"""Derived dates, computed in one place: cohort windows, due dates, the module of a day, the
day after a day. None of them fails at the ends of the calendar (years 1 and 9999), which
the data may reach: they clamp, or say there is no such day.

Month arithmetic uses `dateutil.relativedelta`, which clamps to the end of shorter months:
31 August + 6 months is 28 (or 29) February.
"""

from __future__ import annotations

import functools
import re
from datetime import date, time, timedelta

from dateutil.relativedelta import relativedelta

from twincli.model import Cohort, Edition, Module


@functools.lru_cache(maxsize=4096)
def add_months(start: date, months: int) -> date:
    """`start` plus a number of calendar months, clamped to the end of the month (and to the
    last day of year 9999, rather than failing, for dates past the calendar). Remembered:
    every city of a cohort asks for the same few dates."""
    try:
        result: date = start + relativedelta(months=months)
    except (OverflowError, ValueError):
        return date.max
    return result


def day_after(day: date) -> date | None:
    """The day after `day`; None after the calendar's last day (31 December 9999), which a
    date in the data, or one clamped by `add_months`, may be."""
    return None if day == date.max else day + timedelta(days=1)


def cohort_end(cohort: Cohort, edition: Edition | None) -> date | None:
    """The cohort's last day: its own `end`, else start + the edition's months."""
    if cohort.end is not None:
        return cohort.end
    if edition is None:
        return None
    return add_months(cohort.start, edition.months)


def due_date(cohort: Cohort, due_month: int | None) -> date | None:
    """When something due in month `due_month` of the cohort is due: start + due_month months."""
    if due_month is None:
        return None
    return add_months(cohort.start, due_month)


def month_of(cohort: Cohort, day: date) -> int:
    """The 1-based month of the programme that `day` falls in (0 before the start).

    Month m runs from start + (m - 1) months up to the day before start + m months, with the
    same clamping as due dates: for a cohort starting on 31 August, month 2 starts on
    30 September.
    """
    start = cohort.start
    if day < start:
        return 0
    elapsed = max((day.year - start.year) * 12 + day.month - start.month, 0)
    while elapsed > 0 and add_months(start, elapsed) > day:
        elapsed -= 1
    while add_months(start, elapsed + 1) <= day and elapsed < 12 * 10_000:
        elapsed += 1
    return elapsed + 1


def module_on(cohort: Cohort, edition: Edition, day: date) -> Module | None:
    """The module running on `day`, if any."""
    month = month_of(cohort, day)
    for module in edition.modules.values():
        first, last = module.months
        if first <= month <= last:
            return module
    return None


_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(?:-([01][0-9]|2[0-3]):([0-5][0-9]))?\Z")


def event_times(text: str) -> tuple[time, time | None] | None:
    """An event's `time:` (`09:30` or `09:30-11:00`) as its start and end, or None when it is
    not written so or ends before it starts."""
    found = _TIME.match(text)
    if found is None:
        return None
    h1, m1, h2, m2 = found.groups()
    start = time(int(h1), int(m1))
    if h2 is None:
        return start, None
    end = time(int(h2), int(m2))
    return (start, end) if end > start else None


def known_timezone(name: str) -> bool:
    """Whether `name` is an IANA time zone this machine knows (`Europe/Brussels`)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
