"""`twincli validate`: load and check everything, print the findings, exit 0, 1 or 2."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import (
    console,
    options,
    os_path,
    print_document,
    print_json,
    reporting_errors,
    write_job_summary,
)
from twincli.cli.values import choice

if TYPE_CHECKING:
    from rich.console import Console

    from twincli.check.formats import Display, Folded
    from twincli.diagnostics import Diagnostic


class Format(StrEnum):
    auto = "auto"
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


def resolve_format(chosen: Format, env: Mapping[str, str] | None = None) -> Format:
    """`auto` is `github` inside GitHub Actions, `text` elsewhere."""
    env = os.environ if env is None else env
    if chosen is not Format.auto:
        return chosen
    return Format.github if env.get("GITHUB_ACTIONS") == "true" else Format.text


def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Report only on these files (references still resolve against the whole folder).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        Format,
        choice(
            "--format",
            "-f",
            choices=Format,
            help="text, json, github (annotations and a job summary), sarif (code scanning), "
            "junit (CI test reports), or auto: github inside GitHub Actions, else text.",
        ),
    ] = Format.auto,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail too.", metavar="")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            help="In text, list every error that follows from a cause (by default the first "
            "few, then how many more).",
            metavar="",
        ),
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REF",
            help="Report only on files changed since this git revision (e.g. origin/main), "
            "including uncommitted and untracked ones.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load and check every file of the programme folder."""
    from twincli import __version__
    from twincli.check import formats
    from twincli.check.validate import check_folder, files_asked
    from twincli.terminal import printable

    opts = options(ctx)
    chosen = resolve_format(output_format)
    with reporting_errors():
        root = opts.root()
        only = files_asked(root, files or (), changed_since)
        result = check_folder(root, opts.today(), only, cache=opts.cache)

        cwd = Path.cwd()

        @functools.cache  # a file with many findings is named once
        def display(rel: str) -> str:
            return os_path(root, rel, cwd)

        if chosen is Format.json:
            print_json(formats.to_json(result.diagnostics, result.summary))
        elif chosen is Format.sarif:
            log = formats.to_sarif(
                result.diagnostics,
                display,
                version=__version__,
                srcroot=Path.cwd(),
                complete=not result.unreadable,
            )
            print_document(printable(log), "\n")
        elif chosen is Format.junit:
            report = formats.to_junit(result.diagnostics, result.files, display, strict=strict)
            print_document(printable(report), "\n")
        elif chosen is Format.github:
            lines = [formats.github_line(d, display) for d in result.diagnostics]
            print_lines(console(opts), [*lines, str(result.summary)])
            write_job_summary(formats.github_summary(result.diagnostics, result.summary, display))
        else:
            shown = formats.text_order(result.diagnostics, verbose=verbose)
            _print_text(console(opts), shown, display, str(result.summary))
    summary = result.summary
    if result.unreadable:
        raise typer.Exit(2)
    if summary.errors or (strict and summary.warnings):
        raise typer.Exit(1)


def _print_text(
    out: Console, shown: Sequence[Diagnostic | Folded], display: Display, summary: str
) -> None:
    """One line per diagnostic, as `formats.text_line` spells it, and one for each cause's
    consequences not listed, coloured on a terminal."""
    from twincli.check.formats import Folded, follows, text_line, text_parts
    from twincli.terminal import printable

    if out.color_system is None:  # not a terminal: the lines as they are, at once
        plain = [d.text(display) if isinstance(d, Folded) else text_line(d, display) for d in shown]
        print_lines(out, [*plain, summary])
        return
    lines: list[Pieces] = []
    for d in shown:
        if isinstance(d, Folded):
            lines.append([(d.text(display), "dim")])
            continue
        where, severity, code, message, hint = text_parts(d, display)
        pieces = [
            (where, "bold"),
            (" ", ""),
            (severity, "bold red" if d.is_error else "bold yellow"),
            (f" {code}", "dim"),
            (" " + message, ""),
        ]
        if hint:
            pieces.append((f" ({hint})", "cyan"))
        if d.cause is not None:
            pieces.append((f" ({printable(follows(d, display), one_line=True)})", "dim"))
        lines.append(pieces)
    lines.append([(summary, "bold")])
    print_coloured(out, lines)


Pieces = list[tuple[str, str]]
"""A line as pieces of text, each with its style."""


def print_coloured(out: Console, lines: Sequence[Pieces]) -> None:
    """Each line as a `Text` of its pieces in their styles, all printed by rich at once (a
    print of each would lay out each line on its own: seconds for 10,000 findings)."""
    from rich.text import Text

    out.print(Text("\n").join(Text.assemble(*pieces) for pieces in lines))


def print_lines(out: Console, lines: Sequence[str]) -> None:
    """`out.print(line)` for each line: the same text written at once, without the layout rich
    does for each line it prints (a tenth of a millisecond: seconds for a programme with
    thousands of findings). Text without a style has no colour codes, on a terminal or not.
    Lines with a tab go through rich, which expands tabs, as does a console that records,
    drops or shows otherwise what it prints."""
    held = out.record or out.quiet or out.is_jupyter or out.legacy_windows
    if held or any("\t" in line for line in lines):
        for line in lines:
            out.print(line)
        return
    from rich.control import strip_control_codes

    from twincli.terminal import printable

    # What rich does to a line: drop the control codes `Text` drops, then (`SafeConsole`)
    # escape what is unsafe.
    out.file.write("".join(printable(strip_control_codes(line)) + "\n" for line in lines))
    out.file.flush()
