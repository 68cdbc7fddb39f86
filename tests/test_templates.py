"""What the reports say: golden files, escaping of user text, valid Mermaid charts, the
figures templates receive, and templates that try to escape the sandbox.

The golden files under tests/golden/ are the example programme and a programme of hostile
text (tests/hostile.py) rendered as of 2025-06-30. After a deliberate change to a template
or to what it receives, regenerate them, and the example's committed reports, with

    UPDATE_GOLDEN=1 make pytest

and review the diff: it is the change a programme repository would see.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.hostile import HOSTILE_AS_OF, HOSTILE_FILES
from tests.mermaid_check import check_block, mermaid_blocks
from tests.support import cli
from tests.support.folders import EXAMPLE, build_tree
from tests.support.golden import UPDATE, check_folder
from tests.support.markdown import table_problems
from twincli.model import Scores, StakeholderPlan, TransferabilityAssessment
from twincli.report import templating
from twincli.report.figures import mean_score, practice_scores, stakeholder_grid

AS_OF = "2025-06-30"


def render(root: Path, *args: str, as_of: str = AS_OF) -> tuple[int, str, str]:
    result = cli.run(root, "render", *args, as_of=as_of)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return build_tree(tmp_path / "hostile", HOSTILE_FILES)


@pytest.fixture(scope="module")
def example_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example programme, copied and rendered once for the tests that only read."""
    root = tmp_path_factory.mktemp("example") / "programme"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("reports"))
    code, _, err = render(root)
    assert (code, err) == (0, "")
    return root / "reports"


# --- golden files ---------------------------------------------------------------------------


def test_example_matches_the_golden_files(example_reports: Path) -> None:
    check_folder("example", example_reports)


def test_hostile_text_matches_the_golden_files(hostile: Path) -> None:
    code, _, err = render(hostile, as_of=HOSTILE_AS_OF)
    assert (code, err) == (0, "")
    check_folder("hostile", hostile / "reports")


def test_committed_example_reports_pass_check() -> None:
    """examples/programme/reports is what the repository shows; `render --check` keeps it
    in step with the example data (CliRunner, as a user would run it)."""
    if UPDATE:
        assert render(EXAMPLE)[0] == 0
    code, out, err = render(EXAMPLE, "--check")
    assert (code, err) == (0, ""), out
    assert out.endswith(" up to date\n")


# --- every built-in template on the smallest programmes ------------------------------------

EDITIONS = {"tlp-20": "comet", "tlp-18": "comet", "tlp-12-mission": "valencia"}
"""The editions `twincli init` writes (between them, their outputs use every city template),
with a pilot of the kind each pairs its cities with."""


def starter_programme(root: Path, shape: str) -> Path:
    """A programme as `twincli init` writes it, then: nothing more ("empty"), a cohort of each
    edition without cities ("empty cohorts"), or each with one city, withdrawn, whose outputs
    have the least content there is, so each has its document ("withdrawn")."""
    steps = [["init", str(root)]]
    data = ["--data", str(root)]
    if shape != "empty":
        steps += [
            [*data, "new", "pilot", "comet", "--title", "Comet", "--city", "Espoo:FI"],
            [*data, "new", "pilot", "valencia", "--title", "València", "--city", "València:ES",
             "--kind", "mission-city"],
        ]  # fmt: skip
    for n, (edition, pilot) in enumerate(EDITIONS.items() if shape != "empty" else ()):
        steps.append([*data, "new", "cohort", f"cohort-{n}", "--edition", edition,
                      "--start", "2025-01-15"])  # fmt: skip
        if shape == "withdrawn":
            steps.append([*data, "new", "city", f"city-{n}", "--name", f"City {n}", "--country",
                          "NL", "--cohort", f"cohort-{n}", "--pilot", pilot])  # fmt: skip
    for step in steps:
        result = cli.invoke(*step)
        assert result.exit_code == 0, (step, result.output)
    for city in sorted((root / "cities").glob("*.yaml")):  # each output with the least content
        text = city.read_text(encoding="utf-8").replace("status: active", "status: withdrawn")
        text = re.sub(r" *status: not-started.*", "    status: drafting\n    content: {}", text)
        text += "withdrawn: {date: 2024-12-01, reason: No one could take it over}\n"
        city.write_text(text, encoding="utf-8")
    return root


def builtin_names() -> set[str]:
    """The built-in report templates (not `reminder.eml.j2`, which `remind` renders)."""
    return {p.name for p in templating.builtin_templates().glob("*.md.j2") if p.name[0] != "_"}


@pytest.mark.parametrize("shape", ["empty", "empty cohorts", "withdrawn"])
@pytest.mark.parametrize("as_of", ["2025-01-01", "2025-06-30", "2027-06-30"])
def test_every_builtin_template_renders_the_smallest_programmes(
    tmp_path: Path, shape: str, as_of: str
) -> None:
    """What `init` and `new` make is valid, so it renders, with every built-in template it
    uses, before its cohorts start, while they run and after they end; then it is up to
    date. (An empty cohort once broke the cohort report, and with it the CI `init` writes.)"""
    from twincli.read.loader import load_programme
    from twincli.report.render import Renderer

    root = starter_programme(tmp_path / "p", shape)
    programme = load_programme(root).programme
    renderer = Renderer(programme, root, root / "reports", templating.make_environment(root))
    used = {d.template for d in renderer.plan(date.fromisoformat(as_of))}
    expected = {"overview.md.j2"} | ({"cohort.md.j2"} if shape != "empty" else set())
    assert used == (builtin_names() if shape == "withdrawn" else expected)
    code, out, err = render(root, as_of=as_of)
    assert (code, err) == (0, ""), out
    code, out, err = render(root, "--check", as_of=as_of)
    assert (code, err) == (0, ""), out


# --- what the documents contain -------------------------------------------------------------


def all_reports(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in sorted(folder.rglob("*.md"))]


def test_every_mermaid_chart_parses(example_reports: Path, hostile: Path) -> None:
    render(hostile, as_of=HOSTILE_AS_OF)
    charts = 0
    problems = []
    for path in all_reports(example_reports, hostile / "reports"):
        for block in mermaid_blocks(path.read_text(encoding="utf-8")):
            charts += 1
            problems += [f"{path.name}: {p}" for p in check_block(block)]
    assert problems == []
    assert charts >= 20


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        (
            "gantt\n    dateFormat YYYY-MM-DD\n    section S\n    a: b :t1, 2024-01-01, 2024-01-02",
            "':'",
        ),
        (
            "gantt\n    dateFormat YYYY-MM-DD\n    section S\n    x :t1, 2024-1-01, 2024-01-02",
            "ISO",
        ),
        (
            "gantt\n    dateFormat YYYY-MM-DD\n    section S\n    Call me :t1, 2024-01-01, 1d",
            "keyword",
        ),
        (
            "gantt\n    dateFormat YYYY-MM-DD\n    section S\n    x :t1, 2024-01-05, 2024-01-02",
            "before",
        ),
        (
            "gantt\n    dateFormat YYYY-MM-DD\n    x :t1, 2024-01-01, 2024-01-02",
            "before any section",
        ),
        ("gantt\n    dateFormat YYYY-MM-DD\n    section S\n    5% off :t1, 2024-01-01, 1d", "'%'"),
        ('quadrantChart\n    "A": [1.0, 0.5]', "coordinate"),
        ('quadrantChart\n    "A "b"": [0.5, 0.5]', "not a quadrantChart statement"),
        ("quadrantChart\n    x-axis Bas --> Élevé", "unquoted"),
        ("pie\n    title x", "unknown chart type"),
        ('xychart-beta\n    x-axis ["a", b]\n    bar [1, 2]', "not quoted"),
        ('xychart-beta\n    x-axis ["a", "b"]\n    bar [1]', "1 values for 2 bands"),
        ('xychart-beta\n    x-axis ["a"]\n    y-axis "n" 0 --> 1\n    line [2]', "outside"),
        ('xychart-beta\n    x-axis ["a"]\n    line [x]', "not a number"),
        ('xychart-beta\n    x-axis ["a"]', "without a bar or a line"),
    ],
)
def test_the_mermaid_checker_finds_broken_charts(block: str, problem: str) -> None:
    assert any(problem in p for p in check_block(block)), check_block(block)


def test_tables_keep_their_columns_whatever_the_text(example_reports: Path, hostile: Path) -> None:
    render(hostile, as_of=HOSTILE_AS_OF)
    for path in all_reports(example_reports, hostile / "reports"):
        assert table_problems(path.read_text(encoding="utf-8")) == [], path


def test_user_text_is_escaped(hostile: Path) -> None:
    render(hostile, as_of=HOSTILE_AS_OF)
    reports = hostile / "reports"
    texts = {p.relative_to(reports).as_posix(): p.read_text("utf-8") for p in reports.rglob("*.md")}
    for name, text in texts.items():
        assert "<script>" not in text and "<b>" not in text and "<i>" not in text, name
        assert "<em>" not in text, name
    roadmap = texts["cities/soria/learning-roadmap.md"]
    assert "### 1. Heat \\| power &lt;script>alert('x')&lt;/script>" in roadmap
    assert "- Line one<br>line two" in roadmap  # a newline stays inside its list item
    assert "**Pilot practice:** \\# Not a heading" in roadmap
    assert "- \\- not a list\n- 1\\. not numbered either\n- \\> not a quote" in roadmap
    assert "\\`code\\`, \\*stars\\*, \\_under\\_ and \\[link\\](http://x)" in roadmap
    assert "Ünïcödé ✓: Košice, Eskişehir, Pécs, Umeå" in roadmap  # diacritics as typed
    assert "# Roadmap \\| learning: Eskişehir" in roadmap
    plan = texts["cities/soria/stakeholder-engagement-plan.md"]
    assert "| monthly<br>and yearly |" in plan
    assert '"The ＂quoted＂ | association": [0.17, 0.83]' in plan
    session = texts["cities/soria/info-session.md"]
    assert "> Great!<br>More please." in session
    assert "\\$5 and \\$10" in session
    assert (
        texts["README.md"].startswith("<!-- generated by twincli")
        and "# Twinning \\| &lt;b>test&lt;/b> programme" in texts["README.md"]
    )


def test_relative_links_lead_to_reports_that_exist(example_reports: Path) -> None:
    links = 0
    for path in all_reports(example_reports):
        for target in re.findall(r"\]\(([^)#]+\.(?:md|yaml))\)", path.read_text("utf-8")):
            links += 1
            assert (path.parent / target).resolve().is_file(), f"{path}: {target}"
    assert links > 500


def test_every_document_links_back_to_the_overview_and_its_cohort(example_reports: Path) -> None:
    overview = (example_reports / "README.md").read_text("utf-8")
    assert "(cohorts/cohort-2.md)" in overview
    assert "(cities/soria/replication-plan.md)" in overview
    cohort = (example_reports / "cohorts" / "cohort-1.md").read_text("utf-8")
    assert cohort.splitlines()[1] == "[Programme overview](../README.md)"
    assert "(../cities/soria/info-session.md)" in cohort
    for path in (example_reports / "cities").rglob("*.md"):
        nav = path.read_text("utf-8").splitlines()[1]
        assert nav.startswith("[Programme overview](../../README.md) · [Cohort ")


# --- figures come from Python, not from templates -------------------------------------------


@pytest.mark.parametrize(
    ("scores", "mean"),
    [((5, 4, 4, 5, 4), "4.4"), ((4, 5), "4.5"), ((4, 4, 5), "4.3"), ((1, None, 2), "1.5")],
)
def test_mean_score_is_of_the_scores_given_rounded_half_up(
    scores: tuple[int | None, ...], mean: str
) -> None:
    assert mean_score(scores) == Decimal(mean)


def test_a_practice_without_scores_has_no_mean() -> None:
    from twincli.model import PracticeAssessment

    content = TransferabilityAssessment(
        practices=(
            PracticeAssessment(practice="A", scores=Scores(governance=3, legal=4)),
            PracticeAssessment(practice="B"),
        )
    )
    first, second = practice_scores(content)
    assert first.scores == (3, None, None, None, 4) and first.mean == Decimal("3.5")
    assert second.scores == (None,) * 5 and second.mean is None


def test_stakeholders_in_one_cell_do_not_overlap() -> None:
    from twincli.model import Stakeholder

    crowd = [Stakeholder(name=f"S{n}", influence="high", interest="high") for n in range(12)]
    content = StakeholderPlan(stakeholders=(*crowd, Stakeholder(name="Nowhere")))
    grid = stakeholder_grid(content)
    assert grid.cells["high"]["high"] == tuple(f"S{n}" for n in range(12))
    assert grid.unplaced == ("Nowhere",)
    assert len({(p.x, p.y) for p in grid.points[:9]}) == 9
    assert all(0.05 <= float(p.x) <= 0.95 and 0.05 <= float(p.y) <= 0.95 for p in grid.points)


# --- filters --------------------------------------------------------------------------------


def test_filters_format_without_the_locale() -> None:
    day = date(2025, 6, 3)
    assert templating.format_date(day) == "2025-06-03"
    assert templating.format_date(day, "long") == "3 June 2025"
    assert templating.format_date(day, "short") == "3 Jun 2025"
    assert templating.format_date(day, "month") == "June 2025"
    assert templating.format_date(None) == "—"
    assert templating.format_money(Decimal("185000.75")) == "€185,000.75"
    assert templating.format_money(Decimal("210000")) == "€210,000"
    assert templating.format_money(Decimal("1650"), True) == "€1,650.00"
    assert templating.format_number(12345) == "12,345"
    assert templating.format_number(Decimal("4.35"), 1) == "4.4"
    assert templating.plural(1, "city", "cities") == "1 city"
    assert templating.plural(2, "day") == "2 days"
    assert templating.bar(7, 10) == "▰▰▰▰▰▰▰▱▱▱"
    assert templating.bar(0, 0, 3) == "▱▱▱"
    assert templating.md(None) == "" and templating.cell(None) == "—"
    assert templating.cell("a|b\nc") == "a\\|b<br>c"
    assert templating.anchor("a1 Oficina: Soria's one-stop shop") == (
        "a1-oficina-sorias-one-stop-shop"
    )


# --- templates from the programme folder ----------------------------------------------------


def with_template(root: Path, name: str, text: str) -> Path:
    folder = root / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return root


def test_a_programme_template_replaces_the_built_in_one(hostile: Path) -> None:
    with_template(
        hostile,
        "learning-roadmap.md.j2",
        '{% extends "_document.md.j2" %}{% block content %}Ours: {{ city.name|md }}{% endblock %}',
    )
    with_template(
        hostile, "cohort.md.j2", '{% extends "builtin/cohort.md.j2" %}\n'
    )  # the built-in, reached under builtin/
    assert render(hostile, as_of=HOSTILE_AS_OF)[0] == 0
    roadmap = (hostile / "reports" / "cities" / "soria" / "learning-roadmap.md").read_text()
    assert "Ours: Eskişehir" in roadmap and "## Learning objectives" not in roadmap
    assert "## Who needs attention" in (hostile / "reports/cohorts/cohort-2.md").read_text()


def test_an_output_can_name_its_template(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path,
        {
            "programme.yaml": HOSTILE_FILES["programme.yaml"].replace(
                "info-session: {title: Info session,",
                "info-session: {template: brief.md.j2, title: Info session,",
            ),
            **{k: v for k, v in HOSTILE_FILES.items() if k != "programme.yaml"},
        },
    )
    with_template(root, "brief.md.j2", "Brief for {{ city.name }}\n")
    assert render(root, as_of=HOSTILE_AS_OF)[0] == 0
    brief = (root / "reports" / "cities" / "soria" / "info-session.md").read_text()
    assert brief.splitlines()[1:] == ["Brief for Eskişehir"]


def test_an_undefined_variable_names_the_template_and_line(hostile: Path) -> None:
    with_template(hostile, "cohort.md.j2", "# {{ cohort.cohort.title|md }}\n\n{{ cohort.nope }}\n")
    code, out, err = render(hostile, as_of=HOSTILE_AS_OF)
    assert (code, out) == (2, "")
    assert err == (
        "twincli: error: templates/cohort.md.j2:3: undefined: CohortProgress has no attribute "
        "'nope' (rendering cohorts/cohort-2.md)\n"
    )
    assert not (hostile / "reports").exists()  # nothing is written


def test_an_undefined_variable_in_an_included_template_points_there(hostile: Path) -> None:
    with_template(hostile, "overview.md.j2", 'line 1\n{% include "part.md.j2" %}\n')
    with_template(hostile, "part.md.j2", "\n\n{{ missing_name }}\n")
    code, _, err = render(hostile, as_of=HOSTILE_AS_OF)
    assert code == 2
    assert err == (
        "twincli: error: templates/part.md.j2:3: undefined: 'missing_name' is undefined "
        "(rendering README.md)\n"
    )


def test_a_syntax_error_names_the_template_and_line(hostile: Path) -> None:
    with_template(hostile, "overview.md.j2", "ok\n{% if %}\n")
    code, _, err = render(hostile, as_of=HOSTILE_AS_OF)
    assert code == 2
    assert err.startswith("twincli: error: templates/overview.md.j2:2: syntax error: ")


PWNED = "twincli-sandbox-escape"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "'__class__' of 'str' object is unsafe"),
        ("{{ cycler.__init__.__globals__.os }}", "'__init__' of 'type' object is unsafe"),
        (
            "{{ cycler.__init__.__globals__.os.system('touch " + PWNED + "') }}",
            "is unsafe",
        ),
        ("{{ programme.__class__ }}", "'__class__' of 'Programme' object is unsafe"),
        ("{{ city.name|attr('__class__') }}", "unsafe"),
        ("{{ as_of.today() }}", "'today' of 'date' object is unsafe"),
        ("{{ 'x' * 10000000 }}", "the result of '*' is too long"),
        ("{{ 10 ** 100000 }}", "the exponent 100000 is too large"),
        ("{% for i in range(10**9) %}{% endfor %}", "Range too big"),
        ("{{ lipsum() }}", "'lipsum' is undefined"),
        ("{% include '/etc/passwd' %}", "no template '/etc/passwd'"),
        ("{% include '../../x' %}", "no template '../../x'"),
        ("{% extends '../programme.yaml' %}", "no template '../programme.yaml'"),
    ],
)
def test_hostile_templates_fail_with_a_clear_error_and_nothing_runs(
    hostile: Path, template: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(hostile)
    with_template(hostile, "learning-roadmap.md.j2", "first line\n" + template + "\n")
    code, out, err = render(hostile, as_of=HOSTILE_AS_OF)
    assert (code, out) == (2, "")
    assert err.startswith("twincli: error: templates/learning-roadmap.md.j2:2: "), err
    assert message in err
    assert err.endswith("(rendering cities/soria/learning-roadmap.md)\n")
    assert "Traceback" not in err
    assert not (hostile / "reports").exists()
    assert not (hostile / PWNED).exists()


def test_a_template_linking_out_of_the_folder_is_refused(hostile: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the machine's secrets\n")
    (hostile / "templates").mkdir()
    (hostile / "templates" / "overview.md.j2").symlink_to(secret)
    code, _, err = render(hostile, as_of=HOSTILE_AS_OF)
    assert code == 2
    assert "templates/overview.md.j2: a symbolic link that leads outside the programme" in err
    assert not (hostile / "reports").exists()


def test_a_template_named_but_missing_is_an_error(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path,
        {
            "programme.yaml": HOSTILE_FILES["programme.yaml"].replace(
                "info-session: {title: Info session,",
                "info-session: {template: nowhere.md.j2, title: Info session,",
            ),
            **{k: v for k, v in HOSTILE_FILES.items() if k != "programme.yaml"},
        },
    )
    code, _, err = render(root, as_of=HOSTILE_AS_OF)
    assert code == 2
    assert "templates/nowhere.md.j2: no such template" in err
