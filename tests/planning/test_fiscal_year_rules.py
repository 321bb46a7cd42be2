"""A fiscal year's stage calendar and grade bands are checked where the administrator edits them: a stage ending
before it starts, or bands the evaluation cannot use, are refused with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from planning.models import FiscalYear, validate_grade_bands
from planning.queries import grade_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(city):
    from tests.conftest import make_user

    return make_user("super@banjarmasinkota.go.id", is_staff=True, is_superuser=True)


def _admin_data(client, url):
    form = client.get(url).context["adminform"].form
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def test_a_stage_ending_before_it_starts_is_refused_in_the_admin(client, superuser, fiscal_year):
    client.force_login(superuser)
    url = reverse("admin:planning_fiscalyear_change", args=[fiscal_year.pk])
    data = _admin_data(client, url) | {"musrenbang_start": "2025-03-31", "musrenbang_end": "2025-01-05"}
    with translation.override("en"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["musrenbang_end"]
    assert "Musrenbang cannot end" in errors["musrenbang_end"][0]
    fiscal_year.refresh_from_db()
    assert fiscal_year.musrenbang_end == dt.date(2025, 3, 31)


@pytest.mark.parametrize(
    "field, day",
    [("rkpd_by", dt.date(2025, 3, 1)), ("apbd_by", dt.date(2025, 8, 1)), ("evaluation_end", dt.date(2026, 12, 1))],
)
def test_every_stage_is_checked(fiscal_year, field, day):
    setattr(fiscal_year, field, day)
    with pytest.raises(ValidationError) as refused:
        fiscal_year.full_clean()
    assert set(refused.value.message_dict) == {field}


@pytest.mark.parametrize(
    "bands, says",
    [
        ([[91, "sangat_tinggi"], [76, "high"], [0, "low"]], "Unknown grade"),
        ([[91, "very_high"], [76, "high"]], "must start at 0"),
        ([[76, "high"], [91, "very_high"], [0, "low"]], "highest first"),
        ([[150, "very_high"], [0, "low"]], "from 0 to 100"),
        ({"91": "very_high"}, "pairs"),
        ([[91]], "pairs"),
    ],
)
def test_grade_bands_the_evaluation_cannot_use_are_refused(bands, says):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            validate_grade_bands(bands)
        assert says in refused.value.messages[0]


def test_the_admin_refuses_an_unknown_grade(client, superuser, fiscal_year):
    client.force_login(superuser)
    url = reverse("admin:planning_fiscalyear_change", args=[fiscal_year.pk])
    data = _admin_data(client, url) | {"grade_bands": '[[91, "sangat_tinggi"], [76, "high"], [0, "very_low"]]'}
    response = client.post(url, data)
    assert response.status_code == 200 and "grade_bands" in response.context["adminform"].form.errors
    fiscal_year.refresh_from_db()
    assert fiscal_year.grade_bands[0] == [91, "very_high"]


def test_the_default_bands_pass_and_a_score_below_old_unchecked_bands_gets_the_lowest_grade():
    validate_grade_bands(FiscalYear._meta.get_field("grade_bands").default())
    assert grade_for(10, [[51, "low"], [91, "very_high"]]) == "low"


# --- the stages in order, execution within its year ---------------------------------------------------------


def _refused(fiscal_year, **dates) -> dict[str, list[str]]:
    for field, day in dates.items():
        setattr(fiscal_year, field, day)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        fiscal_year.full_clean()
    return refused.value.message_dict


def test_evaluation_starting_while_execution_runs_is_refused(fiscal_year):
    errors = _refused(fiscal_year, evaluation_start=dt.date(2026, 6, 1))
    assert errors == {
        "evaluation_start": ["Evaluation starts (1 Jun 2026) must come after execution ends (31 Dec 2026)."]
    }
    # On execution's last day still: the year is not over.
    assert "evaluation_start" in _refused(fiscal_year, evaluation_start=dt.date(2026, 12, 31))


def test_execution_outside_its_fiscal_year_is_refused(fiscal_year):
    errors = _refused(
        fiscal_year,
        execution_end=dt.date(2027, 12, 31),
        evaluation_start=dt.date(2028, 1, 3),
        evaluation_end=dt.date(2028, 3, 31),
    )
    assert errors == {"execution_end": ["Execution must fall within fiscal year 2026: 31 Dec 2027 is outside it."]}
    fiscal_year.refresh_from_db()
    errors = _refused(fiscal_year, execution_start=dt.date(2025, 12, 1))
    assert errors == {"execution_start": ["Execution must fall within fiscal year 2026: 1 Dec 2025 is outside it."]}


def test_moving_musrenbang_after_the_stages_that_follow_it_names_musrenbang(fiscal_year):
    errors = _refused(fiscal_year, musrenbang_start=dt.date(2027, 1, 4), musrenbang_end=dt.date(2027, 3, 31))
    assert errors["rkpd_by"] == ["RKPD fixed by (30 Jun 2025) cannot come before Musrenbang ends (31 Mar 2027)."]
    assert errors["kuappas_start"] == ["KUA-PPAS starts (1 Jul 2025) cannot come before Musrenbang ends (31 Mar 2027)."]
    assert set(errors) == {"rkpd_by", "kuappas_start"}


@pytest.mark.parametrize(
    "dates, field, says",
    [
        ({"kuappas_start": dt.date(2025, 3, 1)}, "kuappas_start", "before Musrenbang ends"),
        (
            {"execution_start": dt.date(2026, 1, 1), "kuappas_end": dt.date(2026, 2, 1)},
            "execution_start",
            "KUA-PPAS ends",
        ),
        ({"apbd_by": dt.date(2025, 8, 1)}, "apbd_by", "APBD approved by (1 Aug 2025) cannot come before KUA-PPAS ends"),
    ],
)
def test_each_stage_starts_no_earlier_than_the_one_before(fiscal_year, dates, field, says):
    errors = _refused(fiscal_year, **dates)
    assert field in errors and says in errors[field][0]


def test_overlapping_stages_in_order_pass(fiscal_year, fiscal_year_2027):
    fiscal_year.kuappas_start = dt.date(2025, 6, 2)  # drafting begins before the RKPD is fixed (30 Jun)
    fiscal_year.full_clean()
    fiscal_year_2027.full_clean()


def test_the_demo_calendar_passes():
    from planning import demo

    demo.set_up_fiscal_year().full_clean()


def test_the_admin_refuses_an_evaluation_during_execution(client, superuser, fiscal_year):
    client.force_login(superuser)
    url = reverse("admin:planning_fiscalyear_change", args=[fiscal_year.pk])
    data = _admin_data(client, url) | {"evaluation_start": "2026-06-01"}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["evaluation_start"]
    fiscal_year.refresh_from_db()
    assert fiscal_year.evaluation_start == dt.date(2027, 1, 1)


def test_execution_starting_before_the_apbd_is_approved_is_refused(fiscal_year_2027):
    """Spending needs the approved APBD: an APBD approved on 15 Feb 2027 for an execution from 4 Jan was accepted."""
    fiscal_year_2027.apbd_by = dt.date(fiscal_year_2027.year, 2, 15)
    fiscal_year_2027.execution_start = dt.date(fiscal_year_2027.year, 1, 4)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        fiscal_year_2027.full_clean()
    assert "execution_start" in refused.value.message_dict
