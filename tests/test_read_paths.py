"""Every path twincli reads in a programme folder, against what a pull request (or a bad day) can
put there instead of a file or a folder: a symbolic link out of the folder, a link to a device, a
device, a named pipe, a loop of links, a file too large, and for the reports folder a link back
into the data.

The paths: `programme.yaml`, a record file, a kind folder, a template, the templates folder, a
report, the reports folder and a folder in it. Each command that reads the path must end with a
message that names it (exit 1 or 2; `status` may go on with a warning), never with a traceback, a
hang or an exhausted memory; it must read nothing outside the folder, and write nothing into the
data or outside the reports folder. Named pipes and devices run the command in a process of its
own, with a time and memory limit, so that a regression fails here rather than hangs the suite.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.hostile import HOSTILE_AS_OF, HOSTILE_FILES
from tests.support.folders import build_tree
from twincli.cli import app
from twincli.read.limits import DEFAULT_MAX_FILE_BYTES

FOLDERS = {"cities", "templates", "reports", "reports/cities"}
"""The paths below that twincli expects to be folders (the others are files)."""
PATHS = {
    "programme.yaml": ("validate", "status", "render --check"),
    "cities/zz.yaml": ("validate", "status", "render --check"),
    "cities": ("validate", "status", "render --check"),
    "templates/overview.md.j2": ("render --check", "render"),
    "templates": ("render --check", "render"),
    "reports/README.md": ("render --check", "render"),
    "reports": ("render --check", "render"),
    "reports/cities": ("render --check", "render"),
}
"""Each path, and the commands that read it."""
ISOLATED = {"named pipe", "device", "link to a device"}
"""Hazards that could hang a read or fill the memory: run in a process of their own, with the
first command of the path only (the others read it the same way), but both of the reports'
(`render` reads a report to see whether it may replace it)."""
SECRET = "the machine's secrets"
DATA = ("programme.yaml", "cohorts", "pilots", "cities")


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def make_outside(tmp_path: Path, rel: str) -> Path:
    """Something outside the programme folder of the kind expected at `rel`, that would be
    read without complaint if a link there were followed."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    if rel == "cities":
        (outside / "soria.yaml").write_text(HOSTILE_FILES["cities/soria.yaml"], encoding="utf-8")
        return outside
    if rel in FOLDERS:
        (outside / "overview.md.j2").write_text(SECRET + "\n", encoding="utf-8")
        (outside / "README.md").write_text(SECRET + "\n", encoding="utf-8")
        return outside
    target = outside / "file"
    text = {"programme.yaml": HOSTILE_FILES["programme.yaml"]}.get(rel, SECRET + "\n")
    target.write_text(text, encoding="utf-8")
    return target


def clear(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def hazard(name: str, root: Path, rel: str, tmp_path: Path) -> None:
    """Put `name` at `rel` in the programme folder `root`."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    clear(path)
    folder = rel in FOLDERS
    if name == "link out":
        path.symlink_to(make_outside(tmp_path, rel), target_is_directory=folder)
    elif name == "link to a device":
        path.symlink_to("/dev" if folder else "/dev/zero", target_is_directory=folder)
    elif name == "device":
        os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # what /dev/zero is
    elif name == "named pipe":
        os.mkfifo(path)
    elif name == "loop":
        path.symlink_to(path.name, target_is_directory=folder)
    elif name == "too large":  # sparse: no disk is spent
        with open(path, "wb") as handle:
            handle.truncate(DEFAULT_MAX_FILE_BYTES + 1)
    elif name == "link into the data":
        path.symlink_to(root / "cities" if rel == "reports" else root / "reports/cohorts")
    else:
        raise AssertionError(name)


def cases() -> list[object]:
    found = []
    for rel in PATHS:
        hazards = ["link out", "link to a device", "device", "named pipe", "loop"]
        if rel not in FOLDERS:
            hazards.append("too large")
        if rel in ("reports", "reports/cities"):
            hazards.append("link into the data")
        for name in hazards:
            commands = PATHS[rel]
            marks = []
            if name == "device" and not is_root():
                marks.append(pytest.mark.skip(reason="making a device needs root"))
            if name in ISOLATED and not rel.startswith("reports"):
                commands = commands[:1]  # the others read the path the same way
            for command in commands:
                found.append(
                    pytest.param(rel, name, command, id=f"{rel}-{name}-{command}", marks=marks)
                )
    return found


def snapshot(root: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    found = {}
    for name in names:
        top = root / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def run(root: Path, command: str, isolated: bool) -> tuple[int, str]:
    """Run `twincli COMMAND` on `root`: exit code and all it printed."""
    args = ["--data", str(root), "--as-of", HOSTILE_AS_OF, *command.split()]
    if not isolated:
        result = CliRunner().invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        return result.exit_code, result.output

    def limit_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "twincli", *args],
        capture_output=True, text=True, timeout=60, preexec_fn=limit_memory,
        env={**os.environ, "TWINCLI_NO_CACHE": "1"},
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile programme with its reports, rendered once (copied for each test)."""
    root = build_tree(tmp_path_factory.mktemp("rendered") / "programme", HOSTILE_FILES)
    result = CliRunner().invoke(app, ["--data", str(root), "--as-of", HOSTILE_AS_OF, "render"])
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize(("rel", "name", "command"), cases())
def test_every_read_path_refuses_what_is_not_a_file_or_folder_of_its_own(
    rendered: Path, tmp_path: Path, rel: str, name: str, command: str
) -> None:
    root = tmp_path / "programme"
    shutil.copytree(rendered, root, symlinks=True)
    hazard(name, root, rel, tmp_path)
    data = snapshot(root, DATA)
    outside = snapshot(tmp_path, ("outside",))
    code, output = run(root, command, name in ISOLATED)
    assert "Traceback" not in output, output
    assert SECRET not in output
    if command == "status" and code == 0:  # it goes on, saying the figures may be incomplete
        assert "the data has" in output, output
    else:
        assert code in (1, 2), output
        assert rel in output, output
    if command == "validate" and rel != "programme.yaml":  # a diagnostic, the rest checked
        assert f"{rel}:1:1: error TC1" in output, output
    assert snapshot(root, DATA) == data
    assert snapshot(tmp_path, ("outside",)) == outside
    if rel.startswith("reports") and name != "link into the data":
        assert not any((root / "cities").rglob("*.md")), "a report was written into the data"


def test_a_loop_of_links_for_a_kind_folder_is_not_taken_for_no_folder(tmp_path: Path) -> None:
    """`cities -> cities` once looked like a programme without cities: `validate` said
    nothing, the cities' files unread. It is a folder that cannot be listed (TC101)."""
    root = build_tree(tmp_path / "programme", HOSTILE_FILES)
    shutil.rmtree(root / "cities")
    (root / "cities").symlink_to("cities", target_is_directory=True)
    result = CliRunner().invoke(app, ["--data", str(root), "--as-of", HOSTILE_AS_OF, "validate"])
    assert result.exit_code == 2, result.output
    assert "cities:1:1: error TC101 cannot list the folder: " in result.output
