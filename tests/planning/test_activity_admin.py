"""The administrator corrects an activity in the admin but cannot move it to another fiscal year, nor date it
outside its year or end it before it starts: that mixed two years' money."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from planning.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(city):
    from tests.conftest import make_user

    return make_user("super@banjarmasinkota.go.id", is_staff=True, is_superuser=True)


def _admin_form(superuser, activity, **changes):
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin.site._registry[Activity]
    form_class = model_admin.get_form(request, activity, change=True)
    data = {k: v for k, v in model_to_dict(activity).items() if k in form_class.base_fields}
    data["kelurahans"] = [a.pk for a in data.get("kelurahans", [])]
    data["services"] = [s.pk for s in data.get("services", [])]
    return form_class(data={**data, **changes}, instance=activity)


def test_the_fiscal_year_of_an_existing_activity_is_read_only(client, superuser, planned_activity, fiscal_year_2027):
    client.force_login(superuser)
    page = client.get(reverse("admin:planning_activity_change", args=[planned_activity.pk]))
    assert "fiscal_year" not in page.context["adminform"].form.fields
    assert 'name="fiscal_year"' not in page.content.decode()
    assert 'name="fiscal_year"' in client.get(reverse("admin:planning_activity_add")).content.decode()


def test_the_admin_form_refuses_dates_outside_the_year_or_in_the_wrong_order(superuser, planned_activity):
    with translation.override("en"):
        outside = _admin_form(superuser, planned_activity, end_date="2027-03-31")
        assert not outside.is_valid()
        assert outside.errors["end_date"] == ["An activity of fiscal year 2026 starts and ends within that year."]
        backwards = _admin_form(superuser, planned_activity, start_date="2026-06-01", end_date="2026-02-01")
        assert not backwards.is_valid()
        assert backwards.errors["end_date"] == ["The end cannot come before the start."]
    fine = _admin_form(superuser, planned_activity, start_date="2026-03-01", end_date="2026-11-30")
    assert fine.is_valid(), fine.errors
    fine.save()
    planned_activity.refresh_from_db()
    assert (planned_activity.start_date, planned_activity.fiscal_year.year) == (dt.date(2026, 3, 1), 2026)


def test_the_model_refuses_a_move_to_another_year_with_its_dates_left_behind(planned_activity, fiscal_year_2027):
    planned_activity.fiscal_year = fiscal_year_2027
    with pytest.raises(ValidationError) as refused:
        planned_activity.full_clean()
    assert set(refused.value.message_dict) == {"start_date", "end_date"}
