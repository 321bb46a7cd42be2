"""The admin's inline tables offer "Add another …" with the thing's name in the sentence as it is spelled: Django
capitalised it, and the Indonesian admin read "Tambahkan Keanggotaan perangkat daerah lagi" under a user's
department memberships (an accessibility and deployment walk)."""

import html
import json
import re

import pytest

from services.models import Department
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

FORMSET = re.compile(r'data-inline-formset="([^"]*)"')


def add_texts(client, url: str, language: str) -> set[str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return {
        json.loads(html.unescape(data))["options"]["addText"] for data in FORMSET.findall(response.content.decode())
    }


@pytest.fixture
def superuser_client(client, city):
    client.force_login(make_user("root@banjarmasinkota.go.id", is_staff=True, is_superuser=True))
    return client


def test_a_users_memberships_say_add_another_in_lower_case(superuser_client, staff_dlh):
    url = f"/admin/accounts/user/{staff_dlh.pk}/change/"
    assert "Tambahkan keanggotaan perangkat daerah lagi" in add_texts(superuser_client, url, "id")
    assert "Add another department membership" in add_texts(superuser_client, url, "en")


def test_a_departments_and_a_services_inlines_say_add_another_in_lower_case(superuser_client):
    department = Department.objects.get(code="dlh")
    assert add_texts(superuser_client, f"/admin/services/department/{department.pk}/change/", "en") == {
        "Add another staff membership"
    }
    service = department.services.first()
    assert add_texts(superuser_client, f"/admin/services/service/{service.pk}/change/", "en") == {
        "Add another service attribute",
        "Add another routing rule",
    }


def test_every_admin_page_with_inline_tables_writes_add_another_in_sentence_case():
    """The planning pages (activity, proposal, progress report, indicator) still wrote "Add another Budget line":
    every admin page with inlines takes the mixin, so a new one cannot forget it."""
    from django.contrib import admin

    from smartcity.admin_inlines import AddAnotherInSentenceCase

    with_inlines = {type(model_admin).__name__ for model_admin in admin.site._registry.values() if model_admin.inlines}
    assert {"ActivityAdmin", "ProposalAdmin", "ProgressReportAdmin", "IndicatorAdmin"} <= with_inlines
    ours = {"accounts", "complaints", "dashboards", "open311", "planning", "services", "smartcity"}
    forgotten = {
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if model_admin.inlines
        and type(model_admin).__module__.partition(".")[0] in ours
        and not isinstance(model_admin, AddAnotherInSentenceCase)
    }
    assert forgotten == set()
