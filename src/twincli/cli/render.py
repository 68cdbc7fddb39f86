"""`twincli render`: write the Markdown reports, or check that they are up to date."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import Options, console, display_path, options, reporting_errors
from twincli.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from twincli.diagnostics import Diagnostic
    from twincli.report.render import Finding, Renderer, Written

PROGRESS_FROM = 20
"""Show a progress bar (on a terminal) when at least this many reports are rendered."""
DATA_FOLDERS = ("cohorts", "pilots", "cities", "templates")
ERRORS_SHOWN = 10
"""When the data has errors, render shows this many of them (validate shows them all)."""

_PROBLEMS = {
    "stale": "stale: the data now renders it differently (as of {as_of})",
    "missing": "missing",
    "left over": "left over: its data no longer exists",
    "not generated": "has no twincli marker (written by hand?)",
}


def render(
    ctx: typer.Context,
    cohort: Annotated[
        str | None,
        typer.Option("--cohort", metavar="ID", help="Only this cohort's report and documents."),
    ] = None,
    city: Annotated[
        str | None, typer.Option("--city", metavar="ID", help="Only this city's documents.")
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", metavar="ID", help="Only this output's documents.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", help="Where to write (default: reports/ in the programme)."
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 if a report is stale, missing or left over.",
            metavar="",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files without the marker too.", metavar="")
    ] = False,
) -> None:
    """Write Markdown reports: an overview, one per cohort, one per city output."""
    from twincli.errors import InvalidDataError
    from twincli.progress.views import valid_model
    from twincli.report.plan import Selection
    from twincli.report.render import Renderer
    from twincli.report.templating import make_environment

    opts = options(ctx)
    with reporting_errors():
        root = opts.root()
        out_dir = _out_dir(root, out)
        try:
            programme = valid_model(root, opts.today(), cache=opts.cache)
        except InvalidDataError as exc:
            _print_errors(root, exc.errors)
            raise typer.Exit(1) from None
        renderer = Renderer(
            programme, root, out_dir, make_environment(root), Selection(cohort, city, output)
        )
        failed = _check(renderer, opts) if check else _render(renderer, opts, force)
    if failed:
        raise typer.Exit(1)


def _print_errors(root: Path, errors: Sequence[Diagnostic]) -> None:
    """The first errors, and that no report was rendered."""
    from twincli.check.formats import text_line

    for d in errors[:ERRORS_SHOWN]:
        print(text_line(d, lambda rel: display_path(root, rel)), file=sys.stderr)
    n = len(errors)
    more = f" ({n - ERRORS_SHOWN} more: run `twincli validate`)" if n > ERRORS_SHOWN else ""
    print(
        f"twincli: the data has {_plural(n, 'error')}{more}: no report was rendered; "
        "fix the data, then render again",
        file=sys.stderr,
    )


def _out_dir(root: Path, out: Path | None) -> Path:
    if out is None:
        from twincli.read.limits import leads_inside

        reports = root / "reports"
        # A `reports` link (from a pull request) is never followed: out of the folder, or
        # into the data, or round in a loop.
        if os.path.islink(reports):
            where = (
                "" if leads_inside(root, reports) else " that leads outside the programme folder"
            )
            raise UsageError(
                f"reports/ is a symbolic link{where}: reports are written only into a real "
                "folder; make it one, or choose another with --out"
            )
        return reports
    try:
        resolved = out.resolve()
    except RuntimeError:  # pathlib: a loop of symbolic links
        raise UsageError(f"--out {out}: a loop of symbolic links") from None
    data = [root.resolve(), *(root.resolve() / name for name in DATA_FOLDERS)]
    if any(resolved == d for d in data) or any(d in resolved.parents for d in data[1:]):
        raise UsageError(f"--out {out}: reports cannot go into the programme's data folders")
    if resolved.exists() and not resolved.is_dir():
        raise UsageError(f"--out {out}: not a folder")
    return resolved


def _render(renderer: Renderer, opts: Options, force: bool) -> bool:
    from twincli.report.render import write_reports

    as_of = opts.today()
    documents = renderer.plan(as_of)
    with _progress(opts, len(documents), "rendering") as step:
        bodies = renderer.render(documents, step)
    written = write_reports(
        renderer.out,
        bodies,
        {d.path: d.as_of for d in documents},
        force=force,
        remove_left_overs=renderer.selection.everything,
    )
    _print_written(renderer, opts, written)
    return bool(written.refused)


def _print_written(renderer: Renderer, opts: Options, written: Written) -> None:
    from twincli.terminal import path_text, printable

    out = console(opts)
    folder = _shown(renderer).removesuffix("/")
    prefix = "" if folder == "." else folder + "/"
    # Thousands of plain lines: written as a console prints them (`printable`), without the
    # layout work rich does for each (a fifth of rendering 4,000 reports).
    lines = [f"wrote {prefix}{rel}\n" for rel in written.written]
    lines += [f"removed {prefix}{rel} (its data no longer exists)\n" for rel in written.removed]
    sys.stdout.write(printable(path_text("".join(lines))))  # a file's name may be any bytes
    sys.stdout.flush()
    for rel in written.refused:
        print(
            f"twincli: {_shown(renderer, rel)} has no twincli marker (written by hand?): "
            "left as it is; --force overwrites it",
            file=sys.stderr,
        )
    counts = [
        f"{len(written.written)} written",
        f"{len(written.unchanged)} unchanged",
    ]
    if written.removed:
        counts.append(f"{len(written.removed)} removed")
    if written.refused:
        counts.append(f"{len(written.refused)} left alone")
    total = len(written.written) + len(written.unchanged) + len(written.refused)
    out.print(f"{_plural(total, 'report')} in {_shown(renderer)}: {', '.join(counts)}")


def _check(renderer: Renderer, opts: Options) -> bool:
    from twincli.report.render import check_reports

    planned = renderer.plan(opts.today())
    # The reports checked, as the summary counts them (not the files on disk: one may be
    # missing, written by hand or left over).
    with _progress(opts, len(planned), "checking") as step:
        findings, checked = check_reports(renderer, opts.today(), step)
    _print_findings(renderer, opts, findings, checked)
    return bool(findings)


def _print_findings(
    renderer: Renderer, opts: Options, findings: list[Finding], checked: int
) -> None:
    out = console(opts)
    for f in findings:
        problem = _PROBLEMS[f.problem].format(as_of=f.as_of)
        out.print(f"{_shown(renderer, f.path)}: {problem}")
    if findings:
        out.print(
            f"{len(findings)} of {_plural(checked, 'report')} in {_shown(renderer)} "
            "out of date (run `twincli render` to update them)"
        )
    else:
        out.print(f"{_plural(checked, 'report')} in {_shown(renderer)} up to date")


def _shown(renderer: Renderer, rel: str = "") -> str:
    """A report's path, or the reports folder's with `/`, as the user sees it."""
    if rel:
        return display_path(renderer.out, rel)
    return display_path(renderer.out.parent, renderer.out.name) + "/"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@contextmanager
def _progress(opts: Options, total: int, what: str) -> Iterator[Callable[[], None] | None]:
    """A progress bar on stderr, only on a terminal and for many reports."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        console=console(opts, stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)
