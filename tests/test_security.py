"""Hostile input and bad days: the evidence behind SECURITY.md.

Each test feeds twincli something a pull request, a broken laptop or a full disk could
give it, and checks the defence named in SECURITY.md. (The bad-input corpus, the reader's
tests and the template tests hold more: SECURITY.md names them all.)
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.hostile import HOSTILE_AS_OF, HOSTILE_FILES
from tests.support.cli import invoke
from tests.support.folders import EXAMPLE, MINIMAL_CITY, build_tree
from twincli import writing
from twincli.check.validate import validate_folder
from twincli.read import limits
from twincli.report.render import Renderer, write_reports
from twincli.report.templating import make_environment

AS_OF = "2025-06-30"
CITY = "cities/soria.yaml"

# --- what reaches the terminal ----------------------------------------------------------

HOSTILE_NAME = (
    '"[red]x[/red][link=http://evil.example]y[/link]\\e[2J\\e]0;pwned\\a\\x9b31m\\u202eZ"'
)
"""A city name with Rich markup, ANSI sequences (clear screen, window title), a C1 CSI and a
right-to-left override, as a double-quoted YAML string."""
RAW = ("\x1b", "\x9b", "\x07", "\u202e")


def cli(*args: str, env: dict[str, str] | None = None) -> Any:
    return invoke(*args, env=env)


@pytest.fixture
def hostile_names(tmp_path: Path) -> Path:
    city = MINIMAL_CITY.replace("name: Soria", f"name: {HOSTILE_NAME}")
    city += 'outputs:\n  learning-roadmap: {status: drafting}\n"bad\\ekey\\u202e": 1\n'
    return build_tree(tmp_path / "programme", {CITY: city})


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["status", "--format", "json"],
        ["status", "--format", "markdown"],
        ["show", "city", "soria"],
        ["show", "cohort", "cohort-2"],
        ["deadlines"],
        ["deadlines", "--format", "json"],
        ["validate"],
        ["validate", "--format", "github"],
        ["validate", "--format", "json"],
        ["validate", "--format", "sarif"],
        ["validate", "--format", "junit"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("colour", ["plain", "colour"])
def test_control_characters_never_reach_the_terminal_raw(
    hostile_names: Path, command: list[str], colour: str
) -> None:
    env = {"FORCE_COLOR": "1", "NO_COLOR": ""} if colour == "colour" else {"NO_COLOR": "1"}
    result = cli("--data", str(hostile_names), "--as-of", AS_OF, *command, env=env)
    assert result.exit_code in (0, 1), result.output
    output = result.stdout + result.stderr
    # Colour, when on, is rich's own SGR sequences (ESC [ ... m); nothing else is raw.
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", output)
    for char in RAW:
        assert char not in stripped, (char, stripped)
    if "json" in command or "sarif" in command:  # JSON's own escapes: the same text, parsed
        strings = texts_in(json.loads(result.stdout))
        if "validate" in command:
            assert any("unknown key 'bad\x1bkey\u202e'" in text for text in strings)
        if "status" in command:
            assert any(text.startswith("[red]x[/red]") and "\x1b[2J" in text for text in strings)


def texts_in(value: Any) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts_in(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts_in(v)]
    return []


def test_rich_markup_in_user_text_is_printed_literally(hostile_names: Path) -> None:
    wide = {"COLUMNS": "300"}
    result = cli("--data", str(hostile_names), "--as-of", AS_OF, "show", "city", "soria", env=wide)
    assert "[red]x[/red][link=http://evil.example]y[/link]" in result.stdout
    # visible (rich drops the bell itself)
    assert "\\u001b[2J\\u001b]0;pwned\\u009b31m\\u202eZ" in result.stdout
    result = cli("--data", str(hostile_names), "--as-of", AS_OF, "validate")
    assert "unknown key 'bad\\u001bkey\\u202e'" in result.stdout
    result = cli("--data", str(hostile_names), "--as-of", AS_OF, "status")
    assert "[red]x[/red][link=http:/" in result.stdout  # the column cuts the rest


def test_rich_markup_in_a_diagnostic_is_printed_literally(tmp_path: Path) -> None:
    """Diagnostics reach rich as plain strings (`--format github`): markup stays text."""
    city = MINIMAL_CITY + '"[bold red]x[/bold red] [link=http://evil.example]y[/link]": 1\n'
    root = build_tree(tmp_path / "programme", {CITY: city})
    for form in ("github", "text"):
        result = cli("--data", str(root), "--as-of", AS_OF, "validate", "--format", form)
        assert "'[bold red]x[/bold red] [link=http://evil.example]y[/link]'" in result.stdout


def test_a_diagnostic_stays_on_one_line(tmp_path: Path) -> None:
    """A key holding a line break cannot forge a second diagnostic line."""
    city = MINIMAL_CITY + '"x\\ncities/fake.yaml:1:1: error TC999 forged": 1\n'
    root = build_tree(tmp_path / "programme", {CITY: city})
    result = cli("--data", str(root), "--as-of", AS_OF, "validate")
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert not any(line.startswith("cities/fake.yaml") for line in lines)


def test_an_error_message_is_escaped(tmp_path: Path) -> None:
    result = cli("--data", str(tmp_path / "\x1b[2Jnowhere"), "validate")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\u001b[2Jnowhere" in result.stderr


def test_exports_shown_on_a_terminal_are_escaped(
    hostile_names: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    captured = io.BytesIO()

    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    terminal = Terminal(captured, encoding="utf-8")
    monkeypatch.setattr("sys.stdout", terminal)
    from twincli.cli import export as export_cli

    export_cli._emit(b'Soria,"\x1b[2J"\r\n', None)
    assert captured.getvalue() == b'Soria,"\\u001b[2J"\n'


# --- data files: size, depth, links ---------------------------------------------------------


def test_the_size_limit_comes_from_the_environment(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "programme", {})
    largest = max(p.stat().st_size for p in root.rglob("*.yaml"))
    env = {limits.MAX_FILE_BYTES_ENV: str(largest - 1)}
    result = cli("--data", str(root), "--as-of", AS_OF, "validate", env=env)
    assert result.exit_code == 1
    assert f"error TC114 the file is larger than {largest - 1:,} bytes" in result.stdout
    env = {limits.MAX_FILE_BYTES_ENV: str(largest)}
    assert cli("--data", str(root), "--as-of", AS_OF, "validate", env=env).exit_code == 0


@pytest.mark.parametrize("value", ["lots", "0", "-5", "1.5"])
def test_a_bad_size_limit_is_a_usage_error(tmp_path: Path, value: str) -> None:
    root = build_tree(tmp_path / "programme", {})
    result = cli("--data", str(root), "validate", env={limits.MAX_FILE_BYTES_ENV: value})
    assert result.exit_code == 2
    assert "TWINCLI_MAX_FILE_BYTES" in result.stderr and "Traceback" not in result.output


def test_the_default_size_limit_is_five_mebibytes() -> None:
    assert limits.max_file_bytes({}) == 5 * 1024 * 1024
    assert limits.max_file_bytes({limits.MAX_FILE_BYTES_ENV: "1_000"}) == 1000


def test_a_large_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is checked with fstat before reading, and a file whose size lies (it grows, or
    is a device) is read at most limit + 1 bytes."""
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 1000)
    reads: list[int] = []
    real_fdopen = os.fdopen

    def recording_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = real_fdopen(fd, *args, **kwargs)
        real_read = handle.read

        class Handle:
            def __getattr__(self, name: str) -> Any:
                return getattr(handle, name)

            def __enter__(self) -> Any:
                return self

            def __exit__(self, *exc: object) -> None:
                handle.close()

            def read(self, size: int = -1) -> bytes:
                reads.append(size)
                return bytes(real_read(size))

        return Handle()

    monkeypatch.setattr(os, "fdopen", recording_fdopen)
    with pytest.raises(limits.FileTooLargeError):
        limits.read_bounded(path, 999)
    assert reads == []  # refused on its size alone
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, 0, 0, 0)))
    with pytest.raises(limits.FileTooLargeError):
        limits.read_bounded(path, 999)  # claims 10 bytes, holds 1,000
    assert sum(reads) == 1000  # what it claims and one byte more, then up to the limit + 1
    assert limits.read_bounded(path, 1000) == b"x" * 1000


def test_a_file_too_large_still_counts_as_existing(tmp_path: Path) -> None:
    """Refusing a city file does not make its references elsewhere break too."""
    big = MINIMAL_CITY + "# " + "x" * limits.DEFAULT_MAX_FILE_BYTES + "\n"
    root = build_tree(tmp_path / "programme", {CITY: big})
    codes = [d.code for d in validate_folder(root, date(2025, 6, 30)).diagnostics]
    assert codes == ["TC114"]


def test_a_reports_folder_linking_out_is_refused(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "programme", HOSTILE_FILES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "reports").symlink_to(elsewhere, target_is_directory=True)
    for extra in ([], ["--check"]):
        result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "render", *extra)
        assert result.exit_code == 2
        assert "reports/ is a symbolic link that leads outside the programme folder" in (
            result.stderr
        )
    assert list(elsewhere.iterdir()) == []


def test_a_templates_folder_linking_out_is_refused(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "programme", HOSTILE_FILES)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "overview.md.j2").write_text("{{ programme.name }} and the machine's secrets\n")
    (root / "templates").symlink_to(elsewhere, target_is_directory=True)
    result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "render")
    assert result.exit_code == 2
    assert "a symbolic link that leads outside the programme folder" in result.stderr
    assert not (root / "reports").exists()


def test_reports_escape_control_characters_and_html(tmp_path: Path) -> None:
    """`render` refuses a name holding control characters (TC213), and reports escape them
    all the same, wherever they come from."""
    from twincli.read.loader import load_programme

    city = HOSTILE_FILES[CITY].replace("name: Eskişehir", 'name: "<img src=x>\\e[2J\\u202eZ"')
    root = build_tree(tmp_path / "programme", {**HOSTILE_FILES, CITY: city})
    result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "render")
    assert result.exit_code == 1 and "TC213" in result.output, result.output
    day = date.fromisoformat(HOSTILE_AS_OF)
    renderer = Renderer(
        load_programme(root).programme, root, root / "reports", make_environment(root)
    )
    write_reports(root / "reports", renderer.render(renderer.plan(day)), day)
    for report in (root / "reports").rglob("*.md"):
        text = report.read_text(encoding="utf-8")
        assert "<img" not in text and "\x1b" not in text and "\u202e" not in text, report
    overview = (root / "reports" / "README.md").read_text(encoding="utf-8")
    assert "&lt;img src=x>\\\\u001b\\[2J\\\\u202eZ" in overview


# --- exports --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "=1|'/C calc'!A0"],
)
def test_csv_cells_never_start_a_formula(tmp_path: Path, title: str) -> None:
    import csv

    escaped = (
        title.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    )
    cohort = HOSTILE_FILES["cohorts/cohort-2.yaml"].replace(
        'title: "Section 8: title"', f'title: "{escaped}"'
    )
    root = build_tree(tmp_path / "programme", {**HOSTILE_FILES, "cohorts/cohort-2.yaml": cohort})
    result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "export", "csv", "--table",
                 "events", "--no-bom")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    (row,) = [r for r in rows if r["event"] == "seminar-2"]
    assert row["title"] == "'" + title


def test_ics_text_cannot_add_properties(tmp_path: Path) -> None:
    """CR, LF, ';' and ',' in a title are escaped: they cannot end the line and start a
    property of their own."""
    import icalendar

    cohort = HOSTILE_FILES["cohorts/cohort-2.yaml"].replace(
        'title: "Section 8: title"',
        'title: "x\\r\\nDTSTART:19700101\\nATTACH:http://evil.example; a, b\\\\"',
    )
    root = build_tree(tmp_path / "programme", {**HOSTILE_FILES, "cohorts/cohort-2.yaml": cohort})
    result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "export", "ics")
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    lines = data.split(b"\r\n")
    assert not any(line.startswith((b"ATTACH", b"DTSTART:1970")) for line in lines)
    assert b"\r" not in data.replace(b"\r\n", b"") and b"\n" not in data.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = [e for e in calendar.walk("VEVENT") if "seminar-2" in str(e["UID"])]
    assert "x\nDTSTART:19700101\nATTACH:http://evil.example; a, b\\" in str(event["SUMMARY"])
    assert "ATTACH" not in event


# --- templates ------------------------------------------------------------------------------


def render_with(root: Path, template: str) -> Any:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "learning-roadmap.md.j2").write_text(template, encoding="utf-8")
    return cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "render")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ [1] * 10**9 }}", "the result of '*' is too long"),
        ("{{ ('x' * 100000) + ('x' * 100000) * 0 + 'x' * 99999 }}", None),
        ("{{ range(100000)|list + range(100000)|list }}", None),
        ("{% set s = 'x' * 100000 %}{{ s" + " + s" * 100 + " }}", "the result of '+' is too long"),
        ("{% set s = 'x' * 100000 %}{{ s|center(1000000000) }}", "'center' is too large"),
        ("{{ 'x'|indent(10**9) }}", "'indent' is too large"),
        ("{{ '%1000000000s'|format('x') }}", "the result of 'format' would be too long"),
        (
            "{% set s = 'x' * 100000 %}{{ s|replace('x', s) }}",
            "the result of 'replace' would be too long",
        ),
        (
            "{% set ns = namespace(s='xx') %}{% for i in range(40) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
            "namespace value 's' is too long",
        ),
        (
            "{% set ns = namespace(s=['x']) %}{% for i in range(40) %}"
            "{% set ns.s = ns.s + ns.s %}{% endfor %}",
            "too long",
        ),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
        ("{{ open('/etc/passwd').read() }}", "'open' is undefined"),
        ("{{ os.system('true') }}", "'os' is undefined"),
        ("{% import 'os' as os %}", "no template 'os'"),
        ("{{ self.__init__.__globals__ }}", "unsafe"),
        ("{{ ().__class__.__base__.__subclasses__() }}", "unsafe"),
        ("{{ cycler.__init__.__globals__.__builtins__.open }}", "unsafe"),
        ("{% include '../cities/soria.yaml' %}", "no template '../cities/soria.yaml'"),
        ("{% include 'builtin/../../../etc/passwd' %}", "no template"),
    ],
)
def test_templates_cannot_build_without_bound_or_reach_out(
    tmp_path: Path, template: str, message: str | None
) -> None:
    root = build_tree(tmp_path / "programme", HOSTILE_FILES)
    result = render_with(root, template + "\n")
    if message is None:  # within the bounds: renders
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not (root / "reports").exists()


def test_a_template_that_runs_for_hours_is_stopped(tmp_path: Path) -> None:
    """Loops within every bound can still nest: 100,000 ** 3 turns. The command's time
    budget stops it, at the loop's line (set to 2 s here, as a user would)."""
    root = build_tree(tmp_path / "programme", HOSTILE_FILES)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% for k in range(100000) %}"
    (root / "templates").mkdir()
    (root / "templates" / "learning-roadmap.md.j2").write_text(
        "first line\n" + loops + "{% endfor %}{% endfor %}{% endfor %}\n"
    )
    result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "render",
                 env={"TWINCLI_RENDER_SECONDS": "2"})  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "twincli: error: templates/learning-roadmap.md.j2:2: not allowed in a template: "
        "the templates took more than 2 s in all"
    ), result.stderr
    assert not (root / "reports").exists()


# --- interrupted and failing writes ---------------------------------------------------------

WRITE_STEPS = ("open", "write", "chmod", "fsync", "replace")
"""The calls of `twincli.writing.write_atomic` a failure is injected into: `os.open` makes the
temporary file, `fsync` flushes an edit (not a report)."""
WRITING = ("write_atomic", "_create_temporary", "_write_all", "_sync_folder")
"""The functions of `twincli.writing` that write a file (the lock's are left alone)."""
EDIT_STEPS = len(WRITE_STEPS) + 2
"""What writing an edit takes: then it opens the folder and flushes it (`fsync` again, whose
failure is ignored: the file is already in place)."""


@contextmanager
def failing_at(n: int, error: BaseException) -> Iterator[list[str]]:
    """Make the `n`th step of writing a file (counting over all files; the calls
    WRITE_STEPS) raise `error`; a failing write itself writes half its bytes first. Yields the
    steps taken."""
    steps: list[str] = []
    real = {name: getattr(os, name) for name in WRITE_STEPS}

    def step(name: str) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1)
            if (
                caller.f_globals.get("__name__") != "twincli.writing"
                or caller.f_code.co_name not in WRITING
            ):
                return real[name](*args, **kwargs)  # the lock, reading a file, pytest's own
            steps.append(name)
            if len(steps) == n:
                if name == "write":  # a write that fills the disk half-way
                    real["write"](args[0], b"half a fi")
                raise error
            return real[name](*args, **kwargs)

        return run

    with pytest.MonkeyPatch.context() as patch:
        for name in WRITE_STEPS:
            patch.setattr(os, name, step(name))
        yield steps


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_render_failing_at_any_write_leaves_each_report_old_or_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example's 55 reports, rewritten as of another day: the failure is injected at one
    step of one file's write after another (every fourth step, so each kind of step and
    every file is hit), as a full disk or as Ctrl-C."""
    root = tmp_path / "programme"
    shutil.copytree(EXAMPLE, root)
    out = root / "reports"
    old = files_of(out)
    from twincli.read.loader import load_programme

    day = date(2025, 7, 15)
    renderer = Renderer(load_programme(root).programme, root, out, make_environment(root))
    bodies = renderer.render(renderer.plan(day))
    scratch = tmp_path / "new"
    shutil.copytree(out, scratch)
    write_reports(scratch, bodies, day)
    new = files_of(scratch)
    assert all(old[k] != new[k] for k in new) and len(new) == 55
    hit = set()
    n = 1
    while True:  # every fifth step of the whole render, until one is never reached
        error: BaseException = KeyboardInterrupt() if n % 4 == 0 else ENOSPC
        shutil.rmtree(out)
        shutil.copytree(EXAMPLE / "reports", out)
        failed: BaseException | None = None
        with failing_at(n, error) as steps:
            try:
                write_reports(out, bodies, day)
            except (KeyboardInterrupt, Exception) as exc:
                failed = exc
        if len(steps) < n:
            break
        hit.add(steps[n - 1])
        now = files_of(out)
        assert failed is not None  # a report is not flushed: every step that fails is noticed
        if isinstance(error, OSError):
            assert "No space left on device" in str(failed)
        assert set(now) == set(old), "a temporary file was left, or a report lost"
        for path, data in now.items():
            assert data in (old[path], new[path]), path
        n += 5
    assert {"open", "write", "chmod", "replace"} <= hit, hit


EDITS = [
    ["record", "attendance", "soria", "seminar-1"],
    ["record", "visit", "soria", "--direction", "to-partner", "--city", "Valladolid",
     "--start", "2025-03-03", "--end", "2025-03-04", "--travellers", "2"],
    ["record", "output", "soria", "learning-roadmap", "--status", "submitted"],
    ["new", "city", "pecs", "--name", "Pécs", "--country", "HU", "--cohort", "cohort-2",
     "--pilot", "urbanew"],
    ["new", "cohort", "cohort-3", "--edition", "tlp-18", "--start", "2025-01-06"],
    ["new", "pilot", "lund", "--title", "CoPilot Lund", "--city", "Lund:SE"],
]  # fmt: skip


@pytest.mark.parametrize("edit", EDITS, ids=" ".join)
def test_an_edit_failing_at_any_write_leaves_the_file_old_or_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: list[str]
) -> None:
    """The edit's own write: the cache, written the same way, is left out."""
    monkeypatch.setenv("TWINCLI_NO_CACHE", "1")
    base = build_tree(tmp_path / "base", {})
    done = tmp_path / "done"
    shutil.copytree(base, done)
    assert cli("--data", str(done), "--as-of", AS_OF, *edit).exit_code == 0
    old, new = files_of(base), files_of(done)
    assert old != new
    for n in range(1, EDIT_STEPS + 1):
        for error in (ENOSPC, KeyboardInterrupt()):
            root = tmp_path / f"try-{n}-{type(error).__name__}"
            shutil.copytree(base, root)
            with failing_at(n, error) as steps:
                result = cli("--data", str(root), "--as-of", AS_OF, *edit)
            assert len(steps) == n
            now = files_of(root)
            assert set(now) <= set(new), "a temporary or lock file was left"
            for path, data in now.items():
                assert data in (old.get(path), new[path]), path
            if result.exit_code == 0:  # the file is in place; only flushing its folder failed
                assert "replace" in steps[:-1] and isinstance(error, OSError)
            elif isinstance(error, KeyboardInterrupt):
                assert result.exit_code == 130 and "interrupted" in result.stderr
            else:
                assert result.exit_code == 2
                if edit[0] == "new":  # a file that did not exist: none is left half made
                    assert ": No space left on device\n" in result.stderr
                    assert "could not create " in result.stderr
                else:
                    assert "No space left on device; it was left as it was" in result.stderr


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (OSError(errno.EROFS, os.strerror(errno.EROFS)), "Read-only file system"),
        (PermissionError(errno.EACCES, os.strerror(errno.EACCES)), "Permission denied"),
        (ENOSPC, "No space left on device"),
    ],
)
def test_a_folder_that_cannot_be_written_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, says: str
) -> None:
    """As root, chmod does not stop a write: the system's refusal is simulated where the
    temporary file is made, for a render and for an edit."""
    root = build_tree(tmp_path / "programme", HOSTILE_FILES)

    def refuse_temporary(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".tmp"):
            raise error
        return real_open(path, flags, *args, **kwargs)

    real_open = os.open
    monkeypatch.setattr(os, "open", refuse_temporary)  # as `write_atomic` makes them
    result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "render")
    assert result.exit_code == 2
    assert result.stderr.startswith("twincli: error: cannot write ")
    assert says in result.stderr and "Traceback" not in result.output
    before = files_of(root)
    result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "record", "output", "soria",
                 "info-session", "--status", "submitted")  # fmt: skip
    assert result.exit_code == 2
    assert f"could not write {CITY}: {says}; it was left as it was" in result.stderr
    assert files_of(root) == before
    result = cli("--data", str(root), "--as-of", HOSTILE_AS_OF, "new", "pilot", "newpilot",
                 "--title", "A new pilot", "--city", "Pécs:HU")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == f"twincli: error: could not create pilots/newpilot.yaml: {says}\n"
    assert files_of(root) == before


def test_a_lock_that_cannot_be_taken_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(tmp_path / "programme", {})
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(writing.LOCK_NAME):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = cli("--data", str(root), "--as-of", AS_OF, *EDITS[0])
    assert result.exit_code == 2
    assert "cannot lock" in result.stderr and "Read-only file system" in result.stderr


@pytest.mark.parametrize("edit", EDITS, ids=" ".join)
@pytest.mark.parametrize("target", ["missing", "existing"])
def test_a_lock_that_is_a_link_is_refused_and_nothing_is_made_through_it(
    tmp_path: Path, edit: list[str], target: str
) -> None:
    """A `.twincli.lock` committed as a link to any path would have the edit create (or lock)
    that file outside the folder: the lock is opened without following links."""
    root = build_tree(tmp_path / "programme", {})
    outside = tmp_path / "outside" / "made-by-twincli"
    outside.parent.mkdir()
    if target == "existing":
        outside.write_text("theirs\n")
    (root / writing.LOCK_NAME).symlink_to(outside)
    before = files_of(root)
    result = cli("--data", str(root), "--as-of", AS_OF, *edit)
    assert result.exit_code == 2, result.output
    lock = root / writing.LOCK_NAME
    assert f"cannot lock {lock}: it is a symbolic link" in result.stderr
    assert "Traceback" not in result.output
    assert outside.exists() == (target == "existing")
    if target == "existing":
        assert outside.read_text() == "theirs\n"
    assert lock.is_symlink(), "what a person put there is left as it was"
    assert files_of(root) == before


@pytest.mark.parametrize("kind", ["folder", "named pipe"])
def test_a_lock_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    root = build_tree(tmp_path / "programme", {})
    lock = root / writing.LOCK_NAME
    if kind == "folder":
        lock.mkdir()
    else:
        os.mkfifo(lock)
    before = files_of(root)
    result = cli("--data", str(root), "--as-of", AS_OF, *EDITS[0])
    assert result.exit_code == 2, result.output
    assert f"cannot lock {lock}: it is not a regular file" in result.stderr
    assert files_of(root) == before
    assert lock.is_dir() if kind == "folder" else lock.is_fifo()


def test_a_lock_owned_by_someone_else_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only whoever can write into the folder can leave a lock there: one that is not the
    user's own (seen as the user being someone else) is refused, not used."""
    root = build_tree(tmp_path / "programme", {})
    lock = root / writing.LOCK_NAME
    lock.touch()
    owner = lock.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    result = cli("--data", str(root), "--as-of", AS_OF, *EDITS[0])
    assert result.exit_code == 2, result.output
    assert f"cannot lock {lock}: it belongs to another user (uid {owner})" in result.stderr
    assert lock.exists()


# --- the cache --------------------------------------------------------------------------------
# Black-box: the cache is found under $XDG_CACHE_HOME/twincli/programmes/, its files hold one
# line per file of the programme (`path<TAB>signature<TAB>hash<TAB>...`).


def cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "twincli" / "programmes").iterdir())


def entry_line(cache_file: bytes, file: str) -> bytes:
    """The line of a cache file for `file` (the last, if it has several)."""
    return [x for x in cache_file.splitlines() if x.startswith(file.encode() + b"\t")][-1]


def validate(root: Path) -> Any:
    return cli("--data", str(root), "--as-of", AS_OF, "validate", "--format", "json")


@pytest.mark.parametrize("writable", ["folder", "file", "owner"])
def test_a_verdict_forged_in_a_cache_others_can_write_hides_nothing(
    example_copy: Path, _private_cache: Path, writable: str
) -> None:
    """A shared `$XDG_CACHE_HOME`: someone who may write in it records "nothing found" for a
    city with an error. The cache folder is used only when it and its files are the user's
    own and no one else may write them."""
    if writable == "owner" and os.getuid() != 0:
        pytest.skip("giving a file to another user takes root")
    assert validate(example_copy).exit_code == 0
    (verdicts,) = [p for p in cache_files(_private_cache) if b"as_of" in p.read_bytes()[:4096]]
    clean = verdicts.read_bytes()
    city = example_copy / CITY
    city.write_text(city.read_text(encoding="utf-8").replace("status: active", "status: activ"))
    broken = validate(example_copy)
    assert broken.exit_code == 1 and "TC207" in broken.stdout
    # The forger's verdicts: the clean run's, with the broken file's signature and hash.
    clean_line, broken_line = entry_line(clean, CITY), entry_line(verdicts.read_bytes(), CITY)
    forged_line = b"\t".join(broken_line.split(b"\t")[:3] + clean_line.split(b"\t")[3:])
    verdicts.write_bytes(clean.replace(clean_line, forged_line))
    if writable == "folder":
        verdicts.parent.chmod(0o777)
    elif writable == "file":
        verdicts.chmod(0o666)
    else:
        os.chown(verdicts, 65534, 65534)
    found = validate(example_copy)
    assert found.exit_code == 1
    assert found.stdout == broken.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_in_place_of_a_cache_file_is_not_waited_for(
    example_copy: Path, _private_cache: Path
) -> None:
    """Opening a named pipe to read it waits for a writer, forever: every command would hang."""
    base = [sys.executable, "-m", "twincli", "--data", str(example_copy), "--as-of", AS_OF]
    env = {**os.environ, "XDG_CACHE_HOME": str(_private_cache)}
    for command in (["validate"], ["status"]):
        subprocess.run([*base, *command], env=env, capture_output=True, timeout=120, check=True)
    for path in cache_files(_private_cache):
        path.unlink()
        os.mkfifo(path, 0o600)
    for command in (["validate"], ["status", "--format", "json"]):
        done = subprocess.run([*base, *command], env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "a number for a name": lambda line: line.replace(b'"Soria"', b"7", 1),
    "a list for a name": lambda line: line.replace(b'"Soria"', b"[]", 1),
    "a word of no list": lambda line: line.replace(b'"active"', b'"gone"', 1),
    "a date that is not one": lambda line: line.replace(b'"2024-', b'"2O24-', 1),
    "positions past the end": lambda line: line.replace(b"[[", b"[[99999999,", 1),
    "a line cut short": lambda line: line[: len(line) * 2 // 3],
    "not UTF-8": lambda line: line.replace(b"Soria", b"S\xffria", 1),
    "a tab more": lambda line: line.replace(b"\t", b"\t\t", 1),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS), ids=list(CORRUPTIONS))
def test_a_corrupted_cache_entry_is_read_as_absent(
    example_copy: Path, _private_cache: Path, corruption: str
) -> None:
    """The entry of one city, damaged (a disk error, a bug, an edit by hand): the city is read
    again, and every command answers as without the cache."""
    commands = [["status", "--format", "json"], ["status"], ["show", "city", "soria"], ["validate"]]
    base = ["--data", str(example_copy), "--as-of", AS_OF]
    expected = [cli("--no-cache", *base, *command) for command in commands]
    for command in commands:
        cli(*base, *command)  # the cache written
    damaged_files = 0
    for path in cache_files(_private_cache):
        line = entry_line(path.read_bytes(), CITY)
        damaged = CORRUPTIONS[corruption](line)
        if damaged != line:  # an entry with the city's record, not only its diagnostics
            path.write_bytes(path.read_bytes().replace(line, damaged))
            damaged_files += 1
    assert damaged_files
    for command, cold in zip(commands, expected, strict=True):
        result = cli(*base, *command)
        assert result.exception is None or isinstance(result.exception, SystemExit), command
        assert (result.exit_code, result.stdout) == (cold.exit_code, cold.stdout), command


# --- arguments ------------------------------------------------------------------------------


def test_changed_since_refuses_an_option(tmp_path: Path) -> None:
    """`--changed-since` goes to git: a value that would be read as an option is refused."""
    root = build_tree(tmp_path / "programme", {})
    target = tmp_path / "written-by-git"
    result = cli("--data", str(root), "validate", f"--changed-since=--output={target}")
    assert result.exit_code == 2
    assert "not a git revision" in result.stderr
    assert not target.exists()
