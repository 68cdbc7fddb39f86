"""Tables fit the terminal: figures, states and ids whole; names and titles give way first.

A table is as wide as it needs, up to the terminal's width. When the terminal is narrower,
rich shrinks the columns of names and titles (cut with an ellipsis) down to a minimum, and
only when even that does not fit do they wrap; a figure is never cut. On a pipe or in a file,
no line ends with spaces.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from tests.support.console import make_console
from tests.support.folders import EXAMPLE
from tests.test_long_status import tables_laid_out
from twincli.cli import app, longtables, tables

AS_OF = "2025-06-30"
SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def run(monkeypatch: pytest.MonkeyPatch, columns: int, *args: str, terminal: bool) -> str:
    """What `twincli` prints at a terminal `columns` wide (its style codes taken out), or on a
    pipe (`terminal=False`)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("TTY_COMPATIBLE", "1" if terminal else "0")
    cli = ["--no-color", "--data", str(EXAMPLE), "--as-of", AS_OF, *args]
    result = CliRunner().invoke(app, cli)
    assert result.exit_code == 0, result.output
    return SGR.sub("", result.stdout)


def table_lines(text: str, header: str) -> list[str]:
    """The lines of the table whose header holds `header`, from its header to its last row
    (its lines between two blank ones)."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return next(block for block in blocks if any(f" {header} " in line for line in block[:2]))


# --- at 60 columns: names give way, figures stay ------------------------------------------


def test_status_at_60_columns_cuts_names_and_keeps_every_figure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = run(monkeypatch, 60, "status", "--cohort", "cohort-2", terminal=True)
    assert table_lines(text, "City") == [
        " City        Events  Visits  Outputs  Miles  Late  Health   ",
        " " + "─" * 58 + " ",
        " Amersfoort    8/10  2/3 +1  AASD·      1/2     0  on track ",
        " Chalkida      7/10  1/3 +2  AR···      0/2     1  behind   ",
        " Commune d…    7/10  1/3 +2  AAD··      1/2     0  on track ",
        " Fuenlabra…    6/10  1/3 +2  AD···      0/2     1  behind   ",
        " Milton Ke…    8/10  1/3 +2  AAD··      1/2     0  on track ",
        " Plymouth      5/10  0/3 +3  SD···      0/2     1  behind   ",
        " Sant Boi …    7/10  2/3 +1  ARD··      0/2     1  behind   ",
        " Szombathe…    8/10  1/3 +2  ASD··      0/2     0  on track ",
        " Umeå          8/10  2/3 +1  AADD·      1/2     0  on track ",
    ]
    assert all(cell_len(line) <= 60 for line in text.splitlines())


def test_the_figures_of_a_row_are_the_same_at_any_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What follows the city's name is the same at 60, 80 and 160 columns."""
    rows = {}
    for columns in (60, 80, 160):
        text = run(monkeypatch, columns, "status", "--cohort", "cohort-2", terminal=True)
        lines = table_lines(text, "City")
        name_width = lines[0].index("Events") - 2  # Events is right-justified
        rows[columns] = [line[name_width:] for line in lines[2:]]
    assert rows[60] == rows[80] == rows[160]


def test_show_city_at_60_columns_keeps_outputs_partners_and_amounts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Soria's tables need more than 60 columns even with their titles cut to `TEXT_MIN`:
    the titles wrap; the visits' figures alone are wider, so they break at their spaces."""
    text = run(monkeypatch, 60, "show", "city", "soria", terminal=True)
    assert all(cell_len(line) <= 60 for line in text.splitlines())
    assert table_lines(text, "Visit") == [
        "                                               €            ",
        " Visit    With     Dates       Status  People  claimed/paid ",
        " " + "─" * 58 + " ",
        " travels  Vitoria  2024-04-15  done    2       1,650.00 /   ",
        "          -Gastei  +1 d                        1,650.00     ",
        "          z                                                 ",
        " hosts    Vallado  2024-06-20  done    2       540.00 /     ",
        "          lid      +1 d                        540.00       ",
        " travels  Vallado  2024-11-05  done    2       498.30 /     ",
        "          lid      +1 d                        498.30       ",
    ]
    outputs = table_lines(text, "Output")
    assert outputs[:4] == [
        " Output  Status    Due         Submitted   Approved    Late ",
        " " + "─" * 58 + " ",
        " Twinni  approved  2024-01-25  2024-01-20  2024-02-02       ",
        " ng                                                         ",
    ]
    titles: list[str] = []
    for line in outputs[2:]:
        if line[9:].strip():  # a row's first line: a new title
            titles.append("")
        titles[-1] += line[1:8].strip()
    assert titles == [
        "TwinningLearningRoadmap",
        "StakeholderEngagementPlan",
        "TransferabilityAssessment",
        "ReplicationPlan",
        "InternalInfoSession",
    ]
    rows = [line for line in outputs[2:] if line[9:].strip()]
    assert [line.split()[1:] for line in rows] == [
        ["approved", "2024-01-25", "2024-01-20", "2024-02-02"],
        ["approved", "2024-03-25", "2024-03-18", "2024-04-02"],
        ["approved", "2024-09-25", "2024-09-19", "2024-10-03"],
        ["approved", "2025-03-25", "2025-03-14", "2025-04-04"],
        ["approved", "2025-05-25", "2025-05-09", "2025-05-20"],
    ]


# --- wider terminals: as wide as needed -----------------------------------------------------


def test_at_160_columns_long_names_show_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    status = run(monkeypatch, 160, "status", "--cohort", "cohort-2", terminal=True)
    lines = table_lines(status, "City")
    assert " Commune de Courcy (Grand Reims)    7/10  1/3 +2  AAD··      1/2     0  on track " in (
        lines
    )
    assert {cell_len(line) for line in lines} == {81}  # what it needs, not the terminal's
    deadlines = run(monkeypatch, 160, "deadlines", "--overdue", terminal=True)
    assert " Stakeholder Engagement Plan " in deadlines
    assert "…" not in deadlines


# --- narrower still: names wrap, figures stay whole -----------------------------------------


def test_when_names_at_their_minimum_do_not_fit_they_wrap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = run(monkeypatch, 55, "status", "--cohort", "cohort-2", terminal=True)
    lines = table_lines(text, "City")
    assert all(cell_len(line) <= 55 for line in lines)
    assert "…" not in "\n".join(lines)  # wrapped, not cut
    for figures in ("  8/10  2/3 +1  AASD·      1/2     0  on track", "  7/10  1/3 +2  AAD··"):
        assert any(figures in line for line in lines)
    names = "".join(line[1 : lines[0].index("Events") - 2].strip() for line in lines[2:])
    assert "CommunedeCourcy(GrandReims)" in names.replace(" ", "")


def test_a_table_gives_way_in_the_order_the_rule_says() -> None:
    """As it is while the name keeps `TEXT_MIN` characters (cut with an ellipsis); then the
    name wraps; then the figure breaks at its spaces, never inside a number."""
    table = tables.new_table()
    tables.add_column(table, "Name", flexible=True)
    tables.add_column(table, "Figure")
    table.add_row(tables.cell("Commune de Courcy"), "1,650.00 / 1,650.00")

    def fitted(width: int) -> Table:
        out = make_console(width=width)
        return table.fitted(out, out.options)

    def printed(width: int) -> list[str]:
        out = make_console(width=width)
        out.print(table)
        return [line.rstrip() for line in out.file.getvalue().splitlines()]

    assert fitted(40) is table and fitted(31) is table
    assert printed(40)[3] == " Commune de Courcy  1,650.00 / 1,650.00"
    assert printed(31)[3] == " Commune…  1,650.00 / 1,650.00"
    wrapped = fitted(30)
    assert not isinstance(wrapped, tables.FittedTable)
    assert [column.no_wrap for column in wrapped.columns] == [False, True]
    assert printed(30)[3:6] == [" Commune  1,650.00 / 1,650.00", " de", " Courcy"]
    assert printed(23)[3:6] == [
        " Commune de   1,650.00",
        " Courcy       /",
        "              1,650.00",
    ]


# --- pipes and files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--city", "soria"],
        ["deadlines"],
        ["show", "city", "soria"],
        ["show", "cohort", "cohort-1"],
        ["show", "pilot", "urbanew"],
    ],
)
def test_piped_output_has_no_trailing_spaces(
    monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    text = run(monkeypatch, 80, *args, terminal=False)
    assert text.endswith("\n")
    assert [line for line in text.splitlines() if line != line.rstrip()] == []
    assert text.splitlines() == [
        line.rstrip() for line in run(monkeypatch, 80, *args, terminal=True).splitlines()
    ]


def test_a_long_table_on_a_pipe_is_still_made_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks.generate import generate_programme

    root = tmp_path / "programme"
    generate_programme(root, 100, seed=3)
    laid_out = tables_laid_out(monkeypatch)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    result = CliRunner().invoke(
        app, ["--no-cache", "--data", str(root), "--as-of", AS_OF, "status"]
    )
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []
    assert laid_out and max(laid_out) < longtables.MANY  # the probes only


@pytest.mark.parametrize("width", [60, 80, 120, 160])
def test_long_status_tables_are_made_fast_at_common_widths(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any, width: int
) -> None:
    from benchmarks.generate import AS_OF as GENERATED_AS_OF
    from benchmarks.generate import generate_programme
    from twincli.progress.standing import programme_progress
    from twincli.read.loader import load_programme

    root = tmp_path_factory.mktemp("fast") / "programme"
    generate_programme(root, 100, seed=5)
    programme = load_programme(root, cache=False).programme
    view = tables.status_view(programme_progress(programme, GENERATED_AS_OF).cohorts)
    parts = [part for part in view.renderables if isinstance(part, Table)]
    for colour in (None, "truecolor"):
        out = make_console(width=width, force_terminal=bool(colour), color_system=colour)
        assert all(longtables._fast_lines(out, part) is not None for part in parts)


# --- the legend -----------------------------------------------------------------------------


def test_the_status_legend_says_how_health_is_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    text = run(monkeypatch, 200, "status", terminal=False)
    assert tables.HEALTH_LEGEND in text.splitlines()
    assert "30 days" in tables.HEALTH_LEGEND  # progress.AT_RISK_DAYS
    assert "milestone" in tables.HEALTH_LEGEND


def test_a_name_cut_with_an_ellipsis_is_one_line() -> None:
    assert tables.cell("x") == Text("x", no_wrap=True, overflow="ellipsis")


def test_spaces_are_dropped_only_at_line_ends() -> None:
    """Spaces at the end of a write are held until their line goes on or ends."""
    import io

    file = io.StringIO()
    trimmed = longtables.TrimmedFile(file)
    for text in ("a  ", "b \n", "   \n c\t\n", "d   ", "", "\n", "e  "):
        trimmed.write(text)
    assert file.getvalue() == "a  b\n\n c\nd\ne"
    assert trimmed.getvalue() == file.getvalue()  # the rest is the file's


def test_figures_break_at_their_spaces_before_a_name_breaks_inside_a_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 70 columns the visits of soria do not fit with the partner's name whole: the dates
    and amounts break at their spaces, and `Vitoria-Gasteiz` stays whole."""
    lines = table_lines(run(monkeypatch, 70, "show", "city", "soria", terminal=True), "Visit")
    assert all(cell_len(line) <= 70 for line in lines)
    rows = [line.split() for line in lines[3:]]
    assert rows[0] == ["travels", "Vitoria-Gasteiz", "2024-04-15", "done", "2", "1,650.00", "/"]
    assert rows[1] == ["+1", "d", "1,650.00"]
    assert [row[1] for row in rows[2::2]] == ["Valladolid", "Valladolid"]
