"""What the editing tests compare: a city file written the way people write them, and the
lines an edit removed and added."""

from __future__ import annotations

import difflib

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
