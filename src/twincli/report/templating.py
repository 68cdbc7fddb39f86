"""The one Jinja environment that renders reports, and the filters templates format with.

Templates come from the programme folder's `templates/` first (they arrive through pull
requests, so they are untrusted), then the built-in ones; `builtin/NAME` always names a
built-in, so a programme's template can extend the one it replaces. The environment is
Jinja's immutable sandbox: no attribute starting with `_`, no mutating methods, no
reading the clock, bounded `range`, `*` and `**`. Undefined variables are errors. What a
template builds, how long its documents are, how much memory and time they take, is bounded
by construction (`twincli.report.bounds`).

Autoescaping is off, since the output is Markdown, not HTML: user text goes through the
`md` and `cell` filters, and into charts through `gantt` and `quadrant`.

A missing value, None, prints as nothing in `{{ ... }}` and in `md`, and as an em dash in
`cell`, `date`, `money` and `number`. Filters:

- `md`: user text as inline Markdown, on one line (a line break becomes `<br>`);
- `cell`: the same, for a table cell;
- `date`: `iso` (2025-06-30, the default), `long` (30 June 2025), `short` (30 Jun 2025),
  `month` (June 2025), in English whatever the locale;
- `money`: €210,000 or €185,000.75 (`money(true)`: always with cents, for columns);
  `number`: 1,234 (`number(1)`: one decimal);
- `plural(word, plural=word+'s')`: `3|plural('city', 'cities')` is "3 cities";
- `words`: `needs-revision` as "needs revision"; `icon`: the emoji of a state;
- `bar(total, width=10)`: `7|bar(10)` is ▰▰▰▰▰▰▰▱▱▱;
- `anchor`: the `#fragment` GitHub gives a heading with that text;
- `gantt`, `quadrant`: user text for a Mermaid gantt or quadrantChart.
"""

from __future__ import annotations

import importlib.resources
import operator
import os
import re
import stat
import time
import types
import unicodedata
from collections.abc import Callable, Mapping, MutableMapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import internalcode

from twincli.errors import TemplateError
from twincli.read.limits import (
    MAX_FILE_BYTES_ENV,
    FileTooLargeError,
    leads_inside,
    max_file_bytes,
    read_bounded,
)
from twincli.report.bounds import (
    AVERAGE_REPORT,
    DEFAULT_RENDER_SECONDS,
    GROWING_METHODS,
    MAX_REPEAT,
    MAX_TEXT,
    MEMORY_HEADROOM,
    BoundedNamespace,
    bounded,
    gather,
    grown_size,
    memory_ceiling,
    printf_size,
    refuse_growth,
    render_seconds,
    sized,
    time_left,
)
from twincli.report.markdown import escape_cell
from twincli.report.mermaid import gantt_text, quadrant_text

TEMPLATES = "templates"
BUILTIN_PREFIX = "builtin"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MISSING = "—"
_DATE_STYLES = {"iso": None, "long": None, "short": None, "month": None}
"""The styles of the `date` filter, in the order an error lists them."""
ICONS = {
    # outputs
    "approved": "✅",
    "submitted": "📤",
    "needs-revision": "✏️",
    "drafting": "📝",
    "not-started": "⬜",
    # a city's health
    "on-track": "🟢",
    "at-risk": "🟠",
    "behind": "🔴",
    "withdrawn": "⚪",
    # actions and visits
    "done": "✅",
    "in-progress": "🔄",
    "planned": "🗓️",
    "dropped": "✖️",
    "cancelled": "✖️",
    # transferability verdicts
    "transfer": "✅",
    "adapt": "🔧",
    "not-now": "⏸️",
}
_CLOCK = frozenset({"today", "now", "utcnow", "fromtimestamp", "utcfromtimestamp"})


# --- where the built-in templates are -------------------------------------------------------


def builtin_templates() -> Path:
    """The built-in templates: inside the installed package (the wheel ships them as
    `twincli/templates`), else the repository's top-level `templates/` (an editable install
    runs from the source tree)."""
    packaged = importlib.resources.files("twincli") / TEMPLATES
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[3] / TEMPLATES
    if source_tree.is_dir():
        return source_tree
    raise TemplateError("the built-in report templates are missing: reinstall twincli")


# --- filters --------------------------------------------------------------------------------


def md(value: object) -> str:
    return "" if value is None else escape_cell(str(value))


def cell(value: object) -> str:
    text = "" if value is None else escape_cell(str(value))
    return text or MISSING


def url(value: object) -> str:
    """A link as Markdown shows it safely, in a table cell too: `<https://...>` for an http
    or https address with nothing in it that ends a link or a cell, else its text escaped
    (`validate` refuses any other, TC215; a report still never breaks on one)."""
    text = "" if value is None else str(value)
    if _SAFE_URL.fullmatch(text):
        return "<" + text + ">"
    return cell(value)


_SAFE_URL = re.compile(r"https?://[^\s<>|`\\\x00-\x1f\x7f]+", re.IGNORECASE)


def format_date(value: date | None, style: str = "iso") -> str:
    if value is None:
        return MISSING
    if not isinstance(value, date):
        raise TypeError(f"date expects a date, got {type(value).__name__}")
    if style not in _DATE_STYLES:
        raise ValueError(f"date style {style!r} is not one of {', '.join(_DATE_STYLES)}")
    if style == "iso":
        return value.isoformat()
    month = MONTHS[value.month - 1]
    if style == "long":
        return f"{value.day} {month} {value.year}"
    if style == "short":
        return f"{value.day} {month[:3]} {value.year}"
    return f"{month} {value.year}"


def format_money(value: Decimal | int | None, cents: bool | None = None) -> str:
    """Euros; cents shown when there are some, or always (`cents=True`, for columns)."""
    if value is None:
        return MISSING
    amount = Decimal(value).quantize(Decimal("0.01"))
    if cents is None:
        cents = amount != amount.to_integral_value()
    return f"€{amount:,.2f}" if cents else f"€{int(amount):,}"


def format_number(value: Decimal | int | float | None, decimals: int | None = None) -> str:
    if value is None:
        return MISSING
    if decimals is None:
        return f"{value:,}"
    return f"{Decimal(value):,.{decimals}f}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def words(value: object) -> str:
    return str(value).replace("-", " ")


def icon(value: object) -> str:
    return ICONS.get(str(value), "")


def anchor(text: object) -> str:
    """The fragment GitHub gives a heading with this text (`#{{ title|anchor }}`): lower
    case, punctuation and symbols dropped, spaces as hyphens."""
    kept = (
        ch
        for ch in str(text).strip().lower()
        if ch in " -_" or unicodedata.category(ch)[0] in "LNM"
    )
    return "".join(kept).replace(" ", "-")


def bar(done: int, total: int, width: int = 10) -> str:
    """A strip of `width` blocks, filled in proportion of done to total."""
    if total <= 0:
        return "▱" * width
    filled = min(width, (max(done, 0) * width + total // 2) // total)
    return "▰" * filled + "▱" * (width - filled)


FILTERS: Mapping[str, Callable[..., str]] = {
    "md": md,
    "cell": cell,
    "url": url,
    "date": format_date,
    "money": format_money,
    "number": format_number,
    "plural": plural,
    "words": words,
    "icon": icon,
    "bar": bar,
    "anchor": anchor,
    "gantt": gantt_text,
    "quadrant": quadrant_text,
}


# --- the environment ------------------------------------------------------------------------


_SAFE_ATTRIBUTES: dict[tuple[type, str], bool] = {}
"""ReportEnvironment.is_safe_attribute's answers, by the type of the object and the name."""
_METHOD_TYPES = frozenset({types.MethodType, types.BuiltinMethodType})
"""The types of a bound method (neither can be subclassed)."""
_DICT_ATTRIBUTES = frozenset(dir(dict))
"""The attributes a plain dict has (its instances can have no others)."""


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which also keeps templates off the clock (reports are
    a function of the data and the as-of day), bounds `*`, `**`, `+`, `%` and the string
    methods that grow a text, and renders within a budget: `seconds` from its making for
    all its documents together, `output_limit` characters for each."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(
        self,
        *,
        seconds: float = DEFAULT_RENDER_SECONDS,
        output_limit: int = MAX_TEXT,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self._templates: dict[str, jinja2.Template] = {}
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        """When the budget runs out (`time.monotonic`, which forked workers share)."""
        self.output_limit = output_limit
        self.output_left = output_limit
        """What the reports still to be rendered may have together (`allow_output`)."""

    def allow_output(self, documents: int) -> None:
        """Let the next `documents` reports have AVERAGE_REPORT characters each on average,
        or together as many as one report may have, whichever is more."""
        self.output_left = max(documents * AVERAGE_REPORT, self.output_limit)

    @internalcode  # as Jinja's own: left out of a template error's traceback
    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        # Asked for each document, and by each document for what it extends and imports.
        # Templates are never reloaded (`auto_reload` is off), so once loaded a template is
        # kept here, by name, ahead of Jinja's own cache (a lock and a list to reorder).
        if isinstance(name, str) and not globals and not self.auto_reload:
            template = self._templates.get(name)
            if template is None:
                template = self._templates[name] = super().get_template(name, parent)
            return template
        return super().get_template(name, parent, globals)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja's `getattr`, in one call for what templates read most: an attribute whose
        # name is already known safe for this type (`is_safe_attribute`) and whose value is
        # not a method (so not `str.format`, which Jinja's `wrap_str_format` sandboxes), or a
        # key of a plain dict (which has no attributes of its own to prefer). Anything else
        # goes the whole way, exactly as before.
        if _SAFE_ATTRIBUTES.get((type(obj), attribute)):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if type(value) not in _METHOD_TYPES:
                    return value
        elif type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Asked for every `x.y` a template evaluates (most of rendering's time). The answer,
        # Jinja's and the clock's, depends only on the type of `obj` and the name: each is
        # worked out once.
        key = (type(obj), attr)
        safe = _SAFE_ATTRIBUTES.get(key)
        if safe is None:
            safe = _SAFE_ATTRIBUTES[key] = not (
                attr in _CLOCK and isinstance(obj, (date, type))
            ) and bool(super().is_safe_attribute(obj, attr, value))
        return safe

    def call(  # Jinja's parameter names, which keep them apart from a call's keywords
        __self,
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # A template's own macro, called from a template: what Jinja's `call` comes to for
        # one (a macro is always safe to call and takes no context), in one step.
        if type(__obj) is jinja2.runtime.Macro:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        # 'x'.ljust(10**9), ''.join([s] * 100000): refused before they run. (`str.format`
        # comes wrapped by Jinja's sandbox, which names the method it wraps.)
        method = getattr(__obj, "__wrapped__", __obj)
        text = getattr(method, "__self__", None)
        name = getattr(method, "__name__", None)
        if isinstance(text, str) and name in GROWING_METHODS:
            if name == "join" and args:
                args = (list(args[0]), *args[1:])  # measured, then joined
            refuse_growth(name, grown_size(name, text, args, kwargs))
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: jinja2.runtime.Context, op: str, left: Any, right: Any) -> Any:
        if op == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"the exponent {right} is too large")
        if op == "%" and isinstance(left, str):  # '%02000000000d' % 1
            values = right if isinstance(right, tuple) else (right,)
            refuse_growth("%", printf_size(left, values))
        if op == "+" and sized(left) and sized(right) and len(left) + len(right) > MAX_TEXT:
            raise SecurityError("the result of '+' is too long")
        if op == "*":
            for seq, n in ((left, right), (right, left)):
                repeated = isinstance(seq, (str, list, tuple)) and isinstance(n, int)
                if repeated and len(seq) * n > MAX_REPEAT:
                    raise SecurityError("the result of '*' is too long")
            return operator.mul(left, right)
        return super().call_binop(context, op, left, right)


class _ConfinedLoader(jinja2.BaseLoader):
    """The programme's templates, read as its data files are (`read.limits`): regular files
    of at most the size limit (a named pipe would block the read, a device never end), found
    without leaving the programme folder (a pull request could otherwise render any file of
    the machine into a report). A symbolic link may lead elsewhere in the folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / TEMPLATES
        self.limit = max_file_bytes()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = os.path.join(self.folder, *split_template_path(template))  # refuses '..'
        shown = f"{TEMPLATES}/{template}"
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)  # then the built-in one
        if not leads_inside(self.root, path):
            raise TemplateError(
                f"{shown}: a symbolic link that leads outside the programme folder; "
                "copy the template into the folder instead"
            )
        try:
            data = read_bounded(path, self.limit)
        except FileTooLargeError as exc:
            raise TemplateError(
                f"{shown}: larger than {exc.limit:,} bytes: not read "
                f"(${MAX_FILE_BYTES_ENV} sets another limit)"
            ) from None
        except OSError as exc:
            raise TemplateError(f"{shown}: cannot read it: {exc.strerror or exc}") from None
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateError(f"{shown}: not UTF-8 text (byte {exc.start + 1})") from None
        return source, path, lambda: True  # never reloaded (`auto_reload` is off)


def _templates_folder(root: Path) -> Path | None:
    """The programme's templates folder, None when it has none. Raises TemplateError for
    one that cannot serve: a link out of the programme folder, a loop of links, something
    that is not a folder."""
    folder = root / TEMPLATES
    if not os.path.lexists(folder):
        return None
    if not leads_inside(root, folder):
        problem = "a symbolic link that leads outside the programme folder"
    else:
        try:
            is_folder = stat.S_ISDIR(os.stat(folder).st_mode)
        except OSError as exc:  # a loop of links
            problem = f"cannot be read: {exc.strerror or exc}"
        else:
            if is_folder:
                return folder
            problem = "not a folder"
    raise TemplateError(f"{TEMPLATES}/: {problem}; the programme's templates go in a folder")


def _finalize(value: Any) -> Any:
    return "" if value is None else value


def make_environment(root: Path | None = None) -> ReportEnvironment:
    """The environment for the programme folder at `root` (None: built-in templates only).
    Its time budget (`render_seconds`) starts now; a document may be as long as a file
    twincli reads (`read.limits.max_file_bytes`). Raises UsageError for a bad
    $TWINCLI_RENDER_SECONDS or $TWINCLI_MAX_FILE_BYTES."""
    builtin = jinja2.FileSystemLoader(str(builtin_templates()))
    loaders: list[jinja2.BaseLoader] = []
    if root is not None and _templates_folder(root) is not None:
        loaders.append(_ConfinedLoader(root))
    loaders += [builtin, jinja2.PrefixLoader({BUILTIN_PREFIX: builtin})]
    env = ReportEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=_finalize,
        seconds=render_seconds(),
        output_limit=max_file_bytes(),
    )
    env.filters.update({name: bounded(name, f) for name, f in env.filters.items()})
    env.filters.update(FILTERS)
    env.globals["namespace"] = BoundedNamespace
    # Output must not depend on chance: no random filler text, no random choice.
    env.globals.pop("lipsum", None)
    env.filters.pop("random", None)
    return env


# --- rendering, with errors that say where --------------------------------------------------


def render_template(
    env: ReportEnvironment,
    name: str,
    context: Mapping[str, Any],
    root: Path | None = None,
    target: str | None = None,
) -> str:
    """Render one template. Every failure becomes a TemplateError naming the template and
    line (relative to the programme folder `root`, or as a built-in) and the `target`."""
    try:
        template = env.get_template(name)
        with time_left(env), memory_ceiling(MEMORY_HEADROOM):
            return gather(template.generate(context), env)
    except TemplateError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        where = _where(exc.filename or exc.name or name, exc.lineno, root)
        raise _error(where, f"syntax error: {exc.message}", target) from None
    except jinja2.TemplateNotFound as exc:
        where = _innermost(exc.__traceback__, root) or _where(name, None, root)
        missing = exc.name if isinstance(exc.name, str) else str(exc)
        if missing == name:
            where = f"{TEMPLATES}/{name}"
            what = "no such template (in the programme's templates/ or the built-in ones)"
        else:
            what = f"no template {missing!r} to include or extend"
        raise _error(where, what, target) from None
    except (SecurityError, TimeoutError) as exc:
        where = _innermost(exc.__traceback__, root) or _where(name, None, root)
        raise _error(where, f"not allowed in a template: {exc}", target) from None
    except MemoryError as exc:
        where = _innermost(exc.__traceback__, root) or _where(name, None, root)
        what = f"used more than {MEMORY_HEADROOM // 2**20} MiB of memory"
        raise _error(where, f"not allowed in a template: {what}", target) from None
    except jinja2.UndefinedError as exc:
        where = _innermost(exc.__traceback__, root) or _where(name, None, root)
        # "'twincli.progress.standing.CohortProgress object' has no attribute 'x'": the class only
        what = re.sub(r"'(?:\w+\.)*(\w+) object'", r"\1", str(exc))
        raise _error(where, f"undefined: {what}", target) from None
    except Exception as exc:
        where = _innermost(exc.__traceback__, root) or _where(name, None, root)
        raise _error(where, f"{type(exc).__name__}: {exc}", target) from None


def _error(where: str, what: str, target: str | None) -> TemplateError:
    suffix = f" (rendering {target})" if target else ""
    return TemplateError(f"{where}: {what}{suffix}")


def _innermost(tb: TracebackType | None, root: Path | None) -> str | None:
    """The template and line of the innermost template frame: Jinja rewrites the traceback
    so that frames of template code carry the template's file name and line."""
    found = None
    while tb is not None:
        frame = tb.tb_frame
        if "__jinja_exception__" in frame.f_globals:
            found = (frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return _where(found[0], found[1], root) if found else None


def _where(filename: str, line: int | None, root: Path | None) -> str:
    """`templates/cohort.md.j2:12` for a programme's template, `built-in cohort.md.j2:12`
    for a built-in one."""
    shown = filename
    path = Path(filename)
    if path.is_absolute():
        resolved = path.resolve()
        for base, prefix in ((root, ""), (builtin_templates(), "built-in ")):
            if base is None:
                continue
            try:
                shown = prefix + resolved.relative_to(base.resolve()).as_posix()
                break
            except ValueError:
                continue
    return f"{shown}:{line}" if line else shown
