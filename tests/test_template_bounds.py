"""What a template may cost: every way to build gigabytes, and one time budget for a command.

Each hostile template below once made `render` and `render --check` allocate gigabytes (or
run until the machine gave out): a string method or a format given a width or a count, a
loop writing a large text many times, a filter joining or indenting a long one, `~` and a
loop in a `{% set %}` block, which no check can see coming. Now each stops with the template
and line and a message saying what it would have cost (exit 2, as every template error),
before anything is written. `make hostile` runs the same templates in processes of their own
and measures their peak memory and time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile import (
    HOSTILE_AS_OF,
    HOSTILE_FILES,
    REFUSED_BEFORE_THEY_RUN,
    STOPPED_BY_THE_MEMORY_CEILING,
    every_document,
)
from tests.support.cli import process_env, run, twincli_process
from tests.support.folders import EXAMPLE, build_tree
from twincli.errors import UsageError
from twincli.report.bounds import (
    DEFAULT_RENDER_SECONDS,
    RENDER_SECONDS_ENV,
    render_seconds,
)

TEMPLATE = "templates/learning-roadmap.md.j2"
REPORT = "cities/soria/learning-roadmap.md"


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    """The hostile programme, its reports rendered with the built-in templates."""
    root = build_tree(tmp_path / "programme", HOSTILE_FILES)
    assert run(root, "render", as_of=HOSTILE_AS_OF).exit_code == 0
    return root


def reports_of(root: Path) -> dict[str, bytes]:
    files = (root / "reports").rglob("*")
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if p.is_file()}


VECTORS = {
    **{name: (*case, False) for name, case in REFUSED_BEFORE_THEY_RUN.items()},
    **{name: (*case, True) for name, case in STOPPED_BY_THE_MEMORY_CEILING.items()},
}
"""Each hostile template, what its error says, and whether it runs in a process of its own:
those the memory ceiling stops do, since the ceiling is the process's."""


@pytest.mark.parametrize("vector", VECTORS)
@pytest.mark.parametrize("check", [False, True], ids=["render", "check"])
def test_a_template_that_would_build_gigabytes_stops_before_it_does(
    rendered: Path, vector: str, check: bool
) -> None:
    template, message, own_process = VECTORS[vector]
    if own_process and not Path("/proc/self/statm").exists():
        pytest.skip("the memory ceiling needs /proc (Linux)")
    before = reports_of(rendered)
    (rendered / TEMPLATE).parent.mkdir()
    (rendered / TEMPLATE).write_text(template + "\n", encoding="utf-8")
    args = ["--as-of", HOSTILE_AS_OF, "render", *(["--check"] if check else [])]
    if own_process:
        done = twincli_process(*args, cwd=rendered)
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        result = run(rendered, *args[2:], as_of=HOSTILE_AS_OF)
        code, out, err = result.exit_code, result.stdout, result.stderr
    assert (code, out) == (2, ""), err
    assert err.startswith(f"twincli: error: {TEMPLATE}:1: not allowed in a template: "), err
    assert message in err
    assert err.endswith(f"(rendering {REPORT})\n"), err
    assert "Traceback" not in err
    assert reports_of(rendered) == before


def test_a_report_longer_than_a_file_may_be_stops_where_it_is_written(rendered: Path) -> None:
    """`render --check` reads a report back as a data file, of at most 5 MiB: a template
    cannot write a longer one (the overview is the first report rendered)."""
    six_million = "{% set s = 'x' * 100000 %}\n{% for i in range(60) %}{{ s }}{% endfor %}\n"
    (rendered / "templates").mkdir()
    (rendered / "templates" / "overview.md.j2").write_text(six_million)
    result = run(rendered, "render", as_of=HOSTILE_AS_OF)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "twincli: error: templates/overview.md.j2:2: not allowed in a template: the document "
        "would be longer than 5,242,880 characters, more than `render --check` reads back "
        "($TWINCLI_MAX_FILE_BYTES sets another limit) (rendering README.md)\n"
    )


def test_many_reports_each_under_the_size_limit_are_bounded_together(rendered: Path) -> None:
    """A report may have 5 MiB, but the reports of one command are held in memory until all
    are rendered: together they may have 64 KiB each on average (or one report's limit), so
    that 55 reports just under the limit cannot hold 55 times 5 MiB (four bytes a character
    with one emoji in each: 1.1 GB)."""
    three_million = "{% set s = 'x' * 100000 %}{% for i in range(30) %}{{ s }}{% endfor %}\n"
    (rendered / "templates").mkdir()
    for name in ("overview.md.j2", "cohort.md.j2", "learning-roadmap.md.j2"):
        (rendered / "templates" / name).write_text(three_million)
    result = run(rendered, "render", "--check", as_of=HOSTILE_AS_OF)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("twincli: error: templates/cohort.md.j2:1: "), result.stderr
    assert "the reports would be longer than 65,536 characters each on average" in result.stderr


# --- one time budget for the whole command --------------------------------------------------

SPIN = "{% for i in range(300) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
"""300,000 empty turns: a few hundredths of a second, far under any budget per document."""


@pytest.mark.parametrize("check", [False, True], ids=["render", "check"])
def test_the_time_budget_is_for_the_whole_command(tmp_path: Path, check: bool) -> None:
    """55 documents each spinning briefly add up: with a budget of half a second for the
    command, the render stops, though no document comes near half a second (a limit per
    document once let 55 documents spinning 15 s each run for 850 s)."""
    root = tmp_path / "programme"
    shutil.copytree(EXAMPLE, root)
    before = reports_of(root)
    (root / "templates").mkdir()
    for rel, text in every_document(SPIN).items():
        (root / rel).write_text(text)
    args = ["render", "--check"] if check else ["render"]
    result = run(root, *args, env={RENDER_SECONDS_ENV: "0.5"})
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "not allowed in a template: the templates took more than 0.5 s in all" in result.stderr
    assert f"${RENDER_SECONDS_ENV} sets another" in result.stderr
    assert "Traceback" not in result.stderr
    assert reports_of(root) == before


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf", "nan"])
def test_a_bad_time_budget_is_a_usage_error(rendered: Path, value: str) -> None:
    result = run(rendered, "render", "--check", env={RENDER_SECONDS_ENV: value})
    assert result.exit_code == 2
    assert f"${RENDER_SECONDS_ENV}={value!r}: expected a positive number of seconds" in (
        result.stderr
    )


def test_the_time_budget_comes_from_the_environment() -> None:
    assert render_seconds({}) == DEFAULT_RENDER_SECONDS == 120.0
    assert render_seconds({RENDER_SECONDS_ENV: " 2.5 "}) == 2.5
    with pytest.raises(UsageError):
        render_seconds({RENDER_SECONDS_ENV: "0"})


def test_a_budget_in_the_environment_reaches_a_process(rendered: Path) -> None:
    """As a user sets it: in the environment of the command."""
    (rendered / "templates").mkdir()
    (rendered / TEMPLATE).write_text(SPIN * 1000 + "\n")
    done = twincli_process(
        "--as-of", HOSTILE_AS_OF, "render", "--check", cwd=rendered,
        env=process_env(**{RENDER_SECONDS_ENV: "0.2"}),
    )  # fmt: skip
    assert done.returncode == 2
    assert "took more than 0.2 s in all" in done.stderr
