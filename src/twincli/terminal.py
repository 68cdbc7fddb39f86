"""Text from the data made safe for a terminal.

A programme's files arrive through pull requests, and their text reaches terminals and CI logs
through every view, message and diagnostic. YAML's double-quoted escapes (`"\\e[2J"`,
`"\\x9b"`) and file names can carry control characters: an ANSI escape sequence could clear
the screen, hide lines, retitle the window or forge a link, and a bidirectional override could
make a line read differently from what it holds. So every control character (C0 but tab and
line feed, DEL, C1) and every bidirectional embedding, override or isolate is written as a
visible `\\uXXXX` escape: a JSON string stays valid and means the same, and a person sees
what is there. Rich markup is never interpreted (every console has `markup=False`), so
`[red]` prints as typed.

`safe_console_class()` is the rich Console every command prints with: it escapes what it
renders, whatever the view built from the data, after rich's own styling (which it leaves as
it is) and before anything reaches the terminal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters but tab and line feed, and bidirectional embeddings, overrides and
isolates (which reorder what a terminal shows)."""
UNSAFE = _UNSAFE
"""What `printable` writes as a `\\uXXXX` escape (but line feeds)."""
_UNSAFE_IN_A_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
"""The same, and every line break (line feeds, and the line and paragraph separators, which
Python's `splitlines` and some viewers break lines at): one diagnostic, one line."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def path_text(text: str) -> str:
    """A path, or a name taken from one, as text that any output can carry. A file name is
    bytes (git and file systems store any), and Python holds each byte of one that is not
    UTF-8 as a lone surrogate (U+DC80 to U+DCFF: `os.fsdecode`), which no UTF-8 output can
    write: each is shown as `\\xNN`, the byte it stands for (any other lone surrogate as
    `\\uXXXX`). Every format names files through it, and the console streams write any
    lone surrogate that still reaches them the same way (`DEGRADE`)."""
    return _SURROGATE.sub(_as_byte, text)


def _as_byte(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every character unsafe for a terminal written as a `\\uXXXX` escape
    (`one_line`: line feeds too)."""
    pattern = _UNSAFE_IN_A_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


DEGRADE = "twincli.degrade"
"""The error handler (`codecs.register_error`) of twincli's stdout and stderr: what the
stream's encoding cannot write (a Latin-1 or ASCII terminal, a redirect on Windows) is
transliterated, never a crash (`twincli.cli.main`)."""

_PLAIN = {
    "\u2192": "->",
    "\u2190": "<-",
    "\u2026": "...",
    "\u2013": "-",
    "\u2014": "-",
    "\u00b7": "-",
    "\u20ac": "EUR",
    "\u00d7": "x",
    "\u25b6": ">",
    "\u25b0": "#",
    "\u25b1": "-",
}
"""What twincli's own symbols (arrows, ellipses, dashes, the middle dot of headings, the euro,
the progress bars) become where the encoding has no place for them."""


def degrade(error: UnicodeError) -> tuple[str, int]:
    """`DEGRADE`: each character the encoding cannot write as the nearest it can. A byte of a
    file name that is not UTF-8 as `\\xNN` (`path_text`); twincli's symbols in ASCII
    (`→` as `->`); a letter without its accents (`ş` as `s`, `Å` as `A`); accents and joiners
    alone as nothing; anything else as `?`."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    unwritable = error.object[error.start : error.end]
    return "".join(_nearest(char, error.encoding) for char in unwritable), error.end


def _nearest(char: str, encoding: str) -> str:
    import unicodedata

    if "\ud800" <= char <= "\udfff":
        return path_text(char)
    if char in _PLAIN:
        return _PLAIN[char]
    base = "".join(
        part
        for part in unicodedata.normalize("NFKD", char)
        if unicodedata.category(part)[0] != "M" and unicodedata.category(part) != "Cf"
    )
    try:
        base.encode(encoding)
    except UnicodeEncodeError:
        return "?"
    return base


@functools.cache
def safe_console_class() -> type[Console]:
    """A rich Console that escapes unsafe characters in everything it renders."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def render(
            self, renderable: RenderableType, options: ConsoleOptions | None = None
        ) -> Iterable[Segment]:
            for segment in super().render(renderable, options):
                if segment.control is None and _UNSAFE.search(segment.text):
                    yield Segment(printable(segment.text), segment.style)
                else:
                    yield segment  # rich's own controls (a progress bar) stay as they are

        def on_broken_pipe(self) -> None:
            # Rich exits 1 when the reader of a pipe goes away (`twincli status | head`);
            # twincli stops quietly with 0 then (`cli.common.reporting_errors`), whatever
            # printed last.
            raise BrokenPipeError

    return SafeConsole
