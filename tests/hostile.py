"""A small programme whose text is out to break reports: pipes, HTML, newlines, Markdown
and Mermaid syntax, diacritics. Everything in it is valid data as of 2025-06-30. And templates
out to exhaust the machine (`tests/test_template_bounds.py`, `make hostile`)."""

from __future__ import annotations

HOSTILE_AS_OF = "2025-06-30"

HOSTILE_PROGRAMME = """\
name: "Twinning | <b>test</b> programme"
editions:
  tlp-18:
    title: "Eighteen months: the | edition"
    months: 18
    modules:
      getting-started: {title: "# Getting started", months: [1, 5]}
      co-creating: {title: Co-creating, months: [6, 18]}
    activities:
      kick-off: {title: Kick-off, count: 1}
      info-seminar: {title: "Seminar | online", count: 2}
      site-visit: {title: Site visit, count: 3, to-partner: 2, from-partner: 1}
    outputs:
      learning-roadmap: {title: "Roadmap | learning", due_month: 4, milestone: m1}
      stakeholder-engagement-plan: {title: Stakeholder plan, due_month: 6, milestone: m1}
      transferability-assessment: {title: Transferability, due_month: 12, milestone: m2}
      action-plan: {title: "Action plan: #1", due_month: 17, milestone: m2}
      info-session: {title: Info session, due_month: 18, milestone: m2}
    milestones:
      m1: {title: Planned, due_month: 6}
      m2: {title: Delivered, due_month: 18}
"""

HOSTILE_COHORT = """\
title: "Cohort #2 | <script>alert(1)</script>"
edition: tlp-18
start: 2024-09-30
events:
  kick-off: {activity: kick-off, date: 2024-10-15, title: "Call for ideas: 5% of homes; #1"}
  seminar-1: {activity: info-seminar, date: 2024-11-12, title: "2024-11-12 `seminar` | online"}
  seminar-2: {activity: info-seminar, date: 2025-09-12, title: "Section 8: title"}
"""

HOSTILE_PILOT = """\
acronym: "P|L <i>"
title: "Pilot: Pécs & Vitoria-Gasteiz"
cities:
  - {name: Pécs, country: HU}
  - {name: "Vitoria-Gasteiz", country: ES}
"""

HOSTILE_CITY = """\
name: Eskişehir
country: TR
cohort: cohort-2
pilot: urbanew
contacts:
  - {name: Zuzana Kováčová, role: "lead | <em>x</em>"}
attended: [kick-off, seminar-1]
visits:
  - {direction: to-partner, city: Pécs, start: 2025-03-03, end: 2025-03-04, status: done,
     travellers: 2, claimed_eur: 1200.5, reimbursed_eur: 1200.5}
  - {direction: from-partner, city: Vitoria-Gasteiz, start: 2025-09-09, status: planned}
outputs:
  learning-roadmap:
    status: approved
    submitted: 2025-01-10
    approved: 2025-01-20
    content:
      objectives:
        - title: "Heat | power <script>alert('x')</script>"
          practice: "# Not a heading"
          questions: ["Line one\\nline two", "`code`, *stars*, _under_ and [link](http://x)"]
          activities: ["- not a list", "1. not numbered either", "> not a quote"]
          indicator: "Ünïcödé ✓: Košice, Eskişehir, Pécs, Umeå"
        - title: "Heat | power <script>alert('x')</script>"
  stakeholder-engagement-plan:
    status: drafting
    content:
      stakeholders:
        - name: 'The "quoted" | association'
          group: civil-society
          influence: high
          interest: low
          approach: inform
          when: "monthly\\nand yearly"
        - {name: "Section 8: housing; #1", group: public, influence: high, interest: low}
        - {name: "Call me % maybe", group: citizens, influence: low, interest: high}
        - {name: Unplaced one, group: private}
  transferability-assessment:
    status: drafting
    content:
      practices:
        - practice: "One-stop shop | ventanilla"
          scores: {governance: 5, finance: 4, technical: 4}
          barriers: ["<b>no</b> staff"]
          verdict: adapt
        - practice: No scores yet
  action-plan:
    status: drafting
    content:
      actions:
        - id: a1
          title: "Call for tenders: phase #1 (5% of homes)"
          description: "First line\\n\\n## Second paragraph | with pipe"
          lead: "Ms. Ünal | team"
          start: 2025-01-01
          end: 2025-12-31
          budget_eur: 1234.5
          kpis: ["100% | done", "~~struck~~"]
          status: in-progress
          practice: "2025-01-01 practice; with semicolon"
        - id: a2
          title: "```mermaid breaker```"
          start: 2025-03-01
          end: 2025-03-01
          status: planned
        - title: Undated action
          status: planned
        - title: Dropped action
          status: dropped
          start: 2025-01-01
          end: 2025-02-01
  info-session:
    status: drafting
    content:
      date: 2025-06-01
      audience: ["council | staff", "<script>"]
      attendees: 1200
      topics: ["<b>bold</b>", "$5 and $10"]
      feedback: "Great!\\n\\nMore please."
"""

HOSTILE_FILES = {
    "programme.yaml": HOSTILE_PROGRAMME,
    "cohorts/cohort-2.yaml": HOSTILE_COHORT,
    "pilots/urbanew.yaml": HOSTILE_PILOT,
    "cities/soria.yaml": HOSTILE_CITY,
}


# --- templates that would take gigabytes ---------------------------------------------------

BIG = "{% set s = 'x' * 100000 %}"
"""A text of 100,000 characters, the most `*` makes: every vector below multiplies one."""

REFUSED_BEFORE_THEY_RUN = {
    "ljust": ("{{ 'x'.ljust(2000000000) }}", "the result of 'ljust' would be too long"),
    "rjust": ("{{ 'x'.rjust(2000000000) }}", "the result of 'rjust' would be too long"),
    "center": ("{{ 'x'.center(2000000000) }}", "the result of 'center' would be too long"),
    "zfill": ("{{ '1'.zfill(2000000000) }}", "the result of 'zfill' would be too long"),
    "expandtabs": (
        "{{ ('\\t' * 100000).expandtabs(100000) }}",
        "the result of 'expandtabs' would be too long",
    ),
    "replace-method": (BIG + "{{ s.replace('x', s) }}", "the result of 'replace' would be"),
    "join-method": (BIG + "{{ ''.join([s] * 100000) }}", "the result of 'join' would be"),
    "percent-width": ("{{ '%02000000000d' % 1 }}", "the result of '%' would be too long"),
    "percent-star": ("{{ '%*d' % (2000000000, 1) }}", "the result of '%' would be too long"),
    "percent-fields": (
        "{{ ('%9999999s' * 300) % (('x',) * 300) }}",
        "the result of '%' would be too long",
    ),
    "format-width": ("{{ '{:>2000000000}'.format('x') }}", "the result of 'format' would be"),
    "format-nested": (
        "{{ '{:>{}}'.format('x', 2000000000) }}",
        "the result of 'format' would be too long",
    ),
    "format-fields": (BIG + "{{ ('{0}' * 1000).format(s) }}", "the result of 'format' would be"),
    "format-map": (
        BIG + "{{ ('{a}' * 1000).format_map({'a': s}) }}",
        "the result of 'format_map' would be",
    ),
    "format-filter": (
        "{{ ('%9999999s' * 300)|format(*(['x'] * 300)) }}",
        "the result of 'format' would be too long",
    ),
    "join-filter": (BIG + "{{ ([s] * 100000)|join }}", "the result of 'join' would be too long"),
    "indent-filter": (
        "{{ ('x\\n' * 50000)|indent(1000000) }}",
        "the result of 'indent' would be too long",
    ),
    "loop-writing": (
        BIG + "{% for i in range(100000) %}{{ s }}{% endfor %}",
        "would be longer than",  # the document's limit, or the reports' together
    ),
}
"""Templates refused by a check before they allocate, with what the error says: the tests
try them in their own process."""

STOPPED_BY_THE_MEMORY_CEILING = {
    "tilde": (
        BIG
        + "{% set b = s~s~s~s~s~s~s~s~s~s %}{% set c = b~b~b~b~b~b~b~b~b~b %}"
        + "{% set d = c~c~c~c~c~c~c~c~c~c %}{{ d~d~d~d~d~d~d~d~d~d }}",
        "used more than 192 MiB of memory",
    ),
    "set-block-loop": (
        BIG + "{% set x %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endset %}",
        "used more than 192 MiB of memory",
    ),
    "doubling-macro": (
        BIG
        + "{% macro twice(t) %}{{ t }}{{ t }}{% endmacro %}"
        + "{{ twice(twice(twice(twice(twice(twice(twice(twice(twice(twice(twice(s)))))))))))}}",
        "used more than 192 MiB of memory",
    ),
}
"""Templates no check sees coming, stopped by the memory ceiling (which only Linux enforces):
the tests try them in a process of their own, since the ceiling is the process's."""

SLOW_HOSTILE_TEMPLATES = {
    "set-block-letters": (
        "{% set x %}{% for i in range(100000) %}{% for j in range(100000) %}x"
        "{% endfor %}{% endfor %}{% endset %}",
        "used more than 192 MiB of memory",
    ),
}
"""What takes seconds to reach a bound, so only `make hostile` tries it: a loop in a
`{% set %}` block writing one letter 10,000,000,000 times (no call the sandbox sees, memory
growing by a pointer a turn)."""


def every_document(body: str) -> dict[str, str]:
    """`body` in every report: the layout of city documents (which each output's template
    extends, filling its blocks), the cohort reports, the overview."""
    return {
        "templates/_document.md.j2": _LAYOUT_IMPORTS + body + "{% block content %}{% endblock %}\n",
        "templates/cohort.md.j2": body + "\n",
        "templates/overview.md.j2": body + "\n",
    }


_LAYOUT_IMPORTS = '{% import "_macros.md.j2" as m %}'
"""What the templates extending the layout expect from it."""
