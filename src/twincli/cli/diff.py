"""`twincli diff`: what a change does to the programme, against a git revision."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from twincli.cli.common import (
    console,
    options,
    os_path,
    print_payload,
    reporting_errors,
    write_job_summary,
)
from twincli.cli.values import choice


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def diff(
    ctx: typer.Context,
    base: Annotated[
        str | None,
        typer.Argument(
            help="The git revision to compare with (e.g. origin/main), from where it and the "
            "head last met; default: where the branch left its upstream, else HEAD.",
            metavar="BASE",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            metavar="REF",
            help="Compare this git revision instead of the working tree (uncommitted and "
            "untracked files included).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat,
        choice(
            "--format",
            "-f",
            choices=DiffFormat,
            help="Text for the terminal, Markdown for a pull request, or JSON for scripts. "
            "Inside GitHub Actions the Markdown also goes to the job summary.",
        ),
    ] = DiffFormat.text,
) -> None:
    """What a change does to the programme against a git revision: records, figures, errors.

    Read from git's objects, nothing checked out: each city's outputs, visits, attendance and
    withdrawal changed, cohorts, pilots and sessions added, removed or moved; then, as of the
    day (--as-of), what becomes overdue or stops being so, health changes and cohort totals;
    then the errors and warnings the change introduces and fixes."""
    from twincli.compare import formats
    from twincli.compare.diff import compare

    opts = options(ctx)
    with reporting_errors():
        root = opts.root()
        comparison = compare(root, opts.today(), base, head, cache=opts.cache)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            write_job_summary(formats.markdown(comparison))
        if output_format is DiffFormat.json:
            print_payload(lambda: formats.payload(comparison))
            return
        out = console(opts)
        if output_format is DiffFormat.markdown:
            out.print(formats.markdown(comparison), end="")
            return
        from twincli.cli.validate import print_lines

        cwd = Path.cwd()
        print_lines(out, formats.text_lines(comparison, lambda rel: os_path(root, rel, cwd)))
