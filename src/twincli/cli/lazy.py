"""The top command group, whose commands are built when they are used.

Building a Typer command reads its function's signature and evaluates its type hints; doing
that for every command on every run costs more than the run of a small command. So the top
group lists the commands from `COMMANDS` (name, module, attribute, the line `--help` shows)
and imports a command's module only when that command runs or shows its own help: Click's
pattern of a lazily loaded group (`resolve_command` builds the command about to run). A test
checks that each line here is the first line of the command's own help.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import typer
import typer.core
import typer.main


class Command(NamedTuple):
    """A command of the top group, before it is imported."""

    name: str
    module: str
    attribute: str
    help: str


COMMANDS = (
    Command(
        "validate",
        "twincli.cli.validate",
        "validate",
        "Load and check every file of the programme folder.",
    ),
    Command(
        "status",
        "twincli.cli.status",
        "status",
        "Progress at a glance: per cohort, one row per city.",
    ),
    Command(
        "deadlines",
        "twincli.cli.deadlines",
        "deadlines",
        "What is due or overdue, soonest first: outputs, milestones and planned visits.",
    ),
    Command(
        "history",
        "twincli.cli.history",
        "history",
        "Progress over time: each cohort's figures every month from its start, by its plan.",
    ),
    Command(
        "show",
        "twincli.cli.show",
        "show",
        "One city, cohort, pilot or session in full, with its computed dates and progress.",
    ),
    Command(
        "render",
        "twincli.cli.render",
        "render",
        "Write Markdown reports: an overview, one per cohort, one per city output.",
    ),
    Command(
        "diff",
        "twincli.cli.diff",
        "diff",
        "What a change does to the programme against a git revision: records, figures, errors.",
    ),
    Command(
        "schema",
        "twincli.cli.schema",
        "schema",
        "JSON Schemas (draft-07) of programme, cohort, pilot and city files, for editors.",
    ),
    Command(
        "init",
        "twincli.cli.init",
        "init",
        "Create a new programme folder, ready for its first cohort.",
    ),
    Command(
        "export",
        "twincli.cli.export",
        "export_app",
        "Data for spreadsheets (csv), scripts (json) and calendars (ics).",
    ),
    Command(
        "new",
        "twincli.cli.new",
        "new_app",
        "Create a city, cohort or pilot file from a template, valid from the start, or add "
        "a session to a cohort.",
    ),
    Command(
        "record",
        "twincli.cli.record",
        "record_app",
        "Record what happened: a Twin City's attendance, site visits and outputs, or a "
        "change to a cohort's session.",
    ),
    Command(
        "withdraw",
        "twincli.cli.withdraw",
        "withdraw",
        "Mark a Twin City withdrawn: its status and the record of when and why, in one change.",
    ),
    Command(
        "import",
        "twincli.cli.importing",
        "import_sheet",
        "Bring a spreadsheet (CSV or .xlsx) into the programme's files, as one checked change.",
    ),
    Command(
        "remind",
        "twincli.cli.remind",
        "remind",
        "Write reminders to the cities with something overdue or due soon, as e-mail drafts.",
    ),
)


def build(command: Command) -> Any:
    """The Click command of `command`, as Typer builds it."""
    target = getattr(importlib.import_module(command.module), command.attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False)
        single.command(name=command.name)(target)
        target = single
    return typer.main.get_command(target)


class LazyGroup(typer.core.TyperGroup):
    """The top group: each command is a stub (its name and help line, which `--help` lists
    and a mistyped name is matched against) until it is used."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.lazy = {command.name: command for command in COMMANDS}
        for command in COMMANDS:
            self.commands[command.name] = typer.core.TyperCommand(
                name=command.name, help=command.help
            )

    def load(self, name: str) -> Any:
        """The real command `name`, built once (None for a name that is not a command)."""
        command = self.lazy.pop(name, None)
        if command is not None:
            self.commands[name] = build(command)
        return self.commands.get(name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args:
            self.load(args[0])
        return super().resolve_command(ctx, args)
