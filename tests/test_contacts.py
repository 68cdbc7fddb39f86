"""Contacts: in `export csv --table contacts`, in `export json`, in `show city`, and back in
through `import cities`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import run
from tests.support.folders import build_tree

SORIA = """\
name: Soria
country: ES
cohort: cohort-2
pilot: urbanew
contacts:
  - {name: Ana Pérez, role: lead, email: ana.perez@example.org, phone: +34 975 10 10 10}
  - {name: "=Luis Gil", role: energy}
"""


def test_the_contacts_table(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "prog", {"cities/soria.yaml": SORIA})

    result = run(root, "export", "csv", "--table", "contacts", "--no-bom")

    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (
        b"cohort,city,contact,role,email,phone\r\n"
        b"cohort-2,soria,Ana P\xc3\xa9rez,lead,ana.perez@example.org,'+34 975 10 10 10\r\n"
        b"cohort-2,soria,'=Luis Gil,energy,,\r\n"
    )


def test_contacts_are_in_the_json_export_and_in_show_city(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "prog", {"cities/soria.yaml": SORIA})

    exported = json.loads(run(root, "export", "json").stdout)
    shown = run(root, "show", "city", "soria").stdout.splitlines()

    assert exported["cities"]["soria"]["contacts"] == [
        {
            "name": "Ana Pérez",
            "role": "lead",
            "email": "ana.perez@example.org",
            "phone": "+34 975 10 10 10",
        },
        {"name": "=Luis Gil", "role": "energy", "email": None, "phone": None},
    ]
    assert shown[1:3] == [
        "Contact: Ana Pérez, lead, ana.perez@example.org, +34 975 10 10 10",
        "Contact: =Luis Gil, energy",
    ]


def test_the_contacts_table_imports_back(tmp_path: Path) -> None:
    source = build_tree(tmp_path / "source", {"cities/soria.yaml": SORIA})
    bare = SORIA.split("contacts:")[0]
    target = build_tree(tmp_path / "target", {"cities/soria.yaml": bare})
    sheet = tmp_path / "contacts.csv"
    sheet.write_bytes(run(source, "export", "csv", "--table", "contacts").stdout_bytes)

    result = run(target, "import", "cities", str(sheet))

    assert result.exit_code == 0, result.output
    contacts = [json.loads(run(r, "export", "json").stdout) for r in (source, target)]
    assert contacts[1]["cities"]["soria"] == contacts[0]["cities"]["soria"]
