"""`twincli remind`: e-mail drafts parsed back with `email.parser`, for their headers, names
with diacritics (encoded), content and determinism; the summary without `--out`; a hostile
template refused as `render` refuses it."""

from __future__ import annotations

import email.parser
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.folders import MINIMAL_PROGRAMME, build_tree, snapshot

PROGRAMME = MINIMAL_PROGRAMME.replace(
    "name: Test programme\n", "name: Test programme\ncontact: team@example.org\n"
)

SORIA = """\
name: Soria
country: ES
cohort: cohort-2
pilot: urbanew
contacts:
  - {name: Luis Gil, role: energy, email: luis.gil@example.org}
  - {name: Ana Pérez, role: lead, email: ana.perez@example.org}
  - {name: Sin Correo, role: mayor}
attended: [kick-off]
"""

BURGOS = """\
name: Burgos
country: ES
cohort: cohort-2
pilot: urbanew
contacts:
  - {name: Pablo Ruiz, role: lead}
outputs:
  learning-roadmap: {status: approved, submitted: 2025-01-10, approved: 2025-01-20}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    files = {"programme.yaml": PROGRAMME, "cities/soria.yaml": SORIA, "cities/burgos.yaml": BURGOS}
    return build_tree(tmp_path / "prog", files)


def content(mail: EmailMessage) -> str:
    """The body's text, its lines ended as Python's text is (the file has CRLF)."""
    text: str = mail.get_content()
    return text.replace("\r\n", "\n")


def parse(path: Path) -> EmailMessage:
    parsed = email.parser.BytesParser(policy=email.policy.default).parsebytes(path.read_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_a_draft_per_city_with_encoded_names_lead_first(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts"

    result = run(folder, "remind", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}/soria.eml\n"
    assert result.stderr == ""  # Burgos owes nothing within 30 days of 2025-06-30
    assert sorted(p.name for p in out.iterdir()) == ["soria.eml"]
    raw = (out / "soria.eml").read_bytes()
    assert raw.isascii() and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    # The name with an accent travels encoded (RFC 2047), and reads back as written.
    assert b"To: Ana =?utf-8?q?P=C3=A9rez?= <ana.perez@example.org>, Luis Gil" in raw
    mail = parse(out / "soria.eml")
    assert mail["From"] == "Test programme <team@example.org>"
    assert [(a.display_name, a.addr_spec) for a in mail["To"].addresses] == [
        ("Ana Pérez", "ana.perez@example.org"),
        ("Luis Gil", "luis.gil@example.org"),
    ]
    assert mail["Subject"] == (
        "Soria: 2 items of the Twinning Learning Programme overdue or due soon"
    )
    assert mail["Date"] == "Mon, 30 Jun 2025 00:00:00 +0000"
    assert mail["X-Unsent"] == "1"
    assert mail["Message-ID"].endswith(".soria@example.org>")
    assert not mail.is_multipart()
    assert content(mail) == (
        "Dear Ana Pérez, Luis Gil,\n"
        "\n"
        "This is a reminder from the Test programme team, as of 30 June 2025.\n"
        "\n"
        "Overdue:\n"
        "  - Roadmap: due 30 January 2025 (151 days ago)\n"
        "  - Planned: due 30 March 2025 (92 days ago)\n"
        "\n"
        "If something here is already done, reply to this message and we will update our "
        "records.\n"
        "\n"
        "Kind regards,\n"
        "The Test programme team\n"
    )


def test_an_output_with_a_link_is_listed_with_it(folder: Path, tmp_path: Path) -> None:
    """The document itself, wherever the city keeps it, under the line of what is overdue."""
    soria = folder / "cities/soria.yaml"
    soria.write_text(
        soria.read_text(encoding="utf-8")
        + "outputs:\n  learning-roadmap: {status: drafting, link: 'https://docs.example.org/r'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "drafts"

    assert run(folder, "remind", "--out", str(out)).exit_code == 0
    assert (
        "Overdue:\n"
        "  - Roadmap: due 30 January 2025 (151 days ago)\n"
        "    https://docs.example.org/r\n"
        "  - Planned: due 30 March 2025 (92 days ago)\n"
    ) in content(parse(out / "soria.eml"))


def test_the_same_day_gives_the_same_bytes(folder: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    run(folder, "remind", "--out", str(first))
    run(folder, "remind", "--out", str(second))
    later = tmp_path / "c"
    run(folder, "remind", "--out", str(later), as_of="2025-07-01")

    assert (first / "soria.eml").read_bytes() == (second / "soria.eml").read_bytes()
    assert parse(later / "soria.eml")["Message-ID"] != parse(first / "soria.eml")["Message-ID"]


def test_the_summary_says_who_and_why_and_names_a_city_without_address(folder: Path) -> None:
    result = run(folder, "remind", "--within", "250")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Burgos (burgos): no contact with an e-mail address (add one to its contacts)",
        "  due      2026-02-28  Action plan (output, in 243 days)",
        "Soria (soria): to Ana Pérez <ana.perez@example.org> and 1 other",
        "  overdue  2025-01-30  Roadmap (output, 151 days late)",
        "  overdue  2025-03-30  Planned (milestone, 92 days late)",
        "  due      2026-02-28  Action plan (output, in 243 days)",
        "2 cities with something overdue or due within 250 days; nothing was written",
    ]


def test_a_city_without_address_is_named_when_writing(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts"

    result = run(folder, "remind", "--within", "250", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["soria.eml"]
    assert result.stderr == (
        "twincli: warning: burgos: no contact with an e-mail address (add one to its contacts)\n"
    )


def test_no_sender_is_refused(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "prog", {"cities/soria.yaml": SORIA})
    out = tmp_path / "drafts"

    summary = run(root, "remind")
    result = run(root, "remind", "--out", str(out))

    assert summary.exit_code == 0
    assert summary.stderr == (
        "twincli: warning: programme.yaml has no contact: (the team's e-mail address), "
        "which --out needs\n"
    )

    assert result.exit_code == 2
    assert result.stderr == (
        "twincli: error: programme.yaml has no contact: (the team's e-mail address, the sender)\n"
    )
    assert not out.exists()


def test_the_programme_template_is_used(folder: Path, tmp_path: Path) -> None:
    (folder / "templates").mkdir()
    (folder / "templates/reminder.eml.j2").write_text(
        "Subject: {{ city.name }} owes {{ items|length }}\n\n"
        "{% for item in items %}{{ item.item }} {{ item.due }}\n{% endfor %}",
        encoding="utf-8",
    )
    out = tmp_path / "drafts"

    result = run(folder, "remind", "--out", str(out))

    assert result.exit_code == 0, result.output
    mail = parse(out / "soria.eml")
    assert mail["Subject"] == "Soria owes 2"
    assert content(mail) == "learning-roadmap 2025-01-30\nm1 2025-03-30\n"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ ().__class__.__base__.__subclasses__() }}", "unsafe"),
        ("{{ city.__init__.__globals__ }}", "unsafe"),
        ("{{ open('/etc/passwd').read() }}", "'open' is undefined"),
        ("{% include '../cities/soria.yaml' %}", "no template '../cities/soria.yaml'"),
        ("no subject line", "its first line must be 'Subject: ...'"),
    ],
)
def test_a_hostile_template_is_refused(
    folder: Path, tmp_path: Path, template: str, message: str
) -> None:
    (folder / "templates").mkdir()
    (folder / "templates/reminder.eml.j2").write_text(template + "\n", encoding="utf-8")
    out = tmp_path / "drafts"
    before = snapshot(folder)

    result = run(folder, "remind", "--out", str(out))

    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert snapshot(folder) == before
