"""The views of the report commands as a library gives them (`twincli.progress.views`): values,
never output. What a view leaves out and why is in its `Gaps`; an id that cannot be shown is an
error that says whether it is unknown (exit 2) or left out by errors in the data (exit 1).

The CLI prints these values (tests/test_left_out.py pins its words); these tests pin the values.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.support.folders import MINIMAL_COHORT, MINIMAL_PROGRAMME, build_tree
from twincli.errors import InvalidDataError, LeftOutError, UnknownIdError, UsageError
from twincli.progress import views
from twincli.progress.views import Gaps

AS_OF = date(2025, 6, 30)
GALWAY = "title: Galway decarbonising zone\ncities:\n  - {name: Galway, country: IE}\n"
BELFAST = "name: Belfast\ncountry: GB\ncohort: cohort-2\npilot: galway\n"
BAD_BELFAST = BELFAST.replace("GB", "UK")


def folder(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """The minimal programme (soria in cohort-2, paired with urbanew), with belfast paired
    with galway, and `files` on top."""
    return build_tree(
        tmp_path, {"pilots/galway.yaml": GALWAY, "cities/belfast.yaml": BELFAST, **(files or {})}
    )


def test_a_view_of_valid_data_lacks_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    view = views.status(folder(tmp_path), AS_OF)
    assert view.gaps == Gaps(errors=0)
    assert view.gaps.warning() is None
    assert [c.city.id for c in view.progress.cohorts[0].cities] == ["belfast", "soria"]
    assert capsys.readouterr() == ("", "")  # a value, never output


def test_a_city_with_errors_is_in_the_gaps_not_in_the_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    view = views.status(folder(tmp_path, {"cities/belfast.yaml": BAD_BELFAST}), AS_OF)
    assert [c.city.id for c in view.progress.cohorts[0].cities] == ["soria"]
    assert view.gaps.errors == 1
    [entry] = view.gaps.left_out
    assert (entry.kind, entry.id, entry.file) == ("city", "belfast", "cities/belfast.yaml")
    assert entry.reason == "cities/belfast.yaml has 1 error"
    assert view.gaps.warning() == (
        "the data has 1 error; figures may be incomplete (run `twincli validate`); "
        "left out: city belfast (cities/belfast.yaml has 1 error)"
    )
    assert capsys.readouterr() == ("", "")


def test_a_city_shown_though_its_file_has_an_error_is_named_as_such(tmp_path: Path) -> None:
    """An invalid optional value is shown by its default: the city stays in the figures."""
    odd = BELFAST + "status: resting\n"
    view = views.status(folder(tmp_path, {"cities/belfast.yaml": odd}), AS_OF)
    assert view.gaps.left_out == ()
    assert [(e.kind, e.id) for e in view.gaps.with_errors] == [("city", "belfast")]
    warning = view.gaps.warning()
    assert warning is not None
    assert warning.endswith("; shown with errors: city belfast (cities/belfast.yaml has 1 error)")


def test_the_warning_names_five_then_counts(tmp_path: Path) -> None:
    towns = {f"cities/town-{i}.yaml": BAD_BELFAST for i in range(1, 8)}
    warning = views.status(folder(tmp_path, towns), AS_OF).gaps.warning()
    assert warning is not None
    assert warning.endswith("city town-5 (cities/town-5.yaml has 1 error) and 2 more")
    assert "town-6" not in warning


def test_looking_up_a_city_left_out_is_an_error_of_the_data(tmp_path: Path) -> None:
    root = folder(tmp_path, {"cities/belfast.yaml": BAD_BELFAST})
    for look_up in (
        lambda: views.city(root, AS_OF, "belfast"),
        lambda: views.status(root, AS_OF, city="belfast"),
        lambda: views.deadlines(root, AS_OF, city="belfast"),
        lambda: views.model(root, AS_OF, city="belfast"),
    ):
        with pytest.raises(LeftOutError) as raised:
            look_up()
        error = raised.value
        assert (error.kind, error.ident, error.file) == ("city", "belfast", "cities/belfast.yaml")
        assert error.exit_code == 1
        assert str(error) == (
            "city 'belfast' is left out: cities/belfast.yaml has 1 error "
            "(twincli validate cities/belfast.yaml)"
        )


def test_an_unknown_id_is_a_usage_error_that_names_it(tmp_path: Path) -> None:
    root = folder(tmp_path)
    with pytest.raises(UnknownIdError) as raised:
        views.pilot(root, AS_OF, "galwya")
    assert (raised.value.kind, raised.value.ident, raised.value.exit_code) == (
        "pilot",
        "galwya",
        2,
    )
    assert str(raised.value) == "no pilot 'galwya' (did you mean 'galway'?)"


def test_a_city_asked_for_in_another_cohort_says_where_it_is(tmp_path: Path) -> None:
    cohort_1 = MINIMAL_COHORT.replace("2024-09-30", "2023-09-30")
    root = folder(tmp_path, {"cohorts/cohort-1.yaml": cohort_1})
    with pytest.raises(UsageError, match=r"^no city 'soria' in cohort-1 \(it is in cohort-2\)$"):
        views.tables(root, AS_OF, cohort="cohort-1", city="soria")


def test_a_cohort_without_its_edition_is_a_record_but_has_no_figures(tmp_path: Path) -> None:
    """The model view has every record it could build; the figures, only what has a place in
    progress."""
    root = folder(tmp_path, {"cohorts/cohort-2.yaml": MINIMAL_COHORT.replace("tlp-18", "tlp-9")})
    model = views.model(root, AS_OF, cohort="cohort-2")
    assert sorted(model.programme.cities) == ["belfast", "soria"]
    assert sorted(model.programme.pilots) == ["galway", "urbanew"]
    with pytest.raises(LeftOutError, match="its edition 'tlp-9' does not exist"):
        views.status(root, AS_OF, cohort="cohort-2")


def test_narrowed_views_keep_only_what_was_asked_for(tmp_path: Path) -> None:
    root = folder(tmp_path)
    tables = views.tables(root, AS_OF, city="belfast")
    assert list(tables.programme.cities) == ["belfast"]
    assert list(tables.programme.pilots) == ["galway"]
    assert [cp.city.id for c in tables.progress.cohorts for cp in c.cities] == ["belfast"]
    found = views.deadlines(root, AS_OF, city="soria", overdue=True)
    assert found.deadlines and {d.city for d in found.deadlines} == {"soria"}
    assert all(d.days < 0 for d in found.deadlines)


def test_a_pilot_says_which_of_its_cities_are_left_out(tmp_path: Path) -> None:
    derry = BELFAST.replace("Belfast", "Derry")
    root = folder(tmp_path, {"cities/belfast.yaml": BAD_BELFAST, "cities/derry.yaml": derry})
    view = views.pilot(root, AS_OF, "galway")
    assert [cp.city.id for _, cp in view.twins] == ["derry"]
    assert view.notes == ("(1 paired city left out: belfast has errors)",)
    broken = folder(tmp_path, {"cities/belfast.yaml": "name: [\n"})  # its pilot is unknown
    assert views.pilot(broken, AS_OF, "galway").notes == (
        "(1 city that may be paired with it left out: belfast has errors)",
    )


def test_a_cohort_left_out_by_its_edition_takes_its_cities_with_it(tmp_path: Path) -> None:
    wordy = MINIMAL_PROGRAMME.replace("months: 18", "months: eighteen")
    root = folder(tmp_path, {"programme.yaml": wordy})
    view = views.pilot(root, AS_OF, "galway")
    assert view.twins == ()
    assert view.notes == ("(1 paired city left out with its cohort: belfast)",)
    with pytest.raises(LeftOutError) as raised:
        views.cohort(root, AS_OF, "cohort-2")
    assert raised.value.file == "programme.yaml"


def test_render_needs_valid_data(tmp_path: Path) -> None:
    root = folder(tmp_path)
    assert sorted(views.valid_model(root, AS_OF).cities) == ["belfast", "soria"]
    broken = folder(tmp_path, {"cities/belfast.yaml": BAD_BELFAST})
    with pytest.raises(InvalidDataError) as raised:
        views.valid_model(broken, AS_OF)
    assert [d.location.file for d in raised.value.errors] == ["cities/belfast.yaml"]
    assert raised.value.exit_code == 1
