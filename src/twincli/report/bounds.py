"""What a template may cost: the bounds the report environment (`templating`) holds every
template to, by construction.

Text or lists built by `+`, filters and namespaces hold at most MAX_TEXT items; a filter, a
string method (`ljust`, `join`, ...), `%` or `str.format` whose result would be longer is
refused before it runs (`bounded`, `grown_size`, `printf_size`); a document is gathered as it
streams out, up to the size of a file `render --check` can read back, and the documents of one
command share a total (`gather`); each document renders under a memory ceiling
(MEMORY_HEADROOM, `memory_ceiling`, where the system enforces one), which stops what no check
can see coming (`~`, a loop in a `{% set %}` block); and all the documents of one command render
within one time budget (`render_seconds`, `time_left`), so that a loop or a recursion that would
run for hours is stopped.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import string
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.exceptions import SecurityError

from twincli.errors import UsageError
from twincli.read.limits import MAX_FILE_BYTES_ENV

if TYPE_CHECKING:
    from twincli.report.templating import ReportEnvironment

MAX_REPEAT = 100_000
"""The longest string or list `*` may build, and so the largest `**` exponent's effect."""
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
GROWING_METHODS = frozenset(
    {"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "format", "format_map"}
)
"""The methods of `str` whose result may be longer than the text and their arguments."""


def sized(value: Any) -> bool:
    return isinstance(value, (str, list, tuple))


def bounded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter that refuses widths and counts past MAX_TEXT, and, for those that
    grow a text (`center`, `indent`, `format`, `replace`, `join`), a result that would be
    longer, before it runs; any result past MAX_TEXT is refused too."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for v in (*args, *kwargs.values()) if kwargs else args:
            if isinstance(v, int) and not isinstance(v, bool) and v > MAX_TEXT:
                raise SecurityError(f"a number given to '{name}' is too large")
        if name in GROWING_FILTERS:
            # after the context some filters take (`join`: the evaluation context)
            first = 1 if args and isinstance(args[0], _PASSED) else 0
            if name == "join" and len(args) > first:
                args = (*args[:first], list(args[first]), *args[first + 1 :])  # measured
            value, rest = (args[first], args[first + 1 :]) if len(args) > first else (None, ())
            text = value if isinstance(value, str) else ""
            refuse_growth(name, grown_size(name, text, rest, kwargs, filtered=value))
        result = function(*args, **kwargs)
        if isinstance(result, (str, list, tuple)) and len(result) > MAX_TEXT:
            raise SecurityError(f"the result of '{name}' is too long")
        return result

    return bounded


GROWING_FILTERS = frozenset({"center", "indent", "format", "replace", "join"})
"""The built-in filters whose result may be longer than their value and arguments."""
_PASSED = (jinja2.nodes.EvalContext, jinja2.runtime.Context, jinja2.Environment)
"""What Jinja passes a filter before its value, when the filter asks for it."""
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]")
"""A `%` conversion: its width and precision (digits, or `*` for one taken from the values)."""
_DIGITS = re.compile(r"\d+")


def refuse_growth(name: str, size: int | None) -> None:
    if size is not None and size > MAX_TEXT:
        raise SecurityError(
            f"the result of '{name}' would be too long ({size:,} characters, "
            f"more than {MAX_TEXT:,})"
        )


def grown_size(
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
        return printf_size(text, (*args, *kwargs.values()))
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


def printf_size(text: str, values: Iterable[Any]) -> int:
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


class BoundedNamespace(jinja2.utils.Namespace):
    """`namespace()`, refusing to hold text or lists past MAX_TEXT (a loop doubling a text
    in a namespace would otherwise fill the memory in a few dozen turns)."""

    def __setitem__(self, name: str, value: Any) -> None:
        if sized(value) and len(value) > MAX_TEXT:
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
def time_left(env: ReportEnvironment) -> Iterator[None]:
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
def memory_ceiling(headroom: int) -> Iterator[None]:
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


def gather(stream: Iterator[str], env: ReportEnvironment) -> str:
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
