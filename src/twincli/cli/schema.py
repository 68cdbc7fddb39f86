"""`twincli schema`: the JSON Schemas of the programme's files, for editors and other tools."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from twincli.cli.common import display_path, options, print_document, reporting_errors
from twincli.cli.values import choice
from twincli.errors import ProgrammeNotFoundError, UsageError

if TYPE_CHECKING:
    from twincli.cli.common import Options


class Kind(StrEnum):
    programme = "programme"
    cohort = "cohort"
    pilot = "pilot"
    city = "city"


def schema(
    ctx: typer.Context,
    kind: Annotated[
        Kind | None,
        choice(
            "--kind",
            choices=Kind,
            help="Only this kind: printed to stdout, or written to --out.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Write the schemas into this folder (default: .schemas/ in the programme folder).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """JSON Schemas (draft-07) of programme, cohort, pilot and city files, for editors."""
    from twincli.export import schemas
    from twincli.writing import write_atomic

    opts = options(ctx)
    with reporting_errors():
        if kind is not None and out is None:
            print_document(schemas.schema_json(kind.value))
            return
        folder = out if out is not None else _programme_root(opts) / schemas.SCHEMA_FOLDER
        try:
            if folder.exists() and not folder.is_dir():  # PermissionError above it
                raise UsageError(f"{folder} is not a folder")
            if kind is None:
                written = schemas.write_schemas(folder)
            else:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / schemas.schema_filename(kind.value)
                text = schemas.schema_json(kind.value)
                write_atomic(path, text.encode("utf-8"), durable=False)
                written = [path]
        except OSError as exc:
            raise UsageError(f"cannot write to {folder}: {exc.strerror or exc}") from None
        for path in written:
            print(f"wrote {display_path(path.parent.resolve(), path.name)}", file=sys.stderr)


def _programme_root(opts: Options) -> Path:
    try:
        return opts.root()
    except ProgrammeNotFoundError as exc:
        raise UsageError(f"{exc}; or write the schemas elsewhere with --out DIR") from None
