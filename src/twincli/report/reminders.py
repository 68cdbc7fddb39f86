"""Reminders to the Twin Cities that owe something: one e-mail draft (.eml) per city.

`reminders(progress, within)` finds, for each active city, what is overdue or due within
the days given (`standing.deadlines`), and who to write to: its contacts with an e-mail
address, the lead first. `message(...)` lays one reminder out with the template
`reminder.eml.j2` (the programme's own in `templates/`, else the built-in one; rendered in
the reports' sandbox) and makes it an RFC 5322 message with Python's `email` package, which
encodes names that are not ASCII. twincli never sends anything: the files are drafts
(`X-Unsent: 1` makes Outlook open them as one).

Deterministic, as reports are: the same data and as-of day give the same bytes. The Date
header is the as-of day, the Message-ID a digest of the message's content, and the body a
single text/plain part (no multipart boundary, which `email.generator` would draw at random).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from twincli.errors import TemplateError, UsageError
from twincli.model import City, Contact, Programme
from twincli.progress.standing import Deadline, ProgrammeProgress, deadlines, iter_cities
from twincli.report.templating import ReportEnvironment, render_template

TEMPLATE = "reminder.eml.j2"
SUBJECT = "Subject: "
POLICY = SMTP.clone(max_line_length=998)
"""CRLF line ends, as RFC 5322 has them. Headers are not folded at 78 characters: the
`email` package folds a long Subject before its first word, which mail clients then show
with a leading space; 998 is RFC 5322's hard limit."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """What one city is reminded of, and who receives it."""

    cohort: str
    city: City
    items: tuple[Deadline, ...]
    """Soonest first."""
    recipients: tuple[Contact, ...]
    """Its contacts with an e-mail address, the lead first; none: nothing can be written."""

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.state == "overdue")


def reminders(progress: ProgrammeProgress, within: int) -> list[Reminder]:
    """A reminder for each active city with something overdue or due within `within` days,
    in the order of the cohorts and cities."""
    owed: dict[str, list[Deadline]] = {}
    for item in deadlines(progress, within=within):
        owed.setdefault(item.city, []).append(item)
    found = []
    for cohort, city in iter_cities(progress):
        items = owed.get(city.city.id)
        if items:
            people = recipients(city.city.contacts)
            found.append(Reminder(cohort.cohort.id, city.city, tuple(items), people))
    return found


def recipients(contacts: Sequence[Contact]) -> tuple[Contact, ...]:
    """The contacts with an e-mail address: leads first, then the others, each in file order."""
    reachable = [c for c in contacts if c.email]
    leads = [c for c in reachable if (c.role or "").strip().casefold() == "lead"]
    return tuple(leads + [c for c in reachable if c not in leads])


def message(
    reminder: Reminder,
    programme: Programme,
    env: ReportEnvironment,
    as_of: date,
    within: int,
    root: Path | None = None,
) -> EmailMessage:
    """The reminder as an e-mail from the programme's `contact:` address. Raises UsageError
    when programme.yaml has no `contact:` or the city no recipient, TemplateError for a
    template that cannot be rendered or does not start with its `Subject:` line."""
    if not programme.contact:
        raise UsageError("programme.yaml has no contact: (the team's e-mail address, the sender)")
    if not reminder.recipients:
        raise UsageError(f"{reminder.city.id} has no contact with an e-mail address")
    target = f"{reminder.city.id}.eml"
    text = render_template(
        env, TEMPLATE, _context(reminder, programme, as_of, within), root, target
    )
    head, _, body = text.partition("\n")
    subject = head.removeprefix(SUBJECT).strip()
    if not head.startswith(SUBJECT) or not subject or not body.startswith("\n"):
        raise TemplateError(
            f"{TEMPLATE}: its first line must be 'Subject: ...', then a blank line (for {target})"
        )
    mail = EmailMessage(policy=POLICY)
    mail["From"] = _address(programme.name, programme.contact)
    mail["To"] = [_address(c.name, c.email or "") for c in reminder.recipients]
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC))
    mail["X-Unsent"] = "1"
    mail.set_content(body.removeprefix("\n"), charset="utf-8", cte="quoted-printable")
    digest = hashlib.sha256(mail.as_bytes()).hexdigest()[:32]
    domain = programme.contact.rpartition("@")[2] or "twincli.invalid"
    mail["Message-ID"] = f"<{digest}.{reminder.city.id}@{domain}>"
    return mail


def _address(name: str, email: str) -> Address:
    """A mailbox; the `email` package encodes a name that is not ASCII (RFC 2047) when the
    message is written. Raises UsageError for an address it cannot hold."""
    try:
        return Address(display_name=name, addr_spec=email)
    except (ValueError, IndexError) as exc:
        raise UsageError(f"'{email}' cannot be an e-mail address ({exc})") from None


def _context(reminder: Reminder, programme: Programme, as_of: date, within: int) -> dict[str, Any]:
    return {
        "programme": programme,
        "city": reminder.city,
        "cohort": reminder.cohort,
        "recipients": reminder.recipients,
        "items": reminder.items,
        "overdue": reminder.overdue,
        "as_of": as_of,
        "within": within,
    }
