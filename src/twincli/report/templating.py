"""The one Jinja environment that renders reports, and the filters templates format with.

Templates come from the programme folder's `templates/` first (they arrive through pull
requests, so they are untrusted), then the built-in ones; `builtin/NAME` always names a
built-in, so a programme's template can extend the one it replaces. The environment is
Jinja's immutable sandbox: no attribute starting with `_`, no mutating methods, no
reading the clock, bounded `range`, `*` and `**`. Undefined variables are errors. What a
template builds is bounded too, by construction: text or lists from `+`, filters and
namespaces of at most MAX_TEXT items; a filter, a string method (`ljust`, `join`, ...), `%`
or `str.format` whose result would be longer is refused before it runs; a document is
gathered as it streams out, up to the size of a file `render --check` can read back; each
document renders under a memory ceiling (MEMORY_HEADROOM, where the system enforces one),
which stops what no check can see coming (`~`, a loop in a `{% set %}` block); and all the
documents of one command render within one time budget (`render_seconds`), so that a loop
or a recursion that would run for hours is stopped.
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

import functools
import importlib.resources
import operator
import os
import re
import signal
import stat
import string
import threading
import time
import types
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
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

from twincli.errors import TemplateError, UsageError
from twincli.read.limits import (
    MAX_FILE_BYTES_ENV,
    FileTooLargeError,
    leads_inside,
    max_file_bytes,
    read_bounded,
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
_MAX_REPEAT = 100_000
"""The longest string or list `*` may build, and so the largest `**` exponent's effect."""
_CLOCK = frozenset({"today", "now", "utcnow", "fromtimestamp", "utcfromtimestamp"})
MAX_TEXT = 10_000_000
"""The longest text or list a template may build by `+`, a filter or a namespace (a whole
report is a few kilobytes)."""
RENDER_SECONDS_ENV = "TWINCLI_RENDER_SECONDS"
DEFAULT_RENDER_SECONDS = 120.0
"""The longest all the templates of one command may take together (the example's 55 reports
take half a second, a programme of 1,000 cities' 4,021 a few seconds)."""
AVERAGE_REPORT = 64 * 1024
"""The reports of one command may have this many characters each on average (the example's
largest has 12,000), or together as many as one report may have, whichever is more: a
template cannot fill the memory with many reports each just under the size limit."""
MEMORY_HEADROOM = 192 * 1024 * 1024
"""How much memory one document's rendering may add to the process (a report takes a few
kilobytes), so that twincli stays under 300 MB whatever a template does."""
_GROWING_METHODS = frozenset(
    {"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "format", "format_map"}
)
"""The methods of `str` whose result may be longer than the text and their arguments."""


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
        if isinstance(text, str) and name in _GROWING_METHODS:
            if name == "join" and args:
                args = (list(args[0]), *args[1:])  # measured, then joined
            _refuse_growth(name, _grown_size(name, text, args, kwargs))
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: jinja2.runtime.Context, op: str, left: Any, right: Any) -> Any:
        if op == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"the exponent {right} is too large")
        if op == "%" and isinstance(left, str):  # '%02000000000d' % 1
            values = right if isinstance(right, tuple) else (right,)
            _refuse_growth("%", _printf_size(left, values))
        if op == "+" and _sized(left) and _sized(right) and len(left) + len(right) > MAX_TEXT:
            raise SecurityError("the result of '+' is too long")
        if op == "*":
            for seq, n in ((left, right), (right, left)):
                sized = isinstance(seq, (str, list, tuple)) and isinstance(n, int)
                if sized and len(seq) * n > _MAX_REPEAT:
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


def _sized(value: Any) -> bool:
    return isinstance(value, (str, list, tuple))


def _bounded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter that refuses widths and counts past MAX_TEXT, and, for those that
    grow a text (`center`, `indent`, `format`, `replace`, `join`), a result that would be
    longer, before it runs; any result past MAX_TEXT is refused too."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for v in (*args, *kwargs.values()) if kwargs else args:
            if isinstance(v, int) and not isinstance(v, bool) and v > MAX_TEXT:
                raise SecurityError(f"a number given to '{name}' is too large")
        if name in _GROWING_FILTERS:
            # after the context some filters take (`join`: the evaluation context)
            first = 1 if args and isinstance(args[0], _PASSED) else 0
            if name == "join" and len(args) > first:
                args = (*args[:first], list(args[first]), *args[first + 1 :])  # measured
            value, rest = (args[first], args[first + 1 :]) if len(args) > first else (None, ())
            text = value if isinstance(value, str) else ""
            _refuse_growth(name, _grown_size(name, text, rest, kwargs, filtered=value))
        result = function(*args, **kwargs)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_TEXT:
            raise SecurityError(f"the result of '{name}' is too long")
        return result

    return bounded


_GROWING_FILTERS = frozenset({"center", "indent", "format", "replace", "join"})
"""The built-in filters whose result may be longer than their value and arguments."""
_PASSED = (jinja2.nodes.EvalContext, jinja2.runtime.Context, jinja2.Environment)
"""What Jinja passes a filter before its value, when the filter asks for it."""
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]")
"""A `%` conversion: its width and precision (digits, or `*` for one taken from the values)."""
_DIGITS = re.compile(r"\d+")


def _refuse_growth(name: str, size: int | None) -> None:
    if size is not None and size > MAX_TEXT:
        raise SecurityError(
            f"the result of '{name}' would be too long ({size:,} characters, "
            f"more than {MAX_TEXT:,})"
        )


def _grown_size(
    name: str,
    text: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    filtered: Any = None,
) -> int | None:
    """At most how long `text.name(*args, **kwargs)` (or the filter `name` of `filtered`,
    whose text is `text`) will be, worked out without running it; None when it cannot be
    longer than what it is given."""

    def arg(index: int, key: str, default: Any) -> Any:
        return args[index] if len(args) > index else kwargs.get(key, default)

    if name in ("ljust", "rjust", "center", "zfill"):
        width = arg(0, "width", 80 if name == "center" else 0)
        return max(len(text), width) if _is_int(width) else None
    if name == "expandtabs":
        tabsize = arg(0, "tabsize", 8)
        return len(text) + text.count("\t") * max(tabsize, 0) if _is_int(tabsize) else None
    if name == "indent":  # the filter: each line, the first or not, gets the indent
        width = arg(0, "width", 4)
        indent = len(width) if isinstance(width, str) else width if _is_int(width) else 0
        return len(text) + (text.count("\n") + 1) * max(indent, 0)
    if name == "replace":
        old, new, count = arg(0, "old", ""), arg(1, "new", ""), arg(2, "count", None)
        if not (isinstance(old, str) and isinstance(new, str)):
            return None
        times = text.count(old) if old else len(text) + 1
        if _is_int(count) and count >= 0:
            times = min(times, count)
        return len(text) + times * max(len(new) - len(old), 0)
    if name == "join":  # the method on its separator, or the filter on its list
        items = filtered if filtered is not None else arg(0, "iterable", ())
        separator = text if filtered is None else arg(0, "d", "")
        if not (isinstance(items, list) and isinstance(separator, str)):
            return None
        return sum(map(_shown_length, items)) + len(separator) * max(len(items) - 1, 0)
    if name == "format" and filtered is not None:  # the filter: printf-style
        return _printf_size(text, (*args, *kwargs.values()))
    if name in ("format", "format_map"):
        values = (*args, *kwargs.values())
        if name == "format_map" and args and isinstance(args[0], Mapping):
            values = tuple(args[0].values())
        return _format_size(text, values)
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown_length(value: Any) -> int:
    """About how long `value` is as text: exactly for text and numbers, its items for a
    list (the memory ceiling stops what this underestimates)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (int, float, Decimal, date)):
        return len(str(value))
    return len(value) if isinstance(value, (list, tuple, dict)) else 64


def _printf_size(text: str, values: Iterable[Any]) -> int:
    """At most how long `text % values` is: the text, and for each conversion its width
    and precision, any `*` width taken from the values, and the longest value."""
    values = tuple(values)
    if len(values) == 1 and isinstance(values[0], Mapping):
        values = tuple(values[0].values())
    longest = max(map(_shown_length, values), default=0)
    stars = sum(v for v in values if _is_int(v) and v > 0)
    size = len(text)
    for conversion in _PRINTF.finditer(text):
        if conversion[0].endswith("%"):  # '%%', a percent sign
            continue
        for number in conversion.groups():
            size += stars if number == "*" else int(number or 0)
        size += longest
    return size


def _format_size(text: str, values: Iterable[Any]) -> int:
    """At most how long `text.format(*values)` is: the text, and for each field the numbers
    of its format spec, any width nested in it taken from the values, and the longest value."""
    values = tuple(values)
    longest = max(map(_shown_length, values), default=0)
    nested = sum(v for v in values if _is_int(v) and v > 0)
    size = len(text)
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:  # malformed: format raises the same
        return size
    for _, field, spec, _ in fields:
        if field is not None:
            spec = spec or ""
            size += longest + sum(int(n) for n in _DIGITS.findall(spec))
            size += nested if "{" in spec else 0
    return size


class _BoundedNamespace(jinja2.utils.Namespace):
    """`namespace()`, refusing to hold text or lists past MAX_TEXT (a loop doubling a text
    in a namespace would otherwise fill the memory in a few dozen turns)."""

    def __setitem__(self, name: str, value: Any) -> None:
        if _sized(value) and len(value) > MAX_TEXT:
            raise SecurityError(f"namespace value {name!r} is too long")
        super().__setitem__(name, value)


def render_seconds(env: Mapping[str, str] | None = None) -> float:
    """The time all the templates of one command may take together: $TWINCLI_RENDER_SECONDS,
    else DEFAULT_RENDER_SECONDS. Raises UsageError for a value that is not a positive number
    of seconds."""
    value = (os.environ if env is None else env).get(RENDER_SECONDS_ENV, "").strip()
    if not value:
        return DEFAULT_RENDER_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise UsageError(f"${RENDER_SECONDS_ENV}={value!r}: expected a positive number of seconds")
    return seconds


@contextmanager
def _time_left(env: ReportEnvironment) -> Iterator[None]:
    """Raise TimeoutError in the code running when `env`'s budget runs out (POSIX, main
    thread only; elsewhere no limit)."""

    def expired(signum: int = 0, frame: Any = None) -> None:
        raise TimeoutError(
            f"the templates took more than {env.seconds:g} s in all, the budget of one "
            f"command (a loop or a recursion too large? ${RENDER_SECONDS_ENV} sets another)"
        )

    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    left = env.deadline - time.monotonic()
    if left <= 0:
        expired()
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, left)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _memory_ceiling(headroom: int) -> Iterator[None]:
    """Let the code running add at most `headroom` bytes to the process's address space: past
    it, an allocation raises MemoryError, whatever made it. This bounds what no check can
    see coming (a template's `~`, or a loop appending to a `{% set %}` block, grows without
    calling anything Jinja lets a sandbox intercept). Where the system has no such limit, or
    does not say how large the process is (`/proc`: Linux), there is none."""
    try:
        import resource

        statm = os.open("/proc/self/statm", os.O_RDONLY)  # a third of `open`'s cost
        try:
            size = int(os.read(statm, 128).split()[0]) * resource.getpagesize()
        finally:
            os.close(statm)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    ceiling = size + headroom
    unlimited = resource.RLIM_INFINITY
    if (soft != unlimited and soft <= ceiling) or (hard != unlimited and hard < ceiling):
        yield  # already limited as much (by whoever started twincli)
        return
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _gather(stream: Iterator[str], env: ReportEnvironment) -> str:
    """A document's text as the template streams it, stopped as soon as it is longer than a
    report may be, or than what the reports still to come may have together: the error is
    raised inside the template, where it was writing, so that it names that line."""
    limit = min(env.output_limit, env.output_left)
    parts = []
    size = 0
    for part in stream:
        size += len(part)
        if size > limit:
            what = (
                f"the document would be longer than {limit:,} characters, more than "
                f"`render --check` reads back (${MAX_FILE_BYTES_ENV} sets another limit)"
                if limit == env.output_limit
                else f"the reports would be longer than {AVERAGE_REPORT:,} characters each on "
                "average, more than one command holds in memory"
            )
            error = SecurityError(what)
            if isinstance(stream, types.GeneratorType):
                stream.throw(error)
            raise error
        parts.append(part)
    env.output_left -= size
    return "".join(parts)


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
    env.filters.update({name: _bounded(name, f) for name, f in env.filters.items()})
    env.filters.update(FILTERS)
    env.globals["namespace"] = _BoundedNamespace
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
        with _time_left(env), _memory_ceiling(MEMORY_HEADROOM):
            return _gather(template.generate(context), env)
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
