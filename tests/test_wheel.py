"""The wheel carries the built-in templates: build it, install it in a fresh virtual
environment, and render a copy of the example programme from outside the repository.

The wheel is built offline with the hatchling of the development environment
(`--no-build-isolation`). The fresh environment gets twincli only from the wheel; its
dependencies (typer, rich, ...) come from the development environment through a `.pth`
file, so the test needs no network and takes a few seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support.folders import EXAMPLE, REPO

GOLDEN = Path(__file__).parent / "golden" / "example"

pytestmark = pytest.mark.wheel


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_installed_wheel_renders_from_outside_the_repository(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="hatchling is in the dev extra: pip install -e .[dev]")
    wheels = tmp_path / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        wheels,
        REPO,
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("twincli-*.whl")

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).strip()
    )
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--quiet",
        "--no-deps",
        "--no-index",
        wheel,
        cwd=tmp_path,
    )
    # Dependencies from the development environment, after the venv's own site-packages.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TWINCLI_DATA")}
    where = _run(
        python,
        "-c",
        "import twincli, twincli.report.templating as t; print(twincli.__file__); "
        "print(t.builtin_templates())",
        cwd=tmp_path,
        env=env,
    ).split()
    assert all(Path(p).is_relative_to(site) for p in where), where  # nothing from the repo

    programme = tmp_path / "programme"
    shutil.copytree(EXAMPLE, programme, ignore=shutil.ignore_patterns("reports"))
    twincli = venv / "bin" / "twincli"
    out = _run(twincli, "--as-of", "2025-06-30", "render", cwd=programme, env=env)
    assert out.endswith("55 reports in reports/: 55 written, 0 unchanged\n")
    rendered = {
        p.relative_to(programme / "reports").as_posix(): p.read_bytes()
        for p in sorted((programme / "reports").rglob("*.md"))
    }
    golden = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*.md"))
    }
    assert rendered == golden
    check = _run(
        twincli,
        "--data",
        programme,
        "--as-of",
        "2025-09-01",
        "render",
        "--check",
        cwd=tmp_path,
        env=env,
    )
    assert check.endswith(" up to date\n")
