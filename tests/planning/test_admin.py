"""Every planning table has an admin page; the fiscal year's stage calendar is editable there."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from planning.models import FiscalYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(city):
    from tests.conftest import make_user

    return make_user("super@banjarmasinkota.go.id", is_staff=True, is_superuser=True)


def test_every_planning_model_is_in_the_admin_and_its_pages_open(client, superuser, budgeted_activity):
    client.force_login(superuser)
    for model in apps.get_app_config("planning").get_models():
        assert admin.site.is_registered(model), model.__name__
        url = reverse(f"admin:planning_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:planning_activity_change", args=[budgeted_activity.pk])).status_code == 200


def test_the_stage_calendar_is_edited_in_the_admin(client, superuser, fiscal_year):
    client.force_login(superuser)
    url = reverse("admin:planning_fiscalyear_change", args=[fiscal_year.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["grade_bands"] = '[[90, "very_high"], [75, "high"], [60, "medium"], [50, "low"], [0, "very_low"]]'
    data["apbd_by"] = "2025-11-28"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fiscal_year.refresh_from_db()
    assert str(fiscal_year.apbd_by) == "2025-11-28" and fiscal_year.grade_bands[0] == [90, "very_high"]
    assert FiscalYear.objects.count() == 1


def test_every_planning_model_names_itself_for_translation():
    """The admin's index and breadcrumbs show these names; without them Django's "Import jobs" stayed English."""
    from django.utils.functional import Promise

    for model in apps.get_app_config("planning").get_models():
        declared = model._meta.original_attrs
        for option in ("verbose_name", "verbose_name_plural"):
            assert isinstance(declared.get(option), Promise), f"{model.__name__}.{option}"


def test_money_columns_are_written_in_rupiah(client, superuser, budgeted_activity):
    client.force_login(superuser)
    html = client.get("/admin/planning/budgetline/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Rp\u00a01.500.000.000" in html and "1500000000,00" not in html
    sorted_page = client.get("/admin/planning/budgetline/?o=5", HTTP_ACCEPT_LANGUAGE="id")
    assert sorted_page.status_code == 200  # still sortable by the amount
