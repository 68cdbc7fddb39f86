"""The reference parts of the docs, generated from the code: never edited by hand.

- each command's page, `docs/commands/<command>.md`, from the app's own help (its usage line,
  description, arguments and options, as `twincli COMMAND --help` shows them);
- the table of commands, and of the global options, from the app's top group;
- the key tables of `docs/data-format.md`, from the model's fields and their `doc()` texts;
- `docs/rules.md`, from the catalogue of codes.

A page may mix both: only the text between a `<!-- generated: NAME -->` line and the next
`<!-- end generated -->` line is rewritten, and NAME says what goes there (`twincli status`,
`commands`, `global options`, `keys of City`). A command without a page gets one.

`python -m twincli.cli.docs`, run at the repository's root, writes them all; a test fails, naming
that command, when a page differs from what the code would write.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import re
import sys
import types
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

import typer
import typer.core
import typer.main

from twincli import model

REGENERATE = "python -m twincli.cli.docs"
"""The one command that rewrites every generated part (at the repository's root)."""

BLOCK = re.compile(
    r"^<!-- generated: (?P<name>[^>]+?) -->\n(?P<body>.*?)^<!-- end generated -->$",
    re.MULTILINE | re.DOTALL,
)

COMMANDS_FOLDER = Path("docs") / "commands"
CLI_PAGE = Path("docs") / "cli.md"
"""The page on what every command shares, which each command's reference links to."""
RULES = Path("docs") / "rules.md"


# --- the commands, from the app's help ------------------------------------------------------


def top_group() -> Any:
    """The app's top group, as Click sees it, with a context to ask it for help."""
    from twincli.cli import app

    group = typer.main.get_command(app)
    return group, typer.Context(group, info_name="twincli")


def subcommands(group: Any, ctx: Any) -> Iterator[tuple[Any, Any]]:
    """Each command of `group` with its own context, in the order `--help` lists them."""
    for name in group.list_commands(ctx):
        # `resolve_command`, not `get_command`: a lazy group builds the command when it is
        # resolved, as on a command line.
        _, command, _ = group.resolve_command(ctx, [name])
        yield command, typer.Context(command, info_name=name, parent=ctx)


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes and angle brackets escaped."""
    text = " ".join(text.split())
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _code(text: str) -> str:
    """Text as code in a table cell (GitHub wants `\\|` even inside backquotes)."""
    return "`" + " ".join(text.split()).replace("|", "\\|") + "`"


def argument_name(param: Any, *, usage: bool = False) -> str:
    """An argument as a person types it: its metavar (`CITY`), `...` when it takes several;
    in a usage line, in brackets when it may be left out (`[FILE]...`). Written here, not
    taken from Typer's help, whose spelling of the same (`{CITY}`, `CITY <str>`) changes from
    one minor release to the next."""
    name = str(param.metavar or param.name.upper())
    if usage and not param.required:
        name = f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


def usage_line(command: Any, ctx: Any) -> str:
    """`twincli record attendance [OPTIONS] CITY EVENT...`: the command, its options, its
    arguments, a group's `COMMAND [ARGS]...`."""
    pieces = [ctx.command_path, "[OPTIONS]"]
    pieces += [argument_name(p, usage=True) for p in command.get_params(ctx) if _is_argument(p)]
    if isinstance(command, typer.core.TyperGroup):
        pieces.append("COMMAND [ARGS]...")
    return " ".join(pieces)


def _is_argument(param: Any) -> bool:
    return isinstance(param, typer.core.TyperArgument) and not param.hidden


def params_table(command: Any, ctx: Any, kind: type[Any], heading: str) -> list[str]:
    """The rows `--help` shows for the arguments or the options of `command` (not `--help`):
    an option as Typer's help shows it, an argument by its name and help (`argument_name`)."""
    rows = []
    for param in command.get_params(ctx):
        if not isinstance(param, kind) or param.name == "help":
            continue
        if _is_argument(param):
            text = (param.help or "") + (" [required]" if param.required else "")
            rows.append(f"| {_code(argument_name(param))} | {_cell(text)} |")
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        shown, text = record
        rows.append(f"| {_code(shown)} | {_cell(text)} |")
    if not rows:
        return []
    return ["", f"| {heading} | meaning |", "| --- | --- |", *rows]


def _description(command: Any) -> str:
    """The command's help text, as `--help` shows it (the part after a form feed is hidden)."""
    return inspect.cleandoc((command.help or "").split("\f")[0])


def command_reference(command: Any, ctx: Any, level: int = 2) -> list[str]:
    """A command's usage, description, arguments and options; a group's commands after it."""
    lines = ["```text", usage_line(command, ctx), "```", "", _description(command)]
    lines += params_table(command, ctx, typer.core.TyperArgument, "argument")
    lines += params_table(command, ctx, typer.core.TyperOption, "option")
    if isinstance(command, typer.core.TyperGroup):
        for sub, sub_ctx in subcommands(command, ctx):
            lines += ["", f"{'#' * level} {sub_ctx.command_path}", ""]
            lines += command_reference(sub, sub_ctx, level + 1)
    return lines


def _commands() -> dict[str, tuple[Any, Any]]:
    group, ctx = top_group()
    return {sub_ctx.info_name: (sub, sub_ctx) for sub, sub_ctx in subcommands(group, ctx)}


def commands_table(page: Path, root: Path) -> list[str]:
    """A table of the commands, each linked to its page (relative to `page`), a group with its
    subcommands."""
    folder = Path(os.path.relpath(root / COMMANDS_FOLDER, (root / page).parent))
    rows = ["| command | what it does |", "| --- | --- |"]
    for name, (command, ctx) in _commands().items():
        target = (folder / f"{name}.md").as_posix()
        link = f"[`twincli {name}`]({target})"
        text = _cell(_description(command).split("\n\n")[0])
        if isinstance(command, typer.core.TyperGroup):
            subs = [
                f"[`{sub}`]({target}#twincli-{name}-{sub})" for sub in command.list_commands(ctx)
            ]
            text += " " + ", ".join(subs) + "."
        rows.append(f"| {link} | {text} |")
    return rows


def global_options() -> list[str]:
    """The options that come before the command, as `twincli --help` shows them."""
    group, ctx = top_group()
    table = params_table(group, ctx, typer.core.TyperOption, "option")
    return ["```text", usage_line(group, ctx), "```", *table]


# --- the data format, from the model --------------------------------------------------------

NOUNS: Mapping[type[model.Record], tuple[str, str]] = {
    model.Module: ("module", "modules"),
    model.Activity: ("activity", "activities"),
    model.OutputSpec: ("output", "outputs"),
    model.MilestoneSpec: ("milestone", "milestones"),
    model.TravelRules: ("travel rules", "travel rules"),
    model.HealthRules: ("health thresholds", "health thresholds"),
    model.Edition: ("edition", "editions"),
    model.Event: ("event", "events"),
    model.PilotCity: ("city", "cities"),
    model.Contact: ("contact", "contacts"),
    model.Withdrawal: ("withdrawal", "withdrawals"),
    model.Visit: ("visit", "visits"),
    model.CityOutput: ("output", "outputs"),
    model.Objective: ("objective", "objectives"),
    model.Stakeholder: ("stakeholder", "stakeholders"),
    model.Scores: ("scores", "scores"),
    model.PracticeAssessment: ("practice", "practices"),
    model.Action: ("action", "actions"),
}
"""How the tables name a record that is the value of a key: `list of visits`."""


def _unwrap(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    """The type without `| None`, and the `Annotated` extras it carried."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            tp = args[0]
    if get_origin(tp) is Annotated:
        tp, *extras = get_args(tp)
        return tp, tuple(extras)
    return tp, ()


def type_text(tp: Any, plural: bool = False) -> str:
    """A field's type in the words of the format's docs: `whole number ≥ 1`, `list of ids`."""
    tp, extras = _unwrap(tp)
    origin = get_origin(tp)
    if model.SlugText in extras:
        return "ids" if plural else "id"
    if model.CountryText in extras:
        return "country codes" if plural else "country code"
    if tp is str:
        return "text"
    if tp is int:
        bounds = next((e for e in extras if isinstance(e, model.Range)), model.Range())
        noun = "whole numbers" if plural else "whole number"
        if bounds.low is not None and bounds.high is not None:
            return f"{noun} from {bounds.low} to {bounds.high}"
        return f"{noun} ≥ {bounds.low}" if bounds.low is not None else noun
    if tp is Decimal:
        return "amounts (euros)" if plural else "amount (euros)"
    if tp is date:
        return "dates" if plural else "date"
    if origin is Literal:
        return "one of " + ", ".join(f"`{word}`" for word in get_args(tp))
    if origin is tuple:
        item, rest = get_args(tp)
        if rest is Ellipsis:
            least = " (at least one)" if model.NonEmpty in extras else ""
            return f"list of {type_text(item, plural=True)}{least}"
        return f"pair of {type_text(item, plural=True)}"
    if origin is Mapping:
        return f"{NOUNS[get_args(tp)[1]][1]} by id"
    if isinstance(tp, type) and issubclass(tp, model.Record):
        singular, several = NOUNS[tp]
        return several if plural else f"{singular} (a mapping)"
    raise TypeError(f"no words for the type {tp}")


def _default_text(field: dataclasses.Field[Any]) -> str:
    if field.default_factory is not dataclasses.MISSING:
        return "empty"
    if field.default is None:
        return "—"
    if field.default == ():
        return "empty"
    return f"`{field.default}`"


def keys_table(cls: type[model.Record]) -> list[str]:
    """Every key of a record, with its type, whether it is required, its default and its doc."""
    hints = get_type_hints(cls, include_extras=True)
    rows = [
        "| key | type | required | default | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for field in dataclasses.fields(cls):
        if field.name == "marks" or field.metadata.get("from_key") or field.metadata.get("folder"):
            continue
        key = field.metadata.get("key", field.name)
        if cls is model.CityOutput and field.name == "content":
            kind = "depends on the output id (below)"
        else:
            kind = type_text(hints[field.name])
        required = field.default is dataclasses.MISSING and (
            field.default_factory is dataclasses.MISSING
        )
        default = "" if required else _default_text(field)
        need = "**required**" if required else "optional"
        cells = [f"`{key}`", kind, need, default, field.metadata["doc"]]
        rows.append("|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|")
    return rows


def _record_class(name: str) -> type[model.Record]:
    cls = getattr(model, name, None)
    if not (isinstance(cls, type) and issubclass(cls, model.Record)):
        raise ValueError(f"`keys of {name}`: the model has no record class {name}")
    return cls


# --- the pages ------------------------------------------------------------------------------


def block_text(name: str, page: Path, root: Path) -> str:
    """What the generated part NAME of `page` (relative to `root`) holds."""
    lines: list[str]
    if name == "commands":
        lines = commands_table(page, root)
    elif name == "global options":
        lines = global_options()
    elif name.startswith("keys of "):
        lines = keys_table(_record_class(name.removeprefix("keys of ")))
    elif name.startswith("twincli "):
        commands = _commands()
        command = name.removeprefix("twincli ")
        if command not in commands:
            raise ValueError(f"{page}: `{name}`: twincli has no command {command!r}")
        cli_page = Path(os.path.relpath(root / CLI_PAGE, (root / page).parent)).as_posix()
        lines = command_reference(*commands[command])
        lines += [
            "",
            "Global options (`--data`, `--as-of`, ...) come before the command:",
            f"see [the command line]({cli_page}).",
        ]
    else:
        raise ValueError(f"{page}: no generated part is called {name!r}")
    return "\n".join(lines) + "\n"


def fill(text: str, page: Path, root: Path) -> str:
    """`text` with each generated part rewritten."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        return f"<!-- generated: {name} -->\n{block_text(name, page, root)}<!-- end generated -->"

    return BLOCK.sub(replace, text)


def new_command_page(name: str) -> str:
    """The page of a command that has none yet: its title and its reference."""
    return f"# twincli {name}\n\n<!-- generated: twincli {name} -->\n<!-- end generated -->\n"


def pages(root: Path) -> Iterator[Path]:
    """Every Markdown page that may hold a generated part (relative to `root`)."""
    yield Path("README.md")
    for path in sorted((root / "docs").rglob("*.md")):
        yield path.relative_to(root)


def expected(root: Path) -> dict[Path, str]:
    """Every page with a generated part, as the code would write it (relative to `root`)."""
    from twincli.codes import rules_markdown

    texts = {page: (root / page).read_text(encoding="utf-8") for page in pages(root)}
    for name in _commands():
        page = COMMANDS_FOLDER / f"{name}.md"
        texts.setdefault(page, new_command_page(name))
    generated = {RULES: rules_markdown()}
    for page, text in texts.items():
        if page != RULES and BLOCK.search(text):
            generated[page] = fill(text, page, root)
    return generated


def stale(root: Path) -> list[Path]:
    """The pages whose generated parts are not what the code would write, or are missing."""
    return [
        page
        for page, text in expected(root).items()
        if not (root / page).is_file() or (root / page).read_text(encoding="utf-8") != text
    ]


def orphans(root: Path) -> list[Path]:
    """Command pages of commands twincli no longer has."""
    names = set(_commands())
    folder = root / COMMANDS_FOLDER
    return [
        path.relative_to(root)
        for path in sorted(folder.glob("*.md"))
        if path.name != "README.md" and path.stem not in names
    ]


def write(root: Path) -> list[Path]:
    """Write every page that is stale; the pages written."""
    written = []
    for page, text in expected(root).items():
        path = root / page
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(page)
    return written


def main(argv: list[str]) -> int:
    """`python -m twincli.cli.docs [REPOSITORY]`: rewrite the generated parts; exit 1 when a
    command page names a command twincli no longer has (remove or rename it by hand)."""
    root = Path(argv[0]) if argv else Path.cwd()
    if not (root / "docs").is_dir() or not (root / "README.md").is_file():
        print(f"{REGENERATE}: run it at twincli's repository root", file=sys.stderr)
        return 2
    for page in write(root):
        print(f"wrote {page.as_posix()}")
    for page in orphans(root):
        print(f"{page.as_posix()}: twincli has no such command", file=sys.stderr)
    return 1 if orphans(root) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
