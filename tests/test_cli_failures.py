"""What the operating system and the person at the keyboard can do to a run: folders that cannot
be created, read or written, Ctrl-C at any moment, input that ends before a question is
answered. Each ends in a one-line message and an exit code, never a traceback, and leaves
nothing half-made.

The tests run as root in CI containers, where permissions do not stop anything: a path through
a regular file (NotADirectoryError), /proc, or a monkeypatched call makes each failure happen
for everyone; the tests that need real permissions are skipped as root.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import Result

import twincli.cli
from tests.support.cli import invoke
from tests.support.folders import EXAMPLE, build_tree
from twincli.cli import common
from twincli.cli import edits as editing_cli
from twincli.edit import scaffold

AS_OF = "2025-06-30"


def _permissions_apply() -> bool:
    """Whether a folder's permissions stop this process (not for root, unless it dropped
    CAP_DAC_OVERRIDE: `setpriv --bounding-set=-dac_override,-dac_read_search`)."""
    if os.name != "posix":
        return False
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "ro"
        folder.mkdir(mode=0o555)
        try:
            (folder / "x").touch()
        except PermissionError:
            return True
        finally:
            folder.chmod(0o755)
        return False


needs_permissions = pytest.mark.skipif(
    not _permissions_apply(), reason="permissions do not apply (root)"
)


def cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return invoke(*args, stdin=stdin, env=env)


def one_line_error(result: Result, code: int = 2) -> str:
    """The run ended with `code` and a single `twincli: error:` line on stderr; that line."""
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("twincli: error: "), result.stderr
    return lines[0]


def a_file(tmp_path: Path) -> Path:
    """A regular file: nothing can be created under it, not even by root."""
    path = tmp_path / "afile"
    path.write_text("someone's notes\n", encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under `root`."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def raising(
    error: BaseException, when: Callable[..., bool], real: Callable[..., Any]
) -> Callable[..., Any]:
    """`real`, but raising `error` for the calls `when` accepts."""

    def call(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            raise error
        return real(*args, **kwargs)

    return call


def denied(path: Path | str) -> PermissionError:
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


# --- init -----------------------------------------------------------------------------------


def test_init_under_a_file_is_a_message_and_leaves_the_file(tmp_path: Path) -> None:
    afile = a_file(tmp_path)
    line = one_line_error(cli("init", str(afile / "sub")))
    assert line == f"twincli: error: cannot create {afile / 'sub'}: Not a directory"
    assert tree(tmp_path) == {"afile": b"someone's notes\n"}


def test_init_deeper_under_a_file(tmp_path: Path) -> None:
    afile = a_file(tmp_path)
    line = one_line_error(cli("init", str(afile / "a" / "b")))
    assert line == f"twincli: error: cannot create {afile / 'a'}: Not a directory"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc")
def test_init_in_proc_is_a_message() -> None:
    line = one_line_error(cli("init", "/proc/twincli-test"))
    assert line.startswith("twincli: error: cannot create /proc/twincli-test: ")


def test_init_where_the_folder_may_not_be_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parent folder without search permission: even asking whether DIR exists fails."""
    target = tmp_path / "locked" / "programme"
    monkeypatch.setattr(
        Path, "exists", raising(denied(target), lambda self, **_: self == target, Path.exists)
    )
    line = one_line_error(cli("init", str(target)))
    assert line == f"twincli: error: cannot create {target}: Permission denied"
    assert tree(tmp_path) == {}


def test_init_that_fails_half_way_removes_what_it_made_and_only_that(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk at the schemas: the folders init made (the programme's, and the missing one
    above it) and the files it wrote are removed; nothing else is touched."""
    outside = a_file(tmp_path)
    target = tmp_path / "new" / "programme"
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target / ".schemas/x"))
    monkeypatch.setattr(scaffold, "schema_json", raising(full, lambda kind: True, lambda k: ""))
    line = one_line_error(cli("init", str(target)))
    assert line == (
        f"twincli: error: cannot create {target / '.schemas/x'}: No space left on device"
    )
    assert tree(tmp_path) == {"afile": outside.read_bytes()}


def test_init_in_a_git_repository_that_fails_keeps_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "repo"
    (target / ".git").mkdir(parents=True)
    (target / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = tree(tmp_path)
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(scaffold, "schema_json", raising(full, lambda kind: True, lambda k: ""))
    line = one_line_error(cli("init", str(target)))
    assert line == f"twincli: error: cannot create {target}: No space left on device"
    assert tree(tmp_path) == before


def test_init_names_what_it_could_not_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "programme"
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(scaffold, "schema_json", raising(full, lambda kind: True, lambda k: ""))
    stuck = target / "README.md"
    monkeypatch.setattr(
        Path, "unlink", raising(denied(stuck), lambda self, **_: self == stuck, Path.unlink)
    )
    line = one_line_error(cli("init", str(target)))
    assert line == (
        f"twincli: error: cannot create {target}: No space left on device; could not remove "
        f"what it had made: {target}, {stuck}"
    )
    assert sorted(tree(tmp_path)) == ["programme", "programme/README.md"]


def test_init_interrupted_half_way_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "programme"
    monkeypatch.setattr(
        scaffold, "schema_json", raising(KeyboardInterrupt(), lambda kind: True, lambda k: "")
    )
    result = cli("init", str(target))
    assert (result.exit_code, result.stderr) == (130, "twincli: interrupted\n")
    assert tree(tmp_path) == {}


def test_init_never_replaces_a_file_that_appears_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program writes README.md while init runs: init stops, and that file stays."""
    target = tmp_path / "programme"
    real = scaffold._create

    def create(path: Path, text: str, made: list[Path]) -> None:
        if path.name == "README.md":
            path.write_text("mine\n", encoding="utf-8")
        real(path, text, made)

    monkeypatch.setattr(scaffold, "_create", create)
    line = one_line_error(cli("init", str(target)))
    assert line == (
        f"twincli: error: cannot create {target / 'README.md'}: File exists; could not remove "
        f"what it had made: {target}"  # the folder holds a file init did not make
    )
    assert tree(tmp_path) == {"programme": None, "programme/README.md": b"mine\n"}


def test_init_still_creates_the_whole_programme(tmp_path: Path) -> None:
    result = cli("init", str(tmp_path / "p"))
    assert result.exit_code == 0, result.output
    assert sorted(p for p, data in tree(tmp_path / "p").items() if data is not None) == sorted(
        [
            ".github/workflows/twincli.yml",
            ".gitattributes",
            ".gitignore",
            ".pre-commit-config.yaml",
            ".schemas/city.schema.json",
            ".schemas/cohort.schema.json",
            ".schemas/pilot.schema.json",
            ".schemas/programme.schema.json",
            "README.md",
            "cities/.gitkeep",
            "cohorts/.gitkeep",
            "pilots/.gitkeep",
            "programme.yaml",
        ]
    )
    assert cli("--data", str(tmp_path / "p"), "validate").exit_code == 0


@needs_permissions
def test_init_in_a_read_only_folder(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        line = one_line_error(cli("init", str(parent / "p")))
    finally:
        parent.chmod(0o755)
    assert line == f"twincli: error: cannot create {parent / 'p'}: Permission denied"
    assert tree(parent) == {}


# --- schema, export, render: --out ----------------------------------------------------------


def test_schema_out_under_a_file(tmp_path: Path) -> None:
    afile = a_file(tmp_path)
    line = one_line_error(cli("schema", "--out", str(afile / "sub")))
    assert line == f"twincli: error: cannot write to {afile / 'sub'}: Not a directory"
    line = one_line_error(cli("schema", "--kind", "city", "--out", str(afile / "sub")))
    assert line.endswith(": Not a directory")


def test_schema_out_that_may_not_be_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "locked" / "schemas"
    monkeypatch.setattr(
        Path, "exists", raising(denied(target), lambda self, **_: self == target, Path.exists)
    )
    line = one_line_error(cli("schema", "--out", str(target)))
    assert line == f"twincli: error: cannot write to {target}: Permission denied"


@pytest.mark.parametrize("command", [["json"], ["csv"], ["ics"]], ids=" ".join)
def test_export_out_that_cannot_be_written(tmp_path: Path, command: list[str]) -> None:
    afile = a_file(tmp_path)
    base = ["--data", str(EXAMPLE), "--as-of", AS_OF, "export", *command, "--out"]
    assert (
        one_line_error(cli(*base, str(tmp_path)))
        == f"twincli: error: --out {tmp_path}: is a folder"
    )
    missing = tmp_path / "missing" / "x"
    assert one_line_error(cli(*base, str(missing))) == (
        f"twincli: error: --out {missing}: no folder {missing.parent}"
    )
    assert one_line_error(cli(*base, str(afile / "x"))) == (
        f"twincli: error: --out {afile / 'x'}: no folder {afile}"
    )
    assert tree(tmp_path) == {"afile": afile.read_bytes()}


def test_export_out_in_a_folder_that_may_not_be_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "locked" / "x.json"
    monkeypatch.setattr(
        Path, "is_dir", raising(denied(target), lambda self: self == target, Path.is_dir)
    )
    line = one_line_error(cli("--data", str(EXAMPLE), "export", "json", "--out", str(target)))
    assert line == f"twincli: error: --out {target}: Permission denied"


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_export_out_through_a_loop_of_links(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    out = tmp_path / "loop" / "x.json"
    line = one_line_error(cli("--data", str(EXAMPLE), "export", "json", "--out", str(out)))
    assert line.startswith(f"twincli: error: --out {out}: ")


def test_export_out_that_the_system_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from twincli import writing

    out = tmp_path / "x.json"
    monkeypatch.setattr(
        writing, "write_atomic", raising(denied(out), lambda *a, **k: True, writing.write_atomic)
    )
    line = one_line_error(cli("--data", str(EXAMPLE), "export", "json", "--out", str(out)))
    assert line == f"twincli: error: --out {out}: Permission denied"


def test_render_out_under_a_file(tmp_path: Path, example_copy: Path) -> None:
    afile = a_file(tmp_path)
    base = ["--data", str(example_copy), "--as-of", AS_OF, "render", "--out"]
    assert one_line_error(cli(*base, str(afile))) == f"twincli: error: --out {afile}: not a folder"
    line = one_line_error(cli(*base, str(afile / "sub")))
    assert line.startswith("twincli: error: ") and line.endswith(": Not a directory")
    assert afile.read_text(encoding="utf-8") == "someone's notes\n"


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_render_out_through_a_loop_of_links(tmp_path: Path, example_copy: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    out = tmp_path / "loop" / "reports"
    base = ["--data", str(example_copy), "--as-of", AS_OF, "render", "--out", str(out)]
    assert one_line_error(cli(*base)) == f"twincli: error: --out {out}: a loop of symbolic links"


def test_render_out_that_may_not_be_looked_at(
    tmp_path: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not foreseen by `render` itself: `reporting_errors` still makes it one line."""
    target = (tmp_path / "locked" / "reports").resolve()
    monkeypatch.setattr(
        Path, "exists", raising(denied(target), lambda self, **_: self == target, Path.exists)
    )
    line = one_line_error(cli("--data", str(example_copy), "render", "--out", str(target)))
    assert line == f"twincli: error: {target}: Permission denied"


# --- reading, and the GitHub job summary ----------------------------------------------------


@pytest.mark.parametrize("command", [["validate"], ["status"], ["export", "json"]], ids=" ".join)
def test_a_data_folder_that_may_not_be_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """A diagnostic like any file the system will not let twincli read (TC101): validate
    checks the rest and exits 2; a report runs, naming what it leaves out."""
    root = build_tree(tmp_path / "prog", {})
    cities = root / "cities"
    real = os.scandir
    monkeypatch.setattr(
        os, "scandir", raising(denied(cities), lambda p=".": Path(p) == cities, real)
    )
    result = cli("--data", str(root), "--as-of", AS_OF, "--no-cache", *command)
    assert "Traceback" not in result.output
    if command == ["validate"]:
        assert result.exit_code == 2
        assert f"{cities}:1:1: error TC101 cannot list the folder: Permission denied\n" in (
            result.stdout
        )
    else:
        assert result.exit_code == 0
        assert "left out: every city in cities/ (cities/ cannot be listed)" in result.stderr


@needs_permissions
def test_a_data_folder_that_may_not_be_read(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "prog", {})
    (root / "cities").chmod(0)
    try:
        result = cli("--data", str(root), "--as-of", AS_OF, "validate")
    finally:
        (root / "cities").chmod(0o755)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "error TC101 cannot list the folder: Permission denied" in result.stdout


@pytest.mark.parametrize("where", ["folder", "under a file"])
def test_a_job_summary_that_cannot_be_written(tmp_path: Path, where: str) -> None:
    root = build_tree(tmp_path / "prog", {})
    summary = tmp_path if where == "folder" else a_file(tmp_path) / "summary.md"
    result = cli(
        "--data", str(root), "--as-of", AS_OF, "validate", "--format", "github",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr.startswith(f"twincli: warning: cannot write the job summary to {summary}")


def test_an_unforeseen_os_error_without_a_path() -> None:
    assert common.os_error_text(OSError(errno.ENOSPC, "No space left on device")) == (
        "No space left on device"
    )
    assert common.os_error_text(denied("x")) == "x: Permission denied"
    assert common.os_error_text(OSError()) == "OSError"


# --- new and record in a folder that cannot be written --------------------------------------


@needs_permissions
@pytest.mark.parametrize(
    "command",
    [
        ["new", "cohort", "cohort-9", "--edition", "tlp-18", "--start", "2025-01-01"],
        ["record", "attendance", "soria", "seminar-1"],
    ],
    ids=" ".join,
)
def test_editing_a_read_only_programme(tmp_path: Path, command: list[str]) -> None:
    root = build_tree(tmp_path / "prog", {})
    before = tree(root)
    for folder in (root, root / "cities", root / "cohorts"):
        folder.chmod(0o555)
    try:
        line = one_line_error(cli("--data", str(root), "--as-of", AS_OF, *command))
    finally:
        for folder in (root, root / "cities", root / "cohorts"):
            folder.chmod(0o755)
    assert "Permission denied" in line
    assert tree(root) == before


# --- end of input at a question -------------------------------------------------------------


@pytest.mark.parametrize("answers", ["", "TR\n", "TR\ncohort-1\n"])
def test_input_ending_at_a_question_writes_nothing(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch, answers: str
) -> None:
    monkeypatch.setattr(editing_cli, "interactive", lambda: True)
    before = tree(example_copy)
    result = cli(
        "--data", str(example_copy), "new", "city", "eskisehir-2", "--name", "Eskişehir",
        stdin=answers,
    )  # fmt: skip
    assert one_line_error(result) == (
        "twincli: error: input ended before every question was answered; nothing was written "
        "(the answers can be given as options: --country, --cohort, --pilot)"
    )
    assert result.stdout.endswith(": \n")  # the question's line is ended
    assert tree(example_copy) == before


def test_input_ending_at_the_cohort_questions(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editing_cli, "interactive", lambda: True)
    before = tree(example_copy)
    result = cli("--data", str(example_copy), "new", "cohort", "cohort-9", stdin="tlp-18\n")
    assert one_line_error(result).endswith(
        "(the answers can be given as options: --edition, --start)"
    )
    assert tree(example_copy) == before


def test_ctrl_c_at_a_question(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editing_cli, "interactive", lambda: True)

    def prompt(*args: Any, **kwargs: Any) -> str:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise typer.Abort() from None  # as the prompt does

    monkeypatch.setattr(typer, "prompt", prompt)
    before = tree(example_copy)
    result = cli("--data", str(example_copy), "new", "pilot", "p-9")
    assert (result.exit_code, result.stderr) == (130, "twincli: interrupted\n")
    assert tree(example_copy) == before


def test_no_terminal_and_no_input(example_copy: Path) -> None:
    """Off a terminal (stdin closed), twincli does not ask: the options are needed."""
    done = subprocess.run(
        [sys.executable, "-m", "twincli", "--data", str(example_copy), "new", "city", "x"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("twincli: error: missing --name, --country, --cohort, --pilot")


# --- Ctrl-C at any moment -------------------------------------------------------------------

INTERRUPTING_IMPORT = """\
import os, signal, sys

class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            sys.meta_path.remove(self)
            {action}
        return None

sys.argv = ["twincli", "--data", {data!r}, "--as-of", "2025-06-30", "validate"]
sys.meta_path.insert(0, Interrupting())
from twincli.cli import main
main()
"""

FIRST_IMPORTED = [
    "typer",  # by twincli.cli.commands, as main starts
    "twincli.cli.commands",
    "twincli.cli.lazy",
    "rich",
    "twincli.cli.validate",  # by Typer, as it finds the command
    "twincli.check.validate",  # by the command, before it starts
    "yaml",  # as it runs
]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=EXAMPLE
    )


@pytest.mark.parametrize("module", FIRST_IMPORTED)
def test_an_interrupt_raised_at_any_import(module: str) -> None:
    code = INTERRUPTING_IMPORT.format(
        module=module, data=str(EXAMPLE), action="raise KeyboardInterrupt"
    )
    done = run_python(code)
    assert (done.returncode, done.stderr, done.stdout) == (130, "twincli: interrupted\n", "")


@pytest.mark.parametrize("module", FIRST_IMPORTED)
def test_ctrl_c_pressed_during_any_import(module: str) -> None:
    """A real SIGINT: held back while twincli starts, then acted on before the command does
    anything (nothing on stdout), or at once once it runs."""
    code = INTERRUPTING_IMPORT.format(
        module=module, data=str(EXAMPLE), action="os.kill(os.getpid(), signal.SIGINT)"
    )
    done = run_python(code)
    assert (done.returncode, done.stderr, done.stdout) == (130, "twincli: interrupted\n", "")


DELAYS = [0.0, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12]


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
@pytest.mark.parametrize("delay", DELAYS)
def test_ctrl_c_after_any_delay(delay: float) -> None:
    """SIGINT from outside, some milliseconds after `main` holds Ctrl-C back (before, the
    interpreter, or this test's own code, is still starting: out of twincli's reach)."""
    code = (
        "import sys\n"
        f"sys.argv = ['twincli', '--data', {str(EXAMPLE)!r}, '--as-of', '{AS_OF}', 'validate']\n"
        "import twincli.cli as cli\n"
        "hold = cli._hold_interrupts\n"
        "def hold_then_ready():\n"
        "    hold(); sys.stderr.write('ready\\n'); sys.stderr.flush()\n"
        "cli._hold_interrupts = hold_then_ready\n"
        "cli.main()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stderr is not None
    assert child.stderr.readline() == "ready\n"
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=60)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    if child.returncode == 130:
        assert stderr.endswith("twincli: interrupted\n")
    else:  # it was done before the signal came
        assert (child.returncode, stdout.splitlines()[-1]) == (
            0,
            "0 errors, 0 warnings in 31 files",
        )


def test_main_puts_back_the_ctrl_c_handler(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a longer-lived process, Ctrl-C raises KeyboardInterrupt again after `main`."""
    monkeypatch.setattr(sys, "argv", ["twincli", "schema", "--kind", "city"])
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with pytest.raises(SystemExit) as exit_:
        twincli.cli.main()
    assert exit_.value.code == 0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert '"$schema"' in capsys.readouterr().out


def test_main_leaves_an_ignored_ctrl_c_ignored() -> None:
    """A background job started with SIGINT ignored: twincli does not take it back."""
    code = textwrap.dedent(
        f"""\
        import signal, sys
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.argv = ['twincli', '--data', {str(EXAMPLE)!r}, '--as-of', '{AS_OF}', 'validate']
        from twincli.cli import main
        try:
            main()
        finally:
            print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN, file=sys.stderr)
        """
    )
    done = run_python(code)
    assert (done.returncode, done.stderr) == (0, "True\n")


def test_version_stays_without_signal_handling() -> None:
    """`--version` is answered before anything is imported: not even `typing` (which
    `twincli.cli` does without, so that `main` starts, and can handle Ctrl-C, sooner), nor
    what handles Ctrl-C."""
    done = run_python(
        "import sys; sys.argv = ['twincli', '--version']\n"
        "from twincli.cli import main; main()\n"
        "print(sorted(m for m in ('typing', 'signal', 'typer') if m in sys.modules))"
    )
    assert done.stdout.splitlines() == ["twincli 0.1.0", "[]"]


# --- a reader that goes away ----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["status"], ["deadlines"], ["show", "city", "soria"], ["validate"], ["export", "json"]],
    ids=" ".join,
)
def test_a_pipe_closed_early_ends_quietly_with_0(command: list[str]) -> None:
    """`twincli status | head -1` under `set -o pipefail` must not fail a CI job: rich exits 1
    when its reader goes away; twincli stops quietly, exit 0, whatever printed last."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line
    twincli = [sys.executable, "-m", "twincli", "--data", str(EXAMPLE), "--as-of", AS_OF]
    done = subprocess.run(
        [*twincli, *command], stdout=write, stderr=subprocess.PIPE, timeout=60, check=False
    )
    os.close(write)
    assert (done.returncode, done.stderr) == (0, b"")
