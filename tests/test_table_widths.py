"""Tables fit the terminal: figures, states and ids whole; names and titles give way first.

A table is as wide as it needs, up to the terminal's width. When the terminal is narrower,
the columns of names and titles shrink (cut with an ellipsis) down to a minimum, and only when
even that does not fit do they wrap; a figure is never cut. On a pipe or in a file, and for a
long view, the table is plain text in the same columns, and no line ends with spaces.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from tests.support.console import make_console
from tests.support.folders import EXAMPLE
from twincli.cli import app, fitted, tables

AS_OF = "2025-06-30"
SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def run(
    monkeypatch: pytest.MonkeyPatch,
    columns: int,
    *args: str,
    terminal: bool,
    colour: bool = False,
) -> str:
    """What `twincli` prints at a terminal `columns` wide (its style codes taken out unless
    `colour`), or on a pipe (`terminal=False`)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("TTY_COMPATIBLE", "1" if terminal else "0")
    if colour:
        monkeypatch.setenv("FORCE_COLOR", "1")
    cli = ["--data", str(EXAMPLE), "--as-of", AS_OF, *args]
    result = CliRunner().invoke(app, cli if colour else ["--no-color", *cli])
    assert result.exit_code == 0, result.output
    return result.stdout if colour else SGR.sub("", result.stdout)


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
        " Amersfoort     8/8  2/3 +1  AASD·      1/2     0  on track ",
        " Chalkida       7/8  1/3 +2  AR!···     0/2     1  behind   ",
        " Commune d…     7/8  1/3 +2  AAD··      1/2     0  on track ",
        " Fuenlabra…     6/8  1/3 +2  AD!···     0/2     1  behind   ",
        " Milton Ke…     8/8  1/3 +2  AAD··      1/2     0  on track ",
        " Plymouth       5/8  0/3 +3  SD!···     0/2     1  behind   ",
        " Sant Boi …     7/8  2/3 +1  AR!D··     0/2     1  behind   ",
        " Szombathe…     8/8  1/3 +2  ASD··      0/2     0  on track ",
        " Umeå           8/8  2/3 +1  AADD·      1/2     0  on track ",
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
    assert " Commune de Courcy (Grand Reims)     7/8  1/3 +2  AAD··      1/2     0  on track " in (
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
    for figures in ("    8/8  2/3 +1  AASD·      1/2     0  on track", "    7/8  1/3 +2  AAD··"):
        assert any(figures in line for line in lines)
    names = "".join(line[1 : lines[0].index("Events") - 2].strip() for line in lines[2:])
    assert "CommunedeCourcy(GrandReims)" in names.replace(" ", "")


def test_a_table_gives_way_in_the_order_the_rule_says() -> None:
    """As it is while the name keeps `TEXT_MIN` characters (cut with an ellipsis); then the
    name wraps between words; then the figure breaks at its spaces, never inside a number;
    narrower than the figure's widest word, both wrap inside words: nothing is lost."""
    table = tables.new_table()
    tables.add_column(table, "Name", flexible=True)
    tables.add_column(table, "Figure")
    table.add_row(tables.cell("Commune de Courcy"), "1,650.00 / 1,650.00")

    def printed(width: int) -> list[str]:
        out = make_console(width=width)
        out.print(table)
        lines = [line.rstrip() for line in out.file.getvalue().splitlines()]
        assert all(cell_len(line) <= width for line in lines)
        rule = next(i for i, line in enumerate(lines) if line.startswith(" ─"))
        return lines[rule + 1 : -1]  # the rows

    assert printed(40) == [" Commune de Courcy  1,650.00 / 1,650.00"]
    assert printed(31) == [" Commune…  1,650.00 / 1,650.00"]
    assert printed(30) == [" Commune  1,650.00 / 1,650.00", " de", " Courcy"]
    assert printed(23) == [" Commune    1,650.00 /", " de Courcy  1,650.00"]
    folded = printed(12)
    assert [line[1:5].strip() for line in folded] == ["Comm", "une", "de", "Cour", "cy"]
    assert "".join(line[7:].strip() for line in folded) == "1,650.00/1,650.00"


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


def test_a_long_view_at_a_terminal_is_plain_text_laid_out_as_rich_lays_it_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rich takes seconds for thousands of rows: a view of `LONG` rows or more is written
    without colour, in the same columns; a short one keeps its colour."""
    from benchmarks.generate import AS_OF as GENERATED_AS_OF
    from benchmarks.generate import generate_programme
    from twincli.progress.standing import deadlines, programme_progress
    from twincli.read.loader import load_programme

    root = tmp_path / "programme"
    generate_programme(root, 60, seed=3)
    progress = programme_progress(load_programme(root, cache=False).programme, GENERATED_AS_OF)
    found = deadlines(progress)
    assert len(found) >= fitted.LONG
    for width in (80, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        monkeypatch.setenv("FORCE_COLOR", "1")
        args = ["--no-cache", "--data", str(root), "--as-of", GENERATED_AS_OF.isoformat()]
        shown = CliRunner().invoke(app, [*args, "deadlines"]).stdout
        heading, table = shown.split("\n", 1)
        assert "\x1b[1m" in heading  # bold, as ever
        assert "\x1b[" not in table  # the rows are plain
        out = make_console(width=width, force_terminal=True, soft_wrap=False)
        out.print(tables.deadlines_view(found, GENERATED_AS_OF))
        by_rich = [line.rstrip() for line in SGR.sub("", out.file.getvalue()).splitlines()]
        assert SGR.sub("", shown).splitlines() == by_rich
    short = run(monkeypatch, 80, "deadlines", terminal=True, colour=True)
    assert "\x1b[1;31m" in short.split("\n", 1)[1]  # overdue days in bold red


NAMES = {
    "long": "Chalkida and the Whole Island of Euboea with Every Village on the Coast",
    "wide": "東京都 Tōkyō-to 🌍 city",
    "joiners": "Family 👨\u200d👩\u200d👧 and flag 🏳️\u200d🌈",
    "escapes": "Le \x1b[2J Mans \u202e",
    "stripped": "Bell\x07 and return\r",
    "markup": "[red]Red[/red] :smile:",
    "only spaces": "   ",
    "empty": "",
    "tab": "Tab\there",
    "line feed": "Line\nfeed",
    "long word": "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
}


@pytest.mark.parametrize("width", [200, 80, 60, 40])
@pytest.mark.parametrize("name", list(NAMES))
def test_a_table_on_a_pipe_is_what_rich_shows_without_the_spaces_at_line_ends(
    name: str, width: int
) -> None:
    """Every view of the example, a city renamed, on a pipe: the plain text is the text of
    rich's layout, each line one line, nothing raw from the data."""
    import dataclasses

    from twincli.progress.standing import deadlines, iter_cities, programme_progress
    from twincli.read.loader import load_programme

    programme = load_programme(EXAMPLE).programme
    renamed = dataclasses.replace(programme.cities["soria"], name=NAMES[name])
    programme = dataclasses.replace(programme, cities={**programme.cities, "soria": renamed})
    progress = programme_progress(programme, date.fromisoformat(AS_OF))
    cohort, city = next((c, cp) for c, cp in iter_cities(progress) if cp.city.id == "soria")
    views = [
        tables.status_view(progress.cohorts),
        tables.deadlines_view(deadlines(progress), progress.as_of),
        tables.cohort_view(cohort),
        tables.city_view(programme, cohort, city),
    ]
    for view in views:
        piped = make_console(width=width, soft_wrap=False)
        fitted.print_view(piped, view)
        by_rich = make_console(width=width, soft_wrap=False)
        by_rich.print(view)
        text = piped.file.getvalue()
        assert text.splitlines() == [line.rstrip() for line in by_rich.file.getvalue().splitlines()]
        assert not any(char in text for char in "\x1b\x07\r\t\u202e")


# --- the legend -----------------------------------------------------------------------------


def test_the_status_legend_says_how_health_is_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    text = run(monkeypatch, 400, "status", terminal=False)
    assert tables.HEALTH_LEGEND in text.splitlines()
    assert "sessions held" in tables.HEALTH_LEGEND
    assert "milestone" in tables.HEALTH_LEGEND


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
