"""Data with errors: what the figures leave out is named, never silently dropped.

A city, cohort or pilot whose file (or whose cohort's, or edition's) has errors is not in the
figures. The warning on stderr names it; a command that looks it up says it is left out and
why (exit 1), never that it does not exist. Unknown ids get one message shape everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import cli
from tests.support.folders import MINIMAL_COHORT, MINIMAL_PROGRAMME, build_tree

GALWAY = "title: Galway decarbonising zone\ncities:\n  - {name: Galway, country: IE}\n"
BELFAST = "name: Belfast\ncountry: GB\ncohort: cohort-2\npilot: galway\n"
BAD_BELFAST = BELFAST.replace("GB", "UK")
WORDY_EDITION = MINIMAL_PROGRAMME.replace("months: 18", "months: eighteen")

LEFT_OUT_BELFAST = "left out: city belfast (cities/belfast.yaml has 1 error)"
BELFAST_IS_LEFT_OUT = (
    "twincli: error: city 'belfast' is left out: cities/belfast.yaml has 1 error "
    "(twincli validate cities/belfast.yaml)\n"
)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = cli.run(root, *args)
    return result.exit_code, result.stdout, result.stderr


def folder(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """The minimal programme (soria in cohort-2, paired with urbanew), with galway and
    belfast (paired with it), and `files` on top."""
    return build_tree(
        tmp_path, {"pilots/galway.yaml": GALWAY, "cities/belfast.yaml": BELFAST, **(files or {})}
    )


# --- a city whose file has an error ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--cohort", "cohort-2"],
        ["status", "--format", "json"],
        ["deadlines"],
        ["deadlines", "--cohort", "cohort-2"],
        ["export", "csv"],
        ["export", "json"],
        ["export", "ics"],
    ],
)
def test_a_report_names_the_city_it_leaves_out(tmp_path: Path, args: list[str]) -> None:
    root = folder(tmp_path, {"cities/belfast.yaml": BAD_BELFAST})
    code, out, err = run(root, *args)
    assert code == 0
    assert err.startswith("twincli: warning: the data has 1 error; figures may be incomplete")
    assert err.endswith(LEFT_OUT_BELFAST + "\n")
    assert err.count("\n") == 1
    assert "Belfast" not in out and "belfast" not in out


@pytest.mark.parametrize(
    "args",
    [
        ["show", "city", "belfast"],
        ["status", "--city", "belfast"],
        ["status", "--city", "belfast", "--format", "json"],
        ["deadlines", "--city", "belfast"],
        ["export", "csv", "--city", "belfast"],
        ["export", "json", "--city", "belfast"],
        ["export", "ics", "--city", "belfast"],
    ],
)
def test_looking_up_a_city_left_out_says_why_and_exits_1(tmp_path: Path, args: list[str]) -> None:
    root = folder(tmp_path, {"cities/belfast.yaml": BAD_BELFAST})
    code, out, err = run(root, *args)
    assert (code, out) == (1, "")
    assert err.endswith(BELFAST_IS_LEFT_OUT)
    assert "no city" not in err and "does not exist" not in err


def test_a_pilot_whose_paired_city_is_left_out_does_not_say_it_has_none(tmp_path: Path) -> None:
    root = folder(tmp_path, {"cities/belfast.yaml": BAD_BELFAST})
    code, out, err = run(root, "show", "pilot", "galway")
    assert code == 0
    assert "No Twin City is paired with it yet" not in out
    assert "(1 paired city left out: belfast has errors)" in out
    assert err.endswith(LEFT_OUT_BELFAST + "\n")


def test_a_pilot_with_a_twin_and_one_left_out_shows_both(tmp_path: Path) -> None:
    other = BELFAST.replace("Belfast", "Derry")
    root = folder(tmp_path, {"cities/belfast.yaml": BAD_BELFAST, "cities/derry.yaml": other})
    code, out, _ = run(root, "show", "pilot", "galway")
    assert code == 0
    assert "Derry" in out
    assert "(1 paired city left out: belfast has errors)" in out


def test_a_city_whose_yaml_is_broken_is_left_out_not_unknown(tmp_path: Path) -> None:
    root = folder(tmp_path, {"cities/belfast.yaml": "name: [\n"})
    code, out, err = run(root, "show", "city", "belfast")
    assert (code, out) == (1, "")
    assert err.endswith(BELFAST_IS_LEFT_OUT)
    # its pilot cannot be known: the pilot's view says so rather than "no twin city"
    code, out, _ = run(root, "show", "pilot", "galway")
    assert code == 0
    assert "No Twin City is paired with it yet" not in out
    assert "(1 city that may be paired with it left out: belfast has errors)" in out


def test_a_narrowed_view_names_only_what_it_would_have_shown(tmp_path: Path) -> None:
    cohort_1 = MINIMAL_COHORT.replace("2024-09-30", "2023-09-30")
    root = folder(
        tmp_path,
        {
            "cohorts/cohort-1.yaml": cohort_1,
            "cities/belfast.yaml": BAD_BELFAST.replace("cohort-2", "cohort-1"),
        },
    )
    code, _, err = run(root, "status", "--cohort", "cohort-2")
    assert code == 0
    assert err == (
        "twincli: warning: the data has 1 error; figures may be incomplete "
        "(run `twincli validate`)\n"
    )
    code, _, err = run(root, "status", "--cohort", "cohort-1")
    assert err.endswith(LEFT_OUT_BELFAST + "\n")
    code, _, err = run(root, "status", "--city", "soria")
    assert (code, err.count("left out")) == (0, 0)
    code, out, err = run(root, "show", "pilot", "urbanew")
    assert (code, err.count("left out")) == (0, 0)
    assert "left out" not in out


def test_many_left_out_are_counted_after_five(tmp_path: Path) -> None:
    root = folder(tmp_path, {f"cities/c{i}.yaml": BAD_BELFAST for i in range(1, 9)})
    code, _, err = run(root, "status")
    assert code == 0
    assert err.startswith("twincli: warning: the data has 8 errors; figures may be incomplete")
    assert "left out: city c1 (cities/c1.yaml has 1 error), city c2 (" in err
    assert "city c5 (cities/c5.yaml has 1 error) and 3 more\n" in err
    assert "c6" not in err


# --- an edition, a cohort, a pilot ----------------------------------------------------------


def test_an_edition_with_an_error_leaves_out_its_cohorts_cities(tmp_path: Path) -> None:
    root = folder(tmp_path, {"programme.yaml": WORDY_EDITION})
    code, out, err = run(root, "status")
    assert code == 0
    assert err.endswith("left out: cohort cohort-2 and its 2 cities (programme.yaml has 1 error)\n")
    assert "Soria" not in out
    code, out, err = run(root, "show", "city", "soria")
    assert (code, out) == (1, "")
    assert err.endswith(
        "twincli: error: city 'soria' is left out with its cohort 'cohort-2', whose edition "
        "'tlp-18' has errors: programme.yaml has 1 error (twincli validate programme.yaml)\n"
    )
    assert "does not exist" not in err
    code, _, err = run(root, "export", "json")
    assert code == 0
    assert err.endswith("left out: edition tlp-18 (programme.yaml has 1 error)\n")
    code, out, _ = run(root, "show", "pilot", "galway")
    assert code == 0
    assert "No Twin City" not in out
    assert "(1 paired city left out with its cohort: belfast)" in out


def test_a_pilot_names_five_of_its_cities_left_out(tmp_path: Path) -> None:
    towns = {f"cities/town-{i}.yaml": BAD_BELFAST for i in range(1, 8)}
    code, out, _ = run(folder(tmp_path, towns), "show", "pilot", "galway")
    assert code == 0
    assert (  # wrapped to the terminal's width
        "(7 paired cities left out: town-1, town-2, town-3, town-4, town-5 and 2 more have "
        "errors)" in " ".join(out.split())
    )


def test_a_programme_file_that_does_not_parse_leaves_out_every_cohorts_cities(
    tmp_path: Path,
) -> None:
    root = folder(tmp_path, {"programme.yaml": "name: [\n"})
    code, _, err = run(root, "status")
    assert code == 0
    assert err.endswith("left out: cohort cohort-2 and its 2 cities (programme.yaml has 1 error)\n")
    code, _, err = run(root, "export", "json")
    assert code == 0
    assert err.endswith(
        "left out: the programme's name and editions (programme.yaml has 1 error)\n"
    )


def test_a_cohort_whose_file_has_an_error_is_left_out_with_its_cities(tmp_path: Path) -> None:
    root = folder(tmp_path, {"cohorts/cohort-2.yaml": "edition: tlp-18\nstart: soon\n"})
    code, _, err = run(root, "status")
    assert code == 0
    assert err.endswith(
        "left out: cohort cohort-2 and its 2 cities (cohorts/cohort-2.yaml has 1 error)\n"
    )
    for args in (["show", "cohort", "cohort-2"], ["status", "--cohort", "cohort-2"]):
        code, out, err = run(root, *args)
        assert (code, out) == (1, "")
        assert err.endswith(
            "twincli: error: cohort 'cohort-2' is left out: cohorts/cohort-2.yaml has 1 error "
            "(twincli validate cohorts/cohort-2.yaml)\n"
        )
    code, _, err = run(root, "status", "--city", "soria")
    assert code == 1
    assert "city 'soria' is left out with its cohort 'cohort-2': cohorts/cohort-2.yaml" in err


def test_a_pilot_whose_file_does_not_parse_is_left_out_not_unknown(tmp_path: Path) -> None:
    root = folder(tmp_path, {"pilots/galway.yaml": "title: [\n"})
    code, out, err = run(root, "show", "pilot", "galway")
    assert (code, out) == (1, "")
    assert err.endswith(
        "twincli: error: pilot 'galway' is left out: pilots/galway.yaml has 1 error "
        "(twincli validate pilots/galway.yaml)\n"
    )
    code, _, err = run(root, "export", "json")
    assert code == 0
    assert err.endswith("left out: pilot galway (pilots/galway.yaml has 1 error)\n")


def test_a_city_whose_cohort_does_not_exist_is_left_out(tmp_path: Path) -> None:
    root = folder(tmp_path, {"cities/belfast.yaml": BELFAST.replace("cohort-2", "cohort-9")})
    code, _, err = run(root, "status")
    assert err.endswith("left out: city belfast (its cohort 'cohort-9' does not exist)\n")
    code, out, err = run(root, "show", "city", "belfast")
    assert (code, out) == (1, "")
    assert err.endswith(
        "twincli: error: city 'belfast' is left out: its cohort 'cohort-9' does not exist "
        "(twincli validate cities/belfast.yaml)\n"
    )


# --- unknown ids: one shape -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["show", "city", "sorai"],
        ["status", "--city", "sorai"],
        ["deadlines", "--city", "sorai"],
        ["export", "csv", "--city", "sorai"],
        ["export", "json", "--city", "sorai"],
        ["export", "ics", "--city", "sorai"],
        ["render", "--city", "sorai"],
    ],
)
def test_an_unknown_city_is_the_same_message_everywhere(tmp_path: Path, args: list[str]) -> None:
    code, out, err = run(folder(tmp_path), *args)
    assert (code, out) == (2, "")
    assert err == "twincli: error: no city 'sorai' (did you mean 'soria'?)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--cohort", "cohort3"], "no cohort 'cohort3' (did you mean 'cohort-2'?)"),
        (["status", "--cohort", "zzz"], "no cohort 'zzz' (cohorts: cohort-2)"),
        (["show", "cohort", "cohort3"], "no cohort 'cohort3' (did you mean 'cohort-2'?)"),
        (["show", "pilot", "galwya"], "no pilot 'galwya' (did you mean 'galway'?)"),
        (["show", "pilot", "zzz"], "no pilot 'zzz' (pilots: galway, urbanew)"),
        (["show", "city", "zzz"], "no city 'zzz' (cities: belfast, soria)"),
        (["export", "json", "--cohort", "cohort3"], "no cohort 'cohort3' (did you mean "),
        (["render", "--cohort", "cohort3"], "no cohort 'cohort3' (did you mean 'cohort-2'?)"),
        (
            ["render", "--output", "action-pln"],
            "no output 'action-pln' (did you mean 'action-plan'?)",
        ),
        (["deadlines", "--cohort", "cohort-2", "--city", "zzz"], "no city 'zzz' (cities: "),
    ],
)
def test_unknown_ids_suggest_or_list(tmp_path: Path, args: list[str], message: str) -> None:
    code, out, err = run(folder(tmp_path), *args)
    assert (code, out) == (2, "")
    assert err.startswith("twincli: error: " + message)


def test_a_city_in_another_cohort_says_where_it_is(tmp_path: Path) -> None:
    cohort_1 = MINIMAL_COHORT.replace("2024-09-30", "2023-09-30")
    root = folder(tmp_path, {"cohorts/cohort-1.yaml": cohort_1})
    code, _, err = run(root, "status", "--cohort", "cohort-1", "--city", "soria")
    assert code == 2
    assert err == "twincli: error: no city 'soria' in cohort-1 (it is in cohort-2)\n"


def test_equally_close_ids_are_listed_rather_than_one_guessed(tmp_path: Path) -> None:
    cohort_1 = MINIMAL_COHORT.replace("2024-09-30", "2023-09-30")
    root = folder(tmp_path, {"cohorts/cohort-1.yaml": cohort_1})
    code, _, err = run(root, "status", "--cohort", "cohort-9")
    assert code == 2
    assert err == "twincli: error: no cohort 'cohort-9' (cohorts: cohort-1, cohort-2)\n"


def test_many_ids_are_not_listed(tmp_path: Path) -> None:
    towns = {f"cities/town-{i:02}.yaml": BELFAST.replace("Belfast", f"T{i}") for i in range(11)}
    root = folder(tmp_path, towns)
    code, _, err = run(root, "status", "--city", "xyz")
    assert code == 2
    assert err == (
        "twincli: error: no city 'xyz' (13 cities: their ids are the names of the files "
        "in cities/)\n"
    )


# --- a folder that cannot be listed, a misnamed cohort file ---------------------------------


@pytest.fixture
def unlisted_cities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder, with cities/ refused by the system when listed (as root, chmod would not
    stop it)."""
    import os

    root = folder(tmp_path)
    cities, real = root / "cities", os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == cities:
            raise PermissionError(13, "Permission denied", str(cities))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    return root


@pytest.mark.parametrize("args", [["status"], ["deadlines"], ["export", "json"]])
def test_a_cities_folder_that_cannot_be_listed_is_named(
    unlisted_cities: Path, args: list[str]
) -> None:
    code, _, err = run(unlisted_cities, "--no-cache", *args)
    assert code == 0
    assert err.rstrip("\n").endswith("left out: every city in cities/ (cities/ cannot be listed)")


def test_a_city_looked_up_in_a_folder_that_cannot_be_listed(unlisted_cities: Path) -> None:
    code, out, err = run(unlisted_cities, "--no-cache", "show", "city", "soria")
    assert (code, out) == (1, "")
    assert err.endswith(
        "twincli: error: city 'soria' may be left out: cities/ cannot be listed "
        "(twincli validate cities)\n"
    )
    code, out, err = run(unlisted_cities, "--no-cache", "show", "pilot", "galway")
    assert code == 0
    assert "(its Twin Cities are not known: cities/ cannot be listed)" in out
    assert "No Twin City is paired" not in out


COHORT_2_NOT_READ = (
    "cohorts/Cohort-2.yaml is not read: 'Cohort-2' is not a valid id for a file name "
    "(ids are lower-case letters, digits and single hyphens, e.g. 'cohort-2')"
)
"""Why a cohort file saved as cohorts/Cohort-2.yaml is left out, and the fix."""


def test_a_city_of_a_misnamed_cohort_file_is_left_out_with_that_file(tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "cohorts" / "cohort-2.yaml").rename(root / "cohorts" / "Cohort-2.yaml")
    code, out, err = run(root, "show", "city", "soria")
    assert (code, out) == (1, "")
    assert err.endswith(
        "twincli: error: city 'soria' is left out with its cohort 'cohort-2': "
        f"{COHORT_2_NOT_READ} (twincli validate cohorts/Cohort-2.yaml)\n"
    )
    code, out, _ = run(root, "show", "pilot", "galway")
    assert code == 0
    assert "(1 paired city left out with its cohort: belfast)" in out


# --- built all the same: shown with errors --------------------------------------------------


def test_a_city_shown_with_an_error_is_named_as_such(tmp_path: Path) -> None:
    root = folder(tmp_path, {"cities/belfast.yaml": BELFAST + "status: withdrwn\n"})
    code, out, err = run(root, "status")
    assert code == 0
    assert "Belfast" in out
    assert err.startswith("twincli: warning: the data has 1 error; figures may be incomplete")
    assert err.endswith("; shown with errors: city belfast (cities/belfast.yaml has 1 error)\n")
    assert "left out" not in err
    code, _, err = run(root, "status", "--city", "soria")
    assert (code, "belfast" in err) == (0, False)


def test_shown_with_errors_comes_after_left_out(tmp_path: Path) -> None:
    other = BAD_BELFAST.replace("Belfast", "Derry")
    root = folder(
        tmp_path,
        {"cities/belfast.yaml": BELFAST + "status: withdrwn\n", "cities/derry.yaml": other},
    )
    code, _, err = run(root, "status")
    assert code == 0
    assert err.endswith(
        "; left out: city derry (cities/derry.yaml has 1 error); shown with errors: "
        "city belfast (cities/belfast.yaml has 1 error)\n"
    )


def test_a_pilot_shown_with_an_error_is_named_in_its_view(tmp_path: Path) -> None:
    root = folder(tmp_path, {"pilots/galway.yaml": GALWAY + "kind: mission-cty\n"})
    code, out, err = run(root, "show", "pilot", "galway")
    assert code == 0
    assert "Galway" in out
    assert err.endswith("; shown with errors: pilot galway (pilots/galway.yaml has 1 error)\n")
    code, _, err = run(root, "show", "pilot", "urbanew")
    assert (code, "galway" in err) == (0, False)


# --- a cohort whose edition has errors, looked up -------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--cohort", "cohort-2"],
        ["deadlines", "--cohort", "cohort-2"],
        ["export", "csv", "--cohort", "cohort-2"],
        ["show", "cohort", "cohort-2"],
    ],
)
def test_a_cohort_whose_edition_has_errors_is_left_out_when_looked_up(
    tmp_path: Path, args: list[str]
) -> None:
    root = folder(tmp_path, {"programme.yaml": WORDY_EDITION})
    code, out, err = run(root, *args)
    assert (code, out) == (1, "")
    assert err.endswith(
        "twincli: error: cohort 'cohort-2' is left out: its edition 'tlp-18' has errors: "
        "programme.yaml has 1 error (twincli validate programme.yaml)\n"
    )


def test_export_json_of_a_cohort_whose_edition_has_errors_shows_its_records(
    tmp_path: Path,
) -> None:
    root = folder(tmp_path, {"programme.yaml": WORDY_EDITION})
    code, out, _ = run(root, "export", "json", "--cohort", "cohort-2")
    assert code == 0
    assert "soria" in out


# --- a misnamed cohort or pilot file ---------------------------------------------------------


def test_a_misnamed_cohort_file_leaves_out_the_cohort_with_its_cities(tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "cohorts" / "cohort-2.yaml").rename(root / "cohorts" / "Cohort-2.yaml")
    code, _, err = run(root, "status")
    assert code == 0
    assert err.endswith(f"left out: cohort cohort-2 and its 2 cities ({COHORT_2_NOT_READ})\n")
    code, out, err = run(root, "status", "--cohort", "cohort-2")
    assert (code, out) == (1, "")
    assert err.endswith(
        f"twincli: error: cohort 'cohort-2' is left out: {COHORT_2_NOT_READ} "
        "(twincli validate cohorts/Cohort-2.yaml)\n"
    )
    code, out, err = run(root, "status", "--city", "soria")
    assert (code, out) == (1, "")
    assert err.endswith(
        "twincli: error: city 'soria' is left out with its cohort 'cohort-2': "
        f"{COHORT_2_NOT_READ} (twincli validate cohorts/Cohort-2.yaml)\n"
    )


def test_a_misnamed_pilot_file_leaves_out_the_pilot(tmp_path: Path) -> None:
    root = folder(tmp_path)
    (root / "pilots" / "galway.yaml").rename(root / "pilots" / "Galway.yaml")
    code, out, err = run(root, "show", "pilot", "galway")
    assert (code, out) == (1, "")
    assert err.endswith(
        "twincli: error: pilot 'galway' is left out: pilots/Galway.yaml is not read: 'Galway' "
        "is not a valid id for a file name (ids are lower-case letters, digits and single "
        "hyphens, e.g. 'galway') (twincli validate pilots/Galway.yaml)\n"
    )
