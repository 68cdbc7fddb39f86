"""Commands built when they are used; option values read without pydantic, in twincli's words.

Building a Typer command reads its function's signature and evaluates its type hints; doing
that for every command on every run costs more than the run of a small command. So the top
group lists the commands from `COMMANDS` (name, module, attribute, the line `--help` shows)
and imports a command's module only when that command runs or shows its own help. A test
checks that each line here is the first line of the command's own help.

Typer 0.29 converts every option value that is not a flag with a pydantic `TypeAdapter`,
and importing pydantic costs a tenth of a second. The values twincli's options take (text,
paths, one of a few words, whole numbers written in digits, what a `parser` reads, lists of
them) are converted here instead, the way Typer does; anything else, and a number written
with a sign or spaces, goes to Typer's own conversion, which decides whether it is taken.

Typer 0.29 also speaks for the libraries it reads values with: pydantic's "Value error, ..."
and "Input should be greater than or equal to 0" in usage errors, `<str>`, `<list[Path]>` and
`<int range> [x>=1]` beside options in help, `{ID}` in usage lines, choices listed a line and a
tab each. So a refused value is explained here, in twincli's words (what it should be), an
argument is shown by its metavar, an option with choices by its choices, and a bound of a
number by the help text that states it (`plain_words`). Typer still prints usage errors: its
usage lines, its panel, exit code 2.

Typer formats help and usage errors with `typer.rich_utils`, which imports rich's Markdown
(markdown-it) and Traceback (pygments) at its top, for the `markdown` markup mode and for
tracebacks; twincli's help uses neither, and they are two fifths of what `--help` costs. So
`typer.rich_utils` is imported with stand-ins for those two classes, which import the real
class the first time one is used (`LeanRichUtils`).
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple, get_args, get_origin

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
        "show",
        "twincli.cli.show",
        "show",
        "One city, cohort or pilot in full, with its computed dates and progress.",
    ),
    Command(
        "render",
        "twincli.cli.render",
        "render",
        "Write Markdown reports: an overview, one per cohort, one per city output.",
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
        "Create a city, cohort or pilot file from a template, valid from the start.",
    ),
    Command(
        "record",
        "twincli.cli.record",
        "record_app",
        "Record what happened in a Twin City's file: attendance, a site visit, an output.",
    ),
)


def build(command: Command) -> Any:
    """The Click command of `command`, as Typer builds it."""
    target = getattr(importlib.import_module(command.module), command.attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False)
        single.command(name=command.name)(target)
        target = single
    built = typer.main.get_command(target)
    fast_coercion(built)
    return built


class LazyGroup(typer.core.TyperGroup):
    """The top group: each command is a stub (its name and help line) until it is used."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        fast_coercion(self)
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


# --- typer.rich_utils without rich's Markdown and Traceback ---------------------------------

STAND_INS = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}
"""The modules `typer.rich_utils` imports a class from and help does not use."""


class Deferred(type):
    """The type of a stand-in for a class of rich: calling it, asking it for an attribute or
    checking an instance against it imports the real class and defers to it."""

    module: str

    def real(cls) -> Any:
        return getattr(importlib.import_module(cls.module), cls.__name__)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls.real(), name)

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls.real())


def stand_in(module: str, name: str) -> Deferred:
    """A stand-in for the class `name` of `module`."""
    return Deferred(name, (), {"module": module, "__module__": module})


class LeanRichUtils:
    """A finder of the import system for `typer.rich_utils` alone: it runs the module with
    stand-ins in `sys.modules` for the modules of `STAND_INS` not imported yet, and takes them
    out again afterwards (the real modules stay importable). It removes itself once used."""

    @classmethod
    def find_spec(cls, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "typer.rich_utils":
            return None
        cls.uninstall()
        from importlib.util import find_spec

        spec = find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = LeanLoader(spec.loader)  # type: ignore[assignment]
        return spec

    @classmethod
    def install(cls) -> None:
        if "typer.rich_utils" not in sys.modules and cls not in sys.meta_path:
            sys.meta_path.insert(0, cls)

    @classmethod
    def uninstall(cls) -> None:
        while cls in sys.meta_path:
            sys.meta_path.remove(cls)


class LeanLoader:
    """The loader of `typer.rich_utils`, with the stand-ins in place while it runs."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        placed = {}
        for name, attribute in STAND_INS.items():
            if name not in sys.modules:
                placed[name] = types.ModuleType(name)
                setattr(placed[name], attribute, stand_in(name, attribute))
                sys.modules[name] = placed[name]
        try:
            self.loader.exec_module(module)
        finally:
            for name, stub in placed.items():
                if sys.modules.get(name) is stub:
                    del sys.modules[name]


LeanRichUtils.install()


# --- option values without pydantic ---------------------------------------------------------

try:  # Typer 0.29 and later; before, Click converted values, without pydantic
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path

    NEW_TYPER = True
except ImportError:  # pragma: no cover
    NEW_TYPER = False


def fast_coercion(command: Any) -> None:
    """Convert the values of `command`'s options and arguments without pydantic where twincli
    knows how (and those of the subcommands already built); show `--help` as the flag it is."""
    if not NEW_TYPER:  # pragma: no cover
        return
    for param in getattr(command, "params", ()):
        _fast_param(param)
        plain_words(param)
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:  # made when a command line is parsed
        option = original(ctx)
        if option is not None:
            _fast_param(option)
            option.metavar = ""  # a flag: no "<bool>" beside it in help (Typer 0.29 shows one)
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        if not isinstance(sub, typer.core.TyperCommand) or sub.callback is not None:
            fast_coercion(sub)


def _fast_param(param: Any) -> None:
    if getattr(param, "_runtime_param", False) is None and hasattr(param, "type_descriptor"):
        try:
            descriptor = param.type_descriptor
            convert = _converter(descriptor.annotation, descriptor)
            if convert is not None:
                param._runtime_param = _Fast(
                    descriptor.parameter_info, descriptor.annotation, convert
                )
        except Exception:  # pragma: no cover - another Typer: it converts, with pydantic
            param._runtime_param = None


def _converter(annotation: Any, descriptor: Any) -> Any:
    """How to convert one value of `annotation` (None: let Typer do it)."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None:
        return None
    if info.parser is not None:
        if get_origin(annotation) is not None:
            return None
        parser = info.parser
        return lambda value, param, ctx: parser(value)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        each = _converter(item, descriptor)
        if each is None:
            return None
        return lambda values, param, ctx: [each(v, param, ctx) for v in values]
    if annotation is str:
        return _text
    if annotation is int:
        low, high = info.min, info.max

        def number(value: Any, param: Any, ctx: Any) -> int:
            if isinstance(value, str) and value.isascii() and value.isdigit():
                whole = int(value)
            else:  # a sign, spaces, underscores: as Typer reads them
                try:
                    taken: int = build_runtime_param(param.type_descriptor)._coerce_value(
                        value, param=param, ctx=ctx
                    )
                    return taken
                except typer.BadParameter:
                    written = str(value).strip()
                    if re.fullmatch(r"[+-]?[0-9]+", written) is None:
                        raise _not_a_number(value, low, high, param, ctx) from None
                    whole = int(written)
            if (low is not None and whole < low) or (high is not None and whole > high):
                raise _out_of_range(whole, low, high, param, ctx)
            return whole

        return number
    if annotation is bool:
        return _flag
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = tuple(annotation)

        def choice(value: Any, param: Any, ctx: Any) -> Any:
            try:
                return coerce_cli_choice(
                    value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
                )
            except ValueError:
                words = ", ".join(_word(c) for c in choices)
                raise typer.BadParameter(
                    f"{value!r} is not one of {words}", ctx=ctx, param=param
                ) from None

        return choice
    if annotation is Path and info.path_type is None:

        def path(value: Any, param: Any, ctx: Any) -> Any:
            if not isinstance(value, str):
                raise TypeError(value)
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)

        return path
    return None


def _bounds(low: Any, high: Any) -> str:
    """`0 or more`, `10 or less`, `from 1 to 9`."""
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"{low} or more" if low is not None else f"{high} or less"


def _wanted(param: Any, low: Any, high: Any) -> str:
    """`give a number of days, 0 or more`: what a number option takes, named by its metavar
    (DAYS) or, for a bare N, by its name (travellers)."""
    metavar = param.metavar or ""
    noun = metavar.lower() if len(metavar) > 1 and metavar.isalpha() else param.name
    bounds = "" if low is None and high is None else f", {_bounds(low, high)}"
    return f"give a number of {noun.replace('_', ' ')}{bounds}"


def _out_of_range(whole: int, low: Any, high: Any, param: Any, ctx: Any) -> Exception:
    side = f"below {low}" if low is not None and whole < low else f"above {high}"
    message = f"{whole} is {side}: {_wanted(param, low, high)}"
    return typer.BadParameter(message, ctx=ctx, param=param)


def _not_a_number(value: Any, low: Any, high: Any, param: Any, ctx: Any) -> Exception:
    message = f"{value!r} is not a whole number: {_wanted(param, low, high)}"
    return typer.BadParameter(message, ctx=ctx, param=param)


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


# --- help and usage errors in twincli's words -----------------------------------------------


def plain_words(param: Any) -> None:
    """Show `param` in help and usage lines, and name its choices when it is missing, as
    twincli writes them rather than as Typer 0.29 does (see the module's doc)."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None:
        return
    words = [_word(c) for c in descriptor.choices or ()] if descriptor.is_choice else []
    if words:
        given = f"Give one of {', '.join(words)}."
        param.get_missing_message = lambda ctx: given  # not a tab and a line for each
    shown = " | ".join(words)  # spaces: a long list wraps between words, never inside one
    if isinstance(param, typer.core.TyperArgument):
        _plain_argument(param, shown)
    elif words and param.metavar is None:
        param.metavar = shown
    # The bound of a number is in its help text and in the refusal, not `[x>=1]` beside it.
    param._get_number_range_help_str = lambda: None


def _plain_argument(argument: Any, choices: str) -> None:
    """Its metavar is its name in help, with only its `choices` beside it (never `<str>`),
    and in usage lines: `CITY`, `[FILE]...`, `EVENT...` (Typer: `{CITY}`)."""
    name = argument.metavar or argument.name.upper()
    if not argument.required:
        name = f"[{name}]"
    if argument.nargs != 1:
        name += "..."
    argument.display_type_rich = lambda ctx: choices or None
    argument._usage_display_name = lambda: name


def _word(choice: Any) -> str:
    """A choice as help and messages show it: `json`, `to-partner`, `','`."""
    text = str(choice.value if isinstance(choice, Enum) else choice)
    return text if text.replace("-", "").isalnum() else repr(text)


def _flag(value: Any, param: Any, ctx: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _text(value: Any, param: Any, ctx: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


if NEW_TYPER:

    class _Fast(RuntimeParam):
        """Typer's runtime conversion of one parameter, done by `convert` when it can."""

        convert: Any

        def __init__(self, parameter_info: Any, annotation: Any, convert: Any) -> None:
            super().__init__(parameter_info, annotation)
            object.__setattr__(self, "convert", convert)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return self.convert(value, param, ctx)
            except typer.BadParameter:
                raise  # refused, in twincli's words
            except Exception:  # Typer's conversion, for its answer and its error message
                return build_runtime_param(param.type_descriptor)._coerce_value(
                    value, param=param, ctx=ctx
                )
