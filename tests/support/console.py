"""A rich console made as the commands make theirs, for the tests of what they print."""

from __future__ import annotations

import io
from typing import Any


def make_console(**options: Any) -> Any:
    """A console as `cli.common.console` makes one (twincli's escaping, no highlighting, emoji
    or markup, lines not wrapped) writing to a StringIO, with `options` on top (a width, a
    colour system, `force_terminal`, ...)."""
    from twincli.terminal import safe_console_class

    settings = {"file": io.StringIO(), "highlight": False, "soft_wrap": True, "emoji": False}
    return safe_console_class()(**{**settings, "markup": False, **options})
