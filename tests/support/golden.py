"""Expected output kept in files under `tests/golden/`: the example's rendered reports, and
what `show` and `deadlines` print. After a deliberate change in the output,

    UPDATE_GOLDEN=1 make pytest

rewrites the files from what the code gives; review the diff before committing it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.support.folders import REPO, snapshot

GOLDEN = REPO / "tests" / "golden"
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))

HOW_TO_UPDATE = "if the change is meant, run `UPDATE_GOLDEN=1 make pytest` and review the diff"


def check_text(name: str, text: str) -> None:
    """`text` is what `tests/golden/NAME` holds."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"differs from tests/golden/{name}: {HOW_TO_UPDATE}"
    )


def check_folder(name: str, folder: Path) -> None:
    """The files under `folder` are those of `tests/golden/NAME`, byte for byte."""
    golden = GOLDEN / name
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(folder, golden)
    assert snapshot(folder) == snapshot(golden), (
        f"differs from tests/golden/{name}: {HOW_TO_UPDATE}"
    )
