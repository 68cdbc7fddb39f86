"""The docs keep up with the code: generated parts, every code, command and key documented,
links that lead somewhere, and a layout section that matches the tree."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
import typer

from tests.support.folders import REPO
from twincli import model
from twincli.cli import app
from twincli.cli import docs as generator
from twincli.codes import CATALOGUE

README = REPO / "README.md"
RULES = REPO / "docs" / "rules.md"
DATA_FORMAT = REPO / "docs" / "data-format.md"
PAGES = [README, *sorted((REPO / "docs").rglob("*.md"))]
SOURCE = REPO / "src" / "twincli"

DOCUMENTED_CLASSES = (
    model.Programme,
    model.Edition,
    model.Cohort,
    model.Pilot,
    model.City,
    model.Visit,
    model.CityOutput,
)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _code_blocks(markdown: str) -> str:
    """The text of every fenced code block, joined."""
    return "\n".join(re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.M | re.S))


def _command_names() -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


def _model_keys() -> list[tuple[str, str]]:
    keys = []
    for cls in DOCUMENTED_CLASSES:
        for f in dataclasses.fields(cls):
            if f.name == "marks" or f.metadata.get("from_key") or f.metadata.get("folder"):
                continue
            keys.append((cls.__name__, f.metadata.get("key", f.name)))
    return keys


# --- generated parts ------------------------------------------------------------------------


def test_the_generated_parts_of_the_docs_are_what_the_code_writes() -> None:
    """Each command's page (from its help), the commands and global options tables, the key
    tables of data-format.md (from the model) and rules.md (from the catalogue)."""
    stale = [page.as_posix() for page in generator.stale(REPO)]
    assert stale == [], f"{stale} differ from the code: run `{generator.REGENERATE}`"


def test_no_page_documents_a_command_twincli_does_not_have() -> None:
    assert generator.orphans(REPO) == []


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_a_page_with_its_reference(name: str) -> None:
    page = _read(REPO / "docs" / "commands" / f"{name}.md")
    assert f"<!-- generated: twincli {name} -->" in page


@pytest.mark.parametrize("name", _command_names())
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"[`twincli {name}`](docs/commands/{name}.md)" in _read(README)


def test_the_generator_rewrites_only_its_own_parts(tmp_path: Path) -> None:
    (tmp_path / "docs" / "commands").mkdir(parents=True)
    stale_table = "| `name` | text | optional | | An old description. |\n"
    hand = "# twincli show\n\nWritten by hand, kept as it is.\n"
    (tmp_path / "README.md").write_text(
        "# Title\n\nBefore.\n\n<!-- generated: keys of Contact -->\n"
        f"{stale_table}<!-- end generated -->\n\nAfter.\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "commands" / "show.md").write_text(
        hand + "<!-- generated: twincli show -->\n<!-- end generated -->\n\nAlso kept.\n",
        encoding="utf-8",
    )
    written = generator.write(tmp_path)
    readme = _read(tmp_path / "README.md")
    assert readme.startswith("# Title\n\nBefore.\n\n<!-- generated: keys of Contact -->\n")
    assert readme.endswith("<!-- end generated -->\n\nAfter.\n")
    assert "| `name` | text | **required** | | Their name. |" in readme
    assert stale_table not in readme
    show = _read(tmp_path / "docs" / "commands" / "show.md")
    assert show.startswith(hand) and show.endswith("<!-- end generated -->\n\nAlso kept.\n")
    assert "twincli show [OPTIONS] KIND ID" in show
    # every other command gets a page; the rules are written whole
    assert set(written) >= {Path("README.md"), generator.RULES, Path("docs/commands/record.md")}
    assert generator.stale(tmp_path) == []
    assert generator.write(tmp_path) == []


def test_the_generator_refuses_a_part_it_does_not_know(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no generated part is called 'status table'"):
        generator.fill(
            "<!-- generated: status table -->\n<!-- end generated -->\n", Path("x.md"), tmp_path
        )
    with pytest.raises(ValueError, match="twincli has no command 'sync'"):
        generator.fill(
            "<!-- generated: twincli sync -->\n<!-- end generated -->\n", Path("x.md"), tmp_path
        )
    with pytest.raises(ValueError, match="the model has no record class Town"):
        generator.fill(
            "<!-- generated: keys of Town -->\n<!-- end generated -->\n", Path("x.md"), tmp_path
        )


def test_a_page_of_a_command_that_is_gone_is_an_orphan(tmp_path: Path) -> None:
    (tmp_path / "docs" / "commands").mkdir(parents=True)
    (tmp_path / "docs" / "commands" / "sync.md").write_text("# twincli sync\n", encoding="utf-8")
    (tmp_path / "docs" / "commands" / "README.md").write_text("# Commands\n", encoding="utf-8")
    assert generator.orphans(tmp_path) == [Path("docs/commands/sync.md")]


@pytest.mark.parametrize("code", [c.code for c in CATALOGUE])
def test_every_code_is_in_rules_md(code: str) -> None:
    assert f"| {code} |" in _read(RULES)


def test_there_are_commands_to_document() -> None:
    assert "validate" in _command_names()


@pytest.mark.parametrize(("cls", "key"), _model_keys())
def test_every_key_is_in_the_data_format_doc(cls: str, key: str) -> None:
    assert f"`{key}`" in _read(DATA_FORMAT), f"{cls}.{key} is not in docs/data-format.md"


def test_readme_quick_start_is_make_demo_and_make_test() -> None:
    text = _read(README)
    match = re.search(r"^## Quick start\n(.*?)(?=^## )", text, flags=re.M | re.S)
    assert match is not None, "README.md has no '## Quick start' section"
    commands = [
        line.strip()
        for line in _code_blocks(match.group(1)).splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert commands == ["make demo", "make test"]


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_test_security_md_cites_exists() -> None:
    """SECURITY.md's evidence is a list of tests: each must be a test of that file."""
    cited = re.findall(r"`(tests/\w+\.py)::(\w+)", _read(REPO / "SECURITY.md"))
    assert len(cited) > 50
    missing = [
        f"{file}::{name}"
        for file, name in cited
        if not (REPO / file).is_file() or name not in _test_functions(REPO / file)
    ]
    assert missing == []


# --- links and paths ------------------------------------------------------------------------

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _relative_links(page: Path) -> list[str]:
    text = re.sub(r"^```.*?^```", "", _read(page), flags=re.M | re.S)  # not in code blocks
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"[a-z]+:", target) and not target.startswith("#")
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO)))
def test_every_link_leads_to_a_file_in_the_repository(page: Path) -> None:
    """GitHub shows these pages: a link must lead to a file of the repository, never outside it
    (a reader of the repository has nothing else)."""
    broken = []
    for target in _relative_links(page):
        path = (page.parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(REPO) or not path.exists():
            broken.append(target)
    assert broken == []


def test_the_link_check_sees_links() -> None:
    assert "docs/commands/README.md" in _relative_links(README)
    assert "../cli.md" in _relative_links(REPO / "docs" / "commands" / "status.md")


DOCS_PATH = re.compile(r"\bdocs/[\w./-]*\.md\b")


def _shipped_files() -> list[Path]:
    """What the package is made of, and what it copies or renders: modules, starter files and
    report templates."""
    files = [p for p in SOURCE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return files + sorted((REPO / "templates").rglob("*.j2"))


def test_every_docs_page_the_code_names_exists() -> None:
    named = {
        (path.relative_to(REPO).as_posix(), page)
        for path in _shipped_files()
        for page in DOCS_PATH.findall(path.read_text(encoding="utf-8"))
    }
    assert named, "the check finds no docs path at all: is DOCS_PATH still right?"
    assert [(where, page) for where, page in sorted(named) if not (REPO / page).is_file()] == []


def _strings_users_see(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, but its docstrings and what writes the docs pages
    themselves (`codes.rules_markdown`, `cli/docs.py`)."""
    if path == SOURCE / "cli" / "docs.py":
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "rules_markdown":
            skipped |= {id(child) for child in ast.walk(node)}
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))  # a docstring
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in skipped
    ]


def test_no_message_points_at_a_page_an_installed_twincli_lacks() -> None:
    """An installed twincli has no docs/ folder, and the repository has no public address yet:
    a message, a hint, the SARIF log's help, a file `init` copies or a report names no docs
    page; it says what to do itself, or names a command (`twincli schema`, `--help`)."""
    found = []
    for path in _shipped_files():
        where = path.relative_to(REPO).as_posix()
        if path.suffix == ".py":
            found += [
                f"{where}:{line}" for line, text in _strings_users_see(path) if "docs/" in text
            ]
        elif "docs/" in path.read_text(encoding="utf-8"):
            found.append(where)
    assert found == []


def test_the_message_check_reads_strings_but_not_docstrings() -> None:
    strings = [text for _, text in _strings_users_see(SOURCE / "check" / "rules" / "status.py")]
    assert "add its 'content:'; `twincli schema --kind city` describes its keys" in strings
    assert not any(text.startswith("Rules about status") for text in strings)


# --- the layout section ---------------------------------------------------------------------


def _layout_names() -> list[str]:
    """The entries of the README's tree of src/twincli: `read/`, `model.py`, ..."""
    section = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", _read(README), flags=re.M | re.S)
    assert section is not None, "README.md has no '## Layout' section"
    block = re.search(r"^```\nsrc/twincli/\n(.*?)^```", section.group(1), flags=re.M | re.S)
    assert block is not None, "the Layout section has no tree of src/twincli/"
    return re.findall(r"^[├└]── (\S+)", block.group(1), flags=re.M)


def test_the_readme_layout_names_every_package_and_top_level_module() -> None:
    tree = sorted(
        f"{path.name}/" if path.is_dir() else path.name
        for path in SOURCE.iterdir()
        if path.name != "__pycache__" and (path.is_dir() or path.suffix == ".py")
    )
    assert sorted(_layout_names()) == tree
    assert len(_layout_names()) == len(set(_layout_names()))


def test_usage_lines_name_arguments_as_a_person_types_them() -> None:
    """Required arguments bare, optional ones in brackets, repeated ones with `...`: the
    pages read the same whichever Typer release spells its own help differently."""
    pages = {name: _read(REPO / generator.COMMANDS_FOLDER / f"{name}.md") for name in
             ("validate", "record", "show")}  # fmt: skip
    assert "twincli validate [OPTIONS] [FILE]...\n" in pages["validate"]
    assert "twincli record attendance [OPTIONS] CITY EVENT...\n" in pages["record"]
    assert "| `EVENT...` | Events of the city's cohort (their ids). [required] |" in pages["record"]
    assert "twincli show [OPTIONS] KIND ID [EVENT]\n" in pages["show"]
    assert "<str>" not in "".join(pages.values())
