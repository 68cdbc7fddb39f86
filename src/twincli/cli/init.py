"""`twincli init PATH`: a new programme folder, ready for its first cohort."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from twincli.cli.common import console, display_path, options, reporting_errors


def init(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="The folder to create the programme in: a new one, or an empty one (a fresh "
            "`git init` is fine).",
            show_default=False,
        ),
    ],
) -> None:
    """Create a new programme folder, ready for its first cohort.

    It holds:
    - programme.yaml, with the programme's editions
    - empty cohorts/, pilots/ and cities/ folders
    - a README, a CI workflow, a pre-commit config and editor schemas

    Refuses a folder that is not empty."""
    from twincli.edit.scaffold import init_programme

    opts = options(ctx)
    with reporting_errors():  # an OSError: CannotWriteError, and nothing half-made is left
        folder = path.absolute()
        written = init_programme(folder)
        out = console(opts)
        for rel in written:
            out.print(f"created {display_path(folder, rel)}")
        where = "" if folder == Path.cwd() else f"cd {display_path(folder.parent, folder.name)}; "
        out.print(
            f"Next: {where}add a cohort (twincli new cohort cohort-1 --edition tlp-18 --start "
            "YYYY-MM-DD), its pilots and cities; commit and push: the workflow renders "
            "reports/ on main."
        )
